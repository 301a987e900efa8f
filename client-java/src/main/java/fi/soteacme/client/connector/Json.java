package fi.soteacme.client.connector;

import fi.soteacme.client.exception.AcmeProtocolException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * An immutable JSON object as ACME sends it. Accessors return {@link Optional} for optional fields
 * and never do I/O; a field of the wrong type counts as absent.
 */
public final class Json {
  private static final Json EMPTY = new Json(Map.of());

  private final Map<String, Object> map;

  private Json(Map<String, Object> map) {
    this.map = Collections.unmodifiableMap(map);
  }

  /**
   * Returns the empty object {@code {}}.
   *
   * @return the empty object
   */
  public static Json empty() {
    return EMPTY;
  }

  /**
   * Parses a JSON object.
   *
   * @param text the JSON text
   * @return the parsed object
   * @throws AcmeProtocolException if the text is not a JSON object
   */
  public static Json parse(String text) throws AcmeProtocolException {
    try {
      Map<String, Object> parsed = JsonUtil.parseJson(text);
      if (parsed == null) {
        throw new AcmeProtocolException("Expected a JSON object, got: " + abbreviate(text));
      }
      return new Json(parsed);
    } catch (JoseException | RuntimeException e) {
      throw new AcmeProtocolException("Malformed JSON: " + abbreviate(text), e);
    }
  }

  /**
   * Wraps a map of JSON values (strings, numbers, booleans, lists, maps, {@link Json}).
   *
   * @param values the members of the object
   * @return the object
   */
  public static Json of(Map<String, ?> values) {
    Map<String, Object> copy = new LinkedHashMap<>();
    values.forEach((k, v) -> copy.put(k, unwrap(v)));
    return new Json(copy);
  }

  /**
   * Starts an object of members given one by one, in order.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  private static Object unwrap(Object value) {
    if (value instanceof Json json) {
      return json.map;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(unwrap(v)));
      return out;
    }
    if (value instanceof URI || value instanceof Instant) {
      return value.toString();
    }
    return value;
  }

  private static String abbreviate(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  /**
   * Tells whether a member is present and not {@code null}.
   *
   * @param key the member name
   * @return {@code true} if present
   */
  public boolean has(String key) {
    return map.get(key) != null;
  }

  /**
   * Returns a string member.
   *
   * @param key the member name
   * @return its value, if it is a string
   */
  public Optional<String> string(String key) {
    return map.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
  }

  /**
   * Returns a string member that the protocol requires.
   *
   * @param key the member name
   * @return its value
   * @throws AcmeProtocolException if it is absent or not a string
   */
  public String requireString(String key) throws AcmeProtocolException {
    return string(key)
        .orElseThrow(() -> new AcmeProtocolException("Missing string \"" + key + "\" in " + this));
  }

  /**
   * Returns a URL member.
   *
   * @param key the member name
   * @return its value, if it is a string holding a URI
   */
  public Optional<URI> uri(String key) {
    return string(key).flatMap(Json::toUri);
  }

  /**
   * Returns a URL member that the protocol requires.
   *
   * @param key the member name
   * @return its value
   * @throws AcmeProtocolException if it is absent or not a URI
   */
  public URI requireUri(String key) throws AcmeProtocolException {
    return uri(key)
        .orElseThrow(() -> new AcmeProtocolException("Missing URL \"" + key + "\" in " + this));
  }

  /**
   * Returns an RFC 3339 timestamp member.
   *
   * @param key the member name
   * @return its value, if it is a parseable timestamp
   */
  public Optional<Instant> instant(String key) {
    return string(key)
        .flatMap(
            s -> {
              try {
                return Optional.of(Instant.parse(s));
              } catch (DateTimeParseException e) {
                try {
                  return Optional.of(java.time.OffsetDateTime.parse(s).toInstant());
                } catch (DateTimeParseException e2) {
                  return Optional.empty();
                }
              }
            });
  }

  /**
   * Returns a boolean member.
   *
   * @param key the member name
   * @return its value, if it is a boolean
   */
  public Optional<Boolean> bool(String key) {
    return map.get(key) instanceof Boolean b ? Optional.of(b) : Optional.empty();
  }

  /**
   * Returns an integer member.
   *
   * @param key the member name
   * @return its value, if it is a number
   */
  public Optional<Long> number(String key) {
    return map.get(key) instanceof Number n ? Optional.of(n.longValue()) : Optional.empty();
  }

  /**
   * Returns an object member.
   *
   * @param key the member name
   * @return its value, if it is an object
   */
  @SuppressWarnings("unchecked")
  public Optional<Json> object(String key) {
    return map.get(key) instanceof Map<?, ?> m
        ? Optional.of(new Json((Map<String, Object>) m))
        : Optional.empty();
  }

  /**
   * Returns the objects of an array member; other elements are skipped.
   *
   * @param key the member name
   * @return its object elements, empty if absent
   */
  @SuppressWarnings("unchecked")
  public List<Json> objects(String key) {
    List<Json> out = new ArrayList<>();
    if (map.get(key) instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Map<?, ?> m) {
          out.add(new Json((Map<String, Object>) m));
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * Returns the strings of an array member; other elements are skipped.
   *
   * @param key the member name
   * @return its string elements, empty if absent
   */
  public List<String> strings(String key) {
    List<String> out = new ArrayList<>();
    if (map.get(key) instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof String s) {
          out.add(s);
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * Returns the URIs of an array member; other elements are skipped.
   *
   * @param key the member name
   * @return its URI elements, empty if absent
   */
  public List<URI> uris(String key) {
    List<URI> out = new ArrayList<>();
    for (String s : strings(key)) {
      toUri(s).ifPresent(out::add);
    }
    return List.copyOf(out);
  }

  /**
   * Returns the member names.
   *
   * @return the keys, in document order where the parser kept it
   */
  public java.util.Set<String> keys() {
    return map.keySet();
  }

  /**
   * Returns the members as plain Java values (maps, lists, strings, numbers, booleans).
   *
   * @return an unmodifiable view
   */
  public Map<String, Object> toMap() {
    return map;
  }

  private static Optional<URI> toUri(String s) {
    try {
      return Optional.of(new URI(s));
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /**
   * Returns the compact JSON text.
   *
   * @return the JSON serialisation
   */
  @Override
  public String toString() {
    return JsonUtil.toJson(map);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Json other && map.equals(other.map);
  }

  @Override
  public int hashCode() {
    return map.hashCode();
  }

  /** Builds a {@link Json} object member by member. */
  public static final class Builder {
    private final Map<String, Object> values = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds a member; a {@code null} value leaves the member out.
     *
     * @param key the member name
     * @param value a string, number, boolean, list, map, {@link URI}, {@link Instant} or {@link
     *     Json}
     * @return this builder
     */
    public Builder put(String key, Object value) {
      if (value != null) {
        values.put(key, value);
      }
      return this;
    }

    /**
     * Returns the object.
     *
     * @return the built object
     */
    public Json build() {
      return Json.of(values);
    }
  }
}
