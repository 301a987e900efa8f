package fi.soteacme.server.revocation;

import fi.soteacme.server.certificate.CertificateRepository;
import fi.soteacme.server.certificate.Serials;
import fi.soteacme.server.customer.OrganisationAccess;
import fi.soteacme.server.issuance.SerialNumberGenerator;
import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import fi.soteacme.server.web.jws.AcmeRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 8555 §7.6 revokeCert, with the reasons of the contract: a revoked certificate never comes
 * back, so certificateHold (6) and removeFromCRL (8) are refused.
 */
public final class RevocationService {
  /** unspecified, keyCompromise, affiliationChanged, superseded, cessationOfOperation. */
  public static final Set<Integer> REASONS = Set.of(0, 1, 3, 4, 5);

  /** Reason names the operator API accepts, with their RFC 5280 codes. */
  public static final Map<String, Integer> REASON_NAMES =
      Map.of(
          "unspecified", 0,
          "keyCompromise", 1,
          "affiliationChanged", 3,
          "superseded", 4,
          "cessationOfOperation", 5);

  private static final Logger log = LoggerFactory.getLogger(RevocationService.class);

  private final Pool pool;
  private final CertificateRepository certificates;
  private final CrlService crls;
  private final BlockedKeys blockedKeys;

  private final OrganisationAccess access;

  /**
   * @param crls signs the issuer's CRL again as soon as a revocation commits; null leaves it to the
   *     periodic refresh
   */
  public RevocationService(
      Pool pool, CertificateRepository certificates, OrganisationAccess access, CrlService crls) {
    this.pool = pool;
    this.certificates = certificates;
    this.access = access;
    this.crls = crls;
    this.blockedKeys = new BlockedKeys();
  }

  /** What an operator revocation did. */
  public record Revoked(
      BigInteger serial, String issuer, Instant revokedAt, int reason, Long crlNumber) {
    public JsonObject toJson() {
      return new JsonObject()
          .put("serial", SerialNumberGenerator.toHex(serial))
          .put("serialDecimal", serial.toString())
          .put("issuer", issuer)
          .put("revokedAt", revokedAt.toString())
          .put("reason", reason)
          .put("crlNumber", crlNumber);
    }
  }

  /**
   * Operator revocation: by serial, for the reasons of the contract (a name of {@link
   * #REASON_NAMES} or its code). Returns after the issuer's CRL lists it.
   */
  public Future<Revoked> revokeByOperator(BigInteger serial, Object reasonNameOrCode) {
    int reason =
        reasonNameOrCode instanceof String name && REASON_NAMES.containsKey(name)
            ? REASON_NAMES.get(name)
            : reason(reasonNameOrCode == null ? 0 : reasonNameOrCode);
    byte[] bytes = Serials.toBytes(serial);
    return pool.withTransaction(
            tx ->
                certificates
                    .findBySerial(tx, bytes, true)
                    .compose(
                        found -> {
                          var stored =
                              found
                                  .filter(s -> s.der() != null)
                                  .orElseThrow(
                                      () ->
                                          AcmeProblem.notFound(
                                              "no certificate with serial "
                                                  + SerialNumberGenerator.toHex(serial)
                                                  + " ("
                                                  + serial
                                                  + ") was issued here"));
                          if (stored.revokedAt() != null) {
                            throw alreadyRevoked(bytes, stored);
                          }
                          return certificates
                              .revoke(tx, stored.id(), reason)
                              .compose(v -> certificates.findBySerial(tx, bytes, false))
                              .map(Optional::orElseThrow);
                        }))
        .compose(
            stored ->
                crlAfter(stored.issuer())
                    .map(
                        number ->
                            new Revoked(
                                serial, stored.issuer(), stored.revokedAt(), reason, number)));
  }

  /** Operator key block by SPKI SHA-256 hex; true when it was not blocked before. */
  public Future<Boolean> blockKey(String spkiSha256, String comment) {
    String hex;
    try {
      hex = BlockedKeys.normalise(spkiSha256);
    } catch (IllegalArgumentException e) {
      throw AcmeProblem.malformed(e.getMessage());
    }
    return blockedKeys.block(pool, hex, comment);
  }

  /** The CRL number that lists a revocation that just committed; null when none was signed. */
  private Future<Long> crlAfter(String issuer) {
    // An imported certificate of a CA not held here is listed by that CA's CRL, not by one of ours.
    if (crls == null || !crls.signsFor(issuer)) {
      return Future.succeededFuture(null);
    }
    return crls.regenerate(issuer)
        .recover(
            e -> {
              // The revocation stands; the periodic refresh signs the CRL that lists it.
              log.error("the CRL of the {} CA was not signed after a revocation", issuer, e);
              return Future.succeededFuture(null);
            });
  }

  private static AcmeProblem alreadyRevoked(byte[] serial, CertificateRepository.Stored stored) {
    return new AcmeProblem(
        ProblemType.ALREADY_REVOKED,
        "certificate " + Serials.toHex(serial) + " was already revoked at " + stored.revokedAt());
  }

  public Future<Void> revoke(AcmeRequest req) {
    JsonObject payload = req.payload();
    if (payload == null || !(payload.getValue("certificate") instanceof String b64)) {
      throw AcmeProblem.malformed("revokeCert needs {\"certificate\": \"<base64url DER>\"}");
    }
    int reason = reason(payload.getValue("reason"));
    byte[] der;
    X509Certificate cert;
    try {
      der = Base64.getUrlDecoder().decode(b64);
      cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(der));
    } catch (IllegalArgumentException | CertificateException e) {
      throw AcmeProblem.malformed("\"certificate\" is not a base64url DER certificate");
    }
    byte[] serial = Serials.toBytes(cert.getSerialNumber());
    return pool.withTransaction(
            tx ->
                certificates
                    .findBySerial(tx, serial, true)
                    .compose(
                        found -> {
                          var stored =
                              found
                                  .filter(s -> s.der() != null && Arrays.equals(s.der(), der))
                                  .orElseThrow(
                                      () ->
                                          AcmeProblem.notFound(
                                              "this certificate was not issued by this CA"));
                          return authorize(tx, req, cert, stored)
                              .compose(
                                  v -> {
                                    if (stored.revokedAt() != null) {
                                      throw alreadyRevoked(serial, stored);
                                    }
                                    return certificates.revoke(tx, stored.id(), reason);
                                  })
                              .map(stored.issuer());
                        }))
        .compose(issuer -> crlAfter(issuer))
        .mapEmpty();
  }

  private Future<Void> authorize(
      io.vertx.sqlclient.SqlClient tx,
      AcmeRequest req,
      X509Certificate cert,
      CertificateRepository.Stored stored) {
    if (req.jwk() != null) {
      if (!Arrays.equals(req.jwk().getPublicKey().getEncoded(), cert.getPublicKey().getEncoded())) {
        throw AcmeProblem.unauthorized(
            "a revocation signed with a jwk must be signed by the certificate's own key");
      }
      return Future.succeededFuture();
    }
    if (stored.organisationOid() != null) {
      // kanta-extension.md: any account linked to the certificate's organisation, and no other.
      return access
          .isLinked(req.account(), stored.organisationOid())
          .map(
              linked -> {
                if (!linked) {
                  throw AcmeProblem.unauthorized(
                      "only an account linked to the certificate's organisation ("
                          + stored.organisationOid()
                          + ") may revoke it");
                }
                return null;
              });
    }
    if (stored.accountId() != null && stored.accountId() == req.account().id()) {
      return Future.succeededFuture();
    }
    // RFC 8555 §7.6: an account that holds valid authorizations for every name may also revoke.
    List<String> names =
        stored.dnsNames().stream()
            .map(n -> n.startsWith("*.") ? n.substring(2) : n)
            .distinct()
            .toList();
    if (names.isEmpty()) {
      throw AcmeProblem.unauthorized(
          "only the account that ordered this certificate may revoke it");
    }
    return tx.preparedQuery(
            "select count(distinct identifier_value) from authz where account_id = $1"
                + " and identifier_type = 'dns' and status = 'valid' and expires_at > now()"
                + " and identifier_value = any($2)")
        .execute(
            // Not Tuple.of(id, array): varargs would spread the array into separate parameters.
            Tuple.of(req.account().id()).addArrayOfString(names.toArray(String[]::new)))
        .map(
            rows -> {
              if (rows.iterator().next().getLong(0) < names.size()) {
                throw AcmeProblem.unauthorized(
                    "this account neither ordered the certificate nor holds valid authorizations"
                        + " for all of its names");
              }
              return null;
            });
  }

  private static int reason(Object raw) {
    if (raw == null) {
      return 0;
    }
    if (!(raw instanceof Integer code) || !REASONS.contains(code)) {
      throw new AcmeProblem(
          ProblemType.BAD_REVOCATION_REASON,
          "revocation reason "
              + raw
              + " is not accepted; use 0 unspecified, 1 keyCompromise, 3 affiliationChanged,"
              + " 4 superseded or 5 cessationOfOperation (a revoked certificate never comes back)");
    }
    return code;
  }
}
