package fi.soteacme.server.web.jws;

import fi.soteacme.server.cache.LruCache;
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
 *
 * <p>The account keys seen last are kept as validated curve points ({@link #RECENT_KEYS}):
 * BouncyCastle keeps a point's multiplication tables on the point and widens them as the point is
 * used again, so the checks of one account's next requests cost about 0.08 ms instead of 0.2 ms. A
 * kept key holds about 7 KB of tables.
 */
final class EcdsaVerifier {
  private record Curve(String alg, ECDomainParameters domain, int size) {}

  /** A public key by its curve and coordinates. */
  private record KeyId(int fieldSize, BigInteger x, BigInteger y) {}

  /** How many account keys keep their tables (least recently used dropped first). */
  static final int RECENT_KEYS = 1024;

  private static final LruCache<KeyId, ECPublicKeyParameters> RECENT = new LruCache<>(RECENT_KEYS);

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
    ECPublicKeyParameters publicKey = publicKey(c, key);
    if (publicKey == null) {
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
    signer.init(false, publicKey);
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, c.size()));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, c.size(), signature.length));
    return signer.verifySignature(hash, r, s);
  }

  /** The key as a point checked to be on the curve, kept for its next use; null if it is not. */
  private static ECPublicKeyParameters publicKey(Curve c, ECPublicKey key) {
    KeyId id = new KeyId(c.size(), key.getW().getAffineX(), key.getW().getAffineY());
    ECPublicKeyParameters known = RECENT.get(id);
    if (known != null) {
      return known;
    }
    ECPoint q;
    try {
      q = c.domain().getCurve().validatePoint(id.x(), id.y());
    } catch (IllegalArgumentException e) {
      return null;
    }
    ECPublicKeyParameters fresh = new ECPublicKeyParameters(q, c.domain());
    RECENT.put(id, fresh);
    return fresh;
  }

  /** How many keys are kept now (tests). */
  static int keptKeys() {
    return RECENT.size();
  }
}
