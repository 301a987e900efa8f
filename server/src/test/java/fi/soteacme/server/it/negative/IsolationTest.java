package fi.soteacme.server.it.negative;

import static fi.soteacme.server.it.negative.RawAcme.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fi.soteacme.server.it.TestServers;
import fi.soteacme.server.it.negative.RawAcme.Account;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One account never sees another's orders, authorizations or challenges: they answer 404 as a
 * missing resource would, so their existence is not revealed either.
 */
class IsolationTest {
  private static TestServers servers;
  private static RawAcme acme;
  private static Account owner;
  private static Account stranger;
  private static String orderUrl;
  private static JsonObject order;
  private static JsonObject authz;

  @BeforeAll
  static void start() throws Exception {
    Security.addProvider(new BouncyCastleProvider());
    servers = TestServers.get();
    acme = RawAcme.of(servers);
    owner = acme.register(servers);
    stranger = acme.register(servers);
    HttpResponse<String> created = acme.newOrder(owner, "private.clinic-i.test");
    assertEquals(201, created.statusCode(), created.body());
    orderUrl = created.headers().firstValue("Location").orElseThrow();
    order = new JsonObject(created.body());
    String authzUrl = order.getJsonArray("authorizations").getString(0);
    authz = new JsonObject(acme.postKid(owner, authzUrl, null).body());
  }

  @Test
  void orderOfAnotherAccount() throws Exception {
    assertProblem(acme.postKid(stranger, orderUrl, null), 404, "malformed", "order");
    assertEquals(200, acme.postKid(owner, orderUrl, null).statusCode());
  }

  @Test
  void finalizeOfAnotherAccountsOrder() throws Exception {
    assertProblem(
        acme.postKid(
            stranger,
            order.getString("finalize"),
            new JsonObject()
                .put(
                    "csr",
                    RawAcme.b64(
                        RawAcme.csr(RawAcme.ecKeys("secp256r1"), "private.clinic-i.test")))),
        404,
        "malformed");
  }

  @Test
  void authorizationOfAnotherAccount() throws Exception {
    String authzUrl = order.getJsonArray("authorizations").getString(0);
    assertProblem(acme.postKid(stranger, authzUrl, null), 404, "malformed");
    assertProblem(
        acme.postKid(stranger, authzUrl, new JsonObject().put("status", "deactivated")),
        404,
        "malformed");
    assertEquals(
        "pending", new JsonObject(acme.postKid(owner, authzUrl, null).body()).getString("status"));
  }

  @Test
  void challengeOfAnotherAccount() throws Exception {
    String challengeUrl = authz.getJsonArray("challenges").getJsonObject(0).getString("url");
    assertProblem(acme.postKid(stranger, challengeUrl, null), 404, "malformed");
    assertProblem(acme.postKid(stranger, challengeUrl, new JsonObject()), 404, "malformed");
    assertEquals(
        "pending",
        new JsonObject(acme.postKid(owner, challengeUrl, null).body()).getString("status"));
  }

  @Test
  void accountAndOrdersListOfAnotherAccount() throws Exception {
    assertProblem(acme.postKid(stranger, owner.url(), null), 403, "unauthorized");
    assertProblem(acme.postKid(stranger, owner.url() + "/orders", null), 403, "unauthorized");
  }

  @Test
  void missingResources() throws Exception {
    String base = acme.directoryUrl.replace("/directory", "");
    assertProblem(acme.postKid(owner, base + "/acme/order/987654321", null), 404, "malformed");
    assertProblem(acme.postKid(owner, base + "/acme/authz/987654321", null), 404, "malformed");
    assertProblem(acme.postKid(owner, base + "/acme/chall/987654321", null), 404, "malformed");
    assertProblem(acme.get(base + "/acme/cert/0123456789abcdef"), 404, "malformed");
  }

  @Test
  void resourceIdsThatAreNotNumbers() throws Exception {
    String base = acme.directoryUrl.replace("/directory", "");
    assertProblem(acme.postKid(owner, base + "/acme/order/abc", null), 404, "malformed");
    assertProblem(acme.get(base + "/acme/cert/not-hex"), 404, "malformed");
  }

  @Test
  void getInsteadOfPostAsGet() throws Exception {
    assertProblem(acme.get(orderUrl), 405, "malformed", "GET");
    assertProblem(acme.get(order.getJsonArray("authorizations").getString(0)), 405, "malformed");
    assertProblem(acme.get(owner.url()), 405, "malformed");
  }
}
