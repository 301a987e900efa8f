package fi.soteacme.server.order;

import fi.soteacme.server.identifier.Identifier;
import fi.soteacme.server.status.OrderStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** SQL for orders and their links to authorizations. */
public final class OrderRepository {
  private static final String SELECT =
      columns(
              "(select array_agg(authz_id order by authz_id) from order_authz"
                  + " where order_id = o.id)",
              "(select serial from certificate c where c.order_id = o.id and c.der is not null)")
          + " from orders o";

  /**
   * The select list that {@link #map} reads from an order row {@code o}, with the two columns that
   * other tables hold: the authorization ids (a bigint[] in ascending order) and the serial of the
   * issued certificate (bytea, null until issued).
   */
  private static String columns(String authorizationIds, String certificateSerial) {
    return "select o.id, o.account_id, o.status, o.expires_at, o.identifiers, o.profile,"
        + " o.not_before, o.not_after, o.error, "
        + authorizationIds
        + ", "
        + certificateSerial
        + ", o.organisation_oid, o.processing_deadline, o.created_at, o.replaces";
  }

  /**
   * Inserts the order with its links to its authorizations and returns it as {@link #find} reads
   * it, in one statement.
   */
  public Future<Order> insert(
      SqlClient db,
      long accountId,
      OrderStatus status,
      Instant expires,
      List<Identifier> identifiers,
      String profile,
      Instant notBefore,
      Instant notAfter,
      List<Long> authzIds,
      String organisationOid) {
    JsonArray ids = new JsonArray();
    identifiers.forEach(i -> ids.add(i.toJson()));
    // The statement's own order_authz rows are not visible to its final select (a data-modifying
    // CTE's rows are seen only through its RETURNING): the authorization ids come from the
    // parameter, the serial is null (no certificate yet).
    return db.preparedQuery(
            "with o as (insert into orders (account_id, status, expires_at, identifiers, profile,"
                + " not_before, not_after, organisation_oid)"
                + " values ($1, $2, $3, $4, $5, $6, $7, $8) returning *),"
                + " l as (insert into order_authz (order_id, authz_id)"
                + " select o.id, unnest($9::bigint[]) from o) "
                + columns(
                    "(select array_agg(a order by a) from unnest($9::bigint[]) a)", "null::bytea")
                + " from o")
        .execute(
            Tuple.wrap(
                java.util.Arrays.asList(
                    accountId,
                    status.wire(),
                    utc(expires),
                    ids,
                    profile,
                    utc(notBefore),
                    utc(notAfter),
                    organisationOid,
                    authzIds.toArray(Long[]::new))))
        .map(rows -> map(rows.iterator().next()));
  }

  public Future<Optional<Order>> find(SqlClient db, long id, boolean forUpdate) {
    String sql = SELECT + " where o.id = $1" + (forUpdate ? " for update of o" : "");
    return db.preparedQuery(sql)
        .execute(Tuple.of(id))
        .map(
            rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
  }

  /**
   * Order ids of the account after the cursor, oldest first, leaving out invalid orders, also those
   * that became invalid by expiring (RFC 8555 §7.1.2.1).
   */
  public Future<List<Long>> listIds(SqlClient db, long accountId, long afterId, int limit) {
    return db.preparedQuery(
            "select id from orders where account_id = $1 and id > $2 and status <> 'invalid'"
                + " and not (status in ('pending', 'ready') and expires_at < now())"
                + " order by id limit $3")
        .execute(Tuple.of(accountId, afterId, limit))
        .map(
            rows -> {
              List<Long> ids = new ArrayList<>();
              rows.forEach(r -> ids.add(r.getLong(0)));
              return ids;
            });
  }

  public Future<Void> setStatus(SqlClient db, long id, OrderStatus status, JsonObject error) {
    return db.preparedQuery(
            "update orders set status = $2, error = coalesce($3, error) where id = $1")
        .execute(Tuple.of(id, status.wire(), error))
        .mapEmpty();
  }

  /**
   * Pending orders whose authorizations are now all valid become ready. Call it in the transaction
   * that made the authorization valid: the orders are locked first, so that when two authorizations
   * of one order become valid at the same time, the second transaction's check runs after the first
   * committed and sees both (under READ COMMITTED each would otherwise see the other still pending,
   * and the order would stay pending for ever).
   */
  public Future<Void> readyWhenAuthorized(SqlClient db, long authzId) {
    return db.preparedQuery(
            "select o.id from orders o where o.status = 'pending'"
                + " and o.id in (select order_id from order_authz where authz_id = $1)"
                + " order by o.id for update")
        .execute(Tuple.of(authzId))
        .compose(
            locked ->
                db.preparedQuery(
                        "update orders o set status = 'ready' where o.status = 'pending'"
                            + " and o.id in (select order_id from order_authz where authz_id = $1)"
                            + " and not exists (select 1 from order_authz oa join authz a"
                            + " on a.id = oa.authz_id where oa.order_id = o.id"
                            + " and a.status <> 'valid')")
                    .execute(Tuple.of(authzId)))
        .mapEmpty();
  }

  /** Records when the review that an order waits for is due (5 business days after submission). */
  public Future<Void> setProcessingDeadline(SqlClient db, long authzId, Instant deadline) {
    return db.preparedQuery(
            "update orders set processing_deadline = $2 where status = 'pending'"
                + " and id in (select order_id from order_authz where authz_id = $1)")
        .execute(Tuple.of(authzId, utc(deadline)))
        .mapEmpty();
  }

  /** Unfinished orders that depend on a failed or deactivated authorization become invalid. */
  public Future<Void> invalidateForAuthz(SqlClient db, long authzId, JsonObject error) {
    return db.preparedQuery(
            "update orders set status = 'invalid', error = $2 where status in ('pending', 'ready')"
                + " and id in (select order_id from order_authz where authz_id = $1)")
        .execute(Tuple.of(authzId, error))
        .mapEmpty();
  }

  private static Order map(Row row) {
    List<Identifier> identifiers = new ArrayList<>();
    ((JsonArray) row.getJson(4))
        .forEach(
            o -> {
              JsonObject j = (JsonObject) o;
              identifiers.add(new Identifier(j.getString("type"), j.getString("value")));
            });
    Long[] authz = row.getArrayOfLongs(9);
    var serial = row.getBuffer(10);
    Object error = row.getJson(8);
    return new Order(
        row.getLong(0),
        row.getLong(1),
        OrderStatus.of(row.getString(2)),
        row.getOffsetDateTime(3).toInstant(),
        List.copyOf(identifiers),
        row.getString(5),
        instant(row.getOffsetDateTime(6)),
        instant(row.getOffsetDateTime(7)),
        error instanceof JsonObject j ? j : null,
        authz == null ? List.of() : List.of(authz),
        serial == null ? null : HexFormat.of().formatHex(serial.getBytes()),
        row.getString(11),
        instant(row.getOffsetDateTime(12)),
        instant(row.getOffsetDateTime(13)),
        row.getString(14));
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  private static OffsetDateTime utc(Instant i) {
    return i == null ? null : i.atOffset(ZoneOffset.UTC);
  }
}
