package fi.soteacme.server.organisation;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the copy current: at start, the testdata extract into an empty copy (embedded default
 * only); then, when a sync interval is set, a sync of each configured source at once and every
 * {@code syncMinutes} (THL-SOTE incremental after the first full load; intermediaries in full).
 */
public final class RegisterSchedule {
  private static final Logger log = LoggerFactory.getLogger(RegisterSchedule.class);

  /** The fictional extract shipped in the testdata module. */
  public static final List<String> TESTDATA_SOTE =
      List.of(
          "testdata/register/sote-register-page-1.json",
          "testdata/register/sote-register-page-2.json");

  public static final String TESTDATA_INTERMEDIARIES = "testdata/register/intermediaries.json";

  private final Vertx vertx;
  private final RegisterImporter importer;
  private final Organisations organisations;
  private final AtomicBoolean running = new AtomicBoolean();

  public RegisterSchedule(Vertx vertx, RegisterImporter importer, Organisations organisations) {
    this.vertx = vertx;
    this.importer = importer;
    this.organisations = organisations;
  }

  /** Loads the testdata extract into each register that is empty. */
  public Future<Void> loadTestdataIfEmpty() {
    return organisations
        .count(RegisterKind.SOTE)
        .compose(
            n ->
                n > 0
                    ? Future.succeededFuture()
                    : importer.loadResources(TESTDATA_SOTE, RegisterKind.SOTE).mapEmpty())
        .compose(v -> organisations.count(RegisterKind.INTERMEDIARY))
        .compose(
            n ->
                n > 0
                    ? Future.<Void>succeededFuture()
                    : importer
                        .loadResources(List.of(TESTDATA_INTERMEDIARIES), RegisterKind.INTERMEDIARY)
                        .mapEmpty());
  }

  /** Syncs now and every {@code minutes}; nothing when minutes is 0 or no source is set. */
  public void start(String soteUrl, String intermediariesUrl, int minutes) {
    if (minutes <= 0 || (blank(soteUrl) && blank(intermediariesUrl))) {
      return;
    }
    sync(soteUrl, intermediariesUrl);
    vertx.setPeriodic(minutes * 60_000L, id -> sync(soteUrl, intermediariesUrl));
  }

  /** One sync of each configured source; skipped while the previous one still runs. */
  public Future<Void> sync(String soteUrl, String intermediariesUrl) {
    if (!running.compareAndSet(false, true)) {
      log.info("register sync still running; this turn is skipped");
      return Future.succeededFuture();
    }
    Future<Void> sote =
        blank(soteUrl)
            ? Future.succeededFuture()
            : importer.load(soteUrl, RegisterKind.SOTE, true).<Void>mapEmpty().recover(e -> ok());
    return sote.compose(
            v ->
                blank(intermediariesUrl)
                    ? Future.<Void>succeededFuture()
                    : importer
                        .load(intermediariesUrl, RegisterKind.INTERMEDIARY, false)
                        .<Void>mapEmpty()
                        .recover(e -> ok()))
        .onComplete(done -> running.set(false));
  }

  /** A failed sync is already in the log and the sync log; the next turn tries again. */
  private static Future<Void> ok() {
    return Future.succeededFuture();
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
