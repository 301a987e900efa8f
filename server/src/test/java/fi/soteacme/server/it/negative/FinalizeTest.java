package fi.soteacme.server.it.negative;

import static fi.soteacme.server.it.negative.RawAcme.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.it.TestServers;
import fi.soteacme.server.it.negative.RawAcme.Account;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.Security;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 8555 §7.4 finalize refused: order not ready, bad CSRs, bad keys, concurrent finalize. */
class FinalizeTest {
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

  private static String status(String orderUrl) throws Exception {
    return new JsonObject(acme.postKid(account, orderUrl, null).body()).getString("status");
  }

  @Test
  void pendingOrder() throws Exception {
    HttpResponse<String> created = acme.newOrder(account, "pending.clinic-f.test");
    assertEquals(201, created.statusCode(), created.body());
    String orderUrl = created.headers().firstValue("Location").orElseThrow();
    KeyPair keys = RawAcme.ecKeys("secp256r1");
    assertProblem(
        acme.finalizeOrder(account, orderUrl, RawAcme.csr(keys, "pending.clinic-f.test")),
        403,
        "orderNotReady",
        "pending");
    assertEquals("pending", status(orderUrl));
  }

  @Test
  void badCsrsLeaveTheOrderReady() throws Exception {
    String a = "a.clinic-f.test";
    String b = "b.clinic-f.test";
    String orderUrl = acme.readyOrder(servers, account, a, b);
    KeyPair keys = RawAcme.ecKeys("secp256r1");

    assertProblem(acme.finalizeOrder(account, orderUrl, RawAcme.csr(keys, a)), 400, "badCSR", b);
    assertProblem(
        acme.finalizeOrder(account, orderUrl, RawAcme.csr(keys, a, b, "c.clinic-f.test")),
        400,
        "badCSR",
        "c.clinic-f.test");
    assertProblem(
        acme.finalizeOrder(account, orderUrl, RawAcme.csr(account.keys(), a, b)),
        400,
        "badCSR",
        "account key");
    assertProblem(
        acme.finalizeOrder(account, orderUrl, RawAcme.csr(RawAcme.rsaKeys(1024), a, b)),
        400,
        "badPublicKey",
        "1024");
    assertProblem(
        acme.finalizeOrder(account, orderUrl, "not a certificate request".getBytes()),
        400,
        "badCSR",
        "PKCS#10");
    JsonObject order = new JsonObject(acme.postKid(account, orderUrl, null).body());
    assertProblem(
        acme.postKid(account, order.getString("finalize"), new JsonObject().put("csr", "!!!")),
        400,
        "badCSR",
        "base64url");
    assertProblem(
        acme.postKid(account, order.getString("finalize"), new JsonObject()),
        400,
        "malformed",
        "csr");
    assertEquals("ready", status(orderUrl));

    HttpResponse<String> good = acme.finalizeOrder(account, orderUrl, RawAcme.csr(keys, b, a));
    assertEquals(200, good.statusCode(), good.body());
    assertEquals(orderUrl, good.headers().firstValue("Location").orElseThrow());
    JsonObject finalized = new JsonObject(good.body());
    assertEquals("valid", finalized.getString("status"), good.body());
    assertTrue(finalized.getString("certificate").contains("/acme/cert/"), good.body());
    // RFC 8555 §7.4: the answer to finalize is the order object, as a read of the order gives it.
    assertEquals(acme.awaitOrder(account, orderUrl, "valid"), finalized);

    assertProblem(
        acme.finalizeOrder(account, orderUrl, RawAcme.csr(keys, a, b)),
        403,
        "orderNotReady",
        "finalized");
  }

  @Test
  void concurrentFinalizeIssuesOneCertificate() throws Exception {
    String name = "race.clinic-f.test";
    String orderUrl = acme.readyOrder(servers, account, name);
    String finalizeUrl =
        new JsonObject(acme.postKid(account, orderUrl, null).body()).getString("finalize");
    byte[] csr = RawAcme.csr(RawAcme.ecKeys("secp256r1"), name);
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    List<HttpRequest> requests = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      JsonObject jws =
          RawAcme.jws(
              acme.kidHeader(account, finalizeUrl, acme.nonce()),
              new JsonObject().put("csr", RawAcme.b64(csr)).encode(),
              account.alg(),
              account.keys().getPrivate());
      requests.add(
          HttpRequest.newBuilder(URI.create(finalizeUrl))
              .header("Content-Type", RawAcme.JOSE)
              .POST(HttpRequest.BodyPublishers.ofString(jws.encode()))
              .build());
    }
    for (HttpRequest request : requests) {
      sent.add(acme.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }
    int accepted = 0;
    for (CompletableFuture<HttpResponse<String>> f : sent) {
      HttpResponse<String> r = f.join();
      if (r.statusCode() == 200) {
        accepted++;
        String status = new JsonObject(r.body()).getString("status");
        assertTrue(List.of("processing", "valid").contains(status), r.body());
      } else {
        assertProblem(r, 403, "orderNotReady");
      }
    }
    assertTrue(accepted >= 1, "at least one finalize must succeed");
    JsonObject order = acme.awaitOrder(account, orderUrl, "valid");
    assertEquals("valid", order.getString("status"), order.encode());
    // However many were accepted, the order has exactly one certificate.
    String certificate = order.getString("certificate");
    assertEquals(2, acme.download(account, certificate).size());
    long orderId = Long.parseLong(orderUrl.substring(orderUrl.lastIndexOf('/') + 1));
    try (Connection db = servers.postgres.getPostgresDatabase().getConnection();
        PreparedStatement q =
            db.prepareStatement("select count(*) from certificate where order_id = ?")) {
      q.setLong(1, orderId);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        assertEquals(1, rs.getLong(1), "certificates recorded for order " + orderId);
      }
    }
    for (int i = 0; i < 3; i++) {
      assertEquals(
          certificate,
          new JsonObject(acme.postKid(account, orderUrl, null).body()).getString("certificate"));
    }
  }
}
