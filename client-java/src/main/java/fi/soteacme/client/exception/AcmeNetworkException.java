package fi.soteacme.client.exception;

import java.io.IOException;

/** The server could not be reached, or the connection broke; retrying later may help. */
public class AcmeNetworkException extends AcmeException {
  private static final long serialVersionUID = 1L;

  /**
   * Wraps an I/O failure.
   *
   * @param message what the client was doing
   * @param cause the I/O failure
   */
  public AcmeNetworkException(String message, IOException cause) {
    super(message + ": " + cause, cause);
  }
}
