package fi.soteacme.server.certificate;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for certificates: recorded before signing, completed after, revoked in place. */
public final class CertificateRepository {
  /** A stored certificate; der and chainPem are null until signed. */
  public record Stored(
      long id,
      byte[] serial,
      Long orderId,
      Long accountId,
      String issuer,
      String profile,
      byte[] tbs,
      byte[] der,
      String chainPem,
      String spkiSha256,
      List<String> dnsNames,
      Instant revokedAt,
      Integer revocationReason,
      String organisationOid) {}

  private static final String COLUMNS =
      "id, serial, order_id, account_id, issuer, profile, tbs, der, chain_pem, spki_sha256,"
          + " dns_names, revoked_at, revocation_reason, organisation_oid";

  public Future<Long> insertUnsigned(
      SqlClient db,
      byte[] serial,
      long orderId,
      long accountId,
      String issuer,
      String profile,
      byte[] tbs,
      Instant notBefore,
      Instant notAfter,
      String spkiSha256,
      List<String> dnsNames,
      String organisationOid) {
    return db.preparedQuery(
            "insert into certificate (serial, order_id, account_id, issuer, profile, tbs,"
                + " not_before, not_after, spki_sha256, dns_names, organisation_oid)"
                + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id")
        .execute(
            Tuple.wrap(
                List.of(
                    Buffer.buffer(serial),
                    orderId,
                    accountId,
                    issuer,
                    profile,
                    Buffer.buffer(tbs),
                    utc(notBefore),
                    utc(notAfter),
                    spkiSha256,
                    dnsNames.toArray(String[]::new),
                    organisationOid)))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * Records a certificate issued outside ACME (renewal/LegacyImport): signed already, no order or
   * account, its AKI keyIdentifier kept for its RFC 9773 certID.
   */
  public Future<Long> insertImported(
      SqlClient db,
      byte[] serial,
      String issuer,
      String profile,
      byte[] tbs,
      byte[] der,
      String chainPem,
      Instant notBefore,
      Instant notAfter,
      String spkiSha256,
      List<String> dnsNames,
      String organisationOid,
      byte[] authorityKeyId) {
    return db.preparedQuery(
            "insert into certificate (serial, issuer, profile, tbs, der, chain_pem, not_before,"
                + " not_after, spki_sha256, dns_names, organisation_oid, authority_key_id,"
                + " imported_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now())"
                + " returning id")
        .execute(
            Tuple.wrap(
                List.of(
                    Buffer.buffer(serial),
                    issuer,
                    profile,
                    Buffer.buffer(tbs),
                    Buffer.buffer(der),
                    chainPem,
                    utc(notBefore),
                    utc(notAfter),
                    spkiSha256,
                    dnsNames.toArray(String[]::new),
                    organisationOid,
                    Buffer.buffer(authorityKeyId))))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  public Future<Void> complete(SqlClient db, long id, byte[] der, String chainPem) {
    return db.preparedQuery(
            "update certificate set der = $2, chain_pem = $3 where id = $1 and der is null")
        .execute(Tuple.of(id, Buffer.buffer(der), chainPem))
        .mapEmpty();
  }

  /** Recorded but unsigned certificates, recorded at least {@code olderThanSeconds} ago. */
  public Future<List<Stored>> unsigned(SqlClient db, int olderThanSeconds) {
    return db.preparedQuery(
            "select "
                + COLUMNS
                + " from certificate where der is null"
                + " and created_at <= now() - make_interval(secs => $1) limit 1000")
        .execute(Tuple.of(olderThanSeconds))
        .map(
            rows -> {
              List<Stored> out = new ArrayList<>();
              rows.forEach(r -> out.add(map(r)));
              return out;
            });
  }

  public Future<Optional<Stored>> findBySerial(SqlClient db, byte[] serial, boolean forUpdate) {
    return db.preparedQuery(
            "select "
                + COLUMNS
                + " from certificate where serial = $1"
                + (forUpdate ? " for update" : ""))
        .execute(Tuple.of(Buffer.buffer(serial)))
        .map(
            rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
  }

  /** Revokes once: false when the certificate was already revoked. */
  public Future<Boolean> revoke(SqlClient db, long id, int reason) {
    return db.preparedQuery(
            "update certificate set revoked_at = now(), revocation_reason = $2"
                + " where id = $1 and revoked_at is null")
        .execute(Tuple.of(id, reason))
        .map(r -> r.rowCount() == 1);
  }

  /** True when a certificate with this key was revoked for keyCompromise. */
  public Future<Boolean> keyCompromised(SqlClient db, String spkiSha256) {
    return db.preparedQuery(
            "select 1 from certificate where spki_sha256 = $1 and revocation_reason = 1 limit 1")
        .execute(Tuple.of(spkiSha256))
        .map(rows -> rows.size() > 0);
  }

  private static Stored map(Row r) {
    Buffer der = r.getBuffer(7);
    OffsetDateTime revoked = r.getOffsetDateTime(11);
    return new Stored(
        r.getLong(0),
        r.getBuffer(1).getBytes(),
        r.getLong(2),
        r.getLong(3),
        r.getString(4),
        r.getString(5),
        r.getBuffer(6).getBytes(),
        der == null ? null : der.getBytes(),
        r.getString(8),
        r.getString(9),
        List.of(r.getArrayOfStrings(10)),
        revoked == null ? null : revoked.toInstant(),
        r.getInteger(12),
        r.getString(13));
  }

  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }
}
