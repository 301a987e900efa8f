package fi.soteacme.client.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fi.soteacme.client.Identifier;
import fi.soteacme.client.Login;
import fi.soteacme.client.Session;
import fi.soteacme.client.challenge.Challenges;
import fi.soteacme.client.challenge.Http01Challenge;
import fi.soteacme.client.challenge.TlsAlpn01Challenge;
import fi.soteacme.client.connector.Json;
import fi.soteacme.client.util.KeyPairs;
import fi.soteacme.client.util.KeyType;
import fi.soteacme.client.util.SelfSignedCertificates;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.ASN1OctetString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The standalone solvers answer real HTTP and TLS clients on loopback. */
class SolversTest {
  private Session session;
  private Login login;

  @BeforeEach
  void setUp() throws Exception {
    session = Session.builder(URI.create("https://acme.test/dir")).build();
    login =
        session.login(URI.create("https://acme.test/acct/1"), KeyPairs.generate(KeyType.EC_P256));
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  private Json challenge(String type, String token) {
    return Json.builder()
        .put("type", type)
        .put("url", "https://acme.test/c/" + token)
        .put("token", token)
        .build();
  }

  @Test
  void http01StandaloneServesOnlyPresentedTokens() throws Exception {
    Http01Challenge c =
        (Http01Challenge) Challenges.of(login, challenge("http-01", "tok1")).orElseThrow();
    Identifier id = Identifier.dns("ap.example.fi");
    try (Http01StandaloneSolver solver = new Http01StandaloneSolver("127.0.0.1", 0)) {
      solver.present(id, c);
      HttpClient http = HttpClient.newHttpClient();
      URI url = URI.create("http://127.0.0.1:" + solver.port() + c.path());
      HttpResponse<String> ok =
          http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ok.statusCode());
      assertEquals(c.keyAuthorization(), ok.body());
      URI other =
          URI.create("http://127.0.0.1:" + solver.port() + Http01Challenge.PATH_PREFIX + "nope");
      assertEquals(
          404,
          http.send(HttpRequest.newBuilder(other).build(), HttpResponse.BodyHandlers.ofString())
              .statusCode());
      solver.cleanup(id, c);
      assertEquals(
          404,
          http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString())
              .statusCode());
    }
  }

  @Test
  void tlsAlpn01StandaloneAnswersAcmeTlsWithTheValidationCertificate() throws Exception {
    TlsAlpn01Challenge c =
        (TlsAlpn01Challenge) Challenges.of(login, challenge("tls-alpn-01", "tok2")).orElseThrow();
    Identifier id = Identifier.dns("ap.example.fi");
    try (TlsAlpn01StandaloneSolver solver = new TlsAlpn01StandaloneSolver("127.0.0.1", 0)) {
      solver.present(id, c);
      X509Certificate seen = handshake(solver.port(), "ap.example.fi", "acme-tls/1");
      byte[] ext = seen.getExtensionValue(SelfSignedCertificates.ACME_IDENTIFIER.getId());
      assertArrayEquals(
          c.acmeValidation(),
          ASN1OctetString.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getOctets());
      assertEquals(
          List.of(List.of(2, "ap.example.fi")), List.copyOf(seen.getSubjectAlternativeNames()));
      assertThrows(
          SSLHandshakeException.class,
          () -> handshake(solver.port(), "other.example.fi", "acme-tls/1"));
    }
  }

  private static X509Certificate handshake(int port, String sni, String alpn) throws Exception {
    TrustManager[] trustAll = {
      new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }
    };
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, trustAll, null);
    try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
      SSLParameters params = socket.getSSLParameters();
      params.setServerNames(List.of(new SNIHostName(sni)));
      params.setApplicationProtocols(new String[] {alpn});
      socket.setSSLParameters(params);
      socket.startHandshake();
      assertEquals(alpn, socket.getApplicationProtocol());
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  @Test
  void dnsHookGetsCertbotCompatibleVariables() {
    var env = DnsHookSolver.environment("present", Identifier.dns("*.example.fi"), "abc");
    assertEquals("_acme-challenge.example.fi", env.get("SOTE_ACME_RECORD_NAME"));
    assertEquals("example.fi", env.get("CERTBOT_DOMAIN"));
    assertEquals("abc", env.get("CERTBOT_VALIDATION"));
    assertEquals("present", env.get("SOTE_ACME_ACTION"));
  }

  @Test
  void failingHooksAreReported() {
    Progress progress = new Progress(new PrintWriter(new StringWriter()), false, false);
    assertThrows(
        java.io.IOException.class, () -> Hooks.run("exit 3", java.util.Map.of(), progress));
  }
}
