package fi.soteacme.client.challenge;

import fi.soteacme.client.Login;
import fi.soteacme.client.connector.Json;
import fi.soteacme.client.exception.AcmeProtocolException;

/**
 * sote-register-01 (sote-acme): the server checks the organisation against its register copy and
 * the account's links. The client only triggers it, with {@code {}}.
 */
public final class SoteRegister01Challenge extends Challenge {
  /** The type name. */
  public static final String TYPE = "sote-register-01";

  /**
   * Creates the challenge from its JSON object.
   *
   * @param login the account
   * @param json the challenge object
   * @throws AcmeProtocolException if it has no URL
   */
  public SoteRegister01Challenge(Login login, Json json) throws AcmeProtocolException {
    super(login, json);
  }
}
