package fi.soteacme.server.authz;

import fi.soteacme.server.challenge.Challenge;
import fi.soteacme.server.identifier.Identifier;
import fi.soteacme.server.status.AuthorizationStatus;
import fi.soteacme.server.status.ChallengeStatus;
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

/** SQL for authorizations and their challenges. */
public final class AuthorizationRepository {

  /**
   * A valid authorization of the account for the identifier that outlives the new order, if one may
   * be reused.
   */
  public Future<Optional<Long>> findReusable(
      SqlClient db,
      long accountId,
      Identifier base,
      boolean wildcard,
      boolean allowSkipped,
      Instant orderExpires) {
    return db.preparedQuery(
            "select id from authz where account_id = $1 and identifier_type = $2"
                + " and identifier_value = $3 and wildcard = $4 and status = 'valid'"
                + " and expires_at > $6 and ($5 or not validation_skipped)"
                + " order by expires_at desc limit 1")
        .execute(
            Tuple.of(
                accountId, base.type(), base.value(), wildcard, allowSkipped, utc(orderExpires)))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(rows.iterator().next().getLong(0)));
  }

  /** Inserts a pending authorization with one challenge per type; returns its id. */
  public Future<Long> insertPending(
      SqlClient db,
      long accountId,
      Identifier base,
      boolean wildcard,
      Instant expires,
      List<String> challengeTypes,
      java.util.function.Supplier<String> tokens) {
    return insert(
        db,
        accountId,
        base,
        wildcard,
        AuthorizationStatus.PENDING,
        expires,
        challengeTypes,
        tokens);
  }

  /**
   * Inserts an authorization; a valid one (sote-register-01 checked at order time) gets its
   * challenges valid too.
   */
  public Future<Long> insert(
      SqlClient db,
      long accountId,
      Identifier base,
      boolean wildcard,
      AuthorizationStatus status,
      Instant expires,
      List<String> challengeTypes,
      java.util.function.Supplier<String> tokens) {
    String challengeStatus = status == AuthorizationStatus.VALID ? "valid" : "pending";
    String[] challengeTokens =
        java.util.stream.Stream.generate(tokens)
            .limit(challengeTypes.size())
            .toArray(String[]::new);
    // One statement for the authorization and all its challenges. The challenges are inserted in
    // the order of challengeTypes (with ordinality): their ids, and so the order in which the
    // authorization lists them, follow it.
    return db.preparedQuery(
            "with a as (insert into authz (account_id, identifier_type, identifier_value, wildcard,"
                + " status, expires_at) values ($1, $2, $3, $4, $5, $6) returning id),"
                + " c as (insert into challenge (authz_id, type, token, status, validated_at)"
                + " select a.id, t.type, t.token, $9, case when $9 = 'valid' then now() end"
                + " from a, unnest($7::text[], $8::text[]) with ordinality as t(type, token, n)"
                + " order by t.n)"
                + " select id from a")
        .execute(
            Tuple.wrap(
                List.of(
                    accountId,
                    base.type(),
                    base.value(),
                    wildcard,
                    status.wire(),
                    utc(expires),
                    challengeTypes.toArray(String[]::new),
                    challengeTokens,
                    challengeStatus)))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  private static final String SELECT_WITH_CHALLENGES =
      "select a.id, a.account_id, a.identifier_type, a.identifier_value, a.wildcard, a.status,"
          + " a.expires_at, c.id, c.type, c.token, c.status, c.validated_at, c.error, org.oid"
          + " from authz a left join lateral (select o.organisation_oid oid from order_authz oa"
          + " join orders o on o.id = oa.order_id where oa.authz_id = a.id"
          + " and o.organisation_oid is not null limit 1) org on true"
          + " left join challenge c on c.authz_id = a.id";

  public Future<Optional<Authorization>> find(SqlClient db, long id) {
    return find(db, SELECT_WITH_CHALLENGES + " where a.id = $1 order by c.id", id);
  }

  /** The authorization that a challenge belongs to, with all its challenges. */
  public Future<Optional<Authorization>> findByChallenge(SqlClient db, long challengeId) {
    return find(
        db,
        SELECT_WITH_CHALLENGES
            + " where a.id = (select authz_id from challenge where id = $1) order by c.id",
        challengeId);
  }

  private Future<Optional<Authorization>> find(SqlClient db, String sql, long id) {
    return db.preparedQuery(sql)
        .execute(Tuple.of(id))
        .map(
            rows -> {
              Authorization result = null;
              List<Challenge> challenges = new ArrayList<>();
              for (Row row : rows) {
                if (result == null) {
                  result =
                      new Authorization(
                          row.getLong(0),
                          row.getLong(1),
                          new Identifier(row.getString(2), row.getString(3)),
                          row.getBoolean(4),
                          AuthorizationStatus.of(row.getString(5)),
                          row.getOffsetDateTime(6).toInstant(),
                          challenges,
                          row.getString(13));
                }
                if (row.getValue(7) != null) {
                  challenges.add(challenge(row, 7, row.getLong(0)));
                }
              }
              return Optional.ofNullable(result);
            });
  }

  /** Moves a pending challenge to processing; false if it was not pending. */
  public Future<Boolean> startProcessing(SqlClient db, long challengeId) {
    return db.preparedQuery(
            "update challenge set status = 'processing', processing_since = now()"
                + " where id = $1 and status = 'pending'")
        .execute(Tuple.of(challengeId))
        .map(r -> r.rowCount() == 1);
  }

  /**
   * Challenge valid, its authorization valid until {@code authzExpires}; false when the challenge
   * was not processing or the authorization not pending. One statement: the authorization is
   * updated only when the challenge was (the data-modifying CTE c).
   */
  public Future<Boolean> markValid(
      SqlClient db, long challengeId, long authzId, Instant authzExpires, boolean skipped) {
    return db.preparedQuery(
            "with c as (update challenge set status = 'valid', validated_at = now() where id = $1"
                + " and status = 'processing' returning id)"
                + " update authz set status = 'valid', expires_at = $3, validation_skipped = $4"
                + " where id = $2 and status = 'pending' and exists (select 1 from c)")
        .execute(Tuple.of(challengeId, authzId, utc(authzExpires), skipped))
        .map(r -> r.rowCount() == 1);
  }

  /** Challenge and its authorization invalid, with the problem document. */
  public Future<Boolean> markInvalid(
      SqlClient db, long challengeId, long authzId, JsonObject error) {
    return db.preparedQuery(
            "update challenge set status = 'invalid', error = $2 where id = $1"
                + " and status = 'processing'")
        .execute(Tuple.of(challengeId, error))
        .compose(
            r ->
                r.rowCount() == 0
                    ? Future.succeededFuture(false)
                    : db.preparedQuery(
                            "update authz set status = 'invalid' where id = $1 and status = 'pending'")
                        .execute(Tuple.of(authzId))
                        .map(x -> true));
  }

  /** Client deactivation (RFC 8555 §7.5.2); false when not pending or valid. */
  public Future<Boolean> deactivate(SqlClient db, long authzId) {
    return db.preparedQuery(
            "update authz set status = 'deactivated' where id = $1"
                + " and status in ('pending', 'valid') and expires_at > now()")
        .execute(Tuple.of(authzId))
        .map(r -> r.rowCount() == 1);
  }

  /** Challenges left processing by a stopped process, to validate again. */
  public Future<List<Long>> stuckProcessing(SqlClient db, int olderThanSeconds) {
    return db.preparedQuery(
            "select id from challenge where status = 'processing'"
                + " and processing_since < now() - make_interval(secs => $1) limit 1000")
        .execute(Tuple.of(olderThanSeconds))
        .map(
            rows -> {
              List<Long> ids = new ArrayList<>();
              rows.forEach(r -> ids.add(r.getLong(0)));
              return ids;
            });
  }

  /** Records a new attempt on a stuck challenge so that only one process retries it. */
  public Future<Boolean> claimStuck(SqlClient db, long challengeId, int olderThanSeconds) {
    return db.preparedQuery(
            "update challenge set processing_since = now() where id = $1 and status = 'processing'"
                + " and processing_since < now() - make_interval(secs => $2)")
        .execute(Tuple.of(challengeId, olderThanSeconds))
        .map(r -> r.rowCount() == 1);
  }

  /** True when every order that uses the authorization is for a test profile. */
  public Future<Boolean> onlyTestOrders(SqlClient db, long authzId) {
    return db.preparedQuery(
            "select coalesce(bool_and(o.profile like '%-test'), false) from orders o"
                + " join order_authz oa on oa.order_id = o.id where oa.authz_id = $1")
        .execute(Tuple.of(authzId))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  private static Challenge challenge(Row row, int from, long authzId) {
    OffsetDateTime validated = row.getOffsetDateTime(from + 4);
    Object error = row.getJson(from + 5);
    return new Challenge(
        row.getLong(from),
        authzId,
        row.getString(from + 1),
        row.getString(from + 2),
        ChallengeStatus.of(row.getString(from + 3)),
        validated == null ? null : validated.toInstant(),
        error instanceof JsonObject json ? json : null);
  }

  static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
