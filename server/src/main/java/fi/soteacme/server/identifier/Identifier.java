package fi.soteacme.server.identifier;

import io.vertx.core.json.JsonObject;

/** An RFC 8555 §9.7.7 identifier: {@code {"type": "dns", "value": "example.fi"}}. */
public record Identifier(String type, String value) {
  public static final String DNS = "dns";

  /** kanta-extension.md: the organisation a certificate is for, by its register OID. */
  public static final String SOTE_ORG = "sote-org";

  public JsonObject toJson() {
    return new JsonObject().put("type", type).put("value", value);
  }

  public boolean isWildcard() {
    return DNS.equals(type) && value.startsWith("*.");
  }

  /** The name an authorization is for: a wildcard's base domain (RFC 8555 §7.1.3). */
  public Identifier base() {
    return isWildcard() ? new Identifier(type, value.substring(2)) : this;
  }
}
