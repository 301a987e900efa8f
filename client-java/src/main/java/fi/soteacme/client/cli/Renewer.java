package fi.soteacme.client.cli;

import fi.soteacme.client.Account;
import fi.soteacme.client.RenewalInfo;
import fi.soteacme.client.Session;
import fi.soteacme.client.exception.AcmeException;
import fi.soteacme.client.exception.AcmeRateLimitedException;
import fi.soteacme.client.renewal.RenewalScheduler;
import fi.soteacme.client.storage.CertificateStore;
import fi.soteacme.client.storage.RenewalConfig;
import fi.soteacme.client.util.KeyType;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renews one stored certificate when it is due: inside the server's ARI window at the time chosen
 * and stored, or without ARI when a third of its lifetime remains. Failures are remembered with a
 * backoff so that a loop or a timer does not hammer a CA that is down.
 */
final class Renewer {
  enum Outcome {
    RENEWED,
    NOT_DUE,
    BACKING_OFF,
    FAILED
  }

  /**
   * The result for one certificate.
   *
   * @param name the certificate name
   * @param outcome what happened
   * @param nextWake when this certificate next needs attention
   * @param error the failure, or {@code null}
   * @param details facts to print
   */
  record Report(
      String name,
      Outcome outcome,
      Instant nextWake,
      Throwable error,
      Map<String, Object> details) {}

  @FunctionalInterface
  interface Sessions {
    Session open(URI server, Path caBundle) throws Exception;
  }

  @FunctionalInterface
  interface Accounts {
    Account load(Session session) throws Exception;
  }

  private final CertificateStore store;
  private final Sessions sessions;
  private final Accounts accounts;
  private final RenewalScheduler scheduler;
  private final Progress progress;
  private final Duration timeout;
  private final String deployHookOverride;

  Renewer(
      CertificateStore store,
      Sessions sessions,
      Accounts accounts,
      RenewalScheduler scheduler,
      Progress progress,
      Duration timeout,
      String deployHookOverride) {
    this.store = store;
    this.sessions = sessions;
    this.accounts = accounts;
    this.scheduler = scheduler;
    this.progress = progress;
    this.timeout = timeout;
    this.deployHookOverride = deployHookOverride;
  }

  Report renew(String name, boolean force) {
    Path configFile = store.renewalFile(name);
    RenewalConfig config;
    try {
      config = RenewalConfig.load(configFile);
    } catch (Exception e) {
      return new Report(name, Outcome.FAILED, scheduler.nextAttemptAfterFailure(1), e, Map.of());
    }
    Instant now = scheduler.now();
    Optional<Instant> nextAttempt = config.instant(RenewalConfig.NEXT_ATTEMPT);
    if (!force && nextAttempt.isPresent() && now.isBefore(nextAttempt.get())) {
      return new Report(
          name,
          Outcome.BACKING_OFF,
          nextAttempt.get(),
          null,
          Map.of("nextAttempt", nextAttempt.get().toString()));
    }
    try {
      X509Certificate cert = store.certificate(name);
      URI server =
          URI.create(
              config
                  .get(RenewalConfig.SERVER)
                  .orElseThrow(() -> new ExitCodes.UsageException("No server in " + configFile)));
      Session session =
          sessions.open(server, config.get(RenewalConfig.CA_BUNDLE).map(Path::of).orElse(null));
      boolean ari = session.directory().renewalInfo().isPresent();
      Instant due = null;
      Instant ariCheck = null;
      if (ari) {
        try {
          refreshRenewalInfo(session, cert, config, configFile);
          due = config.instant(RenewalConfig.ARI_RENEWAL_TIME).orElse(null);
          ariCheck = config.instant(RenewalConfig.ARI_NEXT_CHECK).orElse(null);
        } catch (AcmeException e) {
          progress.warn(
              name + ": renewalInfo failed (" + e.getMessage() + "); using the lifetime rule");
        }
      }
      if (due == null) {
        due =
            RenewalScheduler.lifetimeDue(
                cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
      }
      if (!force && !scheduler.isDue(due)) {
        Instant wake = ariCheck != null && ariCheck.isBefore(due) ? ariCheck : due;
        return new Report(name, Outcome.NOT_DUE, wake, null, Map.of("due", due.toString()));
      }
      progress.step("Renewing " + name + (force ? " (forced)" : " (due " + due + ")"));
      Account account = accounts.load(session);
      Issuance.Request request =
          new Issuance.Request(
              config.domains(),
              config.get(RenewalConfig.ORG).orElse(null),
              config.get(RenewalConfig.PROFILE).orElse(null),
              KeyType.parse(config.get(RenewalConfig.KEY_TYPE).orElse("rsa2048")),
              config.get(RenewalConfig.SYSTEM_NAME).orElse(null),
              null,
              ari ? RenewalInfo.certId(cert) : null);
      Issuance.Result result =
          new Issuance(progress, timeout).run(account, request, SolverSettings.load(config));
      int version = store.save(name, result.keyPair(), result.chain());
      config
          .set(RenewalConfig.ARI_RENEWAL_TIME, null)
          .set(RenewalConfig.ARI_WINDOW_START, null)
          .set(RenewalConfig.ARI_WINDOW_END, null)
          .set(RenewalConfig.ARI_NEXT_CHECK, null)
          .set(RenewalConfig.FAILURES, null)
          .set(RenewalConfig.NEXT_ATTEMPT, null)
          .save(configFile);
      Map<String, Object> details = OrderCommand.result(name, version, store, result);
      X509Certificate leaf = result.chain().get(0);
      Instant nextDue =
          RenewalScheduler.lifetimeDue(
              leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
      String hook =
          deployHookOverride != null
              ? deployHookOverride
              : config.get(RenewalConfig.DEPLOY_HOOK).orElse(null);
      Throwable hookError = null;
      if (hook != null) {
        try {
          deploy(hook, store, name, config.domains(), progress);
        } catch (Exception e) {
          hookError = e;
          progress.warn(name + ": renewed, but the deploy hook failed: " + e.getMessage());
        }
      }
      return new Report(
          name,
          Outcome.RENEWED,
          ari ? scheduler.now().plus(RenewalScheduler.DEFAULT_ARI_RECHECK) : nextDue,
          hookError,
          details);
    } catch (Exception e) {
      int failures = config.integer(RenewalConfig.FAILURES).orElse(0) + 1;
      Instant next = scheduler.nextAttemptAfterFailure(failures);
      if (e instanceof AcmeRateLimitedException rl
          && rl.retryAfter().isPresent()
          && rl.retryAfter().get().isAfter(next)) {
        next = rl.retryAfter().get();
      }
      try {
        config
            .set(RenewalConfig.FAILURES, failures)
            .set(RenewalConfig.NEXT_ATTEMPT, next)
            .save(configFile);
      } catch (Exception saveFailure) {
        e.addSuppressed(saveFailure);
      }
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("failures", failures);
      details.put("nextAttempt", next.toString());
      return new Report(name, Outcome.FAILED, next, e, details);
    }
  }

  private void refreshRenewalInfo(
      Session session, X509Certificate cert, RenewalConfig config, Path configFile)
      throws Exception {
    Optional<Instant> nextCheck = config.instant(RenewalConfig.ARI_NEXT_CHECK);
    if (nextCheck.isPresent()
        && !scheduler.isDue(nextCheck.get())
        && config.instant(RenewalConfig.ARI_RENEWAL_TIME).isPresent()) {
      return;
    }
    RenewalInfo info = session.renewalInfo(cert);
    Instant chosen =
        scheduler.chooseRenewalTime(info, config.instant(RenewalConfig.ARI_RENEWAL_TIME));
    config
        .set(RenewalConfig.ARI_RENEWAL_TIME, chosen)
        .set(RenewalConfig.ARI_WINDOW_START, info.windowStart())
        .set(RenewalConfig.ARI_WINDOW_END, info.windowEnd())
        .set(RenewalConfig.ARI_NEXT_CHECK, scheduler.nextAriCheck(info))
        .save(configFile);
  }

  /** Runs a deploy hook with certbot's variables, so existing hooks work unchanged. */
  static void deploy(
      String hook, CertificateStore store, String name, List<String> domains, Progress progress)
      throws Exception {
    progress.step("Running deploy hook: " + hook);
    Hooks.run(
        hook,
        Map.of(
            "RENEWED_LINEAGE", store.live(name).toAbsolutePath().toString(),
            "RENEWED_DOMAINS", String.join(" ", domains),
            "SOTE_ACME_CERT_NAME", name),
        progress);
  }
}
