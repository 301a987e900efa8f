package fi.soteacme.server.organisation;

import static fi.soteacme.server.organisation.RegisterDatabase.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The code service over HTTP, played by a local server on loopback that serves testdata pages. */
class RegisterHttpTest {
  private RegisterDatabase db;
  private HttpServer codeService;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile boolean failPage2;
  private String base;

  @BeforeEach
  void start() throws Exception {
    db = new RegisterDatabase();
    var dir = RegisterDatabase.testdataDirectory();
    codeService =
        await(
            db.vertx
                .createHttpServer()
                .requestHandler(
                    req -> {
                      requests.add(req.uri());
                      String page = req.getParam("page");
                      if (req.getParam("modifiedAfter") != null) {
                        req.response()
                            .putHeader("Content-Type", "application/json")
                            .end(
                                RegisterImportTest.page(
                                    1,
                                    1,
                                    1,
                                    RegisterImportTest.entry(
                                        "1.2.246.10.98123462.10.1",
                                        "Järvilaakson sairaala",
                                        "1.2.246.10.98123462.10.0")));
                        return;
                      }
                      if (failPage2 && "2".equals(page)) {
                        req.response().setStatusCode(503).end();
                        return;
                      }
                      try {
                        req.response()
                            .putHeader("Content-Type", "application/json")
                            .end(
                                Files.readString(
                                    dir.resolve("sote-register-page-" + page + ".json")));
                      } catch (Exception e) {
                        req.response().setStatusCode(404).end();
                      }
                    })
                .listen(0, "127.0.0.1"));
    base = "http://127.0.0.1:" + codeService.actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    await(codeService.close());
    db.close();
  }

  @Test
  void fullLoadFollowsTotalPages() throws Exception {
    var result =
        await(
            db.importer.load(
                base + RegisterImporter.CODE_SERVICE_PATH + "?pageSize=8", null, false));
    assertEquals(2, result.pages());
    assertEquals(15, result.registerSize());
    assertEquals(
        List.of(
            RegisterImporter.CODE_SERVICE_PATH + "?pageSize=8&status=ACTIVE&page=1",
            RegisterImporter.CODE_SERVICE_PATH + "?pageSize=8&status=ACTIVE&page=2"),
        requests);
    assertEquals(
        "Järvilaakson hyvinvointialue",
        db.find("1.2.246.10.98123462.10.2").subjectOrganisationName());
  }

  @Test
  void incrementalSyncAsksForChangesSinceTheDayBeforeTheLastSync() throws Exception {
    await(db.importer.load(base, RegisterKind.SOTE, true)); // no sync yet: full
    requests.clear();
    var result = await(db.importer.load(base, RegisterKind.SOTE, true));
    LocalDate expected = LocalDate.now(BusinessDays.FINLAND).minusDays(1);
    assertEquals(expected, result.modifiedAfter());
    assertTrue(result.incremental());
    assertEquals(
        List.of(
            RegisterImporter.CODE_SERVICE_PATH
                + "?status=ACTIVE&pageSize=500&page=1&modifiedAfter="
                + expected),
        requests);
    assertEquals(15, result.registerSize());
    assertEquals("Järvilaakson sairaala", db.find("1.2.246.10.98123462.10.1").longName());
  }

  @Test
  void failedPageFetchChangesNothing() throws Exception {
    await(db.importer.load(base, RegisterKind.SOTE, false));
    failPage2 = true;
    var failure =
        assertThrows(
            ExecutionException.class,
            () -> await(db.importer.load(base, RegisterKind.SOTE, false)));
    assertTrue(failure.getCause().getMessage().contains("HTTP 503"));
    assertEquals(15, await(db.organisations.count(RegisterKind.SOTE)));
    assertEquals("failed", await(db.importer.status(1)).get(0).outcome());
  }
}
