package fi.soteacme.client.connector;

import fi.soteacme.client.exception.AcmeProtocolException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A successful HTTP response from the ACME server, with the headers ACME gives meaning to.
 *
 * @param requestUri the URL that was requested (relative links resolve against it)
 * @param status the HTTP status code
 * @param headers the response headers
 * @param body the body bytes
 * @param receivedAt when the response arrived (the base of a relative {@code Retry-After})
 */
public record Response(
    URI requestUri, int status, HttpHeaders headers, byte[] body, Instant receivedAt) {

  private static final Pattern LINK =
      Pattern.compile("<([^>]*)>\\s*((?:;\\s*[^;,]+)*)", Pattern.CASE_INSENSITIVE);
  private static final Pattern REL =
      Pattern.compile(";\\s*rel\\s*=\\s*\"?([^\";,]+)\"?", Pattern.CASE_INSENSITIVE);

  /**
   * Returns the body as a JSON object.
   *
   * @return the parsed body
   * @throws AcmeProtocolException if it is not JSON
   */
  public Json json() throws AcmeProtocolException {
    return Json.parse(text());
  }

  /**
   * Returns the body as UTF-8 text.
   *
   * @return the body
   */
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * Returns the media type without parameters.
   *
   * @return the {@code Content-Type}, lower case, if present
   */
  public Optional<String> contentType() {
    return headers
        .firstValue("Content-Type")
        .map(v -> v.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * Returns the {@code Location} header, resolved against the request URL.
   *
   * @return the location, if present
   */
  public Optional<URI> location() {
    return headers.firstValue("Location").map(requestUri::resolve);
  }

  /**
   * Returns the {@code Location} header that the protocol requires here.
   *
   * @return the location
   * @throws AcmeProtocolException if absent
   */
  public URI requireLocation() throws AcmeProtocolException {
    return location()
        .orElseThrow(() -> new AcmeProtocolException("No Location header from " + requestUri));
  }

  /**
   * Returns the {@code Replay-Nonce} header.
   *
   * @return the nonce, if present
   */
  public Optional<String> nonce() {
    return headers.firstValue("Replay-Nonce");
  }

  /**
   * Returns all {@code Link} targets with a relation.
   *
   * @param rel the relation, e.g. {@code up} or {@code alternate}
   * @return the targets, resolved against the request URL
   */
  public List<URI> links(String rel) {
    return links(headers, requestUri, rel);
  }

  /**
   * Returns the {@code Retry-After} header as an instant (delta seconds or an HTTP date).
   *
   * @return the instant, if the header is present and valid
   */
  public Optional<Instant> retryAfter() {
    return retryAfter(headers, receivedAt);
  }

  static List<URI> links(HttpHeaders headers, URI base, String rel) {
    List<URI> out = new ArrayList<>();
    for (String header : headers.allValues("Link")) {
      Matcher m = LINK.matcher(header);
      while (m.find()) {
        Matcher r = REL.matcher(m.group(2));
        while (r.find()) {
          for (String one : r.group(1).trim().split("\\s+")) {
            if (one.equalsIgnoreCase(rel)) {
              out.add(base.resolve(m.group(1).trim()));
            }
          }
        }
      }
    }
    return out;
  }

  static Optional<Instant> retryAfter(HttpHeaders headers, Instant now) {
    Optional<String> value = headers.firstValue("Retry-After").map(String::trim);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String v = value.get();
    if (v.matches("\\d{1,10}")) {
      return Optional.of(now.plus(Duration.ofSeconds(Long.parseLong(v))));
    }
    try {
      return Optional.of(ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
