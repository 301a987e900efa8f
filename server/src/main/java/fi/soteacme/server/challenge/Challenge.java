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
}
