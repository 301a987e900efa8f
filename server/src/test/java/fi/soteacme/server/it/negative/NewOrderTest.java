package fi.soteacme.server.it.negative;

import static fi.soteacme.server.it.negative.RawAcme.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fi.soteacme.server.it.TestServers;
import fi.soteacme.server.it.negative.RawAcme.Account;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.security.Security;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8555 §7.4 newOrder refused: identifiers, profiles, requested validity. */
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
}
