package fi.soteacme.server.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fi.soteacme.server.SoteAcmeServer;
import java.nio.file.Files;
import java.security.KeyPair;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * A process that stops between recording a certificate and signing it leaves the serial and the
 * to-be-signed certificate in the database and the order processing; the next start signs exactly
 * what was recorded and finishes the order.
 */
class RecoveryTest {
  @Test
  void aRestartFinishesWhatACrashInterrupted() throws Exception {
    java.security.Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
    TestServers servers = TestServers.get();
    Session session = Acme4j.session(servers.server.directoryUrl(), servers.server.trustAnchor());
    var eab = servers.server.createEabCredential();
    Account account =
        new AccountBuilder()
            .agreeToTermsOfService()
            .withKeyIdentifier(eab.kid(), eab.hmacKey())
            .useKeyPair(KeyPairUtils.createECKeyPair("secp256r1"))
            .create(session);
    Order order = account.newOrder().domains("crash.county.test").create();
    for (Authorization auth : order.getAuthorizations()) {
      Http01Challenge challenge = auth.findChallenge(Http01Challenge.class).orElseThrow();
      servers.http01.put(challenge.getToken(), challenge.getAuthorization());
      challenge.trigger();
      challenge.waitForCompletion(Duration.ofSeconds(30));
    }
    order.waitUntilReady(Duration.ofSeconds(30));
    KeyPair key = KeyPairUtils.createKeyPair(2048);
    order.execute(key);
    order.waitForCompletion(Duration.ofSeconds(30));
    byte[] issued = order.getCertificate().getCertificate().getEncoded();
    String path = order.getLocation().getPath();
    long orderId = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));

    // The state a crash after recording and before signing leaves behind.
    try (Connection db = servers.postgres.getPostgresDatabase().getConnection()) {
      db.setAutoCommit(false);
      try (var st =
          db.prepareStatement(
              "update certificate set der = null, issuer_certificate_id = null where order_id = ?")) {
        st.setLong(1, orderId);
        assertEquals(1, st.executeUpdate());
      }
      try (var st = db.prepareStatement("update orders set status = 'processing' where id = ?")) {
        st.setLong(1, orderId);
        assertEquals(1, st.executeUpdate());
      }
      db.commit();
    }
    order.fetch();
    assertEquals(Status.PROCESSING, order.getStatus());

    // A process starting on the database signs the recorded certificate and finishes the order.
    try (SoteAcmeServer restarted =
        servers.start(Files.createTempDirectory("sote-acme-restart"), json -> {})) {
      order.fetch();
      assertEquals(Status.VALID, order.getStatus());
      assertArrayEquals(issued, order.getCertificate().getCertificate().getEncoded());
    }
  }
}
