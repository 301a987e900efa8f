package fi.soteacme.client.exception;

import fi.soteacme.client.Problem;

/**
 * The server refused a request with {@code unauthorized}: the account may not do this (for
 * sote-acme: it is not linked to the organisation, or a technical partner ordered a system
 * signature certificate).
 */
public class AcmeUnauthorizedException extends AcmeServerException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param problem the problem document
   */
  public AcmeUnauthorizedException(Problem problem) {
    super(problem);
  }
}
