package fi.soteacme.server.mail;

import fi.soteacme.server.certificate.Serials;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailMessage;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Certificate;

/**
 * The e-mail that delivers an issued certificate: the order's details in plain text, the chain as
 * {@code <name>.pem} and the leaf as {@code <name>.der}, where {@code <name>} is {@link
 * #fileName(String)} of the CN.
 */
public final class CertificateMail {
  static final String PEM_CHAIN = "application/pem-certificate-chain";
  static final String PKIX_CERT = "application/pkix-cert";
  private static final int MAX_FILE_NAME = 64;

  private final String from;
  private final Function<String, String> urls;

  /**
   * @param from the sender address
   * @param urls the server's public URL of a path, e.g. {@code /acme/cert/<hex>}
   */
  public CertificateMail(String from, Function<String, String> urls) {
    this.from = from;
    this.urls = urls;
  }

  /** The message for a claimed delivery. */
  public MailMessage message(Delivery delivery) {
    Certificate leaf = Certificate.getInstance(delivery.der());
    X500Name subject = leaf.getSubject();
    String commonName = rdn(subject, BCStyle.CN);
    String serialHex = Serials.toHex(delivery.serial());
    String name = fileName(commonName);
    return new MailMessage()
        .setFrom(from)
        .setTo(delivery.recipients())
        .setSubject("Service certificate " + commonName + " (serial " + serialHex + ")")
        .setText(body(delivery, leaf, subject, commonName, serialHex, name))
        .setAttachment(
            List.of(
                attachment(
                    name + ".pem",
                    PEM_CHAIN,
                    Buffer.buffer(delivery.chainPem().getBytes(StandardCharsets.US_ASCII))),
                attachment(name + ".der", PKIX_CERT, Buffer.buffer(delivery.der()))));
  }

  private String body(
      Delivery delivery,
      Certificate leaf,
      X500Name subject,
      String commonName,
      String serialHex,
      String name) {
    DateTimeFormatter time = DateTimeFormatter.ISO_INSTANT;
    StringBuilder text = new StringBuilder();
    text.append("sote-acme issued a service certificate.\n\n");
    line(text, "Common name", commonName);
    line(text, "Organisation", rdn(subject, BCStyle.O));
    line(text, "Unit", rdn(subject, BCStyle.OU));
    line(text, "Organisation OID", delivery.organisationOid());
    line(text, "Profile", delivery.profile());
    line(
        text,
        "Names",
        delivery.dnsNames().isEmpty() ? null : String.join(", ", delivery.dnsNames()));
    line(text, "Serial (hex)", serialHex);
    line(text, "Serial (decimal)", new BigInteger(1, delivery.serial()).toString());
    line(text, "Valid from", time.format(leaf.getStartDate().getDate().toInstant()));
    line(text, "Valid until", time.format(leaf.getEndDate().getDate().toInstant()));
    line(text, "Issued by", rdn(leaf.getIssuer(), BCStyle.CN));
    if (delivery.orderId() != null) {
      line(text, "Order", urls.apply("/acme/order/" + delivery.orderId()));
    }
    line(text, "Download", urls.apply("/acme/cert/" + serialHex));
    text.append('\n')
        .append("Attached: ")
        .append(name)
        .append(".pem (the chain: this certificate and its issuing CA) and ")
        .append(name)
        .append(".der (this certificate alone).\n")
        .append("The certificate stays available at the download address above (ACME POST-as-GET")
        .append(" or GET).\n")
        .append("The private key never left the system that ordered the certificate.\n");
    return text.toString();
  }

  /**
   * A file-safe form of a CN: accents dropped (ä → a), {@code *} becomes {@code wildcard}, every
   * character other than ASCII letters, digits, '.', '-' and '_' becomes '_', no leading dot, at
   * most 64 characters; {@code certificate} when nothing is left.
   */
  public static String fileName(String commonName) {
    if (commonName == null) {
      return "certificate";
    }
    String plain =
        Normalizer.normalize(commonName.replace("*", "wildcard"), Normalizer.Form.NFD)
            .replaceAll("\\p{M}", "")
            .replaceAll("[^A-Za-z0-9._-]+", "_")
            .replaceAll("^[._]+", "");
    if (plain.length() > MAX_FILE_NAME) {
      plain = plain.substring(0, MAX_FILE_NAME);
    }
    return plain.isEmpty() ? "certificate" : plain;
  }

  private static MailAttachment attachment(String name, String contentType, Buffer data) {
    return MailAttachment.create()
        .setName(name)
        .setContentType(contentType)
        .setDisposition("attachment")
        .setData(data);
  }

  private static void line(StringBuilder text, String label, String value) {
    if (value != null && !value.isBlank()) {
      text.append(String.format("%-18s%s\n", label + ":", value));
    }
  }

  private static String rdn(X500Name name, ASN1ObjectIdentifier type) {
    RDN[] rdns = name.getRDNs(type);
    if (rdns.length == 0) {
      return null;
    }
    // The value itself, not RFC 4514's escaped form ("a\, b").
    return rdns[0].getFirst().getValue() instanceof ASN1String text
        ? text.getString()
        : IETFUtils.valueToString(rdns[0].getFirst().getValue());
  }
}
