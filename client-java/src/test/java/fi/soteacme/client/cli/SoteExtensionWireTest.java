package fi.soteacme.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import fi.soteacme.client.Account;
import fi.soteacme.client.Session;
import fi.soteacme.client.connector.Json;
import fi.soteacme.client.util.KeyPairs;
import fi.soteacme.client.util.KeyType;
import fi.soteacme.client.util.Pem;
import fi.soteacme.client.util.SelfSignedCertificates;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sote-acme extension on the wire, until the real server can run in these tests: a loopback
 * server that answers as the contract says records what the client sends for a system signature
 * order (sote-org identifier, profile, sote-conformity-01 submission, CSR with CN only).
 */
class SoteExtensionWireTest {
  private static final String OID = "1.2.246.10.2048198.10.0";

  @TempDir Path dir;
  private HttpServer server;
  private String base;
  private Session session;
  private final Map<String, Json> received = new ConcurrentHashMap<>();
  private volatile boolean authzValid;
  private volatile boolean orderValid;
  private volatile boolean conformityOffered = true;
  private String certificatePem;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    certificatePem =
        Pem.certificates(
            List.of(
                SelfSignedCertificates.server(
                    KeyPairs.generate(KeyType.EC_P256),
                    List.of("sig.test"),
                    List.of(),
                    Duration.ofDays(1))));
    server.createContext(
        "/dir",
        ex ->
            send(
                ex,
                200,
                json("{\"newNonce\":\"%1$s/nonce\",\"newOrder\":\"%1$s/new-order\"}"),
                null));
    server.createContext("/nonce", ex -> send(ex, 200, "", null));
    server.createContext(
        "/new-order",
        ex -> {
          record(ex, "newOrder");
          ex.getResponseHeaders().add("Location", base + "/order/1");
          send(ex, 201, order(), null);
        });
    server.createContext(
        "/order/1/finalize",
        ex -> {
          record(ex, "finalize");
          orderValid = true;
          send(ex, 200, order(), null);
        });
    server.createContext(
        "/order/1",
        ex -> {
          record(ex, "order");
          send(ex, 200, order(), null);
        });
    server.createContext(
        "/authz/1",
        ex -> {
          record(ex, "authz");
          String challenges =
              "{\"type\":\"sote-register-01\",\"url\":\"%1$s/chall/reg\",\"status\":\"pending\"}"
                  + (conformityOffered
                      ? ",{\"type\":\"sote-conformity-01\",\"url\":\"%1$s/chall/conf\",\"status\":\"pending\"}"
                      : "");
          send(
              ex,
              200,
              json(
                  "{\"status\":\""
                      + (authzValid ? "valid" : "pending")
                      + "\",\"identifier\":{\"type\":\"sote-org\",\"value\":\""
                      + OID
                      + "\"},\"challenges\":["
                      + challenges
                      + "]}"),
              null);
        });
    server.createContext(
        "/chall/",
        ex -> {
          String name = ex.getRequestURI().getPath().substring("/chall/".length());
          record(ex, name);
          authzValid = true;
          send(
              ex,
              200,
              json(
                  "{\"type\":\"sote-"
                      + (name.equals("reg") ? "register" : "conformity")
                      + "-01\",\"url\":\"%1$s/chall/"
                      + name
                      + "\",\"status\":\"processing\"}"),
              null);
        });
    server.createContext(
        "/cert/1",
        ex -> {
          record(ex, "cert");
          ex.getResponseHeaders().add("Content-Type", "application/pem-certificate-chain");
          send(ex, 200, certificatePem, null);
        });
    server.start();
    session =
        Session.builder(URI.create(base + "/dir")).pollInterval(Duration.ofMillis(20)).build();
  }

  @AfterEach
  void stop() {
    session.close();
    server.stop(0);
  }

  private String json(String template) {
    return template.formatted(base);
  }

  private String order() {
    String status = orderValid ? "valid" : authzValid ? "ready" : "pending";
    return json(
        "{\"status\":\""
            + status
            + "\",\"identifiers\":[{\"type\":\"sote-org\",\"value\":\""
            + OID
            + "\"}],"
            + "\"profile\":\"sote-system-signature\",\"organisation\":\""
            + OID
            + "\","
            + "\"authorizations\":[\"%1$s/authz/1\"],\"finalize\":\"%1$s/order/1/finalize\""
            + (orderValid ? ",\"certificate\":\"%1$s/cert/1\"" : "")
            + "}");
  }

  private void record(HttpExchange ex, String name) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    try {
      String payload = Json.parse(body).requireString("payload");
      String decoded = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
      received.put(
          name,
          decoded.isEmpty() ? Json.builder().put("postAsGet", true).build() : Json.parse(decoded));
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  private static void send(HttpExchange ex, int status, String body, String retryAfter)
      throws IOException {
    try (ex) {
      ex.getResponseHeaders().add("Replay-Nonce", "n" + System.nanoTime());
      if (!ex.getResponseHeaders().containsKey("Content-Type")) {
        ex.getResponseHeaders().add("Content-Type", "application/json");
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        ex.getResponseBody().write(bytes);
      }
    }
  }

  private Issuance.Result order(Path document) throws Exception {
    Account account =
        session.login(URI.create(base + "/acct/1"), KeyPairs.generate(KeyType.EC_P256)).account();
    Issuance.Request request =
        new Issuance.Request(
            List.of(),
            OID,
            "sote-system-signature",
            KeyType.EC_P256,
            "Todistuspalvelu",
            document,
            null);
    SolverSettings unused =
        new SolverSettings(SolverSettings.STANDALONE, "127.0.0.1", 0, null, 0, null, Duration.ZERO);
    return new Issuance(
            new Progress(new PrintWriter(new StringWriter()), false, false), Duration.ofSeconds(10))
        .run(account, request, unused);
  }

  @Test
  void systemSignatureOrderSubmitsTheConformityDocumentAndACnOnlyCsr() throws Exception {
    Path pdf = dir.resolve("vaatimustenmukaisuus.pdf");
    byte[] content = "%PDF-1.7 conformity".getBytes(StandardCharsets.US_ASCII);
    Files.write(pdf, content);
    Issuance.Result result = order(pdf);

    Json newOrder = received.get("newOrder");
    assertEquals("sote-system-signature", newOrder.requireString("profile"));
    assertEquals(
        List.of(Map.of("type", "sote-org", "value", OID)), newOrder.toMap().get("identifiers"));

    Json conformity = received.get("conf");
    assertEquals("Todistuspalvelu", conformity.requireString("systemName"));
    assertEquals("vaatimustenmukaisuus.pdf", conformity.requireString("documentName"));
    assertEquals(
        Base64.getUrlEncoder().withoutPadding().encodeToString(content),
        conformity.requireString("document"));
    assertTrue(
        !received.containsKey("reg"),
        "the register challenge is not needed once conformity is submitted");

    PKCS10CertificationRequest csr =
        new PKCS10CertificationRequest(
            Base64.getUrlDecoder().decode(received.get("finalize").requireString("csr")));
    assertEquals(
        "Todistuspalvelu",
        IETFUtils.valueToString(csr.getSubject().getRDNs(BCStyle.CN)[0].getFirst().getValue()));
    assertEquals(0, csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest).length);
    assertEquals(OID, result.order().organisation().orElseThrow());
    assertEquals(1, result.chain().size());
  }

  @Test
  void registerChallengeIsTriggeredWithAnEmptyObject() throws Exception {
    conformityOffered = false;
    order(null);
    assertEquals(Json.empty(), received.get("reg"));
  }

  @Test
  void aConformityDemandWithoutDocumentNamesTheApprovedSystem() throws Exception {
    // A renewal has no document: the CA's remembered approval for the system name covers it.
    order(null);
    Json conformity = received.get("conf");
    assertEquals(Json.builder().put("systemName", "Todistuspalvelu").build(), conformity);
  }
}
