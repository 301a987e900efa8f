package fi.soteacme.client.connector;

import fi.soteacme.client.Problem;
import fi.soteacme.client.exception.AcmeRateLimitedException;
import fi.soteacme.client.exception.AcmeServerException;
import fi.soteacme.client.exception.AcmeUnauthorizedException;
import fi.soteacme.client.exception.AcmeUserActionRequiredException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Instant;

/** The one place where problem documents become exceptions. */
public final class ProblemMapping {
  private ProblemMapping() {}

  /**
   * Maps a problem document, with the headers of the response that carried it, to an exception.
   *
   * @param problem the problem document
   * @param headers the response headers ({@code Retry-After}, {@code Link})
   * @param requestUri the requested URL, against which links resolve
   * @param receivedAt when the response arrived
   * @return the exception to throw
   */
  public static AcmeServerException toException(
      Problem problem, HttpHeaders headers, URI requestUri, Instant receivedAt) {
    String error = problem.acmeError().orElse("");
    return switch (error) {
      case "rateLimited" ->
          new AcmeRateLimitedException(
              problem,
              Response.retryAfter(headers, receivedAt).orElse(null),
              Response.links(headers, requestUri, "help"));
      case "userActionRequired" ->
          new AcmeUserActionRequiredException(
              problem,
              Response.links(headers, requestUri, "terms-of-service").stream()
                  .findFirst()
                  .orElse(null));
      case "unauthorized" -> new AcmeUnauthorizedException(problem);
      default -> new AcmeServerException(problem);
    };
  }
}
