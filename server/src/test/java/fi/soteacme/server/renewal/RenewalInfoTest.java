package fi.soteacme.server.renewal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.certificate.Serials;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.RenewalInfo;
import org.shredzone.acme4j.RevocationReason;
import org.shredzone.acme4j.exception.AcmeServerException;

/** RFC 9773 through the ACME API: renewalInfo of issued certificates, incidents, replaces. */
class RenewalInfoTest {
  static final String COUNTY = "1.2.246.10.98123462.10.0";
  static final String PHARMACY = "1.2.246.10.9715328.10.0";

  private static RenewalFixture f;
  private static Login county;

  @BeforeAll
  static void start() throws Exception {
    f = RenewalFixture.get();
    county = f.register(COUNTY, "member");
  }

  private static Certificate issue(String name) throws Exception {
    return f.issue(county.getAccount(), county.getAccount().newOrder().domains(name))
        .getCertificate();
  }

  private static String type(AcmeServerException e) {
    return e.getType().toString().replace("urn:ietf:params:acme:error:", "");
  }

  private static Instant stored(String column, X509Certificate cert) throws Exception {
    var rows =
        RenewalFixture.await(
            f.db
                .preparedQuery("select " + column + " from certificate where serial = $1")
                .execute(Tuple.of(Buffer.buffer(Serials.toBytes(cert.getSerialNumber())))));
    return rows.iterator().next().getOffsetDateTime(0).toInstant();
  }

  @Test
  void directoryNamesRenewalInfo() throws Exception {
    JsonObject directory = new JsonObject(f.get(f.servers.server.directoryUrl()).body());
    assertEquals(
        f.servers.server.config().url("/acme/renewal-info"), directory.getString("renewalInfo"));
  }

  @Test
  void issuedYearCertificateHasTheNormalWindow() throws Exception {
    Certificate cert = issue("ari-normal.county.test");
    X509Certificate x = cert.getCertificate();
    Instant nb = x.getNotBefore().toInstant();
    Instant na = x.getNotAfter().toInstant();
    assertEquals(Duration.ofDays(365), Duration.between(nb, na).plusSeconds(1));

    assertTrue(cert.hasRenewalInfo());
    RenewalInfo info = cert.getRenewalInfo();
    assertEquals(nb.plusSeconds(21_024_000), info.getSuggestedWindowStart());
    assertEquals(na.minus(Duration.ofDays(14)), info.getSuggestedWindowEnd());
    assertTrue(info.getExplanation().isEmpty());

    HttpResponse<String> raw = f.renewalInfo(CertId.of(x).toString());
    assertEquals(200, raw.statusCode());
    assertEquals("21600", raw.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(raw.headers().firstValue("Replay-Nonce").isPresent());
    assertTrue(raw.headers().firstValue("Link").orElseThrow().contains("rel=\"index\""));
    assertTrue(
        raw.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
    JsonObject body = new JsonObject(raw.body());
    assertFalse(body.containsKey("explanationURL"));
    assertEquals(
        SuggestedWindow.normal(nb, na).start().toString(),
        body.getJsonObject("suggestedWindow").getString("start"));
  }

  @Test
  void unknownCertIdIsNotFoundAndMalformedIsMalformed() throws Exception {
    HttpResponse<String> unknown = f.renewalInfo("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE");
    assertEquals(404, unknown.statusCode());
    assertTrue(unknown.headers().firstValue("Content-Type").orElseThrow().contains("problem+json"));
    HttpResponse<String> malformed = f.renewalInfo("not-a-cert-id");
    assertEquals(400, malformed.statusCode());
    assertEquals(
        "urn:ietf:params:acme:error:malformed", new JsonObject(malformed.body()).getString("type"));

    // Right serial, wrong issuer key: not this certificate.
    X509Certificate x = issue("ari-wrong-aki.county.test").getCertificate();
    CertId right = CertId.of(x);
    assertEquals(
        404,
        f.renewalInfo(new CertId(new byte[] {1, 2, 3, 4}, right.serial()).toString()).statusCode());
  }

  @Test
  void revokedCertificateRenewsAtOnce() throws Exception {
    Certificate cert = issue("ari-revoked.county.test");
    cert.revoke(RevocationReason.SUPERSEDED);
    Instant revokedAt = stored("revoked_at", cert.getCertificate());
    JsonObject body =
        new JsonObject(f.renewalInfo(CertId.of(cert.getCertificate()).toString()).body());
    SuggestedWindow expected = SuggestedWindow.immediate(revokedAt);
    assertEquals(
        expected.start().toString(), body.getJsonObject("suggestedWindow").getString("start"));
    assertEquals(expected.end().toString(), body.getJsonObject("suggestedWindow").getString("end"));
    assertTrue(
        Instant.parse(body.getJsonObject("suggestedWindow").getString("end"))
            .isBefore(Instant.now()));
  }

  @Test
  void incidentMarkedCertificateRenewsAtOnceWithTheExplanation() throws Exception {
    Certificate cert = issue("ari-incident.county.test");
    X509Certificate x = cert.getCertificate();
    String hex = Serials.toHex(Serials.toBytes(x.getSerialNumber()));
    JsonObject marked =
        f.admin.post(
            "/admin/incidents",
            new JsonObject()
                .put("serial", hex)
                .put("explanationUrl", "https://ca.example.test/incidents/2026-1"));
    assertEquals(1, marked.getInteger("marked"));
    Instant markedAt = stored("renewal_marked_at", x);

    RenewalInfo info = cert.getRenewalInfo();
    assertEquals(SuggestedWindow.immediate(markedAt).start(), info.getSuggestedWindowStart());
    assertEquals(SuggestedWindow.immediate(markedAt).end(), info.getSuggestedWindowEnd());
    assertEquals(
        "https://ca.example.test/incidents/2026-1", info.getExplanation().orElseThrow().toString());
    assertTrue(info.renewalIsOverdue(Instant.now()));

    // Marking again (here by the decimal serial) keeps the first mark: the window does not move.
    assertEquals(
        1,
        f.admin
            .post(
                "/admin/incidents", new JsonObject().put("serial", x.getSerialNumber().toString()))
            .getInteger("marked"));
    JsonObject again = new JsonObject(f.renewalInfo(CertId.of(x).toString()).body());
    assertEquals(
        SuggestedWindow.immediate(markedAt).start().toString(),
        again.getJsonObject("suggestedWindow").getString("start"));
    assertEquals("https://ca.example.test/incidents/2026-1", again.getString("explanationURL"));
  }

  @Test
  void incidentRequestsAreChecked() throws Exception {
    assertEquals(
        400,
        f.admin
            .send(
                "POST",
                "/admin/incidents",
                new JsonObject().put("serial", "0bf4eab0").put("issuer", "production"))
            .statusCode());
    assertEquals(
        400,
        f.admin
            .send(
                "POST",
                "/admin/incidents",
                new JsonObject().put("issuer", "production").put("explanationUrl", "not a url"))
            .statusCode());
    assertEquals(
        400,
        f.admin
            .send("POST", "/admin/incidents", new JsonObject().put("issuer", "prod"))
            .statusCode());
    HttpResponse<String> unknown =
        f.admin.send("POST", "/admin/incidents", new JsonObject().put("serial", "0xdeadbeef01"));
    assertEquals(400, unknown.statusCode());
    assertTrue(unknown.body().contains("no unexpired certificate"), unknown.body());
  }

  @Test
  void replacesLinksTheRenewalAndACertificateIsReplacedOnce() throws Exception {
    Certificate old = issue("ari-replaced.county.test");
    String certId = CertId.of(old.getCertificate()).toString();
    Order renewal =
        f.issue(
            county.getAccount(),
            county.getAccount().newOrder().domains("ari-replaced.county.test").replaces(old));
    assertEquals(certId, renewal.getJSON().get("replaces").asString());
    renewal.fetch();
    assertEquals(certId, renewal.getJSON().get("replaces").asString());

    AcmeServerException again =
        assertThrows(
            AcmeServerException.class,
            () ->
                county
                    .getAccount()
                    .newOrder()
                    .domains("ari-replaced.county.test")
                    .replaces(old)
                    .create());
    assertEquals("alreadyReplaced", type(again));
    assertEquals(409, again.getProblem().asJSON().get("status").asInt());
  }

  @Test
  void anOrderThatBecameInvalidFreesItsClaim() throws Exception {
    Certificate old = issue("ari-freed.county.test");
    Order first =
        county.getAccount().newOrder().domains("ari-freed-next.county.test").replaces(old).create();
    assertNotNull(first.getJSON().get("replaces").optional().orElse(null));
    // The pending order expires unfinished: invalid to its client, and its claim is freed.
    RenewalFixture.await(
        f.db
            .preparedQuery(
                "update orders set expires_at = now() - interval '1 minute' where id = $1")
            .execute(Tuple.of(orderId(first))));
    Order second =
        county.getAccount().newOrder().domains("ari-freed-next.county.test").replaces(old).create();
    assertEquals(
        CertId.of(old.getCertificate()).toString(), second.getJSON().get("replaces").asString());
  }

  @Test
  void concurrentReplacementsOfOneCertificateLetExactlyOneWin() throws Exception {
    Certificate old = issue("ari-race.county.test");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Callable<String> attempt =
            () -> {
              try {
                county
                    .getAccount()
                    .newOrder()
                    .domains("ari-race.county.test")
                    .replaces(old)
                    .create();
                return "created";
              } catch (AcmeServerException e) {
                return type(e);
              }
            };
        results.add(pool.submit(attempt));
      }
      List<String> outcomes = new ArrayList<>();
      for (Future<String> r : results) {
        outcomes.add(r.get());
      }
      assertEquals(1, outcomes.stream().filter("created"::equals).count(), outcomes.toString());
      assertEquals(
          3, outcomes.stream().filter("alreadyReplaced"::equals).count(), outcomes.toString());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anotherOrganisationsCertificateCannotBeReplaced() throws Exception {
    Certificate countyCert = issue("ari-foreign.county.test");
    Login pharmacy = f.register(PHARMACY, "member");
    AcmeServerException e =
        assertThrows(
            AcmeServerException.class,
            () ->
                pharmacy
                    .getAccount()
                    .newOrder()
                    .domains("ari.pharmacy.test")
                    .replaces(countyCert)
                    .create());
    assertEquals("unauthorized", type(e));
    assertTrue(e.getMessage().contains(PHARMACY), e.getMessage());
  }

  @Test
  void replacesNamingNoKnownCertificateIsMalformed() throws Exception {
    AcmeServerException unknown =
        assertThrows(
            AcmeServerException.class,
            () ->
                county
                    .getAccount()
                    .newOrder()
                    .domains("ari-unknown.county.test")
                    .replaces("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE")
                    .create());
    assertEquals("malformed", type(unknown));
    assertTrue(unknown.getMessage().contains("no certificate known here"), unknown.getMessage());
    AcmeServerException garbled =
        assertThrows(
            AcmeServerException.class,
            () ->
                county
                    .getAccount()
                    .newOrder()
                    .domains("ari-unknown.county.test")
                    .replaces("garbled")
                    .create());
    assertEquals("malformed", type(garbled));
  }

  static long orderId(Order order) {
    String path = order.getLocation().getPath();
    return Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
  }
}
