package fi.soteacme.server.it.negative;

import static fi.soteacme.server.it.negative.RawAcme.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fi.soteacme.server.it.TestServers;
import fi.soteacme.server.it.negative.RawAcme.Account;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.Security;
import java.security.cert.X509Certificate;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 8555 §7.6 revokeCert: reasons, who may revoke, keyCompromise blocking the key. */
class RevocationTest {
  private static TestServers servers;
  private static RawAcme acme;
  private static Account account;

  @BeforeAll
  static void start() throws Exception {
    Security.addProvider(new BouncyCastleProvider());
    servers = TestServers.get();
    acme = RawAcme.of(servers);
    account = acme.register(servers);
  }

  private static JsonObject revocation(X509Certificate cert, Integer reason) throws Exception {
    JsonObject payload = new JsonObject().put("certificate", RawAcme.b64(cert.getEncoded()));
    if (reason != null) {
      payload.put("reason", reason);
    }
    return payload;
  }

  private static HttpResponse<String> revoke(Account by, X509Certificate cert, Integer reason)
      throws Exception {
    return acme.postKid(by, acme.url("revokeCert"), revocation(cert, reason));
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 6, 7, 8, 9, 10, 11, -1})
  void reasonNotAccepted(int reason) throws Exception {
    X509Certificate cert =
        acme.issue(
            servers,
            account,
            RawAcme.ecKeys("secp256r1"),
            "reason" + (reason + 1) + ".clinic-r.test");
    assertProblem(revoke(account, cert, reason), 400, "badRevocationReason", "keyCompromise");
    // Still revocable with an accepted reason afterwards.
    HttpResponse<String> ok = revoke(account, cert, 4);
    assertEquals(200, ok.statusCode(), ok.body());
  }

  @Test
  void revokingTwice() throws Exception {
    X509Certificate cert =
        acme.issue(servers, account, RawAcme.ecKeys("secp256r1"), "twice.clinic-r.test");
    HttpResponse<String> first = revoke(account, cert, null);
    assertEquals(200, first.statusCode(), first.body());
    assertProblem(revoke(account, cert, 4), 400, "alreadyRevoked", "already revoked");
  }

  @Test
  void anAccountOfAnotherOrganisation() throws Exception {
    X509Certificate cert =
        acme.issue(servers, account, RawAcme.ecKeys("secp256r1"), "other.clinic-r.test");
    Account stranger = acme.registerIn(servers, "1.2.246.10.9715328.10.0");
    assertProblem(revoke(stranger, cert, 0), 403, "unauthorized", "organisation");
    HttpResponse<String> own = revoke(account, cert, 0);
    assertEquals(200, own.statusCode(), own.body());
  }

  @Test
  void anotherAccountOfTheSameOrganisation() throws Exception {
    String name = "shared.clinic-r.test";
    X509Certificate cert = acme.issue(servers, account, RawAcme.ecKeys("secp256r1"), name);
    Account other = acme.register(servers);
    acme.readyOrder(servers, other, name);
    HttpResponse<String> r = revoke(other, cert, 3);
    assertEquals(200, r.statusCode(), r.body());
  }

  @Test
  void signedByTheCertificateKey() throws Exception {
    KeyPair certKeys = RawAcme.ecKeys("secp256r1");
    X509Certificate cert = acme.issue(servers, account, certKeys, "bykey.clinic-r.test");
    HttpResponse<String> r =
        acme.postJwk(certKeys, "ES256", acme.url("revokeCert"), revocation(cert, 5));
    assertEquals(200, r.statusCode(), r.body());
  }

  @Test
  void signedByAnUnrelatedJwk() throws Exception {
    X509Certificate cert =
        acme.issue(servers, account, RawAcme.ecKeys("secp256r1"), "byotherkey.clinic-r.test");
    KeyPair unrelated = RawAcme.ecKeys("secp256r1");
    assertProblem(
        acme.postJwk(unrelated, "ES256", acme.url("revokeCert"), revocation(cert, 0)),
        403,
        "unauthorized",
        "certificate's own key");
  }

  @Test
  void keyCompromiseBlocksTheKey() throws Exception {
    KeyPair compromised = RawAcme.rsaKeys(2048);
    X509Certificate cert = acme.issue(servers, account, compromised, "kc.clinic-r.test");
    HttpResponse<String> r =
        acme.postJwk(compromised, "RS256", acme.url("revokeCert"), revocation(cert, 1));
    assertEquals(200, r.statusCode(), r.body());

    String orderUrl = acme.readyOrder(servers, account, "kc2.clinic-r.test");
    assertProblem(
        acme.finalizeOrder(account, orderUrl, RawAcme.csr(compromised, "kc2.clinic-r.test")),
        400,
        "badPublicKey",
        "keyCompromise");
    // The refusal leaves the order ready for a new key.
    HttpResponse<String> fresh =
        acme.finalizeOrder(
            account, orderUrl, RawAcme.csr(RawAcme.rsaKeys(2048), "kc2.clinic-r.test"));
    assertEquals(200, fresh.statusCode(), fresh.body());
  }

  @Test
  void certificateNotIssuedHere() throws Exception {
    assertProblem(
        acme.postKid(
            account,
            acme.url("revokeCert"),
            new JsonObject().put("certificate", RawAcme.b64("garbage"))),
        400,
        "malformed",
        "certificate");
  }
}
