package fi.soteacme.client.cli.bench;

import fi.soteacme.client.connector.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

/** Where each simulated client gets its External Account Binding credential, if any. */
@FunctionalInterface
public interface EabSource {
  /** A key identifier and its base64url HMAC key. */
  record Credential(String kid, String hmacKey) {}

  /**
   * Returns the credential of the next account.
   *
   * @return the credential, or empty to register without EAB
   * @throws IOException if it cannot be obtained
   * @throws InterruptedException if interrupted
   */
  Optional<Credential> next() throws IOException, InterruptedException;

  /**
   * No EAB (Pebble's default).
   *
   * @return the source
   */
  static EabSource none() {
    return Optional::empty;
  }

  /**
   * The same credential for every account (servers whose credentials are reusable, e.g. Pebble's).
   *
   * @param kid the key identifier
   * @param hmacKey the base64url HMAC key
   * @return the source
   */
  static EabSource fixed(String kid, String hmacKey) {
    Credential c = new Credential(kid, hmacKey);
    return () -> Optional.of(c);
  }

  /**
   * A fresh credential per account from sote-acme's operator API: {@code POST <adminUrl>/admin/eab}
   * with the bearer token answers {@code {"kid": ..., "hmacKey": ...}}.
   *
   * @param adminUrl the operator API's base URL, e.g. {@code http://127.0.0.1:8444}
   * @param token the bearer token ({@code data/admin-token})
   * @return the source
   */
  static EabSource operatorApi(URI adminUrl, String token) {
    HttpClient http = HttpClient.newHttpClient();
    String base = adminUrl.toString().replaceAll("/+$", "");
    URI url = URI.create(base.endsWith("/admin/eab") ? base : base + "/admin/eab");
    return () -> {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(url)
                  .header("Authorization", "Bearer " + token.trim())
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IOException("POST " + url + " answered " + r.statusCode() + ": " + r.body());
      }
      try {
        Json json = Json.parse(r.body());
        return Optional.of(
            new Credential(json.requireString("kid"), json.requireString("hmacKey")));
      } catch (fi.soteacme.client.exception.AcmeException e) {
        throw new IOException("POST " + url + ": " + e.getMessage(), e);
      }
    };
  }
}
