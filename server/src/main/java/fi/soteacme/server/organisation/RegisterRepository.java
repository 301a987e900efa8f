package fi.soteacme.server.organisation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for the register copy ({@code register_entry}) and its sync log ({@code register_sync}). */
public final class RegisterRepository {
  /** Bounds the walk up the hierarchy, which also ends cycles. */
  static final int MAX_DEPTH = 32;

  private static final String INSERT =
      "insert into register_entry (oid, source, long_name, abbreviation, parent_oid, business_id,"
          + " sector, status, begin_date, expiration_date, attributes, modified_at)"
          + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())";

  private static final String UPSERT =
      INSERT
          + " on conflict (oid) do update set long_name = excluded.long_name,"
          + " abbreviation = excluded.abbreviation, parent_oid = excluded.parent_oid,"
          + " business_id = excluded.business_id, sector = excluded.sector,"
          + " status = excluded.status, begin_date = excluded.begin_date,"
          + " expiration_date = excluded.expiration_date, attributes = excluded.attributes,"
          + " modified_at = now()";

  /**
   * The entry and its ancestors, nearest first, in one statement (one snapshot). Rows stop at a top
   * entry, a missing parent, a repeated OID or {@link #MAX_DEPTH}.
   */
  private static final String CHAIN =
      "with recursive chain as ("
          + " select e.*, 0 as depth, array[e.oid] as seen from register_entry e where e.oid = $1"
          + " union all"
          + " select e.*, c.depth + 1, c.seen || e.oid from chain c"
          + " join register_entry e on e.oid = c.parent_oid"
          + " where c.parent_oid <> c.oid and not e.oid = any(c.seen) and c.depth < "
          + MAX_DEPTH
          + ")"
          + " select oid, source, long_name, abbreviation, parent_oid, business_id, sector,"
          + " status, begin_date, expiration_date from chain order by depth";

  /** One row of the sync log. */
  public record SyncRecord(
      Instant startedAt,
      Instant finishedAt,
      RegisterKind kind,
      String location,
      boolean incremental,
      int entries,
      String outcome,
      String detail,
      Instant generated) {

    public JsonObject toJson() {
      return new JsonObject()
          .put("startedAt", startedAt.toString())
          .put("finishedAt", finishedAt.toString())
          .put("kind", kind.dbName())
          .put("source", location)
          .put("mode", incremental ? "incremental" : "full")
          .put("entries", entries)
          .put("outcome", outcome)
          .put("detail", detail)
          .put("generated", generated == null ? null : generated.toString());
    }
  }

  /** Serialises every load of the register copy, whichever server process runs it. */
  public Future<Void> lockForLoad(SqlClient db) {
    return db.query("select pg_advisory_xact_lock(hashtext('sote-acme register load'))")
        .execute()
        .mapEmpty();
  }

  /** OIDs among {@code oids} that the other register holds. */
  public Future<List<String>> heldByOther(SqlClient db, RegisterKind kind, List<String> oids) {
    return db.preparedQuery(
            "select oid from register_entry where source <> $1 and oid = any($2) order by oid")
        .execute(
            Tuple.tuple().addString(kind.dbName()).addArrayOfString(oids.toArray(String[]::new)))
        .map(
            rows -> {
              List<String> out = new ArrayList<>();
              rows.forEach(r -> out.add(r.getString(0)));
              return out;
            });
  }

  public Future<Void> deleteAll(SqlClient db, RegisterKind kind) {
    return db.preparedQuery("delete from register_entry where source = $1")
        .execute(Tuple.of(kind.dbName()))
        .mapEmpty();
  }

  /** Inserts ({@code upsert} false) or inserts-or-updates the entries, in one batch. */
  public Future<Void> store(SqlClient db, List<RegisterEntry> entries, boolean upsert) {
    if (entries.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> batch = new ArrayList<>();
    for (RegisterEntry e : entries) {
      JsonObject attributes = new JsonObject();
      e.attributes().forEach(attributes::put);
      batch.add(
          Tuple.of(
              e.oid(),
              e.kind().dbName(),
              e.longName(),
              e.abbreviation(),
              e.parentOid(),
              e.businessId(),
              e.sectorDigit(),
              e.status(),
              offset(e.begin()),
              offset(e.expiration()),
              attributes));
    }
    return db.preparedQuery(upsert ? UPSERT : INSERT).executeBatch(batch).mapEmpty();
  }

  /** The entry and its ancestors, nearest first; empty when the OID is not in the copy. */
  public Future<List<Row>> chain(SqlClient db, String oid) {
    return db.preparedQuery(CHAIN)
        .execute(Tuple.of(oid))
        .map(
            rows -> {
              List<Row> out = new ArrayList<>();
              rows.forEach(out::add);
              return out;
            });
  }

  /**
   * OIDs whose OID or LongName contains {@code text} (any case), ordered, at most {@code limit}.
   */
  public Future<List<String>> search(SqlClient db, String text, int limit) {
    String pattern =
        "%"
            + (text == null
                ? ""
                : text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"))
            + "%";
    return db.preparedQuery(
            "select oid from register_entry where oid ilike $1 or long_name ilike $1"
                + " order by oid limit $2")
        .execute(Tuple.of(pattern, limit))
        .map(
            rows -> {
              List<String> out = new ArrayList<>();
              rows.forEach(r -> out.add(r.getString(0)));
              return out;
            });
  }

  public Future<Integer> count(SqlClient db, RegisterKind kind) {
    return db.preparedQuery("select count(*) from register_entry where source = $1")
        .execute(Tuple.of(kind.dbName()))
        .map(rows -> rows.iterator().next().getLong(0).intValue());
  }

  /** OIDs (of either register) whose ParentId names no entry of the copy. */
  public Future<List<String>> missingParents(SqlClient db) {
    return db.query(
            "select e.oid from register_entry e where e.parent_oid is not null"
                + " and e.parent_oid <> e.oid"
                + " and not exists (select 1 from register_entry p where p.oid = e.parent_oid)"
                + " order by e.oid")
        .execute()
        .map(
            rows -> {
              List<String> out = new ArrayList<>();
              rows.forEach(r -> out.add(r.getString(0)));
              return out;
            });
  }

  public Future<Void> log(SqlClient db, SyncRecord sync) {
    return db.preparedQuery(
            "insert into register_sync (started_at, finished_at, source, location, mode, entries,"
                + " outcome, detail, generated) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .execute(
            Tuple.of(
                offset(sync.startedAt()),
                offset(sync.finishedAt()),
                sync.kind() == null ? null : sync.kind().dbName(),
                sync.location(),
                sync.incremental() ? "incremental" : "full",
                sync.entries(),
                sync.outcome(),
                sync.detail(),
                offset(sync.generated())))
        .mapEmpty();
  }

  /** The last successful load of {@code kind}, if any. */
  public Future<Optional<SyncRecord>> lastSuccessful(SqlClient db, RegisterKind kind) {
    return db.preparedQuery(
            "select * from register_sync where source = $1 and outcome = 'ok'"
                + " order by started_at desc, id desc limit 1")
        .execute(Tuple.of(kind.dbName()))
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(sync(rows.iterator().next())));
  }

  /** The newest {@code limit} loads, newest first. */
  public Future<List<SyncRecord>> latest(SqlClient db, int limit) {
    return db.preparedQuery(
            "select * from register_sync order by started_at desc, id desc limit $1")
        .execute(Tuple.of(limit))
        .map(
            rows -> {
              List<SyncRecord> out = new ArrayList<>();
              rows.forEach(r -> out.add(sync(r)));
              return out;
            });
  }

  private static SyncRecord sync(Row r) {
    return new SyncRecord(
        instant(r.getOffsetDateTime("started_at")),
        instant(r.getOffsetDateTime("finished_at")),
        RegisterKind.of(r.getString("source")),
        r.getString("location"),
        "incremental".equals(r.getString("mode")),
        r.getInteger("entries"),
        r.getString("outcome"),
        r.getString("detail"),
        instant(r.getOffsetDateTime("generated")));
  }

  static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  private static OffsetDateTime offset(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }
}
