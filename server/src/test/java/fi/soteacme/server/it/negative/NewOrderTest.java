package fi.soteacme.server.it.negative;

import static fi.soteacme.server.it.negative.RawAcme.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.config.ServerConfig;
import fi.soteacme.server.it.TestServers;
import fi.soteacme.server.it.negative.RawAcme.Account;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.security.Security;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 8555 §7.4 newOrder refused: identifiers, profiles, requested validity; and what a new order
 * holds.
 */
class NewOrderTest {
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

  private static HttpResponse<String> order(JsonObject payload) throws Exception {
    return acme.postKid(account, acme.url("newOrder"), payload);
  }

  private static JsonObject identifier(String type, String value) {
    return new JsonObject().put("type", type).put("value", value);
  }

  private static JsonObject identifiers(JsonObject... ids) {
    return new JsonObject().put("identifiers", new JsonArray(List.of((Object[]) ids)));
  }

  @ParameterizedTest
  @CsvSource({
    "ip, 192.0.2.1, rejectedIdentifier, IP address",
    "ip, 2001:db8::1, rejectedIdentifier, IP address",
    "dns, 192.0.2.1, rejectedIdentifier, IP address",
    "dns, trailing.clinic-o.test., rejectedIdentifier, dot",
    "dns, under_score.clinic-o.test, rejectedIdentifier, under_score",
    "dns, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.clinic-o.test,"
        + " rejectedIdentifier, 63",
    "dns, www.clinic-o.example, rejectedIdentifier, .example",
    "dns, www.clinic-o.invalid, rejectedIdentifier, reserved",
    "dns, localhost, rejectedIdentifier, fully qualified",
    "dns, -lead.clinic-o.test, rejectedIdentifier, -lead",
    "dns, a..b.test, rejectedIdentifier, empty label",
    "dns, x.*.clinic-o.test, rejectedIdentifier, wildcard",
    "email, ops@clinic-o.test, unsupportedIdentifier, email",
    "sote-unknown, 1.2.3, unsupportedIdentifier, sote-unknown"
  })
  void identifierRefused(String type, String value, String problem, String fragment)
      throws Exception {
    JsonObject doc =
        assertProblem(order(identifiers(identifier(type, value))), 400, problem, fragment);
    JsonArray subs = doc.getJsonArray("subproblems");
    assertEquals(1, subs.size(), doc.encode());
    JsonObject sub = subs.getJsonObject(0);
    assertEquals(RawAcme.ERROR + problem, sub.getString("type"), doc.encode());
    assertEquals(identifier(type, value), sub.getJsonObject("identifier"), doc.encode());
  }

  @Test
  void twoBadIdentifiersGiveOneSubproblemEach() throws Exception {
    JsonObject doc =
        assertProblem(
            order(
                identifiers(
                    identifier("dns", "ok.clinic-o.test"),
                    identifier("dns", "bad_one.clinic-o.test"),
                    identifier("ip", "198.51.100.7"))),
            400,
            "rejectedIdentifier",
            "subproblems");
    JsonArray subs = doc.getJsonArray("subproblems");
    assertEquals(2, subs.size(), doc.encode());
    assertEquals(
        identifier("dns", "bad_one.clinic-o.test"),
        subs.getJsonObject(0).getJsonObject("identifier"));
    assertEquals(
        identifier("ip", "198.51.100.7"), subs.getJsonObject(1).getJsonObject("identifier"));
    for (Object sub : subs) {
      assertEquals(
          RawAcme.ERROR + "rejectedIdentifier", ((JsonObject) sub).getString("type"), doc.encode());
    }
  }

  @Test
  void mixedProblemTypesInSubproblems() throws Exception {
    JsonObject doc =
        assertProblem(
            order(
                identifiers(
                    identifier("email", "ops@clinic-o.test"),
                    identifier("dns", "bad_two.clinic-o.test"))),
            400,
            "rejectedIdentifier");
    JsonArray subs = doc.getJsonArray("subproblems");
    assertEquals(RawAcme.ERROR + "unsupportedIdentifier", subs.getJsonObject(0).getString("type"));
    assertEquals(RawAcme.ERROR + "rejectedIdentifier", subs.getJsonObject(1).getString("type"));
  }

  @Test
  void noIdentifiers() throws Exception {
    assertProblem(order(new JsonObject()), 400, "malformed", "identifiers");
    assertProblem(
        order(new JsonObject().put("identifiers", new JsonArray())),
        400,
        "malformed",
        "identifiers");
    assertProblem(acme.postKid(account, acme.url("newOrder"), null), 400, "malformed", "payload");
  }

  @Test
  void unknownProfile() throws Exception {
    JsonObject payload = RawAcme.orderPayload("p.clinic-o.test").put("profile", "no-such-profile");
    assertProblem(order(payload), 400, "invalidProfile", "sote-server");
  }

  @Test
  void notAfterBeyondTheCap() throws Exception {
    Instant start = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    JsonObject payload =
        RawAcme.orderPayload("long.clinic-o.test")
            .put("notBefore", start.toString())
            .put("notAfter", start.plus(Duration.ofDays(365)).toString());
    // 365 days plus the second both ends count is one second over the cap.
    assertProblem(order(payload), 400, "malformed", "365 days");
    payload.put("notAfter", start.plus(Duration.ofDays(365)).minusSeconds(1).toString());
    HttpResponse<String> exact = order(payload);
    assertEquals(201, exact.statusCode(), exact.body());
  }

  @Test
  void notAfterWithoutNotBeforeBeyondTheCap() throws Exception {
    JsonObject payload =
        RawAcme.orderPayload("long2.clinic-o.test")
            .put("notAfter", Instant.now().plus(Duration.ofDays(400)).toString());
    assertProblem(order(payload), 400, "malformed", "365 days");
  }

  @Test
  void notBeforeInThePast() throws Exception {
    JsonObject payload =
        RawAcme.orderPayload("past.clinic-o.test")
            .put("notBefore", Instant.now().minus(Duration.ofDays(2)).toString());
    assertProblem(order(payload), 400, "malformed", "past");
  }

  @Test
  void notAfterBeforeNotBefore() throws Exception {
    Instant start = Instant.now().plus(Duration.ofDays(1));
    JsonObject payload =
        RawAcme.orderPayload("reverse.clinic-o.test")
            .put("notBefore", start.toString())
            .put("notAfter", start.minus(Duration.ofHours(1)).toString());
    assertProblem(order(payload), 400, "malformed", "notAfter");
  }

  @Test
  void dateThatIsNotRfc3339() throws Exception {
    JsonObject payload = RawAcme.orderPayload("date.clinic-o.test").put("notAfter", "next tuesday");
    assertProblem(order(payload), 400, "malformed", "RFC 3339");
  }

  /**
   * Each identifier gets its authorization, listed in the order of the identifiers, and each
   * authorization its challenges in a fixed order, every one with a token of its own; the new order
   * is the order as stored.
   */
  @Test
  void everyIdentifierGetsItsAuthorizationWithItsChallengesInOrder() throws Exception {
    HttpResponse<String> created =
        order(
            identifiers(
                identifier("sote-org", ServerConfig.DEMO_ORGANISATION),
                identifier("dns", "b.contents-o.test"),
                identifier("dns", "a.contents-o.test"),
                identifier("dns", "*.w.contents-o.test")));
    assertEquals(201, created.statusCode(), created.body());
    JsonObject order = new JsonObject(created.body());
    String orderUrl = created.headers().firstValue("Location").orElseThrow();
    assertEquals(new JsonObject(acme.postKid(account, orderUrl, null).body()), order);
    assertEquals("pending", order.getString("status"));

    JsonArray authorizations = order.getJsonArray("authorizations");
    assertEquals(4, authorizations.size(), order.encode());
    List<JsonObject> authz = new ArrayList<>();
    for (Object url : authorizations) {
      HttpResponse<String> r = acme.postKid(account, (String) url, null);
      assertEquals(200, r.statusCode(), r.body());
      authz.add(new JsonObject(r.body()));
    }
    assertEquals(
        identifier("sote-org", ServerConfig.DEMO_ORGANISATION),
        authz.get(0).getJsonObject("identifier"));
    assertEquals("valid", authz.get(0).getString("status"));
    assertEquals(List.of("sote-register-01"), types(authz.get(0)));
    JsonObject register = authz.get(0).getJsonArray("challenges").getJsonObject(0);
    assertEquals("valid", register.getString("status"));
    assertNotNull(register.getString("validated"), register.encode());

    assertEquals(identifier("dns", "b.contents-o.test"), authz.get(1).getJsonObject("identifier"));
    assertEquals(identifier("dns", "a.contents-o.test"), authz.get(2).getJsonObject("identifier"));
    for (JsonObject a : authz.subList(1, 3)) {
      assertEquals("pending", a.getString("status"));
      assertEquals(List.of("http-01", "dns-01", "tls-alpn-01"), types(a));
    }
    assertEquals(identifier("dns", "w.contents-o.test"), authz.get(3).getJsonObject("identifier"));
    assertEquals(true, authz.get(3).getBoolean("wildcard"));
    assertEquals(List.of("dns-01"), types(authz.get(3)));

    Set<String> tokens = new HashSet<>();
    long lastId = 0;
    for (JsonObject a : authz) {
      for (Object o : a.getJsonArray("challenges")) {
        JsonObject challenge = (JsonObject) o;
        assertTrue(tokens.add(challenge.getString("token")), a.encode());
        String url = challenge.getString("url");
        long id = Long.parseLong(url.substring(url.lastIndexOf('/') + 1));
        assertTrue(id > lastId, "challenge ids follow the listed order: " + a.encode());
        lastId = id;
        if (!"valid".equals(a.getString("status"))) {
          assertEquals("pending", challenge.getString("status"), a.encode());
          assertNull(challenge.getString("validated"), a.encode());
        }
      }
    }
  }

  private static List<String> types(JsonObject authorization) {
    return authorization.getJsonArray("challenges").stream()
        .map(c -> ((JsonObject) c).getString("type"))
        .toList();
  }
}
