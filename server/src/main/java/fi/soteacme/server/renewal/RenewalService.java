package fi.soteacme.server.renewal;

import fi.soteacme.server.certificate.Serials;
import fi.soteacme.server.issuance.CaStore;
import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;

/**
 * The rules of RFC 9773: the suggested window of every certificate this CA knows (issued or
 * imported), operator incidents that move windows into the past, and {@code replaces} in newOrder.
 */
public final class RenewalService {
  private final Pool pool;
  private final RenewalRepository repository;
  private final java.util.Map<String, byte[]> heldCaKeyIds;

  /** What renewalInfo answers for one certificate. */
  public record RenewalInfo(SuggestedWindow window, String explanationUrl) {}

  public RenewalService(Pool pool, RenewalRepository repository, CaStore cas) {
    this.pool = pool;
    this.repository = repository;
    this.heldCaKeyIds =
        java.util.Map.of(
            cas.production().name(), cas.production().subjectKeyIdentifier(),
            cas.test().name(), cas.test().subjectKeyIdentifier());
  }

  /**
   * RFC 9773 §4.2: the suggested window of the certificate a certID names.
   *
   * @throws AcmeProblem malformed for a certID that cannot be read; 404 for an unknown one
   */
  public Future<RenewalInfo> renewalInfo(String certId) {
    CertId id = CertId.parse(certId);
    return find(pool, id)
        .map(
            found ->
                info(
                    found.orElseThrow(
                        () -> AcmeProblem.notFound("no certificate known here has certID " + id))));
  }

  /** The window rules of {@link SuggestedWindow} applied to a stored certificate. */
  static RenewalInfo info(RenewalRepository.Known c) {
    java.time.Instant at = earliest(c.revokedAt(), c.markedAt());
    if (at != null) {
      return new RenewalInfo(SuggestedWindow.immediate(at), c.explanationUrl());
    }
    return new RenewalInfo(SuggestedWindow.normal(c.notBefore(), c.notAfter()), null);
  }

  /**
   * Marks the unexpired certificates of one serial, organisation or issuing CA for renewal at once
   * (an incident).
   *
   * @return how many certificates are marked
   */
  public Future<Integer> markIncident(
      RenewalRepository.Selector selector, Object value, String explanationUrl) {
    Object bound =
        value instanceof byte[] serial ? io.vertx.core.buffer.Buffer.buffer(serial) : value;
    return repository.mark(pool, selector, bound, explanationUrl);
  }

  /**
   * RFC 9773 §5, inside newOrder's transaction: records that the new order replaces the certificate
   * its {@code replaces} field names. Does nothing when the field is absent.
   *
   * @param organisationOid the new order's organisation: the predecessor must be of the same one
   */
  public Future<Void> claimReplacement(
      SqlClient tx, long orderId, String organisationOid, Object replaces) {
    if (replaces == null) {
      return Future.succeededFuture();
    }
    if (!(replaces instanceof String text)) {
      throw AcmeProblem.malformed("\"replaces\" must be a certID string (RFC 9773 §5)");
    }
    CertId id = CertId.parse(text);
    return find(tx, id)
        .compose(
            found -> {
              RenewalRepository.Known c =
                  found.orElseThrow(
                      () ->
                          AcmeProblem.malformed(
                              "\"replaces\" names no certificate known here: " + text));
              if (!organisationOid.equals(c.organisationOid())) {
                throw AcmeProblem.unauthorized(
                    "certificate "
                        + Serials.toHex(c.serial())
                        + " named in \"replaces\" is not a certificate of "
                        + organisationOid
                        + ", the organisation of this order");
              }
              return repository
                  .releaseExpiredClaims(tx, c.id())
                  .compose(v -> repository.isClaimed(tx, c.id()))
                  .compose(
                      claimed ->
                          claimed
                              ? Future.succeededFuture(false)
                              : repository.claim(tx, orderId, c.id(), text))
                  .map(
                      claimed -> {
                        if (!claimed) {
                          throw new AcmeProblem(
                              ProblemType.ALREADY_REPLACED,
                              "certificate "
                                  + Serials.toHex(c.serial())
                                  + " is already replaced by another order; a certificate is"
                                  + " replaced once (an order that becomes invalid frees it)");
                        }
                        return null;
                      });
            });
  }

  /** The certificate a certID names: its serial, and its issuer's key identifier. */
  private Future<Optional<RenewalRepository.Known>> find(SqlClient db, CertId id) {
    return repository
        .findBySerial(db, id.serial())
        .map(found -> found.filter(c -> Arrays.equals(authorityKeyId(c), id.authorityKeyId())));
  }

  /**
   * The AKI keyIdentifier of a stored certificate: recorded at import, else that of the CA held
   * here that issued it, else read from its DER.
   */
  private byte[] authorityKeyId(RenewalRepository.Known c) {
    if (c.authorityKeyId() != null) {
      return c.authorityKeyId();
    }
    byte[] held = heldCaKeyIds.get(c.issuer());
    if (held != null) {
      return held;
    }
    if (c.der() != null) {
      try {
        return CertId.authorityKeyId(
            (X509Certificate)
                CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(c.der())));
      } catch (CertificateException e) {
        return null;
      }
    }
    return null;
  }

  private static java.time.Instant earliest(java.time.Instant a, java.time.Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }
}
