package fi.soteacme.client.exception;

import fi.soteacme.client.Problem;
import java.net.URI;
import java.util.Optional;

/**
 * The server refused a request with {@code userActionRequired}: a person must visit a page (the
 * problem's {@code instance}), typically to accept new terms of service.
 */
public class AcmeUserActionRequiredException extends AcmeServerException {
  private static final long serialVersionUID = 1L;

  /** The new terms of service, or {@code null}. */
  private final URI termsOfService;

  /**
   * Creates the exception.
   *
   * @param problem the problem document
   * @param termsOfService the {@code rel="terms-of-service"} link, or {@code null}
   */
  public AcmeUserActionRequiredException(Problem problem, URI termsOfService) {
    super(problem);
    this.termsOfService = termsOfService;
  }

  /**
   * Returns the page a person has to visit.
   *
   * @return the problem's {@code instance}, if present
   */
  public Optional<URI> instance() {
    return problem().instance();
  }

  /**
   * Returns the new terms of service.
   *
   * @return the {@code rel="terms-of-service"} link of the response, if present
   */
  public Optional<URI> termsOfService() {
    return Optional.ofNullable(termsOfService);
  }
}
