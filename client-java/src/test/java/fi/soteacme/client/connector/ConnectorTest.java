package fi.soteacme.client.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import fi.soteacme.client.Certificate;
import fi.soteacme.client.Login;
import fi.soteacme.client.Order;
import fi.soteacme.client.Session;
import fi.soteacme.client.Status;
import fi.soteacme.client.exception.AcmeProtocolException;
import fi.soteacme.client.exception.AcmeRateLimitedException;
import fi.soteacme.client.exception.AcmeServerException;
import fi.soteacme.client.exception.AcmeTimeoutException;
import fi.soteacme.client.util.KeyPairs;
import fi.soteacme.client.util.KeyType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connector against a scripted ACME endpoint on loopback (a real HTTP server whose answers each
 * test queues), for behaviour Pebble cannot be made to show on demand.
 */
class ConnectorTest {
  private HttpServer server;
  private URI base;
  private Session session;
  private Login login;
  private final AtomicInteger nonceCounter = new AtomicInteger();
  private final Queue<Scripted> script = new ConcurrentLinkedQueue<>();
  private final Queue<String> usedNonces = new ConcurrentLinkedQueue<>();
  private final Queue<String> acceptHeaders = new ConcurrentLinkedQueue<>();
  private final Queue<String> requestBodies = new ConcurrentLinkedQueue<>();

  private record Scripted(int status, String contentType, String body, String retryAfter) {}

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    server.createContext(
        "/dir",
        ex ->
            send(
                ex,
                new Scripted(
                    200,
                    "application/json",
                    "{\"newNonce\":\"" + base + "/nonce\",\"newOrder\":\"" + base + "/order\"}",
                    null)));
    server.createContext("/nonce", ex -> send(ex, new Scripted(200, null, "", null)));
    server.createContext(
        "/order",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          try {
            String header = Json.parse(body).requireString("protected");
            usedNonces.add(
                Json.parse(
                        new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8))
                    .requireString("nonce"));
          } catch (AcmeProtocolException e) {
            throw new IOException(e);
          }
          send(ex, script.remove());
        });
    server.createContext(
        "/cert",
        ex -> {
          acceptHeaders.add(ex.getRequestHeaders().getFirst("Accept"));
          ex.getRequestBody().readAllBytes();
          send(ex, script.remove());
        });
    server.createContext(
        "/acct/1",
        ex -> {
          requestBodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          send(ex, script.remove());
        });
    server.start();
    session =
        Session.builder(URI.create(base + "/dir")).pollInterval(Duration.ofMillis(50)).build();
    login = session.login(URI.create(base + "/acct/1"), KeyPairs.generate(KeyType.EC_P256));
  }

  @AfterEach
  void stop() {
    session.close();
    server.stop(0);
  }

  private void send(HttpExchange ex, Scripted s) throws IOException {
    try (ex) {
      ex.getResponseHeaders().add("Replay-Nonce", "nonce-" + nonceCounter.incrementAndGet());
      if (s.contentType() != null) {
        ex.getResponseHeaders().add("Content-Type", s.contentType());
      }
      if (s.retryAfter() != null) {
        ex.getResponseHeaders().add("Retry-After", s.retryAfter());
      }
      byte[] body = s.body().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(s.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        ex.getResponseBody().write(body);
      }
    } catch (RuntimeException e) {
      throw new IOException(e);
    }
  }

  private static Scripted problem(int status, String type, String retryAfter) {
    return new Scripted(
        status,
        "application/problem+json",
        "{\"type\":\"urn:ietf:params:acme:error:" + type + "\",\"detail\":\"scripted\"}",
        retryAfter);
  }

  private static Scripted order(String status, String retryAfter) {
    return new Scripted(200, "application/json", "{\"status\":\"" + status + "\"}", retryAfter);
  }

  private URI orderUrl() {
    return URI.create(base + "/order");
  }

  @Test
  void badNonceIsRetriedOnceWithTheNonceOfTheErrorResponse() throws Exception {
    script.add(problem(400, "badNonce", null));
    script.add(order("valid", null));
    assertEquals("valid", login.post(orderUrl(), Json.empty()).json().requireString("status"));
    List<String> nonces = List.copyOf(usedNonces);
    assertEquals(2, nonces.size());
    assertFalse(nonces.get(0).equals(nonces.get(1)), "the retry uses a fresh nonce");
  }

  @Test
  void aSecondBadNonceIsReported() {
    script.add(problem(400, "badNonce", null));
    script.add(problem(400, "badNonce", null));
    AcmeServerException e =
        assertThrows(AcmeServerException.class, () -> login.post(orderUrl(), Json.empty()));
    assertTrue(e.problem().is("badNonce"));
    assertEquals(2, usedNonces.size());
  }

  @Test
  void rateLimitedCarriesTheRetryTime() {
    script.add(problem(429, "rateLimited", "3600"));
    AcmeRateLimitedException e =
        assertThrows(AcmeRateLimitedException.class, () -> login.post(orderUrl(), Json.empty()));
    assertTrue(e.retryAfter().orElseThrow().isAfter(java.time.Instant.now().plusSeconds(3500)));
  }

  @Test
  void pollingHonoursRetryAfterWithoutBlockingTheCaller() throws Exception {
    script.add(order("processing", "1"));
    script.add(order("valid", null));
    Order order = new Order(login, orderUrl(), null);
    long start = System.nanoTime();
    var future = order.waitForStatusAsync(Set.of(Status.VALID), Duration.ofSeconds(10));
    assertFalse(future.isDone(), "the caller is not blocked while polls wait");
    assertEquals(Status.VALID, future.get());
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(elapsedMs >= 900, "waited for Retry-After: " + elapsedMs + " ms");
  }

  @Test
  void pollingGivesUpWhenTheServerAsksForMoreTimeThanLeft() throws Exception {
    script.add(order("processing", "3600"));
    Order order = new Order(login, orderUrl(), null);
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> order.waitForStatusAsync(Set.of(Status.VALID), Duration.ofSeconds(5)).get());
    assertInstanceOf(AcmeTimeoutException.class, e.getCause());
  }

  @Test
  void certificateDownloadsAskForPemOrDer() throws Exception {
    script.add(
        new Scripted(
            200, "application/pem-certificate-chain", "-----BEGIN CERTIFICATE-----\n", null));
    script.add(new Scripted(200, "application/pkix-cert", "\u0030\u0003", null));
    Certificate cert = new Certificate(login, URI.create(base + "/cert"));
    cert.downloadPem();
    assertEquals(2, cert.downloadDer().length);
    assertEquals(
        List.of("application/pem-certificate-chain", "application/pkix-cert"),
        List.copyOf(acceptHeaders));
  }

  @Test
  void linkPostsAnEabOverTheAccountKeyToTheAccountUrl() throws Exception {
    script.add(new Scripted(200, "application/json", "{\"status\":\"valid\"}", null));
    byte[] mac = "a-32-byte-long-mac-key-for-tests".getBytes(StandardCharsets.US_ASCII);
    login.account().link("invite-2", Base64.getUrlEncoder().withoutPadding().encodeToString(mac));
    Json outer = Json.parse(requestBodies.remove());
    Json payload =
        Json.parse(
            new String(
                Base64.getUrlDecoder().decode(outer.requireString("payload")),
                StandardCharsets.UTF_8));
    Json eab = payload.object("externalAccountBinding").orElseThrow();
    Json eabHeader =
        Json.parse(
            new String(
                Base64.getUrlDecoder().decode(eab.requireString("protected")),
                StandardCharsets.UTF_8));
    assertEquals("HS256", eabHeader.requireString("alg"));
    assertEquals("invite-2", eabHeader.requireString("kid"));
    assertEquals(base + "/acct/1", eabHeader.requireString("url"));
    JsonWebSignature jws = new JsonWebSignature();
    jws.setCompactSerialization(
        eab.requireString("protected")
            + "."
            + eab.requireString("payload")
            + "."
            + eab.requireString("signature"));
    jws.setKey(new HmacKey(mac));
    assertTrue(jws.verifySignature());
    assertEquals(
        login.keyPair().getPublic(),
        PublicJsonWebKey.Factory.newPublicJwk(jws.getPayload()).getPublicKey());
  }

  @Test
  void closingTheSessionFailsPendingWaits() throws Exception {
    script.add(order("processing", "3"));
    Order order = new Order(login, orderUrl(), null);
    var future = order.waitForStatusAsync(Set.of(Status.VALID), Duration.ofSeconds(30));
    Thread.sleep(300);
    session.close();
    ExecutionException e = assertThrows(ExecutionException.class, future::get);
    assertInstanceOf(fi.soteacme.client.exception.AcmeException.class, e.getCause());
  }
}
