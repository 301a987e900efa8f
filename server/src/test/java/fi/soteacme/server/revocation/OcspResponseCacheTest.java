package fi.soteacme.server.revocation;

import static fi.soteacme.server.revocation.RevocationFixture.successful;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.certificate.Serials;
import fi.soteacme.server.db.Database;
import fi.soteacme.server.issuance.IssuingCa;
import fi.soteacme.server.it.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.RevocationReason;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * Signed OCSP answers reused for requests without a nonce: the same bytes while the status in the
 * database is unchanged and half the validity is left; a new answer at once after a revocation,
 * also one made by another process (straight in the database); nonces still signed each time.
 */
class OcspResponseCacheTest {
  private static RevocationFixture fixture;
  private static X509Certificate issuing;
  private static Vertx vertx;
  private static Database database;
  private static Pool pool;

  @BeforeAll
  static void start() throws Exception {
    fixture = new RevocationFixture();
    issuing = fixture.server.cas().production().certificate();
    vertx = Vertx.vertx();
    database = TestServers.openDatabase(fixture.servers.sharedDatabaseUrl());
    pool = database.pool(vertx, 2);
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
    database.close();
  }

  @Test
  void theSameAnswerUntilTheCertificateIsRevoked() throws Exception {
    var issued =
        fixture.issue("ocsp-cache-a.clinic-r.test", KeyPairUtils.createECKeyPair("secp384r1"));
    byte[] request = request(issued.certificate().getSerialNumber(), false);
    byte[] first = post(request);
    assertEquals("good", status(first));
    // ECDSA signatures are randomised: equal bytes are the same signed answer
    assertArrayEquals(first, post(request));
    assertArrayEquals(first, get(request));

    issued.acme().revoke(RevocationReason.KEY_COMPROMISE);
    byte[] revoked = post(request);
    assertEquals("revoked 1", status(revoked));
    assertArrayEquals(revoked, post(request));
  }

  @Test
  void aRevocationStraightInTheDatabaseShowsInTheNextAnswer() throws Exception {
    // another process on the same database revokes: this one's cache must not answer good
    var issued =
        fixture.issue("ocsp-cache-b.clinic-r.test", KeyPairUtils.createECKeyPair("secp384r1"));
    byte[] request = request(issued.certificate().getSerialNumber(), false);
    byte[] good = post(request);
    assertArrayEquals(good, post(request));
    await(
        pool.preparedQuery(
                "update certificate set revoked_at = now(), revocation_reason = 4 where serial = $1")
            .execute(
                Tuple.of(Buffer.buffer(Serials.toBytes(issued.certificate().getSerialNumber())))));
    assertEquals("revoked 4", status(post(request)));
  }

  @Test
  void requestsWithANonceAreSignedEachTime() throws Exception {
    var issued =
        fixture.issue("ocsp-cache-c.clinic-r.test", KeyPairUtils.createECKeyPair("secp384r1"));
    byte[] first = post(request(issued.certificate().getSerialNumber(), true));
    byte[] second = post(request(issued.certificate().getSerialNumber(), true));
    assertEquals("good", status(first));
    assertFalse(java.util.Arrays.equals(first, second));
    assertNotNull(successful(second).getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce));
  }

  @Test
  void reusedForAtMostHalfTheValidity() throws Exception {
    var issued =
        fixture.issue("ocsp-cache-d.clinic-r.test", KeyPairUtils.createECKeyPair("secp384r1"));
    MutableClock clock = new MutableClock(Instant.now());
    IssuingCa ca = fixture.server.cas().production();
    OcspResponderCertificates responders =
        new OcspResponderCertificates(vertx, pool, List.of(ca), clock);
    await(responders.renew());
    OcspService ocsp =
        new OcspService(vertx, pool, List.of(ca), responders, Duration.ofMinutes(60), clock, 100);
    byte[] request = request(issued.certificate().getSerialNumber(), false);

    byte[] first = await(ocsp.answer(request));
    SingleResp single = successful(first).getResponses()[0];
    assertEquals(
        clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofMinutes(60)),
        single.getNextUpdate().toInstant());
    clock.advance(Duration.ofMinutes(29));
    assertArrayEquals(first, await(ocsp.answer(request)));
    clock.advance(Duration.ofMinutes(2));
    byte[] renewed = await(ocsp.answer(request));
    assertFalse(java.util.Arrays.equals(first, renewed));
    assertEquals(
        clock.instant().truncatedTo(ChronoUnit.SECONDS),
        successful(renewed).getResponses()[0].getThisUpdate().toInstant());
    assertEquals(1, ocsp.cachedAnswers());

    // unknown serials are answered, not kept
    await(ocsp.answer(request(BigInteger.valueOf(0x7fff_fff1L), false)));
    assertEquals(1, ocsp.cachedAnswers());
    // without a cache every answer is signed
    OcspService uncached =
        new OcspService(vertx, pool, List.of(ca), responders, Duration.ofMinutes(60), clock, 0);
    assertFalse(
        java.util.Arrays.equals(await(uncached.answer(request)), await(uncached.answer(request))));
  }

  /** "good", "revoked <reason>" or the class of another status; the signature is checked. */
  private static String status(byte[] der) throws Exception {
    BasicOCSPResp basic = successful(der);
    assertTrue(
        basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(basic.getCerts()[0])));
    Object status = basic.getResponses()[0].getCertStatus();
    if (status == null) {
      return "good";
    }
    RevokedStatus revoked = assertInstanceOf(RevokedStatus.class, status);
    return "revoked " + revoked.getRevocationReason();
  }

  private static byte[] request(BigInteger serial, boolean nonce) throws Exception {
    return RevocationFixture.ocspRequest(
        issuing, serial, nonce ? BigInteger.valueOf(System.nanoTime()).toByteArray() : null);
  }

  private static byte[] post(byte[] request) throws Exception {
    HttpResponse<byte[]> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(fixture.ocspUrl()))
                    .header("Content-Type", "application/ocsp-request")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode());
    return response.body();
  }

  private static byte[] get(byte[] request) throws Exception {
    String path =
        java.net.URLEncoder.encode(
            java.util.Base64.getEncoder().encodeToString(request),
            java.nio.charset.StandardCharsets.US_ASCII);
    HttpResponse<byte[]> response = fixture.get("/ocsp/" + path);
    assertEquals(200, response.statusCode());
    return response.body();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** A clock that moves only when told. */
  private static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
