package fi.soteacme.client.exception;

/** A wait for a resource to reach a status ran out of time; the resource may still get there. */
public class AcmeTimeoutException extends AcmeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what was waited for
   */
  public AcmeTimeoutException(String message) {
    super(message);
  }
}
