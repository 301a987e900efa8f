package fi.soteacme.server.challenge;

import fi.soteacme.server.status.ChallengeStatus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** An RFC 8555 §7.1.5 challenge as stored. {@code error} is a problem document or null. */
public record Challenge(
    long id,
    long authzId,
    String type,
    String token,
    ChallengeStatus status,
    Instant validated,
    JsonObject error) {
  public static final String HTTP_01 = "http-01";
  public static final String DNS_01 = "dns-01";
  public static final String TLS_ALPN_01 = "tls-alpn-01";

  /** kanta-extension.md: the organisation checked against the register and the account's links. */
  public static final String SOTE_REGISTER_01 = "sote-register-01";

  /**
   * kanta-extension.md: a private organisation's certificate of conformity, reviewed by an
   * operator.
   */
  public static final String SOTE_CONFORMITY_01 = "sote-conformity-01";
}
