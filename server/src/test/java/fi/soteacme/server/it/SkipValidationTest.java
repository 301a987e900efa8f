package fi.soteacme.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import fi.soteacme.server.SoteAcmeServer;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * The documented switch {@code validation.skipForTestProfiles}: test profiles are issued without
 * validation, production profiles always validate, and a skipped authorization is never reused for
 * a production order.
 */
class SkipValidationTest {
  private static SoteAcmeServer server;
  private static Session session;

  @BeforeAll
  static void start() throws Exception {
    java.security.Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
    TestServers servers = TestServers.get();
    server =
        servers.start(
            Files.createTempDirectory("sote-acme-skip"),
            json -> json.getJsonObject("validation").put("skipForTestProfiles", true));
    session = Acme4j.session(server.directoryUrl(), server.trustAnchor());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void testProfilesSkipValidationProductionProfilesNever() throws Exception {
    var eab = server.createEabCredential();
    Account account =
        new AccountBuilder()
            .agreeToTermsOfService()
            .withKeyIdentifier(eab.kid(), eab.hmacKey())
            .useKeyPair(KeyPairUtils.createECKeyPair("secp256r1"))
            .create(session);
    String name = "skipped-" + System.nanoTime() + ".county.test";

    // No responder answers for this name: only the switch can make the challenge valid.
    Order test = account.newOrder().domains(name).profile("sote-server-test").create();
    Http01Challenge challenge =
        test.getAuthorizations().get(0).findChallenge(Http01Challenge.class).orElseThrow();
    challenge.trigger();
    // A skipped validation is answered at once: no polling.
    assertEquals(Status.VALID, challenge.getStatus());
    test.execute(KeyPairUtils.createKeyPair(2048));
    assertEquals(Status.VALID, test.waitForCompletion(Duration.ofSeconds(30)));

    // The skipped authorization is not reused for a production profile, which validates for real.
    Order production = account.newOrder().domains(name).create();
    assertEquals(Status.PENDING, production.getStatus());
    assertNotEquals(
        test.getAuthorizations().get(0).getLocation(),
        production.getAuthorizations().get(0).getLocation());
    Http01Challenge real =
        production.getAuthorizations().get(0).findChallenge(Http01Challenge.class).orElseThrow();
    real.trigger();
    assertEquals(Status.INVALID, real.waitForCompletion(Duration.ofSeconds(30)));
  }
}
