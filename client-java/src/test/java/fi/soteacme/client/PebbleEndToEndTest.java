package fi.soteacme.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.client.challenge.Http01Challenge;
import fi.soteacme.client.exception.AcmeServerException;
import fi.soteacme.client.testsupport.Pebble;
import fi.soteacme.client.util.Csrs;
import fi.soteacme.client.util.KeyPairs;
import fi.soteacme.client.util.KeyType;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library against a real Pebble: plain RFC 8555, end to end. */
class PebbleEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path dir;
  private static Pebble pebble;
  private static Session session;

  @BeforeAll
  static void startPebble() throws Exception {
    pebble = Pebble.start(dir);
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

  private static Account register(KeyPair key) throws Exception {
    return new AccountBuilder()
        .keyPair(key)
        .addEmail("admin@example.fi")
        .agreeToTermsOfService()
        .create(session);
  }

  private static X509Certificate issue(
      Account account, KeyPair certKey, List<String> names, String replaces) throws Exception {
    OrderBuilder builder = account.newOrder().domains(names);
    if (replaces != null) {
      builder.replaces(replaces);
    }
    Order order = builder.create();
    assertTrue(Set.of(Status.PENDING, Status.READY).contains(order.status()));
    for (Authorization authz : order.fetchAuthorizations()) {
      if (authz.status() == Status.VALID) {
        continue;
      }
      Http01Challenge http = authz.challenge(Http01Challenge.class).orElseThrow();
      assertTrue(http.content().startsWith(http.token() + "."));
      http.trigger();
      assertEquals(Status.VALID, authz.waitForStatus(Set.of(Status.VALID), WAIT));
    }
    assertEquals(Status.READY, order.waitForStatus(Set.of(Status.READY), WAIT));
    order.finalizeOrder(Csrs.server(certKey, names));
    assertEquals(Status.VALID, order.waitForStatus(Set.of(Status.VALID), WAIT));
    List<X509Certificate> chain = order.certificate().orElseThrow().download();
    assertTrue(chain.size() >= 2, "leaf and issuer");
    X509Certificate leaf = chain.get(0);
    assertEquals(certKey.getPublic(), leaf.getPublicKey());
    chain.get(0).verify(chain.get(1).getPublicKey());
    return leaf;
  }

  @Test
  void directoryHasTheRfc8555Resources() throws Exception {
    Directory directory = session.directory();
    assertTrue(directory.newNonce().toString().startsWith("https://127.0.0.1"));
    assertTrue(directory.newAccount().isAbsolute());
    assertTrue(directory.meta().termsOfService().isPresent());
    assertFalse(directory.meta().externalAccountRequired());
  }

  @Test
  void registerLookUpUpdateAndDeactivate() throws Exception {
    KeyPair key = KeyPairs.generate(KeyType.EC_P256);
    Account account = register(key);
    assertEquals(Status.VALID, account.status());
    assertEquals(List.of(URI.create("mailto:admin@example.fi")), account.contacts());

    Account again = new AccountBuilder().keyPair(key).onlyExisting().create(session);
    assertEquals(account.location(), again.location());

    account.updateContacts(List.of(URI.create("mailto:ops@example.fi")));
    assertEquals(List.of(URI.create("mailto:ops@example.fi")), account.contacts());
    Account fetched = session.login(account.location(), key).account();
    fetched.fetch();
    assertEquals(List.of(URI.create("mailto:ops@example.fi")), fetched.contacts());

    AcmeServerException unknown =
        assertThrows(
            AcmeServerException.class,
            () ->
                new AccountBuilder()
                    .keyPair(KeyPairs.generate(KeyType.EC_P256))
                    .onlyExisting()
                    .create(session));
    assertTrue(unknown.problem().is("accountDoesNotExist"), unknown.problem().toString());

    account.deactivate();
    assertEquals(Status.DEACTIVATED, account.status());
    assertThrows(AcmeServerException.class, fetched::fetch);
  }

  @Test
  void orderRenewAndRevokeBothWays() throws Exception {
    Account account = register(KeyPairs.generate(KeyType.RSA_2048));
    List<String> names = List.of("ap.example.fi", "www.ap.example.fi");
    KeyPair firstKey = KeyPairs.generate(KeyType.EC_P256);
    X509Certificate first = issue(account, firstKey, names, null);
    assertEquals(2, first.getSubjectAlternativeNames().size());

    // Pebble 2.4 has no renewalInfo; with ARI the renewal names its predecessor.
    String replaces =
        session.directory().renewalInfo().isPresent() ? RenewalInfo.certId(first) : null;
    KeyPair secondKey = KeyPairs.generate(KeyType.RSA_2048);
    X509Certificate second = issue(account, secondKey, names, replaces);
    assertNotEquals(SerialNumber.of(first), SerialNumber.of(second));

    account.revoke(first, RevocationReason.SUPERSEDED);
    AcmeServerException twice =
        assertThrows(
            AcmeServerException.class, () -> account.revoke(first, RevocationReason.SUPERSEDED));
    assertTrue(twice.problem().is("alreadyRevoked"), twice.problem().toString());

    Certificate.revoke(session, second, secondKey, RevocationReason.KEY_COMPROMISE);
    AcmeServerException again =
        assertThrows(
            AcmeServerException.class,
            () -> Certificate.revoke(session, second, secondKey, RevocationReason.UNSPECIFIED));
    assertTrue(again.problem().is("alreadyRevoked"), again.problem().toString());
  }

  @Test
  void keyRolloverMovesTheAccountToTheNewKey() throws Exception {
    KeyPair oldKey = KeyPairs.generate(KeyType.EC_P256);
    KeyPair newKey = KeyPairs.generate(KeyType.EC_P384);
    Account account = register(oldKey);
    account.changeKey(newKey);
    assertEquals(newKey, account.login().keyPair());

    Account byNewKey = new AccountBuilder().keyPair(newKey).onlyExisting().create(session);
    assertEquals(account.location(), byNewKey.location());
    assertThrows(
        AcmeServerException.class,
        () -> new AccountBuilder().keyPair(oldKey).onlyExisting().create(session));
    // The rolled-over login keeps working.
    issue(account, KeyPairs.generate(KeyType.EC_P256), List.of("rolled.example.fi"), null);
  }

  @Test
  void oneSessionServesManyThreads() throws Exception {
    Account account = register(KeyPairs.generate(KeyType.EC_P256));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Callable<X509Certificate>> tasks = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String name = "t" + i + ".example.fi";
        tasks.add(() -> issue(account, KeyPairs.generate(KeyType.EC_P256), List.of(name), null));
      }
      for (Future<X509Certificate> f : pool.invokeAll(tasks)) {
        assertTrue(f.get().getSubjectX500Principal().getName().contains(".example.fi"));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void asyncWaitCompletesWithoutBlockingTheCaller() throws Exception {
    Account account = register(KeyPairs.generate(KeyType.EC_P256));
    Order order = account.newOrder().domains("async.example.fi").create();
    Authorization authz = order.fetchAuthorizations().get(0);
    authz.challenge(Http01Challenge.class).orElseThrow().trigger();
    var future =
        authz
            .waitForStatusAsync(Set.of(Status.VALID), WAIT)
            .thenCompose(s -> order.waitForStatusAsync(Set.of(Status.READY), WAIT));
    assertEquals(Status.READY, future.get());
  }
}
