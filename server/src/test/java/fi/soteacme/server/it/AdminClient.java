package fi.soteacme.server.it;

import fi.soteacme.server.SoteAcmeServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The operator API over HTTP, as `admin` commands use it. */
public final class AdminClient {
  private final SoteAcmeServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  public AdminClient(SoteAcmeServer server) {
    this.server = server;
  }

  /** Sends a request; returns status and body. */
  public HttpResponse<String> send(String method, String path, JsonObject body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.adminUrl() + path))
            .header("Authorization", "Bearer " + server.adminToken())
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.encode()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public JsonObject post(String path, JsonObject body) throws Exception {
    HttpResponse<String> r = send("POST", path, body);
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
    }
    return new JsonObject(r.body());
  }

  public JsonArray getArray(String path) throws Exception {
    HttpResponse<String> r = send("GET", path, null);
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
    }
    return new JsonArray(r.body());
  }

  /** Creates the organisation's customer account unless it exists. */
  public void ensureCustomer(String oid) throws Exception {
    HttpResponse<String> r =
        send(
            "POST",
            "/admin/customers",
            new JsonObject()
                .put("organisation", oid)
                .put("representative", "Testi Edustaja")
                .put("technicalContact", "it@example.test"));
    if (r.statusCode() != 201 && !r.body().contains("already has a customer account")) {
      throw new IllegalStateException("creating the customer account of " + oid + ": " + r.body());
    }
  }

  /** An invitation: {kid, hmacKey}. */
  public JsonObject invite(String oid, String role) throws Exception {
    ensureCustomer(oid);
    return post(
        "/admin/customers/" + oid + "/invitations",
        new JsonObject().put("role", role).put("email", role + "@example.test"));
  }
}
