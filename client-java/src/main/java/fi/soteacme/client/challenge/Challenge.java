package fi.soteacme.client.challenge;

import fi.soteacme.client.AcmeResource;
import fi.soteacme.client.Login;
import fi.soteacme.client.Problem;
import fi.soteacme.client.connector.Json;
import fi.soteacme.client.exception.AcmeException;
import fi.soteacme.client.exception.AcmeProtocolException;
import java.time.Instant;
import java.util.Optional;

/**
 * A challenge (RFC 8555 §7.1.5, §8). Subclasses add what a type needs to be solved; this class
 * serves types the client does not know.
 */
public class Challenge extends AcmeResource {
  private static final String TYPE = "type";
  private static final String URL = "url";
  private static final String VALIDATED = "validated";
  private static final String ERROR = "error";

  /**
   * Creates a challenge from its JSON object.
   *
   * @param login the account
   * @param json the challenge object (with {@code url})
   * @throws AcmeProtocolException if it has no URL
   */
  public Challenge(Login login, Json json) throws AcmeProtocolException {
    super(login, json.requireUri(URL), json);
  }

  /**
   * Returns the challenge type.
   *
   * @return e.g. {@code http-01}
   */
  public String type() {
    return json().string(TYPE).orElse("");
  }

  /**
   * Returns when the challenge was validated.
   *
   * @return the instant, if valid
   */
  public Optional<Instant> validated() {
    return json().instant(VALIDATED);
  }

  /**
   * Returns why validation failed.
   *
   * @return the problem, if any
   */
  public Optional<Problem> error() {
    return json().object(ERROR).map(Problem::of);
  }

  /**
   * Returns the payload that tells the server to validate; {@code {}} unless the type needs more.
   *
   * @return the payload
   */
  protected Json responsePayload() {
    return Json.empty();
  }

  /**
   * Tells the server the challenge is ready to be validated (RFC 8555 §7.5.1); then wait for the
   * challenge or its authorization.
   *
   * @throws AcmeException on failure
   */
  public void trigger() throws AcmeException {
    update(login().post(location(), responsePayload()));
  }
}
