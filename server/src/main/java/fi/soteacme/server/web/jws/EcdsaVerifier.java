package fi.soteacme.server.web.jws;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Map;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;

/**
 * ES256/ES384/ES512 (RFC 7518 §3.4) checked with BouncyCastle's lightweight API on its fixed curve
 * objects. Every POST of a flow carries one such signature. Through the JCA, each check converted
 * the key to a fresh curve and recomputed the generator's multiplication table, about 2–3 ms; here
 * the table is computed once per curve and a check costs about 0.2 ms (bench/jmh).
 */
final class EcdsaVerifier {
  private record Curve(String alg, ECDomainParameters domain, int size) {}

  private static final Map<Integer, Curve> BY_FIELD_SIZE =
      Map.of(
          256, curve("ES256", "secp256r1", 32),
          384, curve("ES384", "secp384r1", 48),
          521, curve("ES512", "secp521r1", 66));

  private EcdsaVerifier() {}

  private static Curve curve(String alg, String name, int size) {
    X9ECParameters p = CustomNamedCurves.getByName(name);
    return new Curve(
        alg, new ECDomainParameters(p.getCurve(), p.getG(), p.getN(), p.getH(), p.getSeed()), size);
  }

  /** The JWS algorithm a key signs with; {@code null} for a curve other than P-256/384/521. */
  static String algorithmOf(ECPublicKey key) {
    Curve c = BY_FIELD_SIZE.get(key.getParams().getCurve().getField().getFieldSize());
    return c == null ? null : c.alg();
  }

  /**
   * Whether {@code signature} (R || S, RFC 7518 §3.4) is the key's signature over the JWS signing
   * input {@code protected.payload}. The caller has checked that the algorithm fits the key.
   */
  static boolean verify(ECPublicKey key, String signingInput, byte[] signature) {
    Curve c = BY_FIELD_SIZE.get(key.getParams().getCurve().getField().getFieldSize());
    if (c == null || signature.length != 2 * c.size()) {
      return false;
    }
    ECPoint q;
    try {
      q = c.domain().getCurve().validatePoint(key.getW().getAffineX(), key.getW().getAffineY());
    } catch (IllegalArgumentException e) {
      return false;
    }
    Digest digest =
        switch (c.alg()) {
          case "ES256" -> new SHA256Digest();
          case "ES384" -> new SHA384Digest();
          default -> new SHA512Digest();
        };
    byte[] input = signingInput.getBytes(StandardCharsets.US_ASCII);
    digest.update(input, 0, input.length);
    byte[] hash = new byte[digest.getDigestSize()];
    digest.doFinal(hash, 0);
    ECDSASigner signer = new ECDSASigner();
    signer.init(false, new ECPublicKeyParameters(q, c.domain()));
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, c.size()));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, c.size(), signature.length));
    return signer.verifySignature(hash, r, s);
  }
}
