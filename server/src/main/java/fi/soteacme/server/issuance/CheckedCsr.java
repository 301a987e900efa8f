package fi.soteacme.server.issuance;

import java.security.PublicKey;
import java.util.List;

/**
 * What a CSR that passed {@link CsrChecker} contributes to a certificate: its key and names. The
 * subject is built by the server, never copied from the CSR.
 *
 * @param publicKey the certificate key
 * @param subjectPublicKeyInfo the DER SubjectPublicKeyInfo exactly as in the CSR (goes into the
 *     certificate unchanged)
 * @param commonName the CSR subject's CN, or null when it has none; for system signature profiles
 *     the system name (always present)
 * @param dnsNames the CSR's dns names, lower-case, sorted (empty for system signature profiles)
 */
public record CheckedCsr(
    PublicKey publicKey, byte[] subjectPublicKeyInfo, String commonName, List<String> dnsNames) {

  public CheckedCsr {
    subjectPublicKeyInfo = subjectPublicKeyInfo.clone();
    dnsNames = List.copyOf(dnsNames);
  }

  @Override
  public byte[] subjectPublicKeyInfo() {
    return subjectPublicKeyInfo.clone();
  }

  /** {@link CsrChecker#spkiSha256Hex} of this key: how blocked keys are looked up. */
  public String spkiSha256Hex() {
    return CsrChecker.spkiSha256Hex(subjectPublicKeyInfo);
  }
}
