package fi.soteacme.client;

import fi.soteacme.client.challenge.Challenge;
import fi.soteacme.client.challenge.Challenges;
import fi.soteacme.client.connector.Json;
import fi.soteacme.client.exception.AcmeException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An authorization (RFC 8555 §7.1.4): an identifier and the challenges that prove it. */
public final class Authorization extends AcmeResource {
  private static final String IDENTIFIER = "identifier";
  private static final String EXPIRES = "expires";
  private static final String WILDCARD = "wildcard";
  private static final String CHALLENGES = "challenges";
  private static final String STATUS = "status";

  /**
   * Wraps an authorization URL; call {@link #fetch()} to read it.
   *
   * @param login the account
   * @param location the authorization URL
   * @param json its last known state, or {@code null}
   */
  public Authorization(Login login, URI location, Json json) {
    super(login, location, json);
  }

  /**
   * Returns the identifier.
   *
   * @return the identifier, once fetched
   */
  public Optional<Identifier> identifier() {
    return json().object(IDENTIFIER).flatMap(Identifier::of);
  }

  /**
   * Returns when the authorization expires.
   *
   * @return the instant, if given
   */
  public Optional<Instant> expires() {
    return json().instant(EXPIRES);
  }

  /**
   * Tells whether this authorizes a wildcard name.
   *
   * @return {@code true} for a wildcard
   */
  public boolean wildcard() {
    return json().bool(WILDCARD).orElse(false);
  }

  /**
   * Returns the challenges, typed where the type is known.
   *
   * @return the challenges
   */
  public List<Challenge> challenges() {
    List<Challenge> out = new ArrayList<>();
    for (Json j : json().objects(CHALLENGES)) {
      Challenges.of(login(), j).ifPresent(out::add);
    }
    return out;
  }

  /**
   * Returns the challenge of a class.
   *
   * @param type e.g. {@code Http01Challenge.class}
   * @param <T> the challenge class
   * @return the first such challenge, if offered
   */
  public <T extends Challenge> Optional<T> challenge(Class<T> type) {
    return challenges().stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /**
   * Returns the challenge of a type name.
   *
   * @param type e.g. {@code http-01}
   * @return the first such challenge, if offered
   */
  public Optional<Challenge> challenge(String type) {
    return challenges().stream().filter(c -> c.type().equals(type)).findFirst();
  }

  /**
   * Deactivates the authorization (RFC 8555 §7.5.2).
   *
   * @throws AcmeException on failure
   */
  public void deactivate() throws AcmeException {
    update(
        login()
            .post(location(), Json.builder().put(STATUS, Status.DEACTIVATED.wireName()).build()));
  }
}
