package fi.soteacme.client.cli;

import fi.soteacme.client.exception.AcmeNetworkException;
import fi.soteacme.client.exception.AcmeRateLimitedException;
import fi.soteacme.client.exception.AcmeServerException;
import fi.soteacme.client.exception.AcmeTimeoutException;
import fi.soteacme.client.exception.AcmeUnauthorizedException;
import fi.soteacme.client.exception.AcmeUserActionRequiredException;

/** The exit codes of {@code sote-acme}; client-java/README.md documents them. */
public final class ExitCodes {
  /** Success (for {@code renew}: every certificate renewed or not yet due). */
  public static final int OK = 0;

  /** An unexpected failure: local I/O, a bug, a malformed server response. */
  public static final int ERROR = 1;

  /** Wrong command line usage. */
  public static final int USAGE = 2;

  /** The CA refused the request with a problem document (e.g. badCSR, rejectedIdentifier). */
  public static final int REFUSED = 3;

  /** The CA could not be reached (network, TLS trust). */
  public static final int NETWORK = 4;

  /** The CA's rate limit; try again after the time printed. */
  public static final int RATE_LIMITED = 5;

  /** A person must act: unauthorized (not linked to the organisation), new terms to accept. */
  public static final int ACTION_REQUIRED = 6;

  /** Still waiting when the time was up (e.g. a conformity review); run again later. */
  public static final int PENDING = 7;

  private ExitCodes() {}

  /**
   * Maps a failure to its exit code.
   *
   * @param e the failure
   * @return the exit code
   */
  public static int of(Throwable e) {
    if (e instanceof AcmeRateLimitedException) {
      return RATE_LIMITED;
    }
    if (e instanceof AcmeUnauthorizedException || e instanceof AcmeUserActionRequiredException) {
      return ACTION_REQUIRED;
    }
    if (e instanceof AcmeServerException) {
      return REFUSED;
    }
    if (e instanceof AcmeNetworkException) {
      return NETWORK;
    }
    if (e instanceof AcmeTimeoutException) {
      return PENDING;
    }
    if (e instanceof IllegalArgumentException || e instanceof UsageException) {
      return USAGE;
    }
    return ERROR;
  }

  /** A command line that names something impossible, found after parsing. */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong with the command line
     */
    public UsageException(String message) {
      super(message);
    }
  }
}
