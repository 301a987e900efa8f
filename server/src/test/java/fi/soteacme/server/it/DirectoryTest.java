package fi.soteacme.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The directory's meta points at terms a person can read, served by the server itself. */
class DirectoryTest {
  @Test
  void configuredPublicUrlIsKeptOnAnEphemeralPort(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    // Two processes behind one name (bench/two-process.sh): the URLs are the public ones.
    try (var server =
        TestServers.get()
            .start(dir, json -> json.put("publicUrl", "https://acme.sote.test:8443"))) {
      HttpClient http =
          HttpClient.newBuilder().sslContext(Acme4j.sslContext(server.trustAnchor())).build();
      JsonObject directory =
          new JsonObject(
              http.send(
                      HttpRequest.newBuilder(
                              URI.create("https://localhost:" + server.acmePort() + "/directory"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      assertEquals("https://acme.sote.test:8443/acme/new-nonce", directory.getString("newNonce"));
    }
  }

  @Test
  void termsOfServiceResolve() throws Exception {
    TestServers servers = TestServers.get();
    HttpClient http =
        HttpClient.newBuilder().sslContext(Acme4j.sslContext(servers.server.trustAnchor())).build();
    JsonObject meta =
        new JsonObject(
                http.send(
                        HttpRequest.newBuilder(URI.create(servers.server.directoryUrl())).build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body())
            .getJsonObject("meta");
    String terms = meta.getString("termsOfService");
    assertTrue(terms.startsWith(servers.server.directoryUrl().replace("/directory", "")), terms);
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(terms)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    assertTrue(response.body().contains("revoked certificate can never be taken back"));
  }
}
