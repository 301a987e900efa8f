package fi.soteacme.server.revocation;

import fi.soteacme.server.issuance.IssuingCa;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Signing with an issuing CA's key, with the algorithm its certificates are signed with. */
final class CaSigning {
  private CaSigning() {}

  /**
   * sha512WithRSA for RSA keys, ecdsa-with-SHA384 for EC keys, as the issuer signs certificates.
   */
  static ContentSigner signer(PrivateKey key) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA512withRSA";
          case "EC", "ECDSA" -> "SHA384withECDSA";
          default -> throw new IllegalArgumentException("unsupported CA key " + key.getAlgorithm());
        };
    try {
      return new JcaContentSignerBuilder(algorithm).build(key);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign with the " + key.getAlgorithm() + " key", e);
    }
  }

  static X509CertificateHolder holder(IssuingCa ca) {
    try {
      return new X509CertificateHolder(ca.certificate().getEncoded());
    } catch (CertificateEncodingException | java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
