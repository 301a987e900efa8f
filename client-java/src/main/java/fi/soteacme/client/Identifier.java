package fi.soteacme.client;

import fi.soteacme.client.connector.Json;
import java.util.Objects;
import java.util.Optional;

/**
 * An identifier of an order or authorization (RFC 8555 §9.7.7).
 *
 * @param type {@code dns}, {@code sote-org} or another type
 * @param value the name, or the organisation's OID
 */
public record Identifier(String type, String value) {
  /** Type of a DNS name. */
  public static final String TYPE_DNS = "dns";

  /** Type of an organisation of the THL-SOTE or Kanta intermediary register (sote-acme). */
  public static final String TYPE_SOTE_ORG = "sote-org";

  private static final String TYPE = "type";
  private static final String VALUE = "value";

  /**
   * Creates an identifier.
   *
   * @param type the identifier type
   * @param value the identifier value
   */
  public Identifier {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
  }

  /**
   * Creates a DNS identifier.
   *
   * @param name the DNS name (converted to ASCII and lower case)
   * @return the identifier
   */
  public static Identifier dns(String name) {
    return new Identifier(
        TYPE_DNS, java.net.IDN.toASCII(name.trim()).toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * Creates an organisation identifier.
   *
   * @param oid the organisation's OID, e.g. {@code 1.2.246.10.2048198.10.0}
   * @return the identifier
   */
  public static Identifier soteOrg(String oid) {
    return new Identifier(TYPE_SOTE_ORG, oid.trim());
  }

  /**
   * Reads an identifier object.
   *
   * @param json the object with {@code type} and {@code value}
   * @return the identifier, if both members are present
   */
  public static Optional<Identifier> of(Json json) {
    Optional<String> type = json.string(TYPE);
    Optional<String> value = json.string(VALUE);
    return type.isPresent() && value.isPresent()
        ? Optional.of(new Identifier(type.get(), value.get()))
        : Optional.empty();
  }

  /**
   * Returns the identifier as a JSON object.
   *
   * @return {@code {"type": ..., "value": ...}}
   */
  public Json toJson() {
    return Json.builder().put(TYPE, type).put(VALUE, value).build();
  }

  /**
   * Renders {@code type:value}.
   *
   * @return the identifier as text
   */
  @Override
  public String toString() {
    return type + ":" + value;
  }
}
