package fi.soteacme.server.db;

import fi.soteacme.server.config.ServerConfig;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage role's connection: PostgreSQL (external, or embedded with its data kept in
 * dataDir/pg), migrated by Flyway before anything else touches it, and a reactive pool.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final EmbeddedPostgres embedded;
  private final String jdbcUrl;
  private final String user;
  private final String password;

  private Database(EmbeddedPostgres embedded, String jdbcUrl, String user, String password) {
    this.embedded = embedded;
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
  }

  /** Starts embedded PostgreSQL when no URL is configured, then migrates. Blocking. */
  public static Database open(ServerConfig config) throws IOException {
    ServerConfig.Database db = config.database();
    Database database;
    if (db.embedded()) {
      Path pgDir = config.dataDir().resolve("pg").toAbsolutePath();
      Files.createDirectories(pgDir);
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(pgDir)
              .setCleanDataDirectory(false)
              // zonky starts PostgreSQL with -F (no fsync); a CA's records must survive a machine
              // crash, so fsync is turned back on (a later -c wins over -F).
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("max_connections", "100")
              .start();
      database = new Database(pg, pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
      log.info("embedded PostgreSQL on port {} with data in {}", pg.getPort(), pgDir);
    } else {
      database = new Database(null, db.url(), db.user(), db.password());
    }
    database.migrate();
    return database;
  }

  private void migrate() {
    Flyway.configure()
        .dataSource(jdbcUrl, user, password)
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  /** A reactive pool on the same database. */
  public Pool pool(Vertx vertx, int size) {
    return pool(vertx, size, Map.of());
  }

  /**
   * A reactive pool whose sessions start with the given settings (sent in the startup message, e.g.
   * {@code synchronous_commit}).
   */
  public Pool pool(Vertx vertx, int size, Map<String, String> settings) {
    URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
    String path = uri.getPath();
    PgConnectOptions connect =
        new PgConnectOptions()
            .setHost(uri.getHost())
            .setPort(uri.getPort() < 0 ? 5432 : uri.getPort())
            .setDatabase(path == null || path.length() <= 1 ? "postgres" : path.substring(1))
            .setUser(user)
            .setPassword(password)
            .setCachePreparedStatements(true)
            .setPipeliningLimit(16);
    settings.forEach(connect::addProperty);
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size))
        .connectingTo(connect)
        .using(vertx)
        .build();
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  @Override
  public void close() throws IOException {
    if (embedded != null) {
      embedded.close();
    }
  }
}
