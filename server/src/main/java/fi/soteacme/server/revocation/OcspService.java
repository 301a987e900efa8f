package fi.soteacme.server.revocation;

import fi.soteacme.server.cache.LruCache;
import fi.soteacme.server.certificate.Serials;
import fi.soteacme.server.issuance.IssuingCa;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OCSP responder (RFC 6960): answers good, revoked (time, reason) or unknown for each serial of
 * a request from the certificate table as it is now, so a revocation shows in the next answer.
 * Signed by the issuing CA's delegated responder, with the request's nonce echoed.
 *
 * <p>Signing is most of an answer's cost, so answers to requests for one serial without a nonce
 * (RFC 5019's lightweight profile: what GET requests, browsers and most libraries send) are kept in
 * a bounded LRU cache and served again while the status read from the database for this request is
 * still the one they state, the same responder signs, and at least half of their validity is left
 * (thisUpdate + validity/2). The status is read at every request, so a revocation by any process on
 * the database shows in the next answer, as without the cache.
 */
public final class OcspService {
  private static final Logger log = LoggerFactory.getLogger(OcspService.class);

  /** More single requests than this in one OCSP request are refused as malformed. */
  static final int MAX_REQUESTS = 20;

  private static final List<AlgorithmIdentifier> CERT_ID_HASHES =
      List.of(
          new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1, DERNull.INSTANCE),
          new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256),
          new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha384),
          new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha512));

  /** Signed answers kept at most (about 1 KB each). */
  static final int CACHE_ENTRIES = 16_384;

  private final Vertx vertx;
  private final Pool pool;
  private final OcspResponderCertificates responders;
  private final Duration validity;
  private final Clock clock;
  private final DigestCalculatorProvider digests;

  /** Hash algorithm OID, issuerNameHash and issuerKeyHash in hex → issuing CA. */
  private final Map<String, IssuingCa> issuers = new HashMap<>();

  private final LruCache<String, Cached> cache;

  /** A signed answer for one serial, and what it was signed for. */
  record Cached(
      String status, byte[] der, Instant thisUpdate, OcspResponderCertificates.Responder signer) {}

  /**
   * @param validity from thisUpdate to nextUpdate of each answer
   */
  public OcspService(
      Vertx vertx,
      Pool pool,
      List<IssuingCa> cas,
      OcspResponderCertificates responders,
      Duration validity,
      Clock clock) {
    this(vertx, pool, cas, responders, validity, clock, CACHE_ENTRIES);
  }

  /**
   * @param cacheEntries how many signed answers are kept for reuse; 0 signs every answer
   */
  OcspService(
      Vertx vertx,
      Pool pool,
      List<IssuingCa> cas,
      OcspResponderCertificates responders,
      Duration validity,
      Clock clock,
      int cacheEntries) {
    this.cache = cacheEntries > 0 ? new LruCache<>(cacheEntries) : null;
    this.vertx = vertx;
    this.pool = pool;
    this.responders = responders;
    this.validity = validity;
    this.clock = clock;
    try {
      digests = new JcaDigestCalculatorProviderBuilder().build();
      for (IssuingCa ca : cas) {
        X509CertificateHolder holder = CaSigning.holder(ca);
        for (AlgorithmIdentifier hash : CERT_ID_HASHES) {
          CertificateID id = new CertificateID(digests.get(hash), holder, BigInteger.ONE);
          issuers.put(key(id), ca);
        }
      }
    } catch (OperatorCreationException | OCSPException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The DER OCSPResponse for a DER OCSPRequest; every failure is an OCSP error status. */
  public Future<byte[]> answer(byte[] requestDer) {
    OCSPReq request;
    Req[] singles;
    try {
      request = new OCSPReq(requestDer);
      singles = request.getRequestList();
    } catch (IOException | RuntimeException e) {
      return Future.succeededFuture(error(OCSPRespBuilder.MALFORMED_REQUEST));
    }
    if (singles.length == 0 || singles.length > MAX_REQUESTS) {
      return Future.succeededFuture(error(OCSPRespBuilder.MALFORMED_REQUEST));
    }
    // One response has one signer: the CA of the first request. Serials of another CA in the same
    // request are answered unknown, as this responder does not speak for them in this response.
    IssuingCa ca = issuers.get(key(singles[0].getCertID()));
    if (ca == null) {
      return Future.succeededFuture(error(OCSPRespBuilder.UNAUTHORIZED));
    }
    List<Buffer> serials = new ArrayList<>();
    for (Req single : singles) {
      BigInteger serial = single.getCertID().getSerialNumber();
      if (ca.equals(issuers.get(key(single.getCertID()))) && serial.signum() > 0) {
        serials.add(Buffer.buffer(Serials.toBytes(serial)));
      }
    }
    return pool.preparedQuery(
            "select serial, revoked_at, revocation_reason from certificate"
                + " where issuer = $1 and serial = any($2) and der is not null")
        .execute(
            Tuple.tuple().addString(ca.name()).addArrayOfBuffer(serials.toArray(Buffer[]::new)))
        .map(
            rows -> {
              Map<BigInteger, CertificateStatus> known = new HashMap<>();
              for (Row row : rows) {
                known.put(new BigInteger(1, row.getBuffer(0).getBytes()), status(row));
              }
              return known;
            })
        .compose(known -> answer(ca, request, singles, known))
        .otherwise(
            e -> {
              log.error("answering an OCSP request for the {} CA failed", ca.name(), e);
              return error(OCSPRespBuilder.INTERNAL_ERROR);
            });
  }

  /**
   * Serves the cached answer when it still holds (see the class comment), else signs one, and
   * caches it when the request is for one known serial without a nonce.
   */
  private Future<byte[]> answer(
      IssuingCa ca, OCSPReq request, Req[] singles, Map<BigInteger, CertificateStatus> known) {
    OcspResponderCertificates.Responder responder = responders.responder(ca);
    Instant now = clock.instant();
    String key = null;
    String status = null;
    if (cache != null
        && singles.length == 1
        && request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce) == null) {
      CertificateID id = singles[0].getCertID();
      // CertificateStatus.GOOD is null: a known serial is one with a key in the map
      if (known.containsKey(id.getSerialNumber())) {
        key = ca.name() + "/" + id.getHashAlgOID() + "/" + id.getSerialNumber().toString(16);
        status = describe(known.get(id.getSerialNumber()));
        Cached cached = cache.get(key);
        if (cached != null
            && cached.status().equals(status)
            && cached.signer() == responder
            && !now.isBefore(cached.thisUpdate())
            && now.isBefore(cached.thisUpdate().plus(validity.dividedBy(2)))) {
          return Future.succeededFuture(cached.der());
        }
      }
    }
    Instant thisUpdate = now.truncatedTo(ChronoUnit.SECONDS);
    String cacheKey = key;
    String cacheStatus = status;
    return vertx
        .executeBlocking(() -> sign(ca, responder, thisUpdate, request, singles, known), false)
        .onSuccess(
            der -> {
              if (cacheKey != null) {
                cache.put(cacheKey, new Cached(cacheStatus, der, thisUpdate, responder));
              }
            });
  }

  /** Signed answers held for reuse now. */
  int cachedAnswers() {
    return cache == null ? 0 : cache.size();
  }

  /** A status as a string that is equal for equal statuses: good, or revoked, time and reason. */
  private static String describe(CertificateStatus status) {
    if (status == CertificateStatus.GOOD) {
      return "good";
    }
    if (status instanceof RevokedStatus revoked) {
      return "revoked "
          + revoked.getRevocationTime().getTime()
          + " "
          + (revoked.hasRevocationReason() ? revoked.getRevocationReason() : -1);
    }
    return "unknown";
  }

  private byte[] sign(
      IssuingCa ca,
      OcspResponderCertificates.Responder responder,
      Instant thisUpdate,
      OCSPReq request,
      Req[] singles,
      Map<BigInteger, CertificateStatus> known)
      throws OCSPException, OperatorCreationException, IOException {
    Date nextUpdate = Date.from(thisUpdate.plus(validity));
    BasicOCSPRespBuilder builder =
        new BasicOCSPRespBuilder(
            new RespID(
                responder.certificate().getSubjectPublicKeyInfo(),
                digests.get(CERT_ID_HASHES.get(0))));
    for (Req single : singles) {
      CertificateID id = single.getCertID();
      CertificateStatus status =
          ca.equals(issuers.get(key(id)))
              ? known.getOrDefault(id.getSerialNumber(), new UnknownStatus())
              : new UnknownStatus();
      builder.addResponse(id, status, Date.from(thisUpdate), nextUpdate, null);
    }
    var nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
    if (nonce != null) {
      builder.setResponseExtensions(new Extensions(nonce));
    }
    var basic =
        builder.build(
            new JcaContentSignerBuilder("SHA256withECDSA").build(responder.key()),
            new X509CertificateHolder[] {responder.certificate()},
            Date.from(thisUpdate));
    return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
  }

  private static CertificateStatus status(Row row) {
    var revokedAt = row.getOffsetDateTime(1);
    if (revokedAt == null) {
      return CertificateStatus.GOOD;
    }
    Date time = Date.from(revokedAt.toInstant().truncatedTo(ChronoUnit.SECONDS));
    Integer reason = row.getInteger(2);
    return reason == null || reason == CRLReason.unspecified
        ? new RevokedStatus(time)
        : new RevokedStatus(time, reason);
  }

  /** An unsigned OCSP error response (RFC 6960 §2.3). */
  static byte[] error(int status) {
    try {
      return new OCSPRespBuilder().build(status, null).getEncoded();
    } catch (IOException | OCSPException e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }

  private static String key(CertificateID id) {
    HexFormat hex = HexFormat.of();
    return id.getHashAlgOID()
        + "/"
        + hex.formatHex(id.getIssuerNameHash())
        + "/"
        + hex.formatHex(id.getIssuerKeyHash());
  }
}
