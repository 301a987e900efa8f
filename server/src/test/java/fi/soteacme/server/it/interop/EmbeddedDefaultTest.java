package fi.soteacme.server.it.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.SoteAcmeServer;
import fi.soteacme.server.config.ServerConfig;
import fi.soteacme.server.testsupport.Http01Responder;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * The README's default path: a server on the embedded default (its own embedded PostgreSQL, CAs,
 * TLS root and admin token generated in the data folder) issues a certificate, and after a restart
 * on the same folder still knows its account and certificate and keeps its CA roots.
 */
class EmbeddedDefaultTest {
  @TempDir Path data;
  private Vertx vertx;
  private Http01Responder http01;
  private SoteAcmeServer server;
  private HttpClient http;

  @BeforeEach
  void responder() {
    java.security.Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
    vertx = Vertx.vertx();
    http01 = new Http01Responder(vertx).start();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    http01.close();
    vertx.close().await();
  }

  @Test
  void issuesAndSurvivesARestart() throws Exception {
    int acmePort = ExternalClient.freeLoopbackPort();
    int adminPort = ExternalClient.freeLoopbackPort();
    server = start(acmePort, adminPort);

    assertTrue(Files.exists(data.resolve("pg/PG_VERSION")), "embedded PostgreSQL in dataDir/pg");
    Path ca = data.resolve("ca");
    assertTrue(Files.exists(ca.resolve("production-root.pem")));
    assertTrue(
        certificate(ca.resolve("test-root.pem"))
            .getSubjectX500Principal()
            .getName()
            .contains("TEST"),
        "the test root's name says TEST");
    assertTrue(Files.exists(data.resolve("tls/ca.pem")));
    assertEquals(
        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(data.resolve("admin-token")));
    assertEquals(data.resolve("tls/ca.pem"), server.trustAnchor());
    byte[] productionRoot = Files.readAllBytes(ca.resolve("production-root.pem"));
    byte[] testRoot = Files.readAllBytes(ca.resolve("test-root.pem"));
    byte[] tlsRoot = Files.readAllBytes(data.resolve("tls/ca.pem"));

    http = fi.soteacme.server.it.Acme4j.httpClient(server.trustAnchor());
    JsonObject meta = new JsonObject(get(server.directoryUrl()).body()).getJsonObject("meta");
    assertEquals(true, meta.getBoolean("externalAccountRequired"));
    assertEquals(
        Set.of(
            "sote-server",
            "sote-server-test",
            "sote-system-signature",
            "sote-system-signature-test"),
        meta.getJsonObject("profiles").fieldNames());

    HttpResponse<String> refused = postAdmin("/admin/eab", null);
    assertEquals(401, refused.statusCode(), refused.body());
    HttpResponse<String> created = postAdmin("/admin/eab", server.adminToken());
    assertEquals(201, created.statusCode(), created.body());
    JsonObject eab = new JsonObject(created.body());

    Session session =
        fi.soteacme.server.it.Acme4j.session(server.directoryUrl(), server.trustAnchor());
    KeyPair accountKey = KeyPairUtils.createECKeyPair("secp256r1");
    Account account =
        new AccountBuilder()
            .agreeToTermsOfService()
            .addEmail("ops@example.test")
            .withKeyIdentifier(eab.getString("kid"), eab.getString("hmacKey"))
            .useKeyPair(accountKey)
            .create(session);
    Order order = account.newOrder().domains("embedded.clinic.test").create();
    for (Authorization auth : order.getAuthorizations()) {
      Http01Challenge challenge = auth.findChallenge(Http01Challenge.class).orElseThrow();
      http01.put(challenge.getToken(), challenge.getAuthorization());
      challenge.trigger();
      assertEquals(Status.VALID, challenge.waitForCompletion(Duration.ofSeconds(30)));
    }
    order.execute(KeyPairUtils.createECKeyPair("secp256r1"));
    assertEquals(Status.VALID, order.waitForCompletion(Duration.ofSeconds(30)));
    Certificate issued = order.getCertificate();
    byte[] leaf = issued.getCertificate().getEncoded();
    URL certificateUrl = issued.getLocation();
    issued
        .getCertificate()
        .verify(certificate(ca.resolve("production-issuing.pem")).getPublicKey());

    server.close();
    server = null;
    server = start(acmePort, adminPort);

    Session again =
        fi.soteacme.server.it.Acme4j.session(server.directoryUrl(), server.trustAnchor());
    Account found = new AccountBuilder().onlyExisting().useKeyPair(accountKey).create(again);
    assertEquals(account.getLocation(), found.getLocation());
    Login login = again.login(found.getLocation(), accountKey);
    Certificate downloaded = login.bindCertificate(certificateUrl);
    assertArrayEquals(leaf, downloaded.getCertificate().getEncoded());
    assertArrayEquals(productionRoot, Files.readAllBytes(ca.resolve("production-root.pem")));
    assertArrayEquals(testRoot, Files.readAllBytes(ca.resolve("test-root.pem")));
    // Clients configured with tls/ca.pem keep working: the local TLS setup is kept, not remade.
    assertArrayEquals(tlsRoot, Files.readAllBytes(data.resolve("tls/ca.pem")));
  }

  private SoteAcmeServer start(int acmePort, int adminPort) throws Exception {
    return SoteAcmeServer.start(
        ServerConfig.from(
            new JsonObject()
                .put("dataDir", data.toString())
                .put("listen", new JsonObject().put("host", "127.0.0.1").put("port", acmePort))
                .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", adminPort))
                .put(
                    "validation",
                    new JsonObject()
                        .put("hostOverrides", new JsonObject().put("test", "127.0.0.1"))
                        .put("httpPort", http01.port())),
            Map.of(),
            true));
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postAdmin(String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.adminUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}"));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static X509Certificate certificate(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
