package fi.soteacme.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.client.Account;
import fi.soteacme.client.AccountBuilder;
import fi.soteacme.client.Session;
import fi.soteacme.client.exception.AcmeNetworkException;
import fi.soteacme.client.renewal.RenewalScheduler;
import fi.soteacme.client.storage.AccountStore;
import fi.soteacme.client.storage.CertificateStore;
import fi.soteacme.client.storage.RenewalConfig;
import fi.soteacme.client.testsupport.Pebble;
import fi.soteacme.client.util.KeyPairs;
import fi.soteacme.client.util.KeyType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renewal decisions with an injected clock, against a real Pebble (which has no ARI). */
class RenewerTest {
  @TempDir static Path pebbleDir;
  private static Pebble pebble;
  private static Session session;

  @TempDir Path configDir;
  private CertificateStore store;
  private X509Certificate issued;

  @BeforeAll
  static void startPebble() throws Exception {
    pebble = Pebble.start(pebbleDir);
    session = pebble.session();
  }

  @AfterAll
  static void stopPebble() throws Exception {
    if (session != null) {
      session.close();
    }
    if (pebble != null) {
      pebble.close();
    }
  }

  private final Progress quiet = new Progress(new PrintWriter(new StringWriter()), false, false);

  @BeforeEach
  void issueOne() throws Exception {
    store = new CertificateStore(configDir);
    KeyPair accountKey = KeyPairs.generate(KeyType.EC_P256);
    Account account =
        new AccountBuilder().keyPair(accountKey).agreeToTermsOfService().create(session);
    new AccountStore(configDir).save(session.directoryUrl(), account.location(), accountKey);
    SolverSettings solver =
        new SolverSettings(SolverSettings.STANDALONE, "127.0.0.1", 0, null, 0, null, Duration.ZERO);
    Issuance.Result result =
        new Issuance(quiet, Duration.ofSeconds(30))
            .run(
                account,
                new Issuance.Request(
                    List.of("renew.example.fi"), null, null, KeyType.EC_P256, null, null, null),
                solver);
    store.save("renew.example.fi", result.keyPair(), result.chain());
    issued = result.chain().get(0);
    RenewalConfig config =
        new RenewalConfig()
            .set(RenewalConfig.SERVER, session.directoryUrl())
            .set(RenewalConfig.DOMAINS, "renew.example.fi")
            .set(RenewalConfig.KEY_TYPE, "ec256");
    solver.store(config);
    config.save(store.renewalFile("renew.example.fi"));
  }

  private Renewer renewerAt(Instant now, URI server) {
    RenewalScheduler scheduler =
        new RenewalScheduler(Clock.fixed(now, ZoneOffset.UTC), new Random(1));
    return new Renewer(
        store,
        (url, bundle) -> server == null ? session : Session.builder(server).build(),
        s -> {
          var stored = new AccountStore(configDir).load(session.directoryUrl()).orElseThrow();
          return s.login(stored.url(), stored.keyPair()).account();
        },
        scheduler,
        quiet,
        Duration.ofSeconds(30),
        null);
  }

  private Instant due() {
    return RenewalScheduler.lifetimeDue(
        issued.getNotBefore().toInstant(), issued.getNotAfter().toInstant());
  }

  @Test
  void notDueBeforeTheLastThirdThenRenewed() throws Exception {
    Renewer.Report early = renewerAt(due().minusSeconds(60), null).renew("renew.example.fi", false);
    assertEquals(Renewer.Outcome.NOT_DUE, early.outcome());
    assertEquals(due(), early.nextWake());

    Renewer.Report late = renewerAt(due().plusSeconds(60), null).renew("renew.example.fi", false);
    assertEquals(Renewer.Outcome.RENEWED, late.outcome(), String.valueOf(late.error()));
    assertEquals(2, store.latestVersion("renew.example.fi").orElseThrow());
  }

  @Test
  void failuresBackOffAndAreRemembered() throws Exception {
    RenewalConfig config = RenewalConfig.load(store.renewalFile("renew.example.fi"));
    config
        .set(RenewalConfig.SERVER, "https://127.0.0.1:1/dir")
        .save(store.renewalFile("renew.example.fi"));
    Instant now = due().plusSeconds(60);
    Renewer.Report failed =
        renewerAt(now, URI.create("https://127.0.0.1:1/dir")).renew("renew.example.fi", false);
    assertEquals(Renewer.Outcome.FAILED, failed.outcome());
    assertInstanceOf(AcmeNetworkException.class, failed.error());
    assertTrue(failed.nextWake().isAfter(now.plus(RenewalScheduler.BACKOFF_BASE.minusSeconds(1))));

    Renewer.Report waiting =
        renewerAt(now.plusSeconds(60), URI.create("https://127.0.0.1:1/dir"))
            .renew("renew.example.fi", false);
    assertEquals(Renewer.Outcome.BACKING_OFF, waiting.outcome());

    Renewer.Report second =
        renewerAt(failed.nextWake().plusSeconds(1), URI.create("https://127.0.0.1:1/dir"))
            .renew("renew.example.fi", false);
    assertEquals(Renewer.Outcome.FAILED, second.outcome());
    assertEquals(
        2,
        RenewalConfig.load(store.renewalFile("renew.example.fi"))
            .integer(RenewalConfig.FAILURES)
            .orElseThrow());
    Duration secondDelay = Duration.between(failed.nextWake().plusSeconds(1), second.nextWake());
    assertTrue(secondDelay.compareTo(Duration.ofMinutes(10)) >= 0, secondDelay.toString());
  }
}
