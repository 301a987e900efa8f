package fi.soteacme.server.issuance;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * One CA hierarchy as the issuer uses it: the issuing CA's certificate and private key, and the
 * root it chains to.
 *
 * @param name short name used in URLs ({@code {ca}} of {@link IssuanceSettings}) and logs: {@code
 *     production} or {@code test}; {@link CertificateIssuer} issues test profiles only from the CA
 *     named {@code test} and the others only from any other
 * @param certificate the issuing CA certificate
 * @param privateKey the issuing CA's private key
 * @param root the root CA certificate that signed {@code certificate}
 */
public record IssuingCa(
    String name, X509Certificate certificate, PrivateKey privateKey, X509Certificate root) {

  /** The issuing CA's subject key identifier: what its certificates carry as AKI. */
  public byte[] subjectKeyIdentifier() {
    return Pki.subjectKeyIdentifier(certificate);
  }

  /** Never prints the key. */
  @Override
  public String toString() {
    return "IssuingCa[" + name + ", " + certificate.getSubjectX500Principal().getName() + "]";
  }
}
