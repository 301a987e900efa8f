package fi.soteacme.server.renewal;

import fi.soteacme.server.certificate.Serials;
import fi.soteacme.server.problem.AcmeProblem;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;

/**
 * The RFC 9773 §4.1 certificate identifier: {@code base64url(AKI keyIdentifier) "."
 * base64url(serial)}, where the serial is the content octets of its DER INTEGER (so a serial whose
 * top bit is set keeps its leading zero byte), both without padding.
 *
 * @param authorityKeyId the keyIdentifier of the certificate's authority key identifier
 * @param serial the serial as stored: its unsigned big-endian magnitude, no leading zero
 */
public record CertId(byte[] authorityKeyId, byte[] serial) {
  /** RFC 5280 §4.1.2.2: at most 20 octets of serial; the DER content may add a sign octet. */
  private static final int MAX_SERIAL_CONTENT = 21;

  private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");

  /**
   * Parses a certID as sent in a renewalInfo URL or a {@code replaces} field.
   *
   * @throws AcmeProblem malformed, with a detail saying what is wrong
   */
  public static CertId parse(String text) {
    if (text == null || text.isEmpty()) {
      throw AcmeProblem.malformed("empty certID");
    }
    String[] parts = text.split("\\.", -1);
    if (parts.length != 2) {
      throw AcmeProblem.malformed(
          "a certID is base64url(AKI keyIdentifier) \".\" base64url(serial) (RFC 9773 §4.1)");
    }
    byte[] aki = decode(parts[0], "keyIdentifier");
    byte[] content = decode(parts[1], "serial");
    if (content.length > MAX_SERIAL_CONTENT) {
      throw AcmeProblem.malformed("the certID's serial is longer than 20 octets");
    }
    BigInteger serial = new BigInteger(content);
    if (serial.signum() <= 0) {
      throw AcmeProblem.malformed(
          "the certID's serial is not a positive DER INTEGER (a serial with its top bit set keeps"
              + " its leading zero octet)");
    }
    if (content.length > 1 && content[0] == 0 && content[1] >= 0) {
      throw AcmeProblem.malformed(
          "the certID's serial has a superfluous leading zero octet: DER INTEGERs are minimal");
    }
    return new CertId(aki, Serials.toBytes(serial));
  }

  /** The certID of a certificate, from its AKI extension and serial. */
  public static CertId of(X509Certificate certificate) {
    return new CertId(authorityKeyId(certificate), Serials.toBytes(certificate.getSerialNumber()));
  }

  /** The keyIdentifier of a certificate's AKI extension, or null when it carries none. */
  public static byte[] authorityKeyId(X509Certificate certificate) {
    byte[] extension = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
    if (extension == null) {
      return null;
    }
    return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets())
        .getKeyIdentifierObject()
        .getOctets();
  }

  /** The wire form, e.g. {@code aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE}. */
  @Override
  public String toString() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString(authorityKeyId)
        + "."
        + b64.encodeToString(new BigInteger(1, serial).toByteArray());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CertId other
        && Arrays.equals(authorityKeyId, other.authorityKeyId)
        && Arrays.equals(serial, other.serial);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(authorityKeyId) + Arrays.hashCode(serial);
  }

  private static byte[] decode(String part, String what) {
    if (!BASE64URL.matcher(part).matches()) {
      throw AcmeProblem.malformed(
          "the certID's " + what + " is not base64url without padding (RFC 9773 §4.1)");
    }
    try {
      return Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException e) {
      throw AcmeProblem.malformed("the certID's " + what + " is not valid base64url");
    }
  }
}
