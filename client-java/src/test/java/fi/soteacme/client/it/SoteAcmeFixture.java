package fi.soteacme.client.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import fi.soteacme.client.Authorization;
import fi.soteacme.client.Identifier;
import fi.soteacme.client.Order;
import fi.soteacme.client.Session;
import fi.soteacme.client.Status;
import fi.soteacme.client.challenge.Http01Challenge;
import fi.soteacme.client.challenge.SoteRegister01Challenge;
import fi.soteacme.client.connector.Json;
import fi.soteacme.server.SoteAcmeServer;
import fi.soteacme.server.config.ServerConfig;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One real sote-acme server per test JVM, started through its embeddable API ({@link
 * SoteAcmeServer#start}) with its own embedded PostgreSQL in a temporary data directory, the
 * testdata register loaded, and http-01 validation pointed at loopback:
 *
 * <ul>
 *   <li>names under {@code .test} resolve to 127.0.0.1, where {@link #putHttp01} answers (the
 *       library tests' standalone http-01 listener);
 *   <li>names under {@code .cli.test} resolve to 127.0.0.2, where the command's own {@code
 *       --standalone} listener binds ({@code --http-01-address 127.0.0.2 --http-01-port }{@link
 *       #httpPort}), so both can listen on the one port the CA validates on.
 * </ul>
 *
 * Nothing but loopback is used: the server's DNS server is set to a loopback address too.
 */
public final class SoteAcmeFixture {
  /** Järvilaakson hyvinvointialue: public (wellbeing services county), the demo organisation. */
  public static final String COUNTY = "1.2.246.10.98123462.10.0";

  public static final String COUNTY_NAME = "Järvilaakson hyvinvointialue";

  /** Vårdhemmet Åkerblomma Ab: private, so system signature orders need a conformity review. */
  public static final String PRIVATE = "1.2.246.10.98123729.10.0";

  public static final String PRIVATE_NAME = "Vårdhemmet Åkerblomma Ab";

  /** Kuvitteellinen VI apteekki: a pharmacy, private. */
  public static final String PHARMACY = "1.2.246.10.9715328.10.0";

  public static final String PHARMACY_NAME = "Kuvitteellinen VI apteekki";

  /** Lumikankaan koulukoti: a second public organisation. */
  public static final String SCHOOL = "1.2.246.10.98124035.10.0";

  public static final String SCHOOL_NAME = "Lumikankaan koulukoti";

  /** Where the command's standalone http-01 listener binds (names under {@code cli.test}). */
  public static final String CLI_ADDRESS = "127.0.0.2";

  public static final Duration WAIT = Duration.ofSeconds(60);

  private static SoteAcmeFixture shared;

  public final Path dataDir;
  public final SoteAcmeServer server;
  public final int httpPort;

  /** The port tls-alpn-01 validation connects to (the command's listener on 127.0.0.2). */
  public final int tlsPort;

  private final HttpServer http01;
  private final Map<String, String> http01Responses = new ConcurrentHashMap<>();
  private final HttpClient admin = HttpClient.newHttpClient();

  private SoteAcmeFixture() throws Exception {
    dataDir = Files.createTempDirectory("sote-acme-client-it");
    httpPort = freePort();
    tlsPort = freePort();
    http01 =
        HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), httpPort), 16);
    http01.createContext(Http01Challenge.PATH_PREFIX, this::answerHttp01);
    http01.start();
    JsonObject json =
        new JsonObject()
            .put("dataDir", dataDir.resolve("server").toString())
            .put("listen", new JsonObject().put("host", "127.0.0.1").put("port", 0))
            .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0))
            // not the default 0.0.0.0:8080, which another test run on the machine may hold
            .put("status", new JsonObject().put("host", "127.0.0.1").put("port", 0))
            // no database.url: the server embeds PostgreSQL in dataDir/pg
            .put("database", new JsonObject().put("poolSize", 8))
            .put(
                "validation",
                new JsonObject()
                    .put("httpPort", httpPort)
                    .put("tlsPort", tlsPort)
                    .put("dnsServer", "127.0.0.1:" + freePort())
                    .put(
                        "hostOverrides",
                        new JsonObject().put("test", "127.0.0.1").put("cli.test", CLI_ADDRESS))
                    .put("timeoutSeconds", 5)
                    // the challenge responders are on loopback
                    .put("allowInternalAddresses", true))
            .put("identifiers", new JsonObject().put("allowTestTld", true))
            .put("register", new JsonObject().put("loadTestdata", true))
            .put("demoOrganisation", COUNTY);
    server = SoteAcmeServer.start(ServerConfig.from(json, Map.of(), false));
  }

  /** The shared fixture, started on first use and stopped when the JVM exits. */
  public static synchronized SoteAcmeFixture get() throws Exception {
    if (shared == null) {
      shared = new SoteAcmeFixture();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  /** The directory URL. */
  public URI directory() {
    return URI.create(server.directoryUrl());
  }

  /** A new client session that trusts the server's local TLS root. */
  public Session session() throws Exception {
    return Session.builder(directory())
        .trustAnchors(server.trustAnchor())
        .pollInterval(Duration.ofMillis(200))
        .build();
  }

  // ---------------------------------------------------------------- http-01

  /** Publishes an http-01 response on 127.0.0.1. */
  public void putHttp01(String token, String content) {
    http01Responses.put(token, content);
  }

  private void answerHttp01(HttpExchange ex) throws IOException {
    try (ex) {
      String token = ex.getRequestURI().getPath().substring(Http01Challenge.PATH_PREFIX.length());
      String body = http01Responses.get(token);
      if (body == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
      ex.sendResponseHeaders(200, bytes.length);
      ex.getResponseBody().write(bytes);
    }
  }

  /**
   * Answers every pending authorization of the order (http-01 for dns names on 127.0.0.1,
   * sote-register-01 for organisations) and waits for the order to become ready.
   */
  public void authorize(Order order) throws Exception {
    for (Authorization authz : order.fetchAuthorizations()) {
      if (authz.status() == Status.VALID) {
        continue;
      }
      Identifier id = authz.identifier().orElseThrow();
      if (id.type().equals(Identifier.TYPE_SOTE_ORG)) {
        authz.challenge(SoteRegister01Challenge.class).orElseThrow().trigger();
      } else {
        Http01Challenge http = authz.challenge(Http01Challenge.class).orElseThrow();
        putHttp01(http.token(), http.content());
        http.trigger();
      }
      Status status = authz.waitForStatus(Set.of(Status.VALID), WAIT);
      if (status != Status.VALID) {
        throw new AssertionError(
            id + " is " + status + ": " + authz.challenges().stream().map(c -> c.error()).toList());
      }
    }
    Status status = order.waitForStatus(Set.of(Status.READY), WAIT);
    if (status != Status.READY) {
      throw new AssertionError("order is " + status + ": " + order.error());
    }
  }

  // ---------------------------------------------------------------- operator API

  /** Sends an operator API request; returns the response. */
  public HttpResponse<String> adminSend(String method, String path, String jsonBody)
      throws Exception {
    return admin.send(
        HttpRequest.newBuilder(URI.create(server.adminUrl() + path))
            .header("Authorization", "Bearer " + server.adminToken())
            .header("Content-Type", "application/json")
            .method(
                method,
                jsonBody == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(jsonBody))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private String adminOk(String method, String path, String jsonBody) throws Exception {
    HttpResponse<String> r = adminSend(method, path, jsonBody);
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(
          method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /** Creates the organisation's customer account unless it exists. */
  public void ensureCustomer(String oid) throws Exception {
    HttpResponse<String> r =
        adminSend(
            "POST",
            "/admin/customers",
            Json.builder()
                .put("organisation", oid)
                .put("representative", "Testi Edustaja")
                .put("technicalContact", "it@example.test")
                .build()
                .toString());
    if (r.statusCode() != 201 && !r.body().contains("already has a customer account")) {
      throw new IllegalStateException("creating the customer account of " + oid + ": " + r.body());
    }
  }

  /** An invitation of the organisation's customer account: {@code {kid, hmacKey, ...}}. */
  public Invitation invite(String oid, String role) throws Exception {
    ensureCustomer(oid);
    Json json =
        Json.parse(
            adminOk(
                "POST",
                "/admin/customers/" + oid + "/invitations",
                Json.builder()
                    .put("role", role)
                    .put("email", role + "@example.test")
                    .build()
                    .toString()));
    return new Invitation(json.requireString("kid"), json.requireString("hmacKey"));
  }

  /** An EAB credential. */
  public record Invitation(String kid, String hmacKey) {}

  /** The conformity review queue. */
  public List<Json> reviews() throws Exception {
    return Json.parse("{\"q\":" + adminOk("GET", "/admin/reviews", null) + "}").objects("q");
  }

  /** The review id (challenge) of the queued submission for the system name. */
  public long reviewOf(String systemName) throws Exception {
    return reviews().stream()
        .filter(r -> systemName.equals(r.string("systemName").orElse(null)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no review for " + systemName))
        .number("challenge")
        .orElseThrow();
  }

  /** Approves a review. */
  public void approve(long challenge) throws Exception {
    adminOk("POST", "/admin/reviews/" + challenge + "/approve", "{}");
  }

  // ---------------------------------------------------------------- lifecycle

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  private void close() {
    try {
      server.close();
    } catch (Exception e) {
      System.err.println("closing the sote-acme server: " + e);
    }
    http01.stop(0);
    // The embedded PostgreSQL has stopped with the server: remove its data and the CAs.
    try (var paths = Files.walk(dataDir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("removing " + dataDir + ": " + e);
    }
  }
}
