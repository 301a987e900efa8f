package fi.soteacme.server.it.negative;

import static fi.soteacme.server.it.negative.RawAcme.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import fi.soteacme.server.it.TestServers;
import fi.soteacme.server.it.negative.RawAcme.Account;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 8555 §7.5: a failed challenge makes its authorization and order invalid, with the problem
 * recorded on the challenge; deactivating an authorization does the same to its order.
 */
class ChallengeTest {
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

  private record Pending(String orderUrl, String authzUrl, JsonObject http01) {}

  private static Pending pending(String name) throws Exception {
    HttpResponse<String> created = acme.newOrder(account, name);
    assertEquals(201, created.statusCode(), created.body());
    String orderUrl = created.headers().firstValue("Location").orElseThrow();
    String authzUrl = new JsonObject(created.body()).getJsonArray("authorizations").getString(0);
    JsonObject authz = new JsonObject(acme.postKid(account, authzUrl, null).body());
    JsonObject http01 =
        authz.getJsonArray("challenges").stream()
            .map(JsonObject.class::cast)
            .filter(c -> "http-01".equals(c.getString("type")))
            .findFirst()
            .orElseThrow();
    return new Pending(orderUrl, authzUrl, http01);
  }

  private static JsonObject awaitChallenge(String url) throws Exception {
    JsonObject challenge = null;
    for (int i = 0; i < 150; i++) {
      challenge = new JsonObject(acme.postKid(account, url, null).body());
      String status = challenge.getString("status");
      if ("valid".equals(status) || "invalid".equals(status)) {
        return challenge;
      }
      Thread.sleep(200);
    }
    return challenge;
  }

  private static String status(String url) throws Exception {
    return new JsonObject(acme.postKid(account, url, null).body()).getString("status");
  }

  @Test
  void wrongKeyAuthorization() throws Exception {
    Pending p = pending("wrong.clinic-c.test");
    String token = p.http01().getString("token");
    servers.http01.put(token, token + ".not-the-thumbprint");
    HttpResponse<String> triggered =
        acme.postKid(account, p.http01().getString("url"), new JsonObject());
    assertEquals(200, triggered.statusCode(), triggered.body());
    JsonObject challenge = awaitChallenge(p.http01().getString("url"));
    assertEquals("invalid", challenge.getString("status"), challenge.encode());
    JsonObject error = challenge.getJsonObject("error");
    assertNotNull(error, challenge.encode());
    assertEquals(RawAcme.ERROR + "incorrectResponse", error.getString("type"), error.encode());
    assertFalse(error.getString("detail", "").isBlank(), error.encode());
    assertEquals("invalid", status(p.authzUrl()));
    assertEquals("invalid", status(p.orderUrl()));
    assertProblem(
        acme.finalizeOrder(
            account, p.orderUrl(), RawAcme.csr(RawAcme.ecKeys("secp256r1"), "wrong.clinic-c.test")),
        403,
        "orderNotReady",
        "invalid");
    // A failed challenge cannot be retried.
    HttpResponse<String> again =
        acme.postKid(account, p.http01().getString("url"), new JsonObject());
    assertEquals(
        "invalid",
        again.statusCode() == 200 ? new JsonObject(again.body()).getString("status") : "invalid",
        again.body());
  }

  @Test
  void noResponseAtAll() throws Exception {
    Pending p = pending("silent.clinic-c.test");
    HttpResponse<String> triggered =
        acme.postKid(account, p.http01().getString("url"), new JsonObject());
    assertEquals(200, triggered.statusCode(), triggered.body());
    JsonObject challenge = awaitChallenge(p.http01().getString("url"));
    assertEquals("invalid", challenge.getString("status"), challenge.encode());
    JsonObject error = challenge.getJsonObject("error");
    assertNotNull(error, challenge.encode());
    assertFalse(error.getString("detail", "").isBlank(), error.encode());
    assertEquals("invalid", status(p.orderUrl()));
  }

  @Test
  void deactivatedAuthorization() throws Exception {
    Pending p = pending("deact.clinic-c.test");
    HttpResponse<String> r =
        acme.postKid(account, p.authzUrl(), new JsonObject().put("status", "deactivated"));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("deactivated", new JsonObject(r.body()).getString("status"));
    assertEquals("invalid", status(p.orderUrl()));
    assertProblem(
        acme.postKid(account, p.authzUrl(), new JsonObject().put("status", "valid")),
        400,
        "malformed",
        "deactivated");
  }

  @Test
  void accountUpdatesRefused() throws Exception {
    assertProblem(
        acme.postKid(account, account.url(), new JsonObject().put("status", "revoked")),
        400,
        "malformed",
        "deactivated");
    assertProblem(
        acme.postKid(
            account,
            account.url(),
            new JsonObject().put("contact", new io.vertx.core.json.JsonArray().add("tel:1"))),
        400,
        "unsupportedContact");
  }

  @Test
  void certificateUrlWithPayload() throws Exception {
    java.security.cert.X509Certificate cert =
        acme.issue(servers, account, RawAcme.ecKeys("secp256r1"), "payload.clinic-c.test");
    String certUrl =
        acme.directoryUrl.replace("/directory", "/acme/cert/")
            + cert.getSerialNumber().toString(16);
    assertProblem(
        acme.postKid(account, certUrl, new JsonObject()), 400, "malformed", "POST-as-GET");
  }
}
