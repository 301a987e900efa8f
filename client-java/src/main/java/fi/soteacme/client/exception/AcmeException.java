package fi.soteacme.client.exception;

/** Root of every failure the library reports: network, protocol or a problem sent by the server. */
public class AcmeException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what went wrong
   */
  public AcmeException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and its cause.
   *
   * @param message what went wrong
   * @param cause the underlying failure
   */
  public AcmeException(String message, Throwable cause) {
    super(message, cause);
  }
}
