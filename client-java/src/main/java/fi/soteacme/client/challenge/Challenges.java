package fi.soteacme.client.challenge;

import fi.soteacme.client.Login;
import fi.soteacme.client.connector.Json;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns challenge objects into the class of their type. */
public final class Challenges {
  private static final Logger LOG = LoggerFactory.getLogger(Challenges.class);

  private Challenges() {}

  /**
   * Creates the challenge of a JSON object.
   *
   * @param login the account
   * @param json the challenge object
   * @return the typed challenge; empty if the object has no URL
   */
  public static Optional<Challenge> of(Login login, Json json) {
    try {
      String type = json.string("type").orElse("");
      return Optional.of(
          switch (type) {
            case Http01Challenge.TYPE -> new Http01Challenge(login, json);
            case Dns01Challenge.TYPE -> new Dns01Challenge(login, json);
            case TlsAlpn01Challenge.TYPE -> new TlsAlpn01Challenge(login, json);
            case SoteRegister01Challenge.TYPE -> new SoteRegister01Challenge(login, json);
            case SoteConformity01Challenge.TYPE -> new SoteConformity01Challenge(login, json);
            default -> new Challenge(login, json);
          });
    } catch (fi.soteacme.client.exception.AcmeProtocolException e) {
      LOG.warn("Skipping a challenge without URL: {}", json);
      return Optional.empty();
    }
  }
}
