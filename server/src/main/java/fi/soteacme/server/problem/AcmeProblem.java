package fi.soteacme.server.problem;

import java.util.List;

/**
 * The one failure type of the server's rules: a problem document (RFC 7807 / RFC 8555 §6.7) waiting
 * to be rendered. Only the web layer turns it into a response. Subproblems name the identifier they
 * concern (RFC 8555 §6.7.1).
 */
public final class AcmeProblem extends RuntimeException {
  private final ProblemType type;
  private final String detail;
  private final List<Subproblem> subproblems;
  private String location;

  /** One identifier's own problem inside a compound or multi-identifier problem. */
  public record Subproblem(
      ProblemType type, String detail, String identifierType, String identifierValue) {}

  public AcmeProblem(ProblemType type, String detail) {
    this(type, detail, List.of(), null);
  }

  public AcmeProblem(ProblemType type, String detail, List<Subproblem> subproblems) {
    this(type, detail, subproblems, null);
  }

  public AcmeProblem(ProblemType type, String detail, Throwable cause) {
    this(type, detail, List.of(), cause);
  }

  private AcmeProblem(
      ProblemType type, String detail, List<Subproblem> subproblems, Throwable cause) {
    super(type.urn() + ": " + detail, cause, false, false);
    this.type = type;
    this.detail = detail;
    this.subproblems = List.copyOf(subproblems);
  }

  public static AcmeProblem malformed(String detail) {
    return new AcmeProblem(ProblemType.MALFORMED, detail);
  }

  public static AcmeProblem unauthorized(String detail) {
    return new AcmeProblem(ProblemType.UNAUTHORIZED, detail);
  }

  public static AcmeProblem notFound(String detail) {
    return new AcmeProblem(ProblemType.NOT_FOUND, detail);
  }

  /** A Location header to send with the problem (RFC 8555 §7.3.5's 409 Conflict). */
  public AcmeProblem withLocation(String url) {
    this.location = url;
    return this;
  }

  public String location() {
    return location;
  }

  public ProblemType type() {
    return type;
  }

  public String detail() {
    return detail;
  }

  public List<Subproblem> subproblems() {
    return subproblems;
  }
}
