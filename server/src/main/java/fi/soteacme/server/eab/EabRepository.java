package fi.soteacme.server.eab;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Optional;

/** SQL for External Account Binding credentials (RFC 8555 §7.3.4). */
public final class EabRepository {
  /** A credential as stored. */
  public record Credential(
      String kid,
      byte[] hmacKey,
      boolean used,
      boolean expired,
      Long customerAccountId,
      String role,
      String email) {}

  /** Inserts a credential, bound to a customer account and role when those are given. */
  public Future<Void> insert(
      SqlClient db,
      String kid,
      byte[] hmacKey,
      OffsetDateTime expiresAt,
      Long customerAccountId,
      String role,
      String email) {
    return db.preparedQuery(
            "insert into eab_credential (kid, hmac_key, expires_at, customer_account_id, role, email)"
                + " values ($1, $2, $3, $4, $5, $6)")
        .execute(Tuple.of(kid, Buffer.buffer(hmacKey), expiresAt, customerAccountId, role, email))
        .mapEmpty();
  }

  /** Locks the credential row for the rest of the transaction. */
  public Future<Optional<Credential>> lock(SqlClient db, String kid) {
    return db.preparedQuery(
            "select kid, hmac_key, used_at is not null, expires_at < now(), customer_account_id,"
                + " role, email from eab_credential where kid = $1 for update")
        .execute(Tuple.of(kid))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              var row = rows.iterator().next();
              return Optional.of(
                  new Credential(
                      row.getString(0),
                      row.getBuffer(1).getBytes(),
                      row.getBoolean(2),
                      row.getBoolean(3),
                      row.getLong(4),
                      row.getString(5),
                      row.getString(6)));
            });
  }

  public Future<Void> consume(SqlClient db, String kid, long accountId) {
    return db.preparedQuery(
            "update eab_credential set used_at = now(), account_id = $2 where kid = $1")
        .execute(Tuple.of(kid, accountId))
        .mapEmpty();
  }
}
