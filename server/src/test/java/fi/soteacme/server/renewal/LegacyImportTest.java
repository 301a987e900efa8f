package fi.soteacme.server.renewal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.issuance.CertificateIssuer;
import fi.soteacme.server.issuance.IssuingCa;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Identifier;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.RevocationReason;
import org.shredzone.acme4j.exception.AcmeServerException;

/**
 * Certificates from the old manual process (testdata/legacy): imported through the operator API,
 * then given renewal information, named in replaces and revoked through ACME.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LegacyImportTest {
  static final String COUNTY = "1.2.246.10.98123462.10.0";
  static final String COUNTY_UNIT = "1.2.246.10.98123462.10.2";
  static final String PHARMACY = "1.2.246.10.9715328.10.0";
  static final String LEGACY_ISSUER =
      "external:CN=Legacy TEST CA for Social Welfare and Healthcare - fictional,"
          + "O=sote-acme testdata (fictional),C=FI";

  private static RenewalFixture f;
  private static Login county;

  @BeforeAll
  static void start() throws Exception {
    f = RenewalFixture.get();
    county = f.register(COUNTY, "member");
    byte[] pem =
        (new String(LegacyTestdata.bytes("county-0bf4eab0.pem"), StandardCharsets.US_ASCII)
                + new String(
                    LegacyTestdata.bytes("county-unit-9c2d71.pem"), StandardCharsets.US_ASCII))
            .getBytes(StandardCharsets.US_ASCII);
    HttpResponse<String> r = f.adminPostRaw("/admin/certificates/import", pem);
    assertEquals(200, r.statusCode(), r.body());
    JsonArray imported = new JsonObject(r.body()).getJsonArray("certificates");
    assertEquals(2, imported.size());
    JsonObject first = imported.getJsonObject(0);
    assertEquals("0bf4eab0", first.getString("serial"));
    assertEquals("200600240", first.getString("serialDecimal"));
    assertEquals(COUNTY, first.getString("organisation"));
    assertEquals(LEGACY_ISSUER, first.getString("issuer"));
    assertEquals("imported", first.getString("status"));
    assertEquals(
        CertId.of(LegacyTestdata.certificate("county-0bf4eab0.pem")).toString(),
        first.getString("certID"));
    assertEquals("9c2d71", imported.getJsonObject(1).getString("serial"));
    assertEquals(COUNTY_UNIT, imported.getJsonObject(1).getString("organisation"));
  }

  @Test
  @Order(1)
  void derIsImportedAndASecondImportChangesNothing() throws Exception {
    X509Certificate pharmacy = LegacyTestdata.certificate("pharmacy-5a3c.pem");
    HttpResponse<String> r = f.adminPostRaw("/admin/certificates/import", pharmacy.getEncoded());
    assertEquals(200, r.statusCode(), r.body());
    JsonObject json = new JsonObject(r.body()).getJsonArray("certificates").getJsonObject(0);
    assertEquals("5a3c", json.getString("serial"));
    assertEquals(PHARMACY, json.getString("organisation"));
    assertEquals("imported", json.getString("status"));
    HttpResponse<String> again =
        f.adminPostRaw("/admin/certificates/import", pharmacy.getEncoded());
    assertEquals(
        "alreadyImported",
        new JsonObject(again.body())
            .getJsonArray("certificates")
            .getJsonObject(0)
            .getString("status"));
  }

  @Test
  @Order(2)
  void importedCertificateHasTheNormalWindowOfItsOwnLifetime() throws Exception {
    X509Certificate legacy = LegacyTestdata.certificate("county-0bf4eab0.pem");
    HttpResponse<String> r = f.renewalInfo(CertId.of(legacy).toString());
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("21600", r.headers().firstValue("Retry-After").orElseThrow());
    JsonObject window = new JsonObject(r.body()).getJsonObject("suggestedWindow");
    // 730 days from 2025-03-01: L = 63,072,000 s, start = notBefore + 486 d 16 h.
    assertEquals("2026-06-30T16:00:00Z", window.getString("start"));
    assertEquals("2027-02-14T23:59:59Z", window.getString("end"));
    // The certID of a serial with its top bit set carries the zero octet.
    assertEquals(
        200,
        f.renewalInfo(CertId.of(LegacyTestdata.certificate("county-unit-9c2d71.pem")).toString())
            .statusCode());
  }

  @Test
  @Order(3)
  void importedCertificatesCanBeReplaced() throws Exception {
    X509Certificate legacy = LegacyTestdata.certificate("county-0bf4eab0.pem");
    org.shredzone.acme4j.Order order =
        county
            .getAccount()
            .newOrder()
            .domains("legacy-successor.county.test")
            .replaces(legacy)
            .create();
    assertEquals(CertId.of(legacy).toString(), order.getJSON().get("replaces").asString());

    // The unit's certificate is replaced by an order for the unit (named by sote-org).
    X509Certificate unit = LegacyTestdata.certificate("county-unit-9c2d71.pem");
    org.shredzone.acme4j.Order unitOrder =
        county
            .getAccount()
            .newOrder()
            .identifier(new Identifier("sote-org", COUNTY_UNIT))
            .domain("legacy.county-unit.test")
            .replaces(unit)
            .create();
    assertEquals(CertId.of(unit).toString(), unitOrder.getJSON().get("replaces").asString());
    // The county itself is another organisation than the unit's certificate.
    AcmeServerException e =
        assertThrows(
            AcmeServerException.class,
            () ->
                county
                    .getAccount()
                    .newOrder()
                    .domains("legacy-other.county.test")
                    .replaces(LegacyTestdata.certificate("pharmacy-5a3c.pem"))
                    .create());
    assertEquals("urn:ietf:params:acme:error:unauthorized", e.getType().toString());
  }

  @Test
  @Order(4)
  void importedCertificatesAreRevokedByALinkedAccountOnly() throws Exception {
    X509Certificate pharmacyCert = LegacyTestdata.certificate("pharmacy-5a3c.pem");
    AcmeServerException refused =
        assertThrows(
            AcmeServerException.class,
            () -> Certificate.revoke(county, pharmacyCert, RevocationReason.SUPERSEDED));
    assertEquals("urn:ietf:params:acme:error:unauthorized", refused.getType().toString());

    X509Certificate legacy = LegacyTestdata.certificate("county-unit-9c2d71.pem");
    Certificate.revoke(county, legacy, RevocationReason.CESSATION_OF_OPERATION);
    JsonObject window =
        new JsonObject(f.renewalInfo(CertId.of(legacy).toString()).body())
            .getJsonObject("suggestedWindow");
    assertTrue(Instant.parse(window.getString("end")).isBefore(Instant.now()));
    AcmeServerException twice =
        assertThrows(
            AcmeServerException.class,
            () -> Certificate.revoke(county, legacy, RevocationReason.SUPERSEDED));
    assertEquals("urn:ietf:params:acme:error:alreadyRevoked", twice.getType().toString());
  }

  @Test
  @Order(5)
  void aCertificateOfAnUnregisteredOrganisationRefusesTheWholeBatch() throws Exception {
    X509Certificate good = legacyCertificate(new BigInteger("7e0001", 16), COUNTY);
    X509Certificate stranger =
        legacyCertificate(new BigInteger("7e0002", 16), "1.2.246.10.11111111.10.0");
    byte[] batch = (pem(good) + pem(stranger)).getBytes(StandardCharsets.US_ASCII);
    HttpResponse<String> r = f.adminPostRaw("/admin/certificates/import", batch);
    assertEquals(400, r.statusCode());
    String error = new JsonObject(r.body()).getString("error");
    assertTrue(error.contains("7e0002") && error.contains("not in the THL-SOTE"), error);
    assertEquals(404, f.renewalInfo(CertId.of(good).toString()).statusCode());

    HttpResponse<String> garbage =
        f.adminPostRaw("/admin/certificates/import", "hello".getBytes(StandardCharsets.US_ASCII));
    assertEquals(400, garbage.statusCode());
  }

  @Test
  @Order(6)
  void aCertificateSignedByACaHeldHereIsRecordedUnderItsName() throws Exception {
    IssuingCa test = f.servers.server.cas().test();
    X509Certificate cert =
        LegacyTestdata.issue(
            test.certificate(),
            test.privateKey(),
            LegacyTestdata.rsa().getPublic(),
            new BigInteger("7e0003", 16),
            COUNTY,
            "Järvilaakson hyvinvointialue",
            "Järvilaakson hyvinvointialue",
            "held.county.test",
            "held.county.test",
            Instant.now().truncatedTo(ChronoUnit.SECONDS),
            Duration.ofDays(365));
    HttpResponse<String> r = f.adminPostRaw("/admin/certificates/import", cert.getEncoded());
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(
        "test",
        new JsonObject(r.body()).getJsonArray("certificates").getJsonObject(0).getString("issuer"));
    assertEquals(200, f.renewalInfo(CertId.of(cert).toString()).statusCode());
    // Its chain is served as an issued certificate's: the leaf, then the issuing CA (no root).
    HttpResponse<String> chain = f.get(f.servers.server.config().url("/acme/cert/7e0003"));
    assertEquals(200, chain.statusCode());
    assertEquals(
        CertificateIssuer.toPem(cert.getEncoded())
            + CertificateIssuer.toPem(test.certificate().getEncoded()),
        chain.body());
  }

  @Test
  @Order(6)
  void aCertificateOfAnExternalCaIsServedAlone() throws Exception {
    X509Certificate pharmacy = LegacyTestdata.certificate("pharmacy-5a3c.pem");
    HttpResponse<String> chain = f.get(f.servers.server.config().url("/acme/cert/5a3c"));
    assertEquals(200, chain.statusCode());
    assertEquals(CertificateIssuer.toPem(pharmacy.getEncoded()), chain.body());
  }

  @Test
  @Order(7)
  void anIncidentByIssuerMarksTheImportedCertificatesOfAnExternalCa() throws Exception {
    JsonObject marked =
        f.admin.post(
            "/admin/incidents",
            new JsonObject()
                .put("issuer", LEGACY_ISSUER)
                .put("explanationUrl", "https://ca.example.test/incidents/legacy"));
    // 0bf4eab0, 9c2d71 and 5a3c are unexpired.
    assertEquals(3, marked.getInteger("marked"));
    JsonObject info =
        new JsonObject(
            f.renewalInfo(CertId.of(LegacyTestdata.certificate("pharmacy-5a3c.pem")).toString())
                .body());
    assertEquals("https://ca.example.test/incidents/legacy", info.getString("explanationURL"));
    assertTrue(
        Instant.parse(info.getJsonObject("suggestedWindow").getString("end"))
            .isBefore(Instant.now()));
  }

  private static X509Certificate legacyCertificate(BigInteger serial, String oid) throws Exception {
    return LegacyTestdata.issue(
        LegacyTestdata.ca(),
        LegacyTestdata.caKey(),
        LegacyTestdata.rsa().getPublic(),
        serial,
        oid,
        "Testi",
        "Testi",
        "Testi_jarjestelma",
        null,
        Instant.parse("2026-01-01T00:00:00Z"),
        Duration.ofDays(730));
  }

  private static String pem(X509Certificate cert) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + java.util.Base64.getMimeEncoder().encodeToString(cert.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }
}
