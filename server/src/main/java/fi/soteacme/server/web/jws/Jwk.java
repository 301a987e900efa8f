package fi.soteacme.server.web.jws;

import fi.soteacme.server.cache.LruCache;
import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.HashUtil;
import org.jose4j.lang.JoseException;

/** Account keys as JWKs (RFC 7517) and their RFC 7638 thumbprints. */
public final class Jwk {
  /** Stored keys parsed last: an account's key is read with every request it signs. */
  private static final LruCache<String, PublicJsonWebKey> STORED = new LruCache<>(1024);

  private Jwk() {}

  /**
   * Parses a key as {@link #toJson} stored it, reusing the parse of the same text (the key objects
   * are only read after parsing).
   */
  public static PublicJsonWebKey parseStored(String json) {
    PublicJsonWebKey known = STORED.get(json);
    if (known == null) {
      known = parse(json);
      STORED.put(json, known);
    }
    return known;
  }

  /** Parses a stored or received public JWK. */
  public static PublicJsonWebKey parse(String json) {
    try {
      JsonWebKey jwk = JsonWebKey.Factory.newJwk(json);
      if (!(jwk instanceof PublicJsonWebKey pub)) {
        throw AcmeProblem.malformed("the jwk is not a public key (kty " + jwk.getKeyType() + ")");
      }
      return pub;
    } catch (JoseException e) {
      throw AcmeProblem.malformed("the jwk cannot be parsed: " + e.getMessage());
    }
  }

  /**
   * Checks that a received key is one the server accepts for accounts: RSA of 2048 bits or more, EC
   * P-256/P-384/P-521, or Ed25519; never with private parts.
   */
  public static PublicJsonWebKey acceptable(PublicJsonWebKey jwk) {
    if (jwk.getPrivateKey() != null) {
      throw AcmeProblem.malformed("the jwk contains a private key; send only the public key");
    }
    PublicKey key = jwk.getPublicKey();
    if (key instanceof RSAPublicKey rsa) {
      if (rsa.getModulus().bitLength() < 2048) {
        throw new AcmeProblem(
            ProblemType.BAD_PUBLIC_KEY,
            "RSA account keys must have at least 2048 bits; this one has "
                + rsa.getModulus().bitLength());
      }
    } else if (!(key instanceof ECPublicKey)
        && !(jwk instanceof OctetKeyPairJsonWebKey okp && "Ed25519".equals(okp.getSubtype()))) {
      throw new AcmeProblem(
          ProblemType.BAD_PUBLIC_KEY,
          "account keys must be RSA, EC (P-256, P-384, P-521) or Ed25519");
    }
    return jwk;
  }

  /** RFC 7638 SHA-256 thumbprint, base64url. */
  public static String thumbprint(PublicJsonWebKey jwk) {
    return jwk.calculateBase64urlEncodedThumbprint(HashUtil.SHA_256);
  }

  /** The public JWK as JSON, for storage. */
  public static String toJson(PublicJsonWebKey jwk) {
    return jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
  }
}
