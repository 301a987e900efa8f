package fi.soteacme.server.organisation;

import fi.soteacme.server.db.Database;
import fi.soteacme.server.it.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * A fresh, migrated database of its own in the shared embedded PostgreSQL, so that tests that
 * replace or break the register never disturb other tests' servers.
 */
final class RegisterDatabase implements AutoCloseable {
  final Vertx vertx;
  final Pool pool;
  final RegisterRepository repository = new RegisterRepository();
  final RegisterImporter importer;
  final Organisations organisations;
  private final Database database;

  RegisterDatabase() throws Exception {
    String url = TestServers.get().freshDatabaseUrl("register");
    database = TestServers.openDatabase(url);
    vertx = Vertx.vertx();
    pool = database.pool(vertx, 8);
    importer =
        new RegisterImporter(vertx, pool, repository, WebClient.create(vertx), Clock.systemUTC());
    organisations = new Organisations(pool, repository);
  }

  /** The testdata register directory (both registers' files). */
  static Path testdataDirectory() throws URISyntaxException {
    // The files themselves: under `mvn verify` the testdata module is on the classpath as a jar.
    Path dir = Path.of("..", "testdata", "register").toAbsolutePath().normalize();
    if (!java.nio.file.Files.isDirectory(dir)) {
      throw new IllegalStateException("tests run from the server module; no " + dir);
    }
    return dir;
  }

  /** Loads both testdata registers. */
  void loadTestdata() throws Exception {
    String dir = testdataDirectory().toString();
    await(importer.load(dir, RegisterKind.SOTE, false));
    await(importer.load(dir, RegisterKind.INTERMEDIARY, false));
  }

  Organisation find(String oid) throws Exception {
    return await(organisations.find(oid)).orElseThrow();
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    await(pool.close());
    await(vertx.close());
    database.close();
  }
}
