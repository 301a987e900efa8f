package fi.soteacme.server.it;

import fi.soteacme.server.SoteAcmeServer;
import fi.soteacme.server.config.ServerConfig;
import fi.soteacme.server.db.Database;
import fi.soteacme.server.testsupport.Http01Responder;
import fi.soteacme.server.testsupport.TestDnsServer;
import fi.soteacme.server.testsupport.TlsAlpn01Responder;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * One embedded PostgreSQL and one sote-acme server per test JVM, with real challenge responders on
 * loopback: an HTTP server for http-01, a TLS server for tls-alpn-01 and a DNS server (A records
 * 127.0.0.1 for every name, TXT records for dns-01) that the server's validation uses.
 */
public final class TestServers {
  private static TestServers shared;

  public final EmbeddedPostgres postgres;
  public final SoteAcmeServer server;
  public final Http01Responder http01;
  public final TlsAlpn01Responder tlsAlpn01;
  public final TestDnsServer dns;
  public final Path dataDir;
  private final io.vertx.core.Vertx responderVertx;

  private TestServers() throws Exception {
    dataDir = Files.createTempDirectory("sote-acme-it");
    postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("pg")).start();
    responderVertx = io.vertx.core.Vertx.vertx();
    http01 = new Http01Responder(responderVertx).start();
    tlsAlpn01 = new TlsAlpn01Responder().start();
    dns = new TestDnsServer().start();
    server = start(dataDir.resolve("server-1"), c -> {});
  }

  /** The shared fixture, started on first use and stopped when the JVM exits. */
  public static synchronized TestServers get() throws Exception {
    if (shared == null) {
      shared = new TestServers();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  /**
   * A new, empty database in the shared PostgreSQL, named {@code prefix} and a random suffix; its
   * JDBC URL (no query parameters), for a server or a migration of its own.
   */
  public String freshDatabaseUrl(String prefix) throws SQLException {
    String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "");
    try (var c = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"))) {
      c.createStatement().execute("create database " + name);
    }
    return postgres.getJdbcUrl("postgres", name).replaceAll("\\?.*", "");
  }

  /** The shared PostgreSQL's own database, as JDBC URL (no query parameters). */
  public String sharedDatabaseUrl() {
    return postgres.getJdbcUrl("postgres", "postgres").replaceAll("\\?.*", "");
  }

  /**
   * The server's {@link Database} (its pools, its migrations run) on a database of this PostgreSQL.
   */
  public static Database openDatabase(String url) throws Exception {
    return Database.open(
        ServerConfig.from(
            new JsonObject()
                .put("dataDir", System.getProperty("java.io.tmpdir"))
                .put(
                    "database",
                    new JsonObject()
                        .put("url", url)
                        .put("user", "postgres")
                        .put("password", "postgres")),
            Map.of(),
            false));
  }

  /**
   * Another server process on the same database (own data folder, ephemeral ports). The customiser
   * may change the JSON configuration, e.g. the http-01 port for certbot.
   */
  public SoteAcmeServer start(Path dir, Consumer<JsonObject> customiser) throws Exception {
    Files.createDirectories(dir);
    JsonObject json =
        new JsonObject()
            .put("dataDir", dir.toString())
            .put("listen", new JsonObject().put("host", "127.0.0.1").put("port", 0))
            .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0))
            .put("status", new JsonObject().put("host", "127.0.0.1").put("port", 0))
            .put(
                "database",
                new JsonObject()
                    .put("url", postgres.getJdbcUrl("postgres", "postgres"))
                    .put("user", "postgres")
                    .put("password", "postgres")
                    .put("poolSize", 8))
            .put(
                "validation",
                new JsonObject()
                    .put("httpPort", http01.port())
                    .put("tlsPort", tlsAlpn01.port())
                    .put("dnsServer", "127.0.0.1:" + dns.port())
                    .put("timeoutSeconds", 5)
                    // the responders are on loopback
                    .put("allowInternalAddresses", true))
            .put("identifiers", new JsonObject().put("allowTestTld", true))
            // The sample register of testdata, and its county as the organisation of
            // createEabCredential(): every credential of the fixture can order at once.
            .put("register", new JsonObject().put("loadTestdata", true))
            .put("demoOrganisation", ServerConfig.DEMO_ORGANISATION);
    customiser.accept(json);
    // Generated CAs are shared by every server of the fixture, as processes of one CA would be.
    Path ca = dataDir.resolve("server-1").resolve("ca");
    if (Files.exists(ca.resolve("production-root.pem")) && !dir.resolve("ca").equals(ca)) {
      for (String name : new String[] {"production", "test"}) {
        Files.writeString(
            dir.resolve(name + "-chain.pem"),
            Files.readString(ca.resolve(name + "-issuing.pem"))
                + Files.readString(ca.resolve(name + "-root.pem")));
      }
      json.put(
          "ca",
          new JsonObject()
              .put(
                  "production",
                  new JsonObject()
                      .put("chainPem", dir.resolve("production-chain.pem").toString())
                      .put("keyPem", ca.resolve("production-issuing.key.pem").toString()))
              .put(
                  "test",
                  new JsonObject()
                      .put("chainPem", dir.resolve("test-chain.pem").toString())
                      .put("keyPem", ca.resolve("test-issuing.key.pem").toString())));
    }
    return SoteAcmeServer.start(ServerConfig.from(json, Map.of(), false));
  }

  private void close() {
    try {
      server.close();
      http01.close();
      tlsAlpn01.close();
      dns.close();
      responderVertx.close();
      postgres.close();
    } catch (Exception e) {
      System.err.println("closing the test servers: " + e);
    }
  }
}
