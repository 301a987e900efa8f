package fi.soteacme.server.organisation;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileProps;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a register into the copy: from a file, a directory of page files, a classpath resource
 * ({@code classpath:...}) or an HTTP(S) URL of THL's code service (paged) or of an intermediary
 * file. A full load replaces the register's entries and an incremental one upserts them, each in
 * one transaction; a page that does not follow its format refuses the whole load and changes
 * nothing. Every load, refused or not, is written to the sync log.
 */
public final class RegisterImporter {
  private static final Logger log = LoggerFactory.getLogger(RegisterImporter.class);

  /** The code system's conceptcodes resource, appended to a bare code service base URL. */
  public static final String CODE_SERVICE_PATH =
      "/codeserver/csapi/v3/classifications/1.2.246.537.6.202/conceptcodes";

  private static final int MAX_PAGES = 10_000;

  private final Vertx vertx;
  private final Pool pool;
  private final RegisterRepository repository;
  private final WebClient http;
  private final Clock clock;

  public RegisterImporter(
      Vertx vertx, Pool pool, RegisterRepository repository, WebClient http, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.repository = repository;
    this.http = http;
    this.clock = clock;
  }

  /**
   * Loads {@code location}.
   *
   * @param kind the register, or null to tell it by the document's format
   * @param incremental upsert instead of replace; from the code service, ask only for entries
   *     modified since the last successful sync (a full load when there was none). Intermediary
   *     files are always complete, so they are always loaded in full.
   * @return the summary; fails with {@link RegisterFormatException} when a page is refused
   */
  public Future<RegisterSyncResult> load(String location, RegisterKind kind, boolean incremental) {
    Instant started = clock.instant();
    Future<Fetched> fetched;
    if (isUrl(location)) {
      fetched = fetchUrl(location, kind, incremental);
    } else if (location.startsWith("classpath:")) {
      fetched = readResources(List.of(location.substring("classpath:".length())), kind);
    } else {
      fetched = readPath(location, kind);
    }
    return fetched
        .compose(f -> store(f, location, incremental, started))
        .onSuccess(r -> log.info("register loaded: {}", r.toJson().encode()))
        .recover(e -> logFailure(started, location, kind, incremental, e));
  }

  /** Loads classpath resources (e.g. the testdata extract), all of one register. */
  public Future<RegisterSyncResult> loadResources(List<String> resources, RegisterKind kind) {
    Instant started = clock.instant();
    String location = "classpath:" + String.join(",", resources);
    return readResources(resources, kind)
        .compose(f -> store(f, location, false, started))
        .onSuccess(r -> log.info("register loaded: {}", r.toJson().encode()))
        .recover(e -> logFailure(started, location, kind, false, e));
  }

  /** The newest loads, newest first. */
  public Future<List<RegisterRepository.SyncRecord>> status(int limit) {
    return repository.latest(pool, limit);
  }

  /** Pages read, before they are parsed; {@code modifiedAfter} only for code service syncs. */
  private record Fetched(
      RegisterKind kind, List<RegisterFormat.Page> pages, LocalDate modifiedAfter) {
    Fetched(RegisterKind kind, List<RegisterFormat.Page> pages) {
      this(kind, pages, null);
    }
  }

  private Future<RegisterSyncResult> store(
      Fetched f, String location, boolean incrementalAsked, Instant started) {
    Load load = new Load(f, location, incrementalAsked && f.kind() == RegisterKind.SOTE, started);
    return vertx
        .executeBlocking(() -> parse(f))
        .compose(parsed -> pool.withTransaction(conn -> write(conn, load, parsed)));
  }

  /** One load's facts, for the steps of its transaction. */
  private record Load(Fetched fetched, String location, boolean incremental, Instant started) {
    RegisterKind kind() {
      return fetched.kind();
    }
  }

  private Future<RegisterSyncResult> write(SqlConnection conn, Load load, Parsed parsed) {
    List<String> oids = parsed.entries().stream().map(RegisterEntry::oid).toList();
    return repository
        .lockForLoad(conn)
        .compose(v -> checkNotEmptied(load, parsed))
        .compose(v -> checkGenerated(conn, load.kind(), parsed.generated()))
        .compose(v -> repository.heldByOther(conn, load.kind(), oids))
        .compose(clash -> checkNoClash(load, clash))
        .compose(
            v ->
                load.incremental()
                    ? Future.succeededFuture()
                    : repository.deleteAll(conn, load.kind()))
        .compose(v -> repository.store(conn, parsed.entries(), load.incremental()))
        .compose(v -> summarise(conn, load, parsed))
        .compose(result -> repository.log(conn, okRecord(load, parsed, result)).map(result));
  }

  private Future<RegisterSyncResult> summarise(SqlConnection conn, Load load, Parsed parsed) {
    return repository
        .count(conn, load.kind())
        .compose(
            size ->
                repository
                    .missingParents(conn)
                    .map(
                        missing ->
                            new RegisterSyncResult(
                                load.kind(),
                                load.location(),
                                load.incremental(),
                                load.fetched().pages().size(),
                                parsed.entries().size(),
                                size,
                                load.fetched().modifiedAfter(),
                                missing)));
  }

  private RegisterRepository.SyncRecord okRecord(
      Load load, Parsed parsed, RegisterSyncResult result) {
    return new RegisterRepository.SyncRecord(
        load.started(),
        clock.instant(),
        load.kind(),
        load.location(),
        load.incremental(),
        parsed.entries().size(),
        "ok",
        result.missingParents().isEmpty()
            ? null
            : "ParentId names no entry: " + result.missingParents(),
        parsed.generated());
  }

  /**
   * An empty THL-SOTE answer would refuse every order: the register is never empty, so a full load
   * of nothing is taken for a fault of the source.
   */
  private static Future<Void> checkNotEmptied(Load load, Parsed parsed) {
    if (load.kind() == RegisterKind.SOTE && !load.incremental() && parsed.entries().isEmpty()) {
      return Future.failedFuture(
          new RegisterFormatException(
              load.location() + ": no entries; a full load would empty the THL-SOTE register"));
    }
    return Future.succeededFuture();
  }

  private static Future<Void> checkNoClash(Load load, List<String> clash) {
    if (clash.isEmpty()) {
      return Future.succeededFuture();
    }
    String other = load.kind() == RegisterKind.SOTE ? "intermediary" : "THL-SOTE";
    return Future.failedFuture(
        new RegisterFormatException(
            load.location() + ": OIDs already in the " + other + " register: " + clash));
  }

  private record Parsed(List<RegisterEntry> entries, Instant generated) {}

  private static Parsed parse(Fetched f) {
    if (f.kind() == RegisterKind.SOTE) {
      return new Parsed(RegisterFormat.sotePages(f.pages()), null);
    }
    if (f.pages().size() != 1) {
      throw new RegisterFormatException(
          "an intermediary register is one file, got " + f.pages().size());
    }
    RegisterFormat.Intermediaries file = RegisterFormat.intermediaries(f.pages().get(0));
    return new Parsed(file.entries(), file.generated());
  }

  /** An intermediary file older than the one loaded last would bring back a stale list. */
  private Future<Void> checkGenerated(SqlConnection conn, RegisterKind kind, Instant generated) {
    if (generated == null) {
      return Future.succeededFuture();
    }
    return repository
        .lastSuccessful(conn, kind)
        .compose(
            last -> {
              Instant previous = last.map(RegisterRepository.SyncRecord::generated).orElse(null);
              if (previous != null && generated.isBefore(previous)) {
                return Future.failedFuture(
                    new RegisterFormatException(
                        "generated "
                            + generated
                            + " is older than the loaded intermediary register's "
                            + previous));
              }
              return Future.succeededFuture();
            });
  }

  /**
   * Writes a refused or failed load to the sync log. A document that is neither register's (only
   * possible when the operator gave no kind, who then gets the error in the reply) belongs to no
   * register's log.
   */
  private Future<RegisterSyncResult> logFailure(
      Instant started, String location, RegisterKind kind, boolean incremental, Throwable e) {
    boolean refused = e instanceof RegisterFormatException;
    log.warn(
        "register load from {} {}: {}", location, refused ? "refused" : "failed", e.toString());
    if (kind == null) {
      return Future.failedFuture(e);
    }
    return repository
        .log(
            pool,
            new RegisterRepository.SyncRecord(
                started,
                clock.instant(),
                kind,
                location,
                incremental,
                0,
                refused ? "refused" : "failed",
                e.getMessage() == null ? e.toString() : e.getMessage(),
                null))
        .transform(logged -> Future.failedFuture(e));
  }

  // ---- reading files and resources

  private Future<Fetched> readPath(String location, RegisterKind kind) {
    var fs = vertx.fileSystem();
    return fs.props(location)
        .recover(
            e ->
                Future.failedFuture(
                    new IllegalArgumentException(
                        "cannot read " + location + ": " + e.getMessage())))
        .compose(
            (FileProps props) -> {
              if (!props.isDirectory()) {
                return readFiles(List.of(location));
              }
              return fs.readDir(location, ".*\\.json")
                  .map(files -> files.stream().sorted().toList())
                  .compose(this::readFiles);
            })
        .compose(pages -> vertx.executeBlocking(() -> select(location, pages, kind)));
  }

  private Future<List<RegisterFormat.Page>> readFiles(List<String> files) {
    List<Future<RegisterFormat.Page>> reads = new ArrayList<>();
    for (String file : files) {
      reads.add(
          vertx
              .fileSystem()
              .readFile(file)
              .map(b -> new RegisterFormat.Page(Path.of(file).getFileName().toString(), text(b))));
    }
    return Future.all(reads).map(all -> reads.stream().map(Future::result).toList());
  }

  private Future<Fetched> readResources(List<String> resources, RegisterKind kind) {
    return vertx
        .executeBlocking(
            () -> {
              List<RegisterFormat.Page> pages = new ArrayList<>();
              for (String resource : resources) {
                try (InputStream in =
                    RegisterImporter.class.getClassLoader().getResourceAsStream(resource)) {
                  if (in == null) {
                    throw new IllegalArgumentException("no classpath resource " + resource);
                  }
                  pages.add(
                      new RegisterFormat.Page(
                          resource, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
              }
              return pages;
            })
        .map(pages -> select("classpath:" + resources, pages, kind));
  }

  /**
   * The pages of one register: those of {@code kind}, or of the one kind present. A directory may
   * hold both registers' files (testdata/register does); then the kind must be given.
   */
  private static Fetched select(
      String location, List<RegisterFormat.Page> pages, RegisterKind kind) {
    if (pages.isEmpty()) {
      throw new RegisterFormatException(location + ": no .json files");
    }
    Map<RegisterKind, List<RegisterFormat.Page>> byKind = new EnumMap<>(RegisterKind.class);
    for (RegisterFormat.Page page : pages) {
      byKind.computeIfAbsent(RegisterFormat.detect(page), k -> new ArrayList<>()).add(page);
    }
    if (kind == null) {
      if (byKind.size() > 1) {
        throw new RegisterFormatException(
            location + ": holds files of both registers; say which to load (kind)");
      }
      kind = byKind.keySet().iterator().next();
    }
    List<RegisterFormat.Page> chosen = byKind.get(kind);
    if (chosen == null) {
      throw new RegisterFormatException(
          location + ": holds no " + kind.dbName() + " register file");
    }
    return new Fetched(kind, chosen);
  }

  // ---- HTTP

  private Future<Fetched> fetchUrl(String location, RegisterKind kind, boolean incremental) {
    Future<RegisterKind> known;
    if (kind != null) {
      known = Future.succeededFuture(kind);
    } else if (URI.create(location).getPath().contains("/conceptcodes")) {
      known = Future.succeededFuture(RegisterKind.SOTE);
    } else {
      known = get(location).map(RegisterFormat::detect);
    }
    return known.compose(
        k -> {
          if (k == RegisterKind.INTERMEDIARY) {
            return get(location).map(page -> new Fetched(k, List.of(page)));
          }
          Future<Optional<LocalDate>> since =
              incremental
                  ? repository
                      .lastSuccessful(pool, RegisterKind.SOTE)
                      .map(last -> last.map(s -> modifiedAfter(s.startedAt())))
                  : Future.succeededFuture(Optional.empty());
          return since.compose(
              after ->
                  fetchPages(location, after.orElse(null))
                      .map(pages -> new Fetched(k, pages, after.orElse(null))));
        });
  }

  /**
   * The code service's {@code modifiedAfter} is a date; whether it includes that day is not
   * documented, so a sync asks from the day before the last successful one began (Finnish date).
   * Upserting an entry twice is harmless; missing one is not.
   */
  static LocalDate modifiedAfter(Instant lastSyncStarted) {
    return LocalDate.ofInstant(lastSyncStarted, BusinessDays.FINLAND).minusDays(1);
  }

  private Future<List<RegisterFormat.Page>> fetchPages(String base, LocalDate modifiedAfter) {
    Function<Integer, String> pageUrl = n -> codeServiceUrl(base, n, modifiedAfter);
    return get(pageUrl.apply(1))
        .compose(
            first -> {
              int totalPages = RegisterFormat.totalPages(first);
              if (totalPages > MAX_PAGES) {
                return Future.failedFuture(
                    new RegisterFormatException(first.name() + ": totalPages " + totalPages));
              }
              List<RegisterFormat.Page> pages = new ArrayList<>(List.of(first));
              Future<Void> chain = Future.succeededFuture();
              // One page after another: the code service is a shared public service.
              for (int n = 2; n <= totalPages; n++) {
                int page = n;
                chain =
                    chain.compose(v -> get(pageUrl.apply(page)).map(p -> pages.add(p)).mapEmpty());
              }
              return chain.map(v -> pages);
            });
  }

  /**
   * The URL of page {@code n}: a bare code service base gets {@link #CODE_SERVICE_PATH}; the query
   * keeps what the URL has and defaults {@code status=ACTIVE}, {@code pageSize=500}.
   */
  static String codeServiceUrl(String base, int n, LocalDate modifiedAfter) {
    URI uri = URI.create(base);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (!path.contains("/conceptcodes")) {
      path = (path.endsWith("/") ? path.substring(0, path.length() - 1) : path) + CODE_SERVICE_PATH;
    }
    Map<String, String> query = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        query.put(name, value);
      }
    }
    query.putIfAbsent("status", "ACTIVE");
    query.putIfAbsent("pageSize", "500");
    query.put("page", Integer.toString(n));
    if (modifiedAfter != null) {
      query.put("modifiedAfter", modifiedAfter.toString());
    } else {
      query.remove("modifiedAfter");
    }
    StringBuilder url = new StringBuilder();
    url.append(uri.getScheme())
        .append("://")
        .append(uri.getRawAuthority())
        .append(path)
        .append('?');
    String sep = "";
    for (var e : query.entrySet()) {
      url.append(sep)
          .append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
      sep = "&";
    }
    return url.toString();
  }

  private Future<RegisterFormat.Page> get(String url) {
    return http.getAbs(url)
        .putHeader("Accept", "application/json")
        .timeout(60_000)
        .send()
        .compose(
            response -> {
              if (response.statusCode() != 200) {
                return Future.failedFuture(
                    new IllegalStateException(
                        "GET " + url + " answered HTTP " + response.statusCode()));
              }
              Buffer body = response.body();
              return Future.succeededFuture(
                  new RegisterFormat.Page(url, body == null ? "" : text(body)));
            });
  }

  private static boolean isUrl(String location) {
    String lower = location.toLowerCase(java.util.Locale.ROOT);
    return lower.startsWith("http://") || lower.startsWith("https://");
  }

  private static String text(Buffer buffer) {
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
