package fi.soteacme.server.revocation;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Keys that are never certified again: those of certificates revoked for keyCompromise, and those
 * an operator blocked by the SHA-256 of their SubjectPublicKeyInfo.
 */
public final class BlockedKeys {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  /** Why the key may not be certified, or empty when it may. */
  public Future<Optional<String>> why(SqlClient db, String spkiSha256) {
    // Both answers in one statement: whether a certificate with the key was revoked for
    // keyCompromise (reason 1), and when an operator blocked it (null when not).
    return db.preparedQuery(
            "select exists (select 1 from certificate where spki_sha256 = $1"
                + " and revocation_reason = 1),"
                + " (select created_at from blocked_key where spki_sha256 = $1)")
        .execute(Tuple.of(spkiSha256))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              if (row.getBoolean(0)) {
                return Optional.of(
                    "this key was revoked for keyCompromise and can never be certified again;"
                        + " generate a new key");
              }
              OffsetDateTime blocked = row.getOffsetDateTime(1);
              return blocked == null
                  ? Optional.empty()
                  : Optional.of(
                      "an operator blocked this key (SPKI SHA-256 "
                          + spkiSha256
                          + ") on "
                          + blocked.toLocalDate()
                          + " and it can never be certified again; generate a new key");
            });
  }

  /** Blocks a key; true when it was not blocked before. */
  public Future<Boolean> block(SqlClient db, String spkiSha256, String comment) {
    return db.preparedQuery(
            "insert into blocked_key (spki_sha256, comment) values ($1, $2)"
                + " on conflict do nothing")
        .execute(Tuple.of(spkiSha256, comment))
        .map(r -> r.rowCount() == 1);
  }

  /**
   * The SPKI SHA-256 in the stored form (lower-case hex), from hex in any case, with or without
   * colons.
   *
   * @throws IllegalArgumentException if it is not 32 bytes of hex
   */
  public static String normalise(String text) {
    String hex = text == null ? "" : text.strip().replace(":", "").toLowerCase(Locale.ROOT);
    if (!SHA256_HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException(
          "spkiSha256 must be the SHA-256 of the SubjectPublicKeyInfo as 64 hex digits");
    }
    return hex;
  }
}
