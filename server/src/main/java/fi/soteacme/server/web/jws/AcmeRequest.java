package fi.soteacme.server.web.jws;

import fi.soteacme.server.account.Account;
import io.vertx.core.json.JsonObject;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * A verified ACME request (RFC 8555 §6.2-6.3): its signature checked, nonce consumed and URL
 * matched. Exactly one of {@code jwk} and {@code account} is set, as the endpoint's rule demands.
 *
 * @param payload the JSON payload, or null for POST-as-GET
 */
public record AcmeRequest(
    String url, FlattenedJws jws, JsonObject payload, PublicJsonWebKey jwk, Account account) {

  public boolean isPostAsGet() {
    return payload == null;
  }

  /** The payload, or an empty object when the request was POST-as-GET. */
  public JsonObject payloadOrEmpty() {
    return payload == null ? new JsonObject() : payload;
  }
}
