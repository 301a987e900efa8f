package fi.soteacme.server.testsupport;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed tls-alpn-01 certificates (RFC 8737 §3), the right kind and deliberately wrong kinds,
 * built with BouncyCastle on EC P-256 keys.
 */
public final class TlsAlpn01Certificates {
  /** id-pe-acmeIdentifier (RFC 8737 §6.1). */
  public static final ASN1ObjectIdentifier ACME_IDENTIFIER =
      new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.31");

  /** A private key and its self-signed certificate. */
  public record Credential(PrivateKey key, X509Certificate certificate) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private TlsAlpn01Certificates() {}

  /** The certificate a client presents for {@code dnsName}: RFC 8737 exactly. */
  public static Credential forChallenge(String dnsName, String keyAuthorization) {
    return create(List.of(dnsName), acmeIdentifierValue(keyAuthorization), true);
  }

  /**
   * A certificate with exactly these dNSName SANs (none: no subjectAltName extension) and, unless
   * {@code acmeIdentifierValue} is {@code null}, an acmeIdentifier extension whose extnValue is
   * those bytes, critical or not.
   */
  public static Credential create(
      List<String> dnsNames, byte[] acmeIdentifierValue, boolean acmeIdentifierCritical) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      KeyPair keys = generator.generateKeyPair();
      X500Name subject =
          new X500Name("CN=" + (dnsNames.isEmpty() ? "tls-alpn-01 test" : dnsNames.get(0)));
      Instant now = Instant.now();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              new BigInteger(64, RANDOM).add(BigInteger.ONE),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(7))),
              subject,
              keys.getPublic());
      if (!dnsNames.isEmpty()) {
        GeneralName[] names =
            dnsNames.stream()
                .map(n -> new GeneralName(GeneralName.dNSName, n))
                .toArray(GeneralName[]::new);
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      }
      if (acmeIdentifierValue != null) {
        builder.addExtension(
            new Extension(ACME_IDENTIFIER, acmeIdentifierCritical, acmeIdentifierValue));
      }
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(
                      new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
      return new Credential(keys.getPrivate(), certificate);
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot build a tls-alpn-01 certificate", e);
    }
  }

  /** The acmeIdentifier extnValue: DER OCTET STRING of SHA-256(key authorization). */
  public static byte[] acmeIdentifierValue(String keyAuthorization) {
    try {
      return new DEROctetString(sha256(keyAuthorization)).getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
