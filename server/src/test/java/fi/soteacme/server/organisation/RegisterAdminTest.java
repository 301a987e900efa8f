package fi.soteacme.server.organisation;

import static fi.soteacme.server.organisation.RegisterDatabase.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.Main;
import fi.soteacme.server.SoteAcmeServer;
import fi.soteacme.server.it.TestServers;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The operator API's register routes and {@code admin register import}, on the real server. */
class RegisterAdminTest {
  private static TestServers servers;
  private static SoteAcmeServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path temp;

  @BeforeAll
  static void start() throws Exception {
    servers = TestServers.get();
    server = servers.server;
  }

  @Test
  void importAndStatusThroughTheOperatorApi() throws Exception {
    String dir = RegisterDatabase.testdataDirectory().toString();
    HttpResponse<String> imported =
        post("/admin/register/import", new JsonObject().put("source", dir).put("kind", "sote"));
    assertEquals(200, imported.statusCode(), imported.body());
    JsonObject summary = new JsonObject(imported.body());
    assertEquals("sote", summary.getString("kind"));
    assertEquals("full", summary.getString("mode"));
    assertEquals(15, summary.getInteger("registerSize"));
    assertEquals(
        "Järvilaakson hyvinvointialue",
        await(server.organisations().find("1.2.246.10.98123462.10.2"))
            .orElseThrow()
            .subjectOrganisationName());

    Path bad = Files.writeString(temp.resolve("bad.json"), "{\"format\": \"something else\"}");
    HttpResponse<String> refused =
        post(
            "/admin/register/import",
            new JsonObject().put("source", bad.toString()).put("kind", "intermediary"));
    assertEquals(422, refused.statusCode());
    assertTrue(refused.body().contains("format is something else"), refused.body());

    HttpResponse<String> noSource = post("/admin/register/import", new JsonObject());
    assertEquals(400, noSource.statusCode());

    HttpResponse<String> status =
        http.send(
            HttpRequest.newBuilder(URI.create(server.adminUrl() + "/admin/register/status"))
                .header("Authorization", "Bearer " + server.adminToken())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, status.statusCode());
    var syncs = new JsonObject(status.body()).getJsonArray("syncs");
    assertEquals("refused", syncs.getJsonObject(0).getString("outcome"));
    assertTrue(
        syncs.stream()
            .map(JsonObject.class::cast)
            .anyMatch(
                s -> s.getString("outcome").equals("ok") && s.getString("source").equals(dir)));
  }

  @Test
  void unauthenticatedImportIsRefused() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(server.adminUrl() + "/admin/register/import"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(401, response.statusCode());
  }

  @Test
  void cliImportPrintsTheSummary() throws Exception {
    Path config = temp.resolve("config.json");
    Files.writeString(
        config,
        new JsonObject()
            .put("dataDir", server.config().dataDir().toString())
            .put(
                "admin",
                new JsonObject()
                    .put("host", "127.0.0.1")
                    .put("port", server.config().admin().port()))
            .encode());
    Path file = RegisterDatabase.testdataDirectory().resolve("intermediaries.json");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      code =
          new CommandLine(new Main())
              .execute(
                  "admin", "--config", config.toString(), "register", "import", file.toString());
    } finally {
      System.setOut(original);
    }
    assertEquals(0, code);
    JsonObject summary = new JsonObject(out.toString(StandardCharsets.UTF_8).trim());
    assertEquals("intermediary", summary.getString("kind"));
    assertEquals(2, summary.getInteger("registerSize"));
    assertEquals(
        "Kanta-välittäjä",
        await(server.organisations().find("1.2.246.10.98200157.10.0"))
            .orElseThrow()
            .subjectOrganisationalUnit());
  }

  @Test
  void embeddedDefaultLoadsTheTestdataIntoAnEmptyRegister() throws Exception {
    String url = servers.freshDatabaseUrl("register_boot");
    try (SoteAcmeServer fresh =
        servers.start(
            temp.resolve("boot"),
            json -> {
              json.getJsonObject("database").put("url", url);
              json.put("register", new JsonObject().put("loadTestdata", true));
            })) {
      assertEquals(15, await(fresh.organisations().count(RegisterKind.SOTE)));
      assertEquals(2, await(fresh.organisations().count(RegisterKind.INTERMEDIARY)));
    }
  }

  private HttpResponse<String> post(String path, JsonObject body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.adminUrl() + path))
            .header("Authorization", "Bearer " + server.adminToken())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
