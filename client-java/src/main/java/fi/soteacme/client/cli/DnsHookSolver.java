package fi.soteacme.client.cli;

import fi.soteacme.client.Identifier;
import fi.soteacme.client.challenge.Dns01Challenge;
import fi.soteacme.client.challenge.TokenChallenge;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * dns-01 through a hook command that adds and removes the TXT record (e.g. with nsupdate), then a
 * wait for the record to reach the CA's resolvers.
 *
 * <p>The command runs with {@code SOTE_ACME_ACTION} ({@code present} or {@code cleanup}), {@code
 * SOTE_ACME_DOMAIN}, {@code SOTE_ACME_RECORD_NAME} and {@code SOTE_ACME_VALIDATION}; also certbot's
 * {@code CERTBOT_DOMAIN} and {@code CERTBOT_VALIDATION}, so existing certbot hooks work.
 */
final class DnsHookSolver implements ChallengeSolver {
  private final String command;
  private final Duration propagation;
  private final Progress progress;

  DnsHookSolver(String command, Duration propagation, Progress progress) {
    this.command = command;
    this.propagation = propagation;
    this.progress = progress;
  }

  static Map<String, String> environment(String action, Identifier identifier, String value) {
    Map<String, String> env = new HashMap<>();
    env.put("SOTE_ACME_ACTION", action);
    env.put("SOTE_ACME_DOMAIN", identifier.value());
    env.put("SOTE_ACME_RECORD_NAME", Dns01Challenge.recordName(identifier));
    env.put("SOTE_ACME_VALIDATION", value);
    env.put("CERTBOT_DOMAIN", identifier.value().replaceFirst("^\\*\\.", ""));
    env.put("CERTBOT_VALIDATION", value);
    return env;
  }

  @Override
  public String challengeType() {
    return Dns01Challenge.TYPE;
  }

  @Override
  public void present(Identifier identifier, TokenChallenge challenge) throws Exception {
    String value = ((Dns01Challenge) challenge).digest();
    progress.step("Adding TXT " + Dns01Challenge.recordName(identifier) + " through the DNS hook");
    Hooks.run(command, environment("present", identifier, value), progress);
  }

  @Override
  public void awaitReady() throws InterruptedException {
    if (!propagation.isZero()) {
      progress.step("Waiting " + propagation.toSeconds() + " s for DNS propagation");
      Thread.sleep(propagation.toMillis());
    }
  }

  @Override
  public void cleanup(Identifier identifier, TokenChallenge challenge) {
    try {
      String value = ((Dns01Challenge) challenge).digest();
      Hooks.run(command, environment("cleanup", identifier, value), progress);
    } catch (Exception e) {
      progress.warn("the DNS hook could not remove the record: " + e.getMessage());
    }
  }

  @Override
  public void close() throws IOException {}
}
