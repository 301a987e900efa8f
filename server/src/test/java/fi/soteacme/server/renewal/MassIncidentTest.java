package fi.soteacme.server.renewal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The mass case of issue 4: an incident marks 10,000 certificates of one organisation, and every
 * one's renewalInfo, fetched over HTTP, answers the new window.
 */
class MassIncidentTest {
  /** Lumikankaan puheterapia: no other renewal test orders for it. */
  // An organisation no other test of the shared database issues for: the incident marks all of its.
  static final String ORGANISATION = "1.2.246.10.98123884.10.0";

  static final int COUNT = 10_000;
  private static final int CONCURRENCY = 24;

  @Test
  void tenThousandMarkedCertificatesAllAnswerTheNewWindow() throws Exception {
    RenewalFixture f = RenewalFixture.get();
    // Serials in the 18-byte format: 0x01, instance 0, 6 bytes of issue time, 9 "random" bytes
    // (0x5a and the row number); issued by the production CA 100 days ago for 365 days.
    RenewalFixture.await(
        f.db
            .query(
                "insert into certificate (serial, issuer, profile, tbs, der, not_before, not_after,"
                    + " spki_sha256, dns_names, organisation_oid)"
                    + " select '\\x010000'::bytea"
                    + " || substring(int8send((extract(epoch from now()) * 1000)::bigint) from 3)"
                    + " || '\\x5a'::bytea || int8send(g),"
                    + " 'production', 'sote-server', '\\x3000'::bytea, '\\x3000'::bytea,"
                    + " date_trunc('second', now()) - interval '100 days',"
                    + " date_trunc('second', now()) + interval '265 days' - interval '1 second',"
                    + " md5(g::text) || md5('k' || g), array['host' || g || '.puheterapia.test'],"
                    + " '"
                    + ORGANISATION
                    + "' from generate_series(1, "
                    + COUNT
                    + ") g")
            .execute());
    List<byte[]> serials = new ArrayList<>();
    for (Row r :
        RenewalFixture.await(
            f.db
                .query(
                    "select serial from certificate where organisation_oid = '"
                        + ORGANISATION
                        + "' order by id")
                .execute())) {
      serials.add(r.getBuffer(0).getBytes());
    }
    assertEquals(COUNT, serials.size());
    byte[] productionKeyId = f.servers.server.cas().production().subjectKeyIdentifier();

    // Before the incident: the normal window, in the future.
    JsonObject before =
        new JsonObject(
            f.renewalInfo(new CertId(productionKeyId, serials.get(0)).toString()).body());
    assertTrue(
        Instant.parse(before.getJsonObject("suggestedWindow").getString("start"))
            .isAfter(Instant.now()));

    JsonObject marked =
        f.admin.post(
            "/admin/incidents",
            new JsonObject()
                .put("organisation", ORGANISATION)
                .put("explanationUrl", "https://ca.example.test/incidents/puheterapia"));
    assertEquals(COUNT, marked.getInteger("marked"));
    Row markTimes =
        RenewalFixture.await(
                f.db
                    .query(
                        "select min(renewal_marked_at), max(renewal_marked_at) from certificate"
                            + " where organisation_oid = '"
                            + ORGANISATION
                            + "'")
                    .execute())
            .iterator()
            .next();
    Instant markedAt = markTimes.getOffsetDateTime(0).toInstant();
    assertEquals(markedAt, markTimes.getOffsetDateTime(1).toInstant());
    SuggestedWindow expected = SuggestedWindow.immediate(markedAt);

    long started = System.nanoTime();
    Semaphore slots = new Semaphore(CONCURRENCY);
    AtomicInteger right = new AtomicInteger();
    Queue<String> wrong = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<?>> pending = new ArrayList<>();
    for (byte[] serial : serials) {
      String certId = new CertId(productionKeyId, serial).toString();
      slots.acquire();
      pending.add(
          f.http
              .sendAsync(
                  HttpRequest.newBuilder(URI.create(f.renewalInfoUrl(certId))).build(),
                  HttpResponse.BodyHandlers.ofString())
              .whenComplete(
                  (response, error) -> {
                    slots.release();
                    if (error != null) {
                      wrong.add(certId + ": " + error);
                      return;
                    }
                    JsonObject body = new JsonObject(response.body());
                    JsonObject window = body.getJsonObject("suggestedWindow");
                    if (response.statusCode() == 200
                        && expected.start().toString().equals(window.getString("start"))
                        && expected.end().toString().equals(window.getString("end"))
                        && "https://ca.example.test/incidents/puheterapia"
                            .equals(body.getString("explanationURL"))
                        && "21600"
                            .equals(response.headers().firstValue("Retry-After").orElse(""))) {
                      right.incrementAndGet();
                    } else {
                      wrong.add(certId + ": " + response.statusCode() + " " + response.body());
                    }
                  }));
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    System.out.println(
        "renewalInfo of " + COUNT + " marked certificates over HTTPS: " + took.toMillis() + " ms");
    assertEquals(List.of(), wrong.stream().limit(5).toList());
    assertEquals(COUNT, right.get());
  }
}
