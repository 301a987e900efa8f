package fi.soteacme.client.exception;

/** The server answered something RFC 8555 does not allow (a malformed body, a missing header). */
public class AcmeProtocolException extends AcmeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what was wrong with the response
   */
  public AcmeProtocolException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and its cause.
   *
   * @param message what was wrong with the response
   * @param cause the parse failure
   */
  public AcmeProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
