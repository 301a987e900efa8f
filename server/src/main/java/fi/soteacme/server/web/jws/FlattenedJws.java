package fi.soteacme.server.web.jws;

import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.List;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * A JWS in the flattened JSON serialization (RFC 7515 §7.2.2), the only one RFC 8555 §6.2 allows,
 * with its protected header decoded. Used for the outer request, keyChange's inner JWS and EAB.
 */
public record FlattenedJws(
    String protectedB64, String payloadB64, String signatureB64, JsonObject header) {

  /** The signature algorithms accepted for account and certificate keys. */
  public static final List<String> ALGORITHMS =
      List.of("RS256", "ES256", "ES384", "ES512", "EdDSA");

  /** The MAC algorithms accepted for External Account Binding (RFC 8555 §7.3.4). */
  public static final List<String> MAC_ALGORITHMS = List.of("HS256", "HS384", "HS512");

  /** Parses the JSON object; {@code what} names the JWS in error details. */
  public static FlattenedJws parse(JsonObject json, String what) {
    if (json == null) {
      throw AcmeProblem.malformed(what + " is missing");
    }
    if (json.containsKey("header") || json.containsKey("signatures")) {
      throw AcmeProblem.malformed(
          what + " must use the flattened JSON serialization without an unprotected header");
    }
    String prot = stringField(json, "protected", what);
    String payload = stringField(json, "payload", what);
    String sig = stringField(json, "signature", what);
    JsonObject header;
    try {
      header =
          new JsonObject(new String(Base64.getUrlDecoder().decode(prot), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      throw AcmeProblem.malformed(what + ": the protected header is not base64url-encoded JSON");
    }
    return new FlattenedJws(prot, payload, sig, header);
  }

  /** The protected header's {@code alg}, checked against the accepted list. */
  public String algorithm(List<String> accepted) {
    Object alg = header.getValue("alg");
    if (!(alg instanceof String name)) {
      throw AcmeProblem.malformed("the protected header has no \"alg\"");
    }
    if (!accepted.contains(name)) {
      throw new AcmeProblem(
          ProblemType.BAD_SIGNATURE_ALGORITHM,
          "the signature algorithm " + name + " is not accepted; use one of " + accepted);
    }
    return name;
  }

  /** Verifies the signature with the key, allowing only {@code accepted} algorithms. */
  public void verify(Key key, List<String> accepted, String what) {
    String alg = algorithm(accepted);
    if (key instanceof ECPublicKey ec && alg.startsWith("ES")) {
      verifyEcdsa(ec, alg, what);
      return;
    }
    JsonWebSignature jws = new JsonWebSignature();
    jws.setAlgorithmConstraints(
        new AlgorithmConstraints(
            AlgorithmConstraints.ConstraintType.PERMIT, accepted.toArray(String[]::new)));
    jws.setKnownCriticalHeaders();
    // EAB keys are handed out at 256 bits; RFC 8555 lets the client pick HS384/HS512 with them.
    jws.setDoKeyValidation(!(key instanceof javax.crypto.SecretKey));
    boolean valid;
    try {
      jws.setCompactSerialization(protectedB64 + "." + payloadB64 + "." + signatureB64);
      jws.setKey(key);
      valid = jws.verifySignature();
    } catch (JoseException e) {
      throw AcmeProblem.malformed(what + ": the signature cannot be verified: " + e.getMessage());
    }
    if (!valid) {
      throw AcmeProblem.malformed(what + ": the signature does not verify with the given key");
    }
  }

  private void verifyEcdsa(ECPublicKey key, String alg, String what) {
    if (header.containsKey("crit")) {
      throw AcmeProblem.malformed(what + ": no critical header extension is understood here");
    }
    String keyAlg = EcdsaVerifier.algorithmOf(key);
    if (!alg.equals(keyAlg)) {
      throw AcmeProblem.malformed(
          what
              + ": the signature cannot be verified: "
              + alg
              + " does not fit a key that signs "
              + (keyAlg == null ? "with no accepted algorithm" : keyAlg));
    }
    byte[] signature;
    try {
      signature = Base64.getUrlDecoder().decode(signatureB64);
    } catch (IllegalArgumentException e) {
      throw AcmeProblem.malformed(what + ": the signature is not base64url");
    }
    if (!EcdsaVerifier.verify(key, protectedB64 + "." + payloadB64, signature)) {
      throw AcmeProblem.malformed(what + ": the signature does not verify with the given key");
    }
  }

  /** The decoded payload; empty string for POST-as-GET. */
  public String payloadText() {
    try {
      return new String(Base64.getUrlDecoder().decode(payloadB64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw AcmeProblem.malformed("the payload is not base64url");
    }
  }

  /** The payload as a JSON object; null for an empty payload (POST-as-GET). */
  public JsonObject payloadJson() {
    String text = payloadText();
    if (text.isEmpty()) {
      return null;
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw AcmeProblem.malformed("the payload is not a JSON object");
    }
  }

  private static String stringField(JsonObject json, String name, String what) {
    Object value = json.getValue(name);
    if (!(value instanceof String s)) {
      throw AcmeProblem.malformed(what + " has no \"" + name + "\" string");
    }
    return s;
  }
}
