package fi.soteacme.client.challenge;

import fi.soteacme.client.Login;
import fi.soteacme.client.connector.Json;
import fi.soteacme.client.exception.AcmeException;
import fi.soteacme.client.exception.AcmeProtocolException;

/**
 * http-01 (RFC 8555 §8.3): serve the key authorization at {@code
 * http://<domain>/.well-known/acme-challenge/<token>} on port 80.
 */
public final class Http01Challenge extends TokenChallenge {
  /** The type name. */
  public static final String TYPE = "http-01";

  /** The path prefix under which tokens are served. */
  public static final String PATH_PREFIX = "/.well-known/acme-challenge/";

  /**
   * Creates the challenge from its JSON object.
   *
   * @param login the account
   * @param json the challenge object
   * @throws AcmeProtocolException if it has no URL
   */
  public Http01Challenge(Login login, Json json) throws AcmeProtocolException {
    super(login, json);
  }

  /**
   * Returns the path to serve.
   *
   * @return {@code /.well-known/acme-challenge/<token>}
   * @throws AcmeProtocolException if the token is missing or unsafe
   */
  public String path() throws AcmeProtocolException {
    return PATH_PREFIX + token();
  }

  /**
   * Returns the body to serve ({@code text/plain}).
   *
   * @return the key authorization
   * @throws AcmeException if the token is missing or unsafe
   */
  public String content() throws AcmeException {
    return keyAuthorization();
  }
}
