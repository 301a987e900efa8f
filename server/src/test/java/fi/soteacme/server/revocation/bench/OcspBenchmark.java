package fi.soteacme.server.revocation.bench;

import fi.soteacme.server.SoteAcmeServer;
import fi.soteacme.server.config.ServerConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * The revocation benchmark of bench/ocsp/README.md (not a test): a database of 1,000,000 production
 * certificates of which 100,000 are revoked, then the time to sign the CRL of those revoked, and
 * OCSP responses per second from concurrent clients on loopback.
 *
 * <p>Arguments: {@code [seconds=20] [concurrency=64] [--hold]}. With {@code --hold} it writes
 * prepared requests to {@code target/ocsp-bench/} and keeps serving, for wrk (see the README).
 */
public final class OcspBenchmark {
  static final int CERTIFICATES = 1_000_000;
  static final int REVOKED_EVERY = 10;

  /** Serials are 0x01 followed by the row number in 17 bytes: 18 bytes, as issued ones. */
  static final BigInteger SERIAL_BASE = BigInteger.ONE.shiftLeft(8 * 17);

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    boolean hold = List.of(args).contains("--hold");
    Path dir = Files.createTempDirectory("sote-acme-ocsp-bench");
    try (EmbeddedPostgres postgres =
        EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).start()) {
      String jdbc = postgres.getJdbcUrl("postgres", "postgres");
      JsonObject json =
          new JsonObject()
              .put("dataDir", dir.resolve("server").toString())
              .put("listen", new JsonObject().put("host", "127.0.0.1").put("port", 0))
              .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0))
              .put("status", new JsonObject().put("host", "127.0.0.1").put("port", 0))
              .put(
                  "database",
                  new JsonObject()
                      .put("url", jdbc)
                      .put("user", "postgres")
                      .put("password", "postgres")
                      .put("poolSize", 16));
      try (SoteAcmeServer server = SoteAcmeServer.start(ServerConfig.from(json, Map.of(), false))) {
        fill(jdbc);
        crl(server);
        X509Certificate issuing = server.cas().production().certificate();
        List<byte[]> requests = requests(issuing, 10_000);
        check(server, issuing);
        if (hold) {
          hold(server, requests);
        } else {
          load(server, requests, seconds, concurrency);
        }
      }
    }
  }

  /** 1,000,000 certificates, every tenth revoked, in one INSERT ... SELECT generate_series. */
  static void fill(String jdbc) throws Exception {
    long start = System.nanoTime();
    try (Connection db = DriverManager.getConnection(jdbc, "postgres", "postgres");
        Statement sql = db.createStatement()) {
      sql.execute(
          "insert into certificate (serial, issuer, profile, tbs, der, not_before, not_after,"
              + " spki_sha256, dns_names, revoked_at, revocation_reason)"
              + " select decode('01' || lpad(to_hex(i), 34, '0'), 'hex'), 'production',"
              + " 'sote-server', '\\x00'::bytea, '\\x00'::bytea, now() - interval '1 day',"
              + " now() + interval '364 days', md5(i::text) || md5(i::text), '{}',"
              + " case when i % "
              + REVOKED_EVERY
              + " = 0 then now() - (i % 1000) * interval '1 minute' end,"
              + " case when i % "
              + REVOKED_EVERY
              + " = 0 then (array[0, 1, 3, 4, 5])[1 + (i / "
              + REVOKED_EVERY
              + ") % 5] end"
              + " from generate_series(1, "
              + CERTIFICATES
              + ") i");
      sql.execute("analyze certificate");
    }
    System.out.printf(
        "filled %,d certificates (%,d revoked) in %.1f s%n",
        CERTIFICATES, CERTIFICATES / REVOKED_EVERY, (System.nanoTime() - start) / 1e9);
  }

  /**
   * Times operator revocations of one more certificate: each returns after the CRL with all revoked
   * certificates has been signed and stored.
   */
  static void crl(SoteAcmeServer server) throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    for (int run = 1; run <= 3; run++) {
      BigInteger serial = SERIAL_BASE.add(BigInteger.valueOf(run));
      long start = System.nanoTime();
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(server.adminUrl() + "/admin/revoke"))
                  .header("Authorization", "Bearer " + server.adminToken())
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          new JsonObject()
                              .put("serial", "0x" + serial.toString(16))
                              .put("reason", "superseded")
                              .encode()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      double ms = (System.nanoTime() - start) / 1e6;
      if (response.statusCode() != 200) {
        throw new IllegalStateException(response.body());
      }
      byte[] crl =
          http.send(
                  HttpRequest.newBuilder(URI.create(server.statusUrl() + "/crl/production.crl"))
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray())
              .body();
      int entries = new org.bouncycastle.cert.X509CRLHolder(crl).getRevokedCertificates().size();
      System.out.printf(
          "revocation + CRL regeneration %d: %.0f ms (CRL %s, %,d entries, %,d bytes)%n",
          run, ms, new JsonObject(response.body()).getLong("crlNumber"), entries, crl.length);
    }
  }

  /** OCSP requests (SHA-1 CertID, as openssl and most clients send) for random serials. */
  static List<byte[]> requests(X509Certificate issuing, int count) throws Exception {
    var sha1 = new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1);
    var holder = new JcaX509CertificateHolder(issuing);
    List<byte[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long row = 1 + ThreadLocalRandom.current().nextLong(CERTIFICATES);
      out.add(
          new OCSPReqBuilder()
              .addRequest(new CertificateID(sha1, holder, SERIAL_BASE.add(BigInteger.valueOf(row))))
              .build()
              .getEncoded());
    }
    return out;
  }

  /** One revoked serial answers revoked: the database is what the responder reads. */
  static void check(SoteAcmeServer server, X509Certificate issuing) throws Exception {
    var sha1 = new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1);
    byte[] request =
        new OCSPReqBuilder()
            .addRequest(
                new CertificateID(
                    sha1,
                    new JcaX509CertificateHolder(issuing),
                    SERIAL_BASE.add(BigInteger.valueOf(REVOKED_EVERY * 7))))
            .build()
            .getEncoded();
    byte[] der =
        java.net.http.HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.statusUrl() + "/ocsp"))
                    .header("Content-Type", "application/ocsp-request")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray())
            .body();
    var status =
        ((BasicOCSPResp) new OCSPResp(der).getResponseObject()).getResponses()[0].getCertStatus();
    if (!(status instanceof RevokedStatus)) {
      throw new IllegalStateException("expected revoked, got " + status);
    }
  }

  /** Concurrent POSTs for {@code seconds}, after a 5 s warm-up; prints responses per second. */
  static void load(SoteAcmeServer server, List<byte[]> requests, int seconds, int concurrency)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    URI status = URI.create(server.statusUrl());
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(concurrency));
    try {
      run(vertx, client, status, requests, 5, concurrency);
      long[] counts = run(vertx, client, status, requests, seconds, concurrency);
      System.out.printf(
          "OCSP: %,d responses in %d s with %d concurrent clients: %,.0f responses/s"
              + " (%d errors)%n",
          counts[0], seconds, concurrency, counts[0] / (double) seconds, counts[1]);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  private static long[] run(
      Vertx vertx,
      HttpClient client,
      URI status,
      List<byte[]> requests,
      int seconds,
      int concurrency)
      throws Exception {
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Future<Void>> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      Promise<Void> done = Promise.promise();
      workers.add(done.future());
      vertx.runOnContext(v -> next(client, status, requests, end, ok, errors, done));
    }
    Future.all(workers).toCompletionStage().toCompletableFuture().get();
    return new long[] {ok.get(), errors.get()};
  }

  private static void next(
      HttpClient client,
      URI status,
      List<byte[]> requests,
      long end,
      AtomicLong ok,
      AtomicLong errors,
      Promise<Void> done) {
    if (System.nanoTime() >= end) {
      done.complete();
      return;
    }
    byte[] body = requests.get(ThreadLocalRandom.current().nextInt(requests.size()));
    client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(status.getHost())
                .setPort(status.getPort())
                .setURI("/ocsp")
                .putHeader("Content-Type", "application/ocsp-request"))
        .compose(req -> req.send(Buffer.buffer(body)))
        .compose(resp -> resp.body().map(b -> resp.statusCode() == 200 && b.length() > 100))
        .onComplete(
            r -> {
              if (r.succeeded() && r.result()) {
                ok.incrementAndGet();
              } else {
                errors.incrementAndGet();
              }
              next(client, status, requests, end, ok, errors, done);
            });
  }

  /** Writes requests for wrk and serves until interrupted. */
  static void hold(SoteAcmeServer server, List<byte[]> requests) throws Exception {
    Path out = Path.of("target", "ocsp-bench");
    Files.createDirectories(out);
    for (int i = 0; i < 100; i++) {
      Files.write(out.resolve("request-" + i + ".der"), requests.get(i));
    }
    Files.writeString(out.resolve("url"), server.statusUrl() + "/ocsp\n");
    System.out.println(
        "serving " + server.statusUrl() + "/ocsp; requests in " + out.toAbsolutePath());
    System.out.println("READY");
    Thread.currentThread().join();
  }
}
