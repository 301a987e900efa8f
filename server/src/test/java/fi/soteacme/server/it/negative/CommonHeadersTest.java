package fi.soteacme.server.it.negative;

import static fi.soteacme.server.it.negative.RawAcme.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.it.TestServers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Security;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 8555 §6.5 and §7.1: every response, errors included, carries a fresh Replay-Nonce and the
 * directory's Link rel="index"; requests of another content type than application/jose+json fail.
 */
class CommonHeadersTest {
  private static TestServers servers;
  private static RawAcme acme;

  @BeforeAll
  static void start() throws Exception {
    Security.addProvider(new BouncyCastleProvider());
    servers = TestServers.get();
    acme = RawAcme.of(servers);
  }

  private static void assertCommonHeaders(HttpResponse<String> r) {
    String nonce = r.headers().firstValue("Replay-Nonce").orElse("");
    assertTrue(nonce.matches("[A-Za-z0-9_-]{16,}"), "Replay-Nonce: " + nonce);
    List<String> links = r.headers().allValues("Link");
    String index = "<" + acme.directoryUrl + ">;rel=\"index\"";
    assertTrue(
        links.stream().anyMatch(l -> l.contains(index)),
        "Link should contain " + index + ": " + links);
  }

  @Test
  void directoryAndNewNonce() throws Exception {
    assertCommonHeaders(acme.get(acme.directoryUrl));
    HttpResponse<String> head = acme.head(acme.url("newNonce"));
    assertEquals(200, head.statusCode());
    assertCommonHeaders(head);
    HttpResponse<String> get = acme.get(acme.url("newNonce"));
    assertEquals(204, get.statusCode());
    assertCommonHeaders(get);
  }

  @Test
  void notFound() throws Exception {
    HttpResponse<String> r = acme.get(acme.directoryUrl.replace("/directory", "/no/such/thing"));
    assertProblem(r, 404, "malformed", "/no/such/thing");
    assertCommonHeaders(r);
  }

  @Test
  void methodNotAllowed() throws Exception {
    HttpResponse<String> r = acme.get(acme.url("newOrder"));
    assertProblem(r, 405, "malformed", "GET");
    assertCommonHeaders(r);
  }

  @Test
  void problemResponsesCarryTheHeaders() throws Exception {
    HttpResponse<String> r = acme.post(acme.url("newAccount"), RawAcme.JOSE, "{}");
    assertProblem(r, 400, "malformed");
    assertCommonHeaders(r);
  }

  @Test
  void contentTypeOtherThanJoseJson() throws Exception {
    HttpResponse<String> json = acme.post(acme.url("newOrder"), "application/json", "{}");
    assertProblem(json, 415, "malformed", "application/jose+json");
    assertCommonHeaders(json);
    HttpResponse<String> none =
        acme.send(
            HttpRequest.newBuilder(URI.create(acme.url("newOrder")))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
    assertProblem(none, 415, "malformed", "application/jose+json");
  }
}
