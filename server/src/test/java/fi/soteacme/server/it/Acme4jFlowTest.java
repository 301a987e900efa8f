package fi.soteacme.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.eab.EabService;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.RevocationReason;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Dns01Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.challenge.TlsAlpn01Challenge;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.util.KeyPairUtils;

/** acme4j, the reference Java client, drives the whole RFC 8555 flow against the real server. */
class Acme4jFlowTest {
  private static TestServers servers;
  private static Session session;

  @BeforeAll
  static void start() throws Exception {
    java.security.Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
    servers = TestServers.get();
    session = Acme4j.session(servers.server.directoryUrl(), servers.server.trustAnchor());
  }

  static Account newAccount(KeyPair key) throws Exception {
    EabService.Credential eab = servers.server.createEabCredential();
    return new AccountBuilder()
        .agreeToTermsOfService()
        .addEmail("ops@example.test")
        .withKeyIdentifier(eab.kid(), eab.hmacKey())
        .useKeyPair(key)
        .create(session);
  }

  @Test
  void http01OrderFinalizeDownloadRevoke() throws Exception {
    Account account = newAccount(KeyPairUtils.createKeyPair(2048));
    Order order = account.newOrder().domains("www.clinic-a.test", "api.clinic-a.test").create();
    for (Authorization auth : order.getAuthorizations()) {
      Http01Challenge challenge = auth.findChallenge(Http01Challenge.class).orElseThrow();
      servers.http01.put(challenge.getToken(), challenge.getAuthorization());
      challenge.trigger();
      assertEquals(Status.VALID, challenge.waitForCompletion(Duration.ofSeconds(30)));
    }
    assertEquals(Status.READY, order.waitUntilReady(Duration.ofSeconds(30)));
    order.execute(KeyPairUtils.createKeyPair(2048));
    assertEquals(Status.VALID, order.waitForCompletion(Duration.ofSeconds(30)));

    Certificate certificate = order.getCertificate();
    X509Certificate leaf = certificate.getCertificate();
    assertEquals(
        18,
        leaf.getSerialNumber().toByteArray().length
            - (leaf.getSerialNumber().toByteArray()[0] == 0 ? 1 : 0));
    assertTrue(
        leaf.getSubjectAlternativeNames().stream()
            .anyMatch(n -> n.get(1).equals("api.clinic-a.test")));
    List<X509Certificate> chain = certificate.getCertificateChain();
    leaf.verify(chain.get(1).getPublicKey());

    certificate.revoke(RevocationReason.SUPERSEDED);
    AcmeServerException again =
        assertThrows(
            AcmeServerException.class, () -> certificate.revoke(RevocationReason.SUPERSEDED));
    assertEquals("urn:ietf:params:acme:error:alreadyRevoked", again.getType().toString());
  }

  @Test
  void tlsAlpn01AndDns01AndAuthorizationReuse() throws Exception {
    Account account = newAccount(KeyPairUtils.createECKeyPair("secp256r1"));
    Order order = account.newOrder().domains("tls.clinic-b.test", "dns.clinic-b.test").create();
    for (Authorization auth : order.getAuthorizations()) {
      String name = auth.getIdentifier().getDomain();
      if (name.startsWith("tls.")) {
        TlsAlpn01Challenge challenge = auth.findChallenge(TlsAlpn01Challenge.class).orElseThrow();
        servers.tlsAlpn01.put(name, challenge.getAuthorization());
        challenge.trigger();
        assertEquals(Status.VALID, challenge.waitForCompletion(Duration.ofSeconds(30)));
      } else {
        Dns01Challenge challenge = auth.findChallenge(Dns01Challenge.class).orElseThrow();
        servers.dns.addTxt(challenge.getRRName(auth.getIdentifier()), challenge.getDigest());
        challenge.trigger();
        assertEquals(Status.VALID, challenge.waitForCompletion(Duration.ofSeconds(30)));
      }
    }
    assertEquals(Status.READY, order.waitUntilReady(Duration.ofSeconds(30)));

    // Within the account, valid authorizations are reused: a second order is ready at once.
    Order second = account.newOrder().domains("dns.clinic-b.test").create();
    assertEquals(Status.READY, second.getStatus());
    second.execute(KeyPairUtils.createECKeyPair("secp384r1"));
    assertEquals(Status.VALID, second.waitForCompletion(Duration.ofSeconds(30)));
  }

  @Test
  void keyChangeThenDeactivation() throws Exception {
    KeyPair first = KeyPairUtils.createKeyPair(2048);
    Account account = newAccount(first);
    KeyPair second = KeyPairUtils.createECKeyPair("secp256r1");
    account.changeKey(second);

    // The new key finds the same account; the old one no longer does.
    Account found = new AccountBuilder().onlyExisting().useKeyPair(second).create(session);
    assertEquals(account.getLocation().toString(), found.getLocation().toString());
    AcmeServerException old =
        assertThrows(
            AcmeServerException.class,
            () -> new AccountBuilder().onlyExisting().useKeyPair(first).create(session));
    assertEquals("urn:ietf:params:acme:error:accountDoesNotExist", old.getType().toString());

    account.deactivate();
    assertEquals(Status.DEACTIVATED, account.getStatus());
    AcmeServerException refused =
        assertThrows(
            AcmeServerException.class,
            () -> account.newOrder().domains("x.clinic-c.test").create());
    assertEquals("urn:ietf:params:acme:error:unauthorized", refused.getType().toString());
  }
}
