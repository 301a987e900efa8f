package fi.soteacme.client.cli;

import fi.soteacme.client.Identifier;
import fi.soteacme.client.challenge.TokenChallenge;
import java.io.IOException;

/**
 * Proves control of DNS names: puts a challenge's response where the CA looks, and takes it away
 * afterwards. The issuance presents every name first, calls {@link #awaitReady()} once, then
 * triggers the challenges.
 */
interface ChallengeSolver extends AutoCloseable {
  /** The challenge type this solver answers, e.g. {@code http-01}. */
  String challengeType();

  /** Publishes the response for one name. */
  void present(Identifier identifier, TokenChallenge challenge) throws Exception;

  /** Waits until everything presented is visible to the CA (DNS propagation). */
  default void awaitReady() throws Exception {}

  /** Removes the response for one name; failures are reported, never thrown. */
  void cleanup(Identifier identifier, TokenChallenge challenge);

  /** Stops listeners. */
  @Override
  void close() throws IOException;
}
