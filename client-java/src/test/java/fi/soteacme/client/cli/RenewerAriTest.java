package fi.soteacme.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import fi.soteacme.client.RenewalInfo;
import fi.soteacme.client.Session;
import fi.soteacme.client.renewal.RenewalScheduler;
import fi.soteacme.client.storage.CertificateStore;
import fi.soteacme.client.storage.RenewalConfig;
import fi.soteacme.client.util.KeyPairs;
import fi.soteacme.client.util.KeyType;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ARI side of renewal decisions (Pebble 2.4 has no renewalInfo): a loopback HTTP server answers
 * the directory and renewalInfo; the clock is injected.
 */
class RenewerAriTest {
  private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant WINDOW_START = Instant.parse("2026-09-01T00:00:00Z");
  private static final Instant WINDOW_END = Instant.parse("2026-09-03T00:00:00Z");

  @TempDir Path configDir;
  private HttpServer server;
  private Session session;
  private CertificateStore store;
  private X509Certificate cert;
  private final Queue<String> ariRequests = new ConcurrentLinkedQueue<>();
  private volatile String window;

  @BeforeEach
  void setUp() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    server.createContext(
        "/dir",
        ex ->
            send(
                ex,
                "{\"newNonce\":\"" + base + "/nonce\",\"renewalInfo\":\"" + base + "/ari/\"}",
                null));
    server.createContext(
        "/ari/",
        ex -> {
          ariRequests.add(ex.getRequestURI().getPath().substring("/ari/".length()));
          send(ex, window, "21600");
        });
    server.start();
    session = Session.builder(URI.create(base + "/dir")).build();
    window = windowJson(WINDOW_START, WINDOW_END);

    store = new CertificateStore(configDir);
    KeyPair key = KeyPairs.generate(KeyType.EC_P256);
    cert = certificate(key);
    store.save("ari.example.fi", key, List.of(cert, cert));
    new RenewalConfig()
        .set(RenewalConfig.SERVER, base + "/dir")
        .set(RenewalConfig.DOMAINS, "ari.example.fi")
        .save(store.renewalFile("ari.example.fi"));
  }

  @AfterEach
  void tearDown() {
    sessions.forEach(Session::close);
    session.close();
    server.stop(0);
  }

  private static String windowJson(Instant start, Instant end) {
    return "{\"suggestedWindow\":{\"start\":\"" + start + "\",\"end\":\"" + end + "\"}}";
  }

  private static void send(HttpExchange ex, String body, String retryAfter) throws IOException {
    try (ex) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      if (retryAfter != null) {
        ex.getResponseHeaders().add("Retry-After", retryAfter);
      }
      ex.sendResponseHeaders(200, bytes.length);
      ex.getResponseBody().write(bytes);
    }
  }

  private static X509Certificate certificate(KeyPair key) throws Exception {
    X500Name name = new X500Name("CN=ari.example.fi");
    var builder =
        new JcaX509v3CertificateBuilder(
            name,
            new BigInteger("0100000168f0a805c366b43b5de968c691fb", 16),
            Date.from(ISSUED),
            Date.from(ISSUED.plus(Duration.ofDays(365))),
            name,
            key.getPublic());
    builder.addExtension(
        Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(new byte[20]));
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
  }

  private final List<Session> sessions = new java.util.ArrayList<>();

  /**
   * A renewer whose clock, and whose session's clock (which dates Retry-After), read {@code now}.
   */
  private Renewer at(Instant now) throws Exception {
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    Session atNow = Session.builder(session.directoryUrl()).clock(clock).build();
    sessions.add(atNow);
    return new Renewer(
        store,
        (url, bundle) -> atNow,
        s -> {
          throw new IllegalStateException("renewal attempted");
        },
        new RenewalScheduler(clock, new Random(now.toEpochMilli())),
        new Progress(new PrintWriter(new StringWriter()), false, false),
        Duration.ofSeconds(5),
        null);
  }

  private RenewalConfig config() throws IOException {
    return RenewalConfig.load(store.renewalFile("ari.example.fi"));
  }

  @Test
  void aTimeInTheWindowIsChosenOnceAndStored() throws Exception {
    Instant now = Instant.parse("2026-06-01T00:00:00Z");
    Renewer.Report first = at(now).renew("ari.example.fi", false);
    assertEquals(Renewer.Outcome.NOT_DUE, first.outcome(), String.valueOf(first.error()));
    assertEquals(List.of(RenewalInfo.certId(cert)), List.copyOf(ariRequests));
    Instant chosen = config().instant(RenewalConfig.ARI_RENEWAL_TIME).orElseThrow();
    assertFalse(chosen.isBefore(WINDOW_START) || chosen.isAfter(WINDOW_END), chosen.toString());
    assertEquals(
        now.plus(Duration.ofHours(6)),
        config().instant(RenewalConfig.ARI_NEXT_CHECK).orElseThrow());
    assertEquals(
        now.plus(Duration.ofHours(6)), first.nextWake(), "wake for the next ARI check first");

    // Before the re-check time: no request, the same time.
    Renewer.Report second = at(now.plus(Duration.ofHours(1))).renew("ari.example.fi", false);
    assertEquals(Renewer.Outcome.NOT_DUE, second.outcome());
    assertEquals(1, ariRequests.size());
    // After it: asked again, and the window still holds the stored time, so it stays.
    at(now.plus(Duration.ofHours(7))).renew("ari.example.fi", false);
    assertEquals(2, ariRequests.size());
    assertEquals(chosen, config().instant(RenewalConfig.ARI_RENEWAL_TIME).orElseThrow());
  }

  @Test
  void aWindowMovedIntoThePastMakesTheCertificateDueAtOnce() throws Exception {
    Instant now = Instant.parse("2026-06-01T00:00:00Z");
    assertEquals(Renewer.Outcome.NOT_DUE, at(now).renew("ari.example.fi", false).outcome());
    // The CA revoked it: the window now lies in the past. Seen at the next ARI check.
    window = windowJson(now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)));
    Instant later = now.plus(Duration.ofHours(7));
    Renewer.Report due = at(later).renew("ari.example.fi", false);
    assertEquals(Renewer.Outcome.FAILED, due.outcome());
    assertEquals("renewal attempted", due.error().getMessage());
    assertEquals(later, config().instant(RenewalConfig.ARI_RENEWAL_TIME).orElseThrow());
    assertEquals(1, config().integer(RenewalConfig.FAILURES).orElseThrow());
  }
}
