package fi.soteacme.client;

import fi.soteacme.client.connector.Json;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * A problem document (RFC 7807) as ACME uses it (RFC 8555 §6.7), with its subproblems.
 *
 * @param type the problem type, e.g. {@code urn:ietf:params:acme:error:badNonce}
 * @param title a short summary, or {@code null}
 * @param detail the explanation for a person, or {@code null}
 * @param status the HTTP status, or 0 if absent
 * @param instanceUri the page a person has to visit, or {@code null}
 * @param identifier the identifier a subproblem is about, or {@code null}
 * @param subproblems problems about single identifiers (RFC 8555 §6.7.1)
 * @param json the whole document
 */
public record Problem(
    URI type,
    String title,
    String detail,
    int status,
    URI instanceUri,
    Identifier identifier,
    List<Problem> subproblems,
    Json json) {

  /** Prefix of the problem types that RFC 8555 defines. */
  public static final String ACME_ERROR_PREFIX = "urn:ietf:params:acme:error:";

  private static final String TYPE = "type";
  private static final String TITLE = "title";
  private static final String DETAIL = "detail";
  private static final String STATUS = "status";
  private static final String INSTANCE = "instance";
  private static final String IDENTIFIER = "identifier";
  private static final String SUBPROBLEMS = "subproblems";

  /**
   * Reads a problem document; a document without a type is {@code about:blank} (RFC 7807 §4.2).
   *
   * @param json the document
   * @return the problem
   */
  public static Problem of(Json json) {
    List<Problem> subproblems = json.objects(SUBPROBLEMS).stream().map(Problem::of).toList();
    return new Problem(
        json.uri(TYPE).orElse(URI.create("about:blank")),
        json.string(TITLE).orElse(null),
        json.string(DETAIL).orElse(null),
        json.number(STATUS).map(Long::intValue).orElse(0),
        json.uri(INSTANCE).orElse(null),
        json.object(IDENTIFIER).flatMap(Identifier::of).orElse(null),
        subproblems,
        json);
  }

  /**
   * Returns the ACME error name, e.g. {@code badNonce} for {@code
   * urn:ietf:params:acme:error:badNonce}.
   *
   * @return the name, if the type is an ACME error
   */
  public Optional<String> acmeError() {
    String t = type.toString();
    return t.startsWith(ACME_ERROR_PREFIX)
        ? Optional.of(t.substring(ACME_ERROR_PREFIX.length()))
        : Optional.empty();
  }

  /**
   * Tells whether this is the given ACME error.
   *
   * @param name the name after {@code urn:ietf:params:acme:error:}, e.g. {@code rateLimited}
   * @return {@code true} if it is
   */
  public boolean is(String name) {
    return acmeError().map(name::equals).orElse(false);
  }

  /**
   * Returns the page a person has to visit.
   *
   * @return the {@code instance} member, if present
   */
  public Optional<URI> instance() {
    return Optional.ofNullable(instanceUri);
  }

  /**
   * Returns the explanation.
   *
   * @return the {@code detail} member, if present
   */
  public Optional<String> detailText() {
    return Optional.ofNullable(detail);
  }

  /**
   * Renders the problem and its subproblems on one line.
   *
   * @return type, detail and subproblems
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(acmeError().orElse(type.toString()));
    if (detail != null) {
      sb.append(": ").append(detail);
    } else if (title != null) {
      sb.append(": ").append(title);
    }
    if (identifier != null) {
      sb.append(" [").append(identifier).append(']');
    }
    for (Problem sub : subproblems) {
      sb.append("; ").append(sub);
    }
    return sb.toString();
  }
}
