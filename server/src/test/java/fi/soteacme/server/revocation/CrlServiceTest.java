package fi.soteacme.server.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.SoteAcmeServer;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLHolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.RevocationReason;
import org.shredzone.acme4j.util.KeyPairUtils;

/** The CRLs on the status listener, checked with openssl crl and openssl verify -crl_check. */
class CrlServiceTest {
  private static RevocationFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = new RevocationFixture();
  }

  @Test
  void revocationShowsInTheNextCrlAndFailsVerification() throws Exception {
    var issued = fixture.issue("crl-a.clinic-r.test", KeyPairUtils.createECKeyPair("secp384r1"));
    long before = number(fixture.fetchCrl());
    RevocationFixture.Result ok = verify(issued.pem());
    assertEquals(0, ok.exit(), ok.output());
    assertTrue(ok.output().contains(": OK"), ok.output());

    issued.acme().revoke(RevocationReason.SUPERSEDED);
    Path crl = fixture.fetchCrl();
    assertTrue(number(crl) > before, "CRL number grows");
    RevocationFixture.Result text =
        fixture.openssl("crl", "-inform", "DER", "-in", "crl.der", "-text", "-noout");
    assertEquals(0, text.exit(), text.output());
    String serial = issued.certificate().getSerialNumber().toString(16).toUpperCase();
    assertTrue(text.output().contains(serial), text.output());
    assertTrue(text.output().contains("Superseded"), text.output());
    assertTrue(text.output().contains("X509v3 CRL Number"), text.output());
    assertTrue(text.output().contains("X509v3 Authority Key Identifier"), text.output());
    assertTrue(text.output().contains("Next Update"), text.output());
    assertTrue(text.output().contains("sha512WithRSAEncryption"), text.output());
    RevocationFixture.Result revoked = verify(issued.pem());
    assertNotEquals(0, revoked.exit(), revoked.output());
    assertTrue(revoked.output().contains("certificate revoked"), revoked.output());
  }

  @Test
  void servedWithCachingHeadersAndRevalidation() throws Exception {
    HttpResponse<byte[]> first = fixture.get("/crl/production.crl");
    assertEquals(200, first.statusCode());
    assertEquals("application/pkix-crl", first.headers().firstValue("Content-Type").get());
    String cacheControl = first.headers().firstValue("Cache-Control").get();
    assertTrue(cacheControl.matches("public, max-age=\\d+"), cacheControl);
    assertTrue(Long.parseLong(cacheControl.replaceAll("\\D", "")) <= 60, cacheControl);
    assertTrue(first.headers().firstValue("Last-Modified").isPresent());
    String etag = first.headers().firstValue("ETag").get();
    X509CRLHolder crl = new X509CRLHolder(first.body());
    assertTrue(crl.getNextUpdate().after(crl.getThisUpdate()));
    assertTrue(
        crl.isSignatureValid(
            new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder()
                .build(fixture.server.cas().production().certificate().getPublicKey())));

    HttpResponse<byte[]> again =
        fixture.http.send(
            HttpRequest.newBuilder(URI.create(fixture.server.statusUrl() + "/crl/production.crl"))
                .header("If-None-Match", etag)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertTrue(again.statusCode() == 304 || !etag.equals(again.headers().firstValue("ETag").get()));

    HttpResponse<byte[]> test = fixture.get("/crl/test.crl");
    assertEquals(200, test.statusCode());
    assertTrue(new X509CRLHolder(test.body()).getIssuer().toString().contains("TEST"));
  }

  @Test
  void numbersStrictlyIncreaseAcrossProcesses() throws Exception {
    var a = fixture.issue("crl-b.clinic-r.test", KeyPairUtils.createECKeyPair("secp384r1"));
    var b = fixture.issue("crl-c.clinic-r.test", KeyPairUtils.createECKeyPair("secp384r1"));
    long start = number(fixture.fetchCrl());
    Path dir = fixture.servers.dataDir.resolve("server-crl-2");
    try (SoteAcmeServer second = fixture.servers.start(dir, json -> {})) {
      long n1 = revoke(second, a.certificate().getSerialNumber());
      long n2 = revoke(fixture.server, b.certificate().getSerialNumber());
      assertTrue(start < n1 && n1 < n2, start + " < " + n1 + " < " + n2);
      // Both processes serve the newest CRL from the database, listing both revocations.
      for (SoteAcmeServer server : new SoteAcmeServer[] {second, fixture.server}) {
        HttpResponse<byte[]> served =
            fixture.http.send(
                HttpRequest.newBuilder(URI.create(server.statusUrl() + "/crl/production.crl"))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        X509CRLHolder crl = new X509CRLHolder(served.body());
        assertTrue(number(crl) >= n2);
        assertTrue(crl.getRevokedCertificate(a.certificate().getSerialNumber()) != null);
        assertTrue(crl.getRevokedCertificate(b.certificate().getSerialNumber()) != null);
      }
    }
  }

  private static long revoke(SoteAcmeServer server, BigInteger serial) throws Exception {
    HttpResponse<String> response =
        fixture.admin(
            server,
            "/admin/revoke",
            new JsonObject().put("serial", "0x" + serial.toString(16)).put("reason", 4).encode());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body()).getLong("crlNumber");
  }

  private static RevocationFixture.Result verify(Path certificate) throws Exception {
    return fixture.openssl(
        "verify",
        "-crl_check",
        "-CRLfile",
        "crl.pem",
        "-CAfile",
        "root.pem",
        "-untrusted",
        "issuing.pem",
        certificate.toString());
  }

  private static long number(Path pem) throws Exception {
    return number(new X509CRLHolder(Files.readAllBytes(pem.resolveSibling("crl.der"))));
  }

  private static long number(X509CRLHolder crl) {
    return CRLNumber.getInstance(crl.getExtension(Extension.cRLNumber).getParsedValue())
        .getCRLNumber()
        .longValueExact();
  }
}
