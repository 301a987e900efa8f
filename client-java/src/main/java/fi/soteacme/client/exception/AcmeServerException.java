package fi.soteacme.client.exception;

import fi.soteacme.client.Problem;
import java.util.Objects;

/**
 * The server refused a request with a problem document (RFC 7807, RFC 8555 §6.7). Subclasses exist
 * only where the caller gets data to act on; everything else is this class with its {@link
 * Problem}.
 */
public class AcmeServerException extends AcmeException {
  private static final long serialVersionUID = 1L;

  private final transient Problem problem;

  /**
   * Creates an exception for a problem document.
   *
   * @param problem the problem the server sent
   */
  public AcmeServerException(Problem problem) {
    super(Objects.requireNonNull(problem, "problem").toString());
    this.problem = problem;
  }

  /**
   * Returns the problem document.
   *
   * @return the problem the server sent
   */
  public Problem problem() {
    return problem;
  }
}
