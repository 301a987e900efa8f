package fi.soteacme.client.connector;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Map;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * Builds the flattened JWS objects of RFC 8555 §6.2: request bodies, External Account Binding
 * (§7.3.4) and key rollover (§7.3.5). All signing happens here.
 */
public final class Jws {
  private static final String URL = "url";
  private static final String NONCE = "nonce";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private Jws() {}

  /**
   * Signs a request body.
   *
   * @param url the request URL ({@code url} header)
   * @param nonce a fresh nonce, or {@code null} for JWS objects that carry none (inner JWS)
   * @param payload the payload; {@code null} for POST-as-GET (empty payload)
   * @param keyPair the signing key
   * @param kid the account URL, or {@code null} to embed the public key as {@code jwk}
   * @return the flattened JSON serialisation
   */
  public static Json sign(URI url, String nonce, Json payload, KeyPair keyPair, URI kid) {
    if (keyPair.getPrivate() instanceof ECPrivateKey ec) {
      return signEcdsa(url, nonce, payload, keyPair.getPublic(), ec, kid);
    }
    try {
      JsonWebSignature jws = new JsonWebSignature();
      jws.setPayload(payload == null ? "" : payload.toString());
      jws.setAlgorithmHeaderValue(algorithm(keyPair.getPublic()));
      if (nonce != null) {
        jws.getHeaders().setObjectHeaderValue(NONCE, nonce);
      }
      jws.getHeaders().setObjectHeaderValue(URL, url.toString());
      if (kid != null) {
        jws.setKeyIdHeaderValue(kid.toString());
      } else {
        jws.setJwkHeader(PublicJsonWebKey.Factory.newPublicJwk(keyPair.getPublic()));
      }
      jws.setKey(keyPair.getPrivate());
      return flatten(jws);
    } catch (JoseException e) {
      throw new IllegalArgumentException("Cannot sign with this key: " + e.getMessage(), e);
    }
  }

  private static Json signEcdsa(
      URI url, String nonce, Json payload, PublicKey publicKey, ECPrivateKey key, URI kid) {
    Json.Builder header = Json.builder().put("alg", algorithm(publicKey));
    if (nonce != null) {
      header.put(NONCE, nonce);
    }
    header.put(URL, url.toString());
    if (kid != null) {
      header.put("kid", kid.toString());
    } else {
      header.put("jwk", jwk(publicKey));
    }
    String protectedB64 = base64url(header.build().toString());
    String payloadB64 = base64url(payload == null ? "" : payload.toString());
    byte[] signature = EcdsaSigner.sign(key, protectedB64 + "." + payloadB64);
    return Json.builder()
        .put("protected", protectedB64)
        .put("payload", payloadB64)
        .put("signature", B64.encodeToString(signature))
        .build();
  }

  private static String base64url(String text) {
    return B64.encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Builds an External Account Binding (RFC 8555 §7.3.4): a JWS over the account's public key,
   * MAC'ed with HS256 under the CA's key.
   *
   * @param url the URL the outer request goes to (newAccount, or the account URL when linking a
   *     further organisation)
   * @param accountKey the account's public key, the payload
   * @param kid the key identifier the CA issued with the MAC key
   * @param macKey the MAC key, decoded from base64url
   * @return the {@code externalAccountBinding} value
   */
  public static Json externalAccountBinding(
      URI url, PublicKey accountKey, String kid, byte[] macKey) {
    try {
      JsonWebSignature jws = new JsonWebSignature();
      jws.setPayload(jwk(accountKey).toString());
      jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
      jws.setKeyIdHeaderValue(kid);
      jws.getHeaders().setObjectHeaderValue(URL, url.toString());
      jws.setKey(new HmacKey(macKey));
      // CAs issue MAC keys of their own choosing; RFC 8555 sets no minimum, so neither do we.
      jws.setDoKeyValidation(false);
      return flatten(jws);
    } catch (JoseException e) {
      throw new IllegalArgumentException("Cannot build the EAB: " + e.getMessage(), e);
    }
  }

  /**
   * Builds the inner JWS of a key rollover (RFC 8555 §7.3.5), signed by the new key.
   *
   * @param keyChangeUrl the keyChange URL
   * @param accountUrl the account URL
   * @param oldKey the current account key
   * @param newKey the new account key pair
   * @return the payload of the outer request
   */
  public static Json keyChange(URI keyChangeUrl, URI accountUrl, PublicKey oldKey, KeyPair newKey) {
    Json payload = Json.builder().put("account", accountUrl).put("oldKey", jwk(oldKey)).build();
    return sign(keyChangeUrl, null, payload, newKey, null);
  }

  /**
   * Returns a public key as a JWK (public members only).
   *
   * @param key the public key
   * @return the JWK object
   */
  public static Json jwk(PublicKey key) {
    try {
      Map<String, Object> params =
          PublicJsonWebKey.Factory.newPublicJwk(key)
              .toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
      return Json.of(params);
    } catch (JoseException e) {
      throw new IllegalArgumentException("Unsupported key: " + e.getMessage(), e);
    }
  }

  /**
   * Returns the RFC 7638 thumbprint of a public key, base64url encoded.
   *
   * @param key the public key
   * @return the SHA-256 JWK thumbprint
   */
  public static String thumbprint(PublicKey key) {
    try {
      return PublicJsonWebKey.Factory.newPublicJwk(key)
          .calculateBase64urlEncodedThumbprint("SHA-256");
    } catch (JoseException e) {
      throw new IllegalArgumentException("Unsupported key: " + e.getMessage(), e);
    }
  }

  /**
   * Returns the JWS algorithm for a key: RS256 for RSA, ES256/ES384/ES512 by EC curve size.
   *
   * @param key the public key
   * @return the {@code alg} value
   */
  public static String algorithm(Key key) {
    if (key instanceof RSAPublicKey) {
      return AlgorithmIdentifiers.RSA_USING_SHA256;
    }
    if (key instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      return switch (bits) {
        case 256 -> AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;
        case 384 -> AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384;
        case 521 -> AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512;
        default -> throw new IllegalArgumentException("Unsupported EC curve of " + bits + " bits");
      };
    }
    throw new IllegalArgumentException("Unsupported key type " + key.getAlgorithm());
  }

  private static Json flatten(JsonWebSignature jws) throws JoseException {
    jws.getCompactSerialization(); // signs
    return Json.builder()
        .put("protected", jws.getHeaders().getEncodedHeader())
        .put("payload", jws.getEncodedPayload())
        .put("signature", jws.getEncodedSignature())
        .build();
  }
}
