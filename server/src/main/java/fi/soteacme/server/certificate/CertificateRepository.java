package fi.soteacme.server.certificate;

import fi.soteacme.server.issuance.CertificateIssuer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * SQL for certificates: recorded before signing, completed after, revoked in place; and the issuing
 * CA certificates they chain to (issuer_certificate), stored once.
 */
public final class CertificateRepository {
  /**
   * A stored certificate; der and issuerDer are null until signed.
   *
   * @param issuerDer the issuing CA certificate it chains to (issuer_certificate), null when that
   *     CA is not held here (an imported certificate of another CA)
   */
  public record Stored(
      long id,
      byte[] serial,
      Long orderId,
      Long accountId,
      String issuer,
      String profile,
      byte[] tbs,
      byte[] der,
      byte[] issuerDer,
      String spkiSha256,
      List<String> dnsNames,
      Instant revokedAt,
      Integer revocationReason,
      String organisationOid) {

    /** The chain served at the certificate URL: see {@link CertificateIssuer#chainPem}. */
    public String chainPem() {
      return CertificateIssuer.chainPem(der, issuerDer);
    }
  }

  /** The certificate with its issuing CA certificate, joined in the statement that reads it. */
  private static final String SELECT =
      "select c.id, c.serial, c.order_id, c.account_id, c.issuer, c.profile, c.tbs, c.der, i.der,"
          + " c.spki_sha256, c.dns_names, c.revoked_at, c.revocation_reason, c.organisation_oid"
          + " from certificate c"
          + " left join issuer_certificate i on i.id = c.issuer_certificate_id";

  /**
   * Records an issuing CA certificate once (the same DER is the same row, whichever process or
   * start registers it) and returns its id, what {@link #complete} stores for the certificates it
   * signs. Two statements on purpose: the look-up, with a snapshot of its own, sees the row
   * whichever process inserted it (an insert that conflicts with a concurrent one waits for it).
   */
  public Future<Long> registerIssuer(SqlClient db, byte[] der) {
    Tuple param = Tuple.of(Buffer.buffer(der));
    return db.preparedQuery(
            "insert into issuer_certificate (sha256, der) values (sha256($1), $1)"
                + " on conflict (sha256) do nothing")
        .execute(param)
        .compose(
            v ->
                db.preparedQuery("select id from issuer_certificate where sha256 = sha256($1)")
                    .execute(param))
        .map(rows -> rows.iterator().next().getLong(0));
  }

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
   *
   * @param issuerCertificateId the {@link #registerIssuer} id of the CA held here that signed it,
   *     or null when another CA did
   */
  public Future<Long> insertImported(
      SqlClient db,
      byte[] serial,
      String issuer,
      String profile,
      byte[] tbs,
      byte[] der,
      Long issuerCertificateId,
      Instant notBefore,
      Instant notAfter,
      String spkiSha256,
      List<String> dnsNames,
      String organisationOid,
      byte[] authorityKeyId) {
    return db.preparedQuery(
            "insert into certificate (serial, issuer, profile, tbs, der, issuer_certificate_id,"
                + " not_before, not_after, spki_sha256, dns_names, organisation_oid,"
                + " authority_key_id, imported_at)"
                + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now())"
                + " returning id")
        .execute(
            // Arrays.asList, not List.of: the issuer's id may be null.
            Tuple.wrap(
                Arrays.asList(
                    Buffer.buffer(serial),
                    issuer,
                    profile,
                    Buffer.buffer(tbs),
                    Buffer.buffer(der),
                    issuerCertificateId,
                    utc(notBefore),
                    utc(notAfter),
                    spkiSha256,
                    dnsNames.toArray(String[]::new),
                    organisationOid,
                    Buffer.buffer(authorityKeyId))))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * Stores the signed certificate and the issuing CA's certificate it chains to ({@link
   * #registerIssuer}); only the first completion of a recorded certificate counts.
   */
  public Future<Void> complete(SqlClient db, long id, byte[] der, long issuerCertificateId) {
    return db.preparedQuery(
            "update certificate set der = $2, issuer_certificate_id = $3"
                + " where id = $1 and der is null")
        .execute(Tuple.of(id, Buffer.buffer(der), issuerCertificateId))
        .mapEmpty();
  }

  /** Recorded but unsigned certificates, recorded at least {@code olderThanSeconds} ago. */
  public Future<List<Stored>> unsigned(SqlClient db, int olderThanSeconds) {
    return db.preparedQuery(
            SELECT
                + " where c.der is null"
                + " and c.created_at <= now() - make_interval(secs => $1) limit 1000")
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
            // "of c": the certificate row is locked, not its CA's (nor could the nullable side of
            // an outer join be).
            SELECT + " where c.serial = $1" + (forUpdate ? " for update of c" : ""))
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

  private static Stored map(Row r) {
    Buffer der = r.getBuffer(7);
    Buffer issuerDer = r.getBuffer(8);
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
        issuerDer == null ? null : issuerDer.getBytes(),
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
