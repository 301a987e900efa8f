package fi.soteacme.server.issuance;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything that goes into one certificate; the caller has checked the order and the CSR.
 *
 * @param serial the serial number (positive, at most 20 octets)
 * @param profile the profile, which picks key usage, EKU and the validity cap
 * @param subject the subject built from the register
 * @param dnsNames the subjectAltName dns names (server profiles; empty for system signature)
 * @param subjectPublicKeyInfo the certificate key, DER SubjectPublicKeyInfo (from {@link
 *     CheckedCsr#subjectPublicKeyInfo()})
 * @param notBefore first second of validity, whole seconds
 * @param notAfter last second of validity (inclusive, RFC 5280), whole seconds
 */
public record CertificateRequest(
    BigInteger serial,
    Profile profile,
    Subject subject,
    List<String> dnsNames,
    byte[] subjectPublicKeyInfo,
    Instant notBefore,
    Instant notAfter) {

  public CertificateRequest {
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(subject, "subject");
    dnsNames = List.copyOf(dnsNames);
    subjectPublicKeyInfo = subjectPublicKeyInfo.clone();
    if (serial.signum() <= 0 || serial.bitLength() > 159) {
      throw new IllegalArgumentException("a serial is positive and at most 20 octets: " + serial);
    }
    if (notBefore.getNano() != 0 || notAfter.getNano() != 0) {
      throw new IllegalArgumentException("certificate validity is in whole seconds");
    }
  }

  @Override
  public byte[] subjectPublicKeyInfo() {
    return subjectPublicKeyInfo.clone();
  }
}
