package fi.soteacme.server.renewal;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/** SQL for renewal information: what a certID names, incident marks, replacement claims. */
public final class RenewalRepository {
  /** PostgreSQL's unique_violation: the index orders_replaces_once refused a second claim. */
  private static final String UNIQUE_VIOLATION = "23505";

  /** A certificate as renewal information needs it; der is null until signed. */
  public record Known(
      long id,
      byte[] serial,
      String issuer,
      Instant notBefore,
      Instant notAfter,
      Instant revokedAt,
      Instant markedAt,
      String explanationUrl,
      byte[] authorityKeyId,
      byte[] der,
      String organisationOid) {}

  /** Which certificates an incident marks: one column compared with one value. */
  public enum Selector {
    SERIAL("serial"),
    ORGANISATION("organisation_oid"),
    ISSUER("issuer");

    private final String column;

    Selector(String column) {
      this.column = column;
    }
  }

  public Future<Optional<Known>> findBySerial(SqlClient db, byte[] serial) {
    return db.preparedQuery(
            "select id, serial, issuer, not_before, not_after, revoked_at, renewal_marked_at,"
                + " renewal_explanation_url, authority_key_id, der, organisation_oid"
                + " from certificate where serial = $1")
        .execute(Tuple.of(Buffer.buffer(serial)))
        .map(
            rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
  }

  /**
   * Marks every unexpired certificate that matches for renewal at once. A certificate marked before
   * keeps its first mark time (so its window does not move); a new explanation URL replaces an old
   * one.
   *
   * @return how many certificates the mark covers
   */
  public Future<Integer> mark(
      SqlClient db, Selector selector, Object value, String explanationUrl) {
    return db.preparedQuery(
            "update certificate set renewal_marked_at = coalesce(renewal_marked_at, now()),"
                + " renewal_explanation_url = coalesce($2, renewal_explanation_url)"
                + " where "
                + selector.column
                + " = $1 and not_after > now()")
        .execute(Tuple.of(value, explanationUrl))
        .map(rows -> rows.rowCount());
  }

  /**
   * Frees the claims of orders that expired unfinished: such an order is invalid to its client, and
   * now in the database too.
   */
  public Future<Void> releaseExpiredClaims(SqlClient db, long certificateId) {
    return db.preparedQuery(
            "update orders set status = 'invalid' where replaces_certificate_id = $1"
                + " and status in ('pending', 'ready') and expires_at < now()")
        .execute(Tuple.of(certificateId))
        .mapEmpty();
  }

  /** True when an order that is not invalid already replaces the certificate. */
  public Future<Boolean> isClaimed(SqlClient db, long certificateId) {
    return db.preparedQuery(
            "select 1 from orders where replaces_certificate_id = $1 and status <> 'invalid'")
        .execute(Tuple.of(certificateId))
        .map(rows -> rows.size() > 0);
  }

  /**
   * Records that the order replaces the certificate.
   *
   * @return false when another order claimed it first (the unique index decided)
   */
  public Future<Boolean> claim(SqlClient db, long orderId, long certificateId, String certId) {
    return db.preparedQuery(
            "update orders set replaces_certificate_id = $2, replaces = $3 where id = $1")
        .execute(Tuple.of(orderId, certificateId, certId))
        .map(rows -> true)
        .recover(
            e ->
                e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
                    ? Future.succeededFuture(false)
                    : Future.failedFuture(e));
  }

  private static Known map(Row r) {
    Buffer aki = r.getBuffer(8);
    Buffer der = r.getBuffer(9);
    return new Known(
        r.getLong(0),
        r.getBuffer(1).getBytes(),
        r.getString(2),
        instant(r.getOffsetDateTime(3)),
        instant(r.getOffsetDateTime(4)),
        instant(r.getOffsetDateTime(5)),
        instant(r.getOffsetDateTime(6)),
        r.getString(7),
        aki == null ? null : aki.getBytes(),
        der == null ? null : der.getBytes(),
        r.getString(10));
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
