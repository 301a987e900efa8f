package fi.soteacme.server.eab;

import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import fi.soteacme.server.web.jws.FlattenedJws;
import fi.soteacme.server.web.jws.Jwk;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * Checks an {@code externalAccountBinding} (RFC 8555 §7.3.4) and consumes its credential: the inner
 * JWS is MACed (HS256/384/512) with the credential's key, names the credential in {@code kid},
 * carries the request URL and no nonce, and its payload is the account key.
 */
public final class ExternalAccountBinding {
  private final EabRepository repository;

  public ExternalAccountBinding(EabRepository repository) {
    this.repository = repository;
  }

  /** The parsed binding, checked for form before any database work. */
  public record Binding(FlattenedJws jws, String kid) {}

  /** Checks the form of the binding in a payload; fails with externalAccountRequired if absent. */
  public static Binding parse(JsonObject payload, String url, PublicJsonWebKey accountKey) {
    Object raw = payload.getValue("externalAccountBinding");
    if (raw == null) {
      throw new AcmeProblem(
          ProblemType.EXTERNAL_ACCOUNT_REQUIRED,
          "this CA requires an externalAccountBinding: ask the organisation's customer account for"
              + " an invitation (an EAB kid and HMAC key)");
    }
    if (!(raw instanceof JsonObject json)) {
      throw AcmeProblem.malformed("externalAccountBinding must be a JWS object");
    }
    FlattenedJws jws = FlattenedJws.parse(json, "the externalAccountBinding JWS");
    jws.algorithm(FlattenedJws.MAC_ALGORITHMS);
    if (jws.header().containsKey("nonce")) {
      throw AcmeProblem.malformed("the externalAccountBinding JWS must not carry a nonce");
    }
    if (!url.equals(jws.header().getValue("url"))) {
      throw AcmeProblem.unauthorized(
          "the externalAccountBinding \"url\" must be " + url + ", the URL of this request");
    }
    if (!(jws.header().getValue("kid") instanceof String kid)) {
      throw AcmeProblem.malformed("the externalAccountBinding JWS has no \"kid\"");
    }
    PublicJsonWebKey bound = Jwk.parse(jws.payloadText());
    if (!Jwk.thumbprint(bound).equals(Jwk.thumbprint(accountKey))) {
      throw AcmeProblem.unauthorized(
          "the externalAccountBinding payload must be the account's public key (the outer jwk)");
    }
    return new Binding(jws, kid);
  }

  /**
   * Inside the caller's transaction: verifies the MAC against the stored credential and marks it
   * used by the account. A credential works once, before it expires.
   */
  public Future<EabRepository.Credential> consume(SqlClient tx, Binding binding, long accountId) {
    return repository
        .lock(tx, binding.kid())
        .compose(
            found -> {
              EabRepository.Credential cred =
                  found.orElseThrow(
                      () ->
                          AcmeProblem.unauthorized(
                              "the EAB kid " + binding.kid() + " is not known to this CA"));
              if (cred.used()) {
                throw AcmeProblem.unauthorized(
                    "the EAB credential "
                        + cred.kid()
                        + " has already been used; ask for a new invitation");
              }
              if (cred.expired()) {
                throw AcmeProblem.unauthorized(
                    "the EAB credential " + cred.kid() + " has expired; ask for a new invitation");
              }
              String alg = binding.jws().algorithm(FlattenedJws.MAC_ALGORITHMS);
              binding
                  .jws()
                  .verify(
                      new SecretKeySpec(cred.hmacKey(), "Hmac" + alg.replace("HS", "SHA")),
                      FlattenedJws.MAC_ALGORITHMS,
                      "the externalAccountBinding JWS");
              return repository.consume(tx, cred.kid(), accountId).map(cred);
            });
  }

  /** base64url without padding, as HMAC keys are handed out. */
  public static String encodeKey(byte[] key) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
  }
}
