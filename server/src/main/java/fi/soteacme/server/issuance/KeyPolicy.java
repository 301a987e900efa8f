package fi.soteacme.server.issuance;

import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** The certificate keys this CA accepts: RSA 2048, 3072, 4096; EC P-256, P-384. */
final class KeyPolicy {
  static final String ACCEPTED = "use RSA 2048, 3072 or 4096, or EC P-256/P-384";

  private static final Set<Integer> RSA_BITS = Set.of(2048, 3072, 4096);
  private static final Map<ASN1ObjectIdentifier, String> CURVES =
      Map.of(SECObjectIdentifiers.secp256r1, "P-256", SECObjectIdentifiers.secp384r1, "P-384");
  private static final Map<ASN1ObjectIdentifier, String> OTHER_ALGORITHMS =
      Map.of(
          EdECObjectIdentifiers.id_Ed25519, "Ed25519",
          EdECObjectIdentifiers.id_Ed448, "Ed448",
          EdECObjectIdentifiers.id_X25519, "X25519",
          EdECObjectIdentifiers.id_X448, "X448",
          X9ObjectIdentifiers.id_dsa, "DSA",
          PKCSObjectIdentifiers.id_RSASSA_PSS, "RSASSA-PSS");

  private KeyPolicy() {}

  static boolean isRsa(SubjectPublicKeyInfo spki) {
    return PKCSObjectIdentifiers.rsaEncryption.equals(spki.getAlgorithm().getAlgorithm());
  }

  /**
   * The key as a JCA object if this CA accepts it.
   *
   * @throws AcmeProblem badPublicKey naming what was found and what is accepted
   */
  static PublicKey requireAccepted(SubjectPublicKeyInfo spki) {
    ASN1ObjectIdentifier algorithm = spki.getAlgorithm().getAlgorithm();
    if (isRsa(spki)) {
      checkRsa(spki);
    } else if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
      checkCurve(spki);
    } else {
      throw refused(OTHER_ALGORITHMS.getOrDefault(algorithm, "algorithm " + algorithm) + " keys");
    }
    try {
      return new JcaPEMKeyConverter().setProvider(Pki.BC).getPublicKey(spki);
    } catch (IOException | RuntimeException e) {
      throw new AcmeProblem(ProblemType.BAD_PUBLIC_KEY, "the CSR's public key is not valid", e);
    }
  }

  /** Whether two keys are the same key, whatever their encoding (e.g. a compressed EC point). */
  static boolean sameKey(PublicKey a, PublicKey b) {
    if (a instanceof RSAPublicKey ra && b instanceof RSAPublicKey rb) {
      return ra.getModulus().equals(rb.getModulus())
          && ra.getPublicExponent().equals(rb.getPublicExponent());
    }
    if (a instanceof ECPublicKey ea && b instanceof ECPublicKey eb) {
      return ea.getW().equals(eb.getW())
          && ea.getParams().getOrder().equals(eb.getParams().getOrder())
          && ea.getParams().getCurve().equals(eb.getParams().getCurve());
    }
    return Arrays.equals(a.getEncoded(), b.getEncoded());
  }

  private static void checkRsa(SubjectPublicKeyInfo spki) {
    org.bouncycastle.asn1.pkcs.RSAPublicKey key;
    try {
      key = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(spki.parsePublicKey());
    } catch (IOException | RuntimeException e) {
      throw new AcmeProblem(
          ProblemType.BAD_PUBLIC_KEY, "the CSR's RSA public key cannot be read", e);
    }
    BigInteger modulus = key.getModulus();
    int bits = modulus.bitLength();
    if (!RSA_BITS.contains(bits)) {
      throw refused("RSA " + bits + "-bit keys");
    }
    BigInteger exponent = key.getPublicExponent();
    if (!modulus.testBit(0)
        || !exponent.testBit(0)
        || exponent.compareTo(BigInteger.valueOf(65537)) < 0) {
      throw new AcmeProblem(
          ProblemType.BAD_PUBLIC_KEY,
          "the CSR's RSA key is malformed (even modulus, or public exponent below 65537 or even)");
    }
  }

  private static void checkCurve(SubjectPublicKeyInfo spki) {
    var parameters = spki.getAlgorithm().getParameters();
    if (!(parameters instanceof ASN1ObjectIdentifier curve)) {
      throw refused("EC keys with explicit curve parameters");
    }
    if (!CURVES.containsKey(curve)) {
      throw refused("EC " + curveName(curve) + " keys");
    }
  }

  private static String curveName(ASN1ObjectIdentifier curve) {
    if (SECObjectIdentifiers.secp521r1.equals(curve)) {
      return "P-521";
    }
    String name = ECNamedCurveTable.getName(curve);
    return name != null ? name : curve.getId();
  }

  private static AcmeProblem refused(String what) {
    return new AcmeProblem(ProblemType.BAD_PUBLIC_KEY, what + " are not accepted; " + ACCEPTED);
  }
}
