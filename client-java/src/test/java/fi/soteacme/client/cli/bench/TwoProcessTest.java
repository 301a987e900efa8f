package fi.soteacme.client.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.client.Account;
import fi.soteacme.client.AccountBuilder;
import fi.soteacme.client.Authorization;
import fi.soteacme.client.Order;
import fi.soteacme.client.Session;
import fi.soteacme.client.Status;
import fi.soteacme.client.connector.Jws;
import fi.soteacme.client.exception.AcmeServerException;
import fi.soteacme.client.util.Csrs;
import fi.soteacme.client.util.KeyPairs;
import fi.soteacme.client.util.KeyType;
import fi.soteacme.server.SoteAcmeServer;
import fi.soteacme.server.config.ServerConfig;
import fi.soteacme.server.eab.EabService;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two sote-acme processes (two {@link SoteAcmeServer}s in this JVM, each with its own Vert.x, pool,
 * nonce service and issuer) on one database, behind one public URL, as {@code bench/two-process.sh}
 * runs them as two JVMs: B uses A's embedded PostgreSQL, A's issuing CAs, A's TLS certificate and
 * A's public URL. Then {@code sote-acme bench --also-connect} alternates every client's requests
 * between them, a nonce of one is replayed at the other, and one order is finalized at both at
 * once.
 */
class TwoProcessTest {
  private static final String COUNTY = "1.2.246.10.98123462.10.0";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static Path dir;
  private static SoteAcmeServer a;
  private static SoteAcmeServer b;
  private static String jdbcUrl;
  private static String bEndpoint;

  @BeforeAll
  static void startTwoProcessesOnOneDatabase() throws Exception {
    dir = Files.createTempDirectory("sote-acme-two-process");
    a = SoteAcmeServer.start(ServerConfig.from(config(dir.resolve("a"), 0, 1), Map.of(), false));
    Path aData = dir.resolve("a");
    List<String> pid = Files.readAllLines(aData.resolve("pg/postmaster.pid"));
    jdbcUrl = "jdbc:postgresql://127.0.0.1:" + pid.get(3).trim() + "/postgres";
    JsonObject ca = new JsonObject();
    for (String name : List.of("production", "test")) {
      Path chain = dir.resolve(name + "-chain.pem");
      Files.writeString(
          chain,
          Files.readString(aData.resolve("ca/" + name + "-issuing.pem"))
              + Files.readString(aData.resolve("ca/" + name + "-root.pem")));
      ca.put(
          name,
          new JsonObject()
              .put("chainPem", chain.toString())
              .put("keyPem", aData.resolve("ca/" + name + "-issuing.key.pem").toString()));
    }
    int bPort = freePort();
    JsonObject bConfig = config(dir.resolve("b"), bPort, 2);
    bConfig
        .put("publicUrl", a.config().publicUrl())
        .put("database", new JsonObject().put("url", jdbcUrl).put("poolSize", 8))
        .put("ca", ca)
        .getJsonObject("listen")
        .put("tlsCertificate", aData.resolve("tls/server.pem").toString())
        .put("tlsKey", aData.resolve("tls/server.key.pem").toString());
    b = SoteAcmeServer.start(ServerConfig.from(bConfig, Map.of(), false));
    bEndpoint = "localhost:" + bPort;
    assertEquals(a.directoryUrl(), b.directoryUrl(), "one public URL");
  }

  private static JsonObject config(Path dataDir, int port, int instanceId) {
    return new JsonObject()
        .put("dataDir", dataDir.toString())
        .put("listen", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("status", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("database", new JsonObject().put("poolSize", 8))
        .put("issuance", new JsonObject().put("instanceId", instanceId))
        .put("validation", new JsonObject().put("skipForTestProfiles", true))
        .put("identifiers", new JsonObject().put("allowTestTld", true))
        .put("register", new JsonObject().put("loadTestdata", true))
        .put("demoOrganisation", COUNTY);
  }

  @AfterAll
  static void stop() throws Exception {
    // B first: A's embedded PostgreSQL stops with A.
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void benchAlternatingBetweenTheProcessesHasNoErrorsAndOneCertificatePerOrder() throws Exception {
    long noncesBefore = count("select count(*) from used_nonce");
    BenchRunner.Settings settings =
        new BenchRunner.Settings(
            URI.create(a.directoryUrl()),
            a.trustAnchor(),
            4,
            24,
            null,
            Duration.ZERO,
            "sote-server-test",
            "two.bench.test",
            "http-01",
            KeyType.EC_P256,
            Duration.ofMillis(20),
            EabSource.operatorApi(URI.create(a.adminUrl()), a.adminToken()),
            Map.of(),
            List.of(bEndpoint));
    BenchResult result = new BenchRunner(settings, new ProcCpu(Path.of("/proc"), 100)).run();

    assertEquals(Map.of(), result.errors(), () -> result.errorSamples().toString());
    assertEquals(24, result.certificates());
    String aEndpoint = RoutingHttpClient.authority(URI.create(a.directoryUrl()));
    Map<String, Map<String, Long>> requests = result.requests();
    assertEquals(Set.of(aEndpoint, bEndpoint), requests.keySet(), requests::toString);
    long toA = requests.get(aEndpoint).get("requests");
    long toB = requests.get(bEndpoint).get("requests");
    // Each client alternates strictly: the two differ by at most one request per client.
    assertTrue(Math.abs(toA - toB) <= 4, requests::toString);
    for (Map<String, Long> m : requests.values()) {
      assertEquals(0L, m.get("badNonce"), requests::toString);
      assertEquals(0L, m.get("errorResponses"), requests::toString);
      assertEquals(0L, m.get("noResponse"), requests::toString);
    }
    // Every accepted POST used a nonce never used before, at either process.
    assertEquals(result.acceptedNonces(), count("select count(*) from used_nonce") - noncesBefore);

    String mine = "identifiers::text like '%two.bench.test%'";
    assertEquals(
        0,
        count(
            "select count(*) from (select order_id from certificate group by order_id"
                + " having count(*) > 1) d"));
    // The count stops new flows; the other clients' flows in progress then still finish.
    long valid = count("select count(*) from orders where status = 'valid' and " + mine);
    assertTrue(valid >= 24 && valid < 24 + 4, () -> valid + " valid orders");
    assertEquals(
        0,
        count(
            "select count(*) from orders o where o.status = 'valid' and "
                + mine
                + " and (select count(*) from certificate c where c.order_id = o.id"
                + " and c.der is not null) <> 1"));
    // Both processes signed: bytes 2-3 of the serial are issuance.instanceId.
    String signer = "get_byte(c.serial, 1) * 256 + get_byte(c.serial, 2)";
    String ofMine = " from certificate c join orders o on o.id = c.order_id where " + mine;
    assertTrue(count("select count(*)" + ofMine + " and " + signer + " = 1") > 0);
    assertTrue(count("select count(*)" + ofMine + " and " + signer + " = 2") > 0);
  }

  @Test
  void aNonceOfOneProcessIsAcceptedOnceAtEitherProcess() throws Exception {
    KeyPair key = KeyPairs.generate(KeyType.EC_P256);
    URI account;
    try (Session session = session(null)) {
      account = newAccount(session, key).location();
    }
    HttpClient http = HttpClient.newBuilder().sslContext(trust()).build();
    String aEndpoint = RoutingHttpClient.authority(account);
    for (String[] pair :
        List.of(new String[] {aEndpoint, bEndpoint}, new String[] {bEndpoint, aEndpoint})) {
      String nonce =
          http.send(
                  HttpRequest.newBuilder(at(URI.create(a.config().url("/acme/new-nonce")), pair[0]))
                      .method("HEAD", HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .headers()
              .firstValue("Replay-Nonce")
              .orElseThrow();
      // POST-as-GET of the account; the JWS url is the public URL, whichever socket it goes to.
      String body = Jws.sign(account, nonce, null, key, account).toString();
      HttpResponse<String> used = post(http, at(account, pair[1]), body);
      assertEquals(200, used.statusCode(), used::body);
      HttpResponse<String> replayed = post(http, at(account, pair[0]), body);
      assertEquals(400, replayed.statusCode(), replayed::body);
      assertTrue(replayed.body().contains("urn:ietf:params:acme:error:badNonce"), replayed::body);
      HttpResponse<String> again = post(http, at(account, pair[1]), body);
      assertEquals(400, again.statusCode(), again::body);
    }
  }

  @Test
  void oneOrderFinalizedAtBothProcessesAtOnceGetsOneCertificate() throws Exception {
    KeyPair key = KeyPairs.generate(KeyType.EC_P256);
    KeyPair certificateKey = KeyPairs.generate(KeyType.EC_P256);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (Session toA = session(null);
        Session toB = session(bEndpoint)) {
      Account account = newAccount(toA, key);
      for (int i = 0; i < 6; i++) {
        String name = "race-" + i + ".two.test";
        Order order = account.newOrder().domains(name).profile("sote-server-test").create();
        for (Authorization authz : order.fetchAuthorizations()) {
          if (authz.status() != Status.VALID) {
            authz.challenge("http-01").orElseThrow().trigger();
            assertEquals(Status.VALID, authz.waitForStatus(Set.of(Status.VALID), WAIT));
          }
        }
        assertEquals(Status.READY, order.waitForStatus(Set.of(Status.READY), WAIT));
        Order atB = new Order(toB.login(account.location(), key), order.location(), order.json());
        byte[] csr = Csrs.server(certificateKey, List.of(name));
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> outcomes = new ArrayList<>();
        for (Order o : List.of(order, atB)) {
          outcomes.add(
              pool.submit(
                  () -> {
                    go.await();
                    try {
                      o.finalizeOrder(csr);
                      return "ok";
                    } catch (AcmeServerException e) {
                      return e.problem().type().toString();
                    }
                  }));
        }
        go.countDown();
        List<String> results = new ArrayList<>();
        for (Future<String> f : outcomes) {
          results.add(f.get());
        }
        // One finalize wins; the other (the order locked, then processing or valid) is refused.
        results.sort(null);
        assertEquals(List.of("ok", "urn:ietf:params:acme:error:orderNotReady"), results);
        assertEquals(Status.VALID, order.waitForStatus(Set.of(Status.VALID), WAIT));
        atB.fetch();
        assertEquals(Status.VALID, atB.status());
        assertEquals(
            order.certificate().orElseThrow().location(),
            atB.certificate().orElseThrow().location());
        assertEquals(
            1,
            count(
                "select count(*) from certificate c join orders o on o.id = c.order_id"
                    + " where o.identifiers::text like '%\""
                    + name
                    + "\"%'"));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A session to the public URL; with an endpoint, every request goes to that socket. */
  private static Session session(String endpoint) throws Exception {
    URI directory = URI.create(a.directoryUrl());
    Session.Builder builder =
        Session.builder(directory)
            .trustAnchors(a.trustAnchor())
            .pollInterval(Duration.ofMillis(50));
    if (endpoint != null) {
      String home = RoutingHttpClient.authority(directory);
      builder.httpClientWrapper(
          http -> new RoutingHttpClient(http, home, List.of(endpoint), new Traffic(), 0));
    }
    return builder.build();
  }

  private static Account newAccount(Session session, KeyPair key) throws Exception {
    EabService.Credential eab = a.createEabCredential();
    return new AccountBuilder()
        .keyPair(key)
        .agreeToTermsOfService()
        .externalAccountBinding(eab.kid(), eab.hmacKey())
        .create(session);
  }

  private static URI at(URI url, String endpoint) {
    return URI.create(url.getScheme() + "://" + endpoint + url.getRawPath());
  }

  private static HttpResponse<String> post(HttpClient http, URI url, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(url)
            .header("Content-Type", "application/jose+json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static javax.net.ssl.SSLContext trust() throws Exception {
    java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
    store.load(null, null);
    try (var in = Files.newInputStream(a.trustAnchor())) {
      store.setCertificateEntry(
          "anchor",
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    javax.net.ssl.TrustManagerFactory tmf =
        javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }
}
