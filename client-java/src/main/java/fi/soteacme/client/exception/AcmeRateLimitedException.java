package fi.soteacme.client.exception;

import fi.soteacme.client.Problem;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The server refused a request with {@code rateLimited}; it may say when to try again. */
public class AcmeRateLimitedException extends AcmeServerException {
  private static final long serialVersionUID = 1L;

  /** When the server allows the next attempt, or {@code null}. */
  private final Instant retryAfter;

  private final transient List<URI> documents;

  /**
   * Creates the exception.
   *
   * @param problem the problem document
   * @param retryAfter when the server allows the next attempt, or {@code null} if it did not say
   * @param documents links with {@code rel="help"} that explain the limit
   */
  public AcmeRateLimitedException(Problem problem, Instant retryAfter, List<URI> documents) {
    super(problem);
    this.retryAfter = retryAfter;
    this.documents = List.copyOf(documents);
  }

  /**
   * Returns the earliest time to try again.
   *
   * @return the instant from the {@code Retry-After} header, if the server sent one
   */
  public Optional<Instant> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /**
   * Returns documents that explain the rate limit.
   *
   * @return the {@code rel="help"} links of the response
   */
  public List<URI> documents() {
    return documents;
  }
}
