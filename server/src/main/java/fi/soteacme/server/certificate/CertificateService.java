package fi.soteacme.server.certificate;

import fi.soteacme.server.account.Account;
import fi.soteacme.server.identifier.Identifier;
import fi.soteacme.server.issuance.CaStore;
import fi.soteacme.server.issuance.CertificateIssuer;
import fi.soteacme.server.issuance.CertificateRequest;
import fi.soteacme.server.issuance.CheckedCsr;
import fi.soteacme.server.issuance.CsrChecker;
import fi.soteacme.server.issuance.IssuingCa;
import fi.soteacme.server.issuance.Profile;
import fi.soteacme.server.issuance.SerialNumberGenerator;
import fi.soteacme.server.issuance.Subject;
import fi.soteacme.server.mail.DeliveryService;
import fi.soteacme.server.order.Order;
import fi.soteacme.server.order.OrderRepository;
import fi.soteacme.server.organisation.Organisation;
import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import fi.soteacme.server.revocation.BlockedKeys;
import fi.soteacme.server.status.OrderStatus;
import fi.soteacme.server.web.ProblemRenderer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate authority role at finalize: check the CSR, record the serial and the to-be-signed
 * certificate, sign off the event loop, store. A certificate is never signed without being recorded
 * first; {@link #recover()} finishes what a crash interrupted.
 */
public final class CertificateService {
  private static final Logger log = LoggerFactory.getLogger(CertificateService.class);
  private static final CsrChecker CSR_CHECKER = new CsrChecker();

  private final Vertx vertx;
  private final Pool pool;
  private final CertificateRepository certificates;
  private final OrderRepository orders;
  private final CaStore cas;
  private final IssuerCertificates issuerCertificates;
  private final CertificateIssuer issuer;
  private final SerialNumberGenerator serials;
  private final Clock clock;
  private final ConformityCheck conformity;
  private final DeliveryService deliveries;

  /** Whether a system name was approved in the order's conformity review (none needed: ok). */
  public interface ConformityCheck {
    Future<Void> requireApprovedSystem(Order order, Profile profile, String systemName);
  }

  private final BlockedKeys blockedKeys;

  public CertificateService(
      Vertx vertx,
      Pool pool,
      CertificateRepository certificates,
      OrderRepository orders,
      CaStore cas,
      IssuerCertificates issuerCertificates,
      CertificateIssuer issuer,
      SerialNumberGenerator serials,
      ConformityCheck conformity,
      DeliveryService deliveries,
      Clock clock,
      BlockedKeys blockedKeys) {
    this.conformity = conformity;
    this.deliveries = deliveries;
    this.vertx = vertx;
    this.pool = pool;
    this.certificates = certificates;
    this.orders = orders;
    this.cas = cas;
    this.issuerCertificates = issuerCertificates;
    this.issuer = issuer;
    this.serials = serials;
    this.clock = clock;
    this.blockedKeys = blockedKeys;
  }

  /**
   * Issues the certificate of a ready order; returns the order as it is afterwards: valid, with the
   * certificate.
   */
  public Future<Order> issue(
      Account account, Order order, Organisation organisation, byte[] csrDer) {
    Instant now = clock.instant();
    requireReady(order, now);
    Profile profile = Profile.byId(order.profile()).orElseThrow();
    List<String> dnsNames =
        order.identifiers().stream()
            .filter(i -> Identifier.DNS.equals(i.type()))
            .map(Identifier::value)
            .toList();
    CheckedCsr csr =
        CSR_CHECKER.check(
            csrDer, profile, new LinkedHashSet<>(dnsNames), account.key().getPublicKey());
    String spki = csr.spkiSha256Hex();
    IssuingCa ca = cas.forProfile(profile);
    Instant notBefore =
        (order.notBefore() != null ? order.notBefore() : now).truncatedTo(ChronoUnit.SECONDS);
    Instant notAfter =
        order.notAfter() != null
            ? order.notAfter().truncatedTo(ChronoUnit.SECONDS)
            : notBefore.plus(profile.maxValidity()).minusSeconds(1);
    BigInteger serial = serials.next(now);
    // kanta-extension.md: the subject comes from the register, never from the CSR; only a system
    // signature certificate takes its CN (the system name) from the CSR.
    String commonName = profile.isSystemSignature() ? csr.commonName() : dnsNames.get(0);
    Subject subject =
        new Subject(
            commonName,
            organisation.subjectOrganisationName(),
            organisation.subjectOrganisationalUnit(),
            organisation.oid());
    byte[] tbs =
        issuer.toBeSigned(
            ca,
            new CertificateRequest(
                serial,
                profile,
                subject,
                dnsNames,
                csr.subjectPublicKeyInfo(),
                notBefore,
                notAfter));
    return conformity
        .requireApprovedSystem(order, profile, commonName)
        .compose(v -> blockedKeys.why(pool, spki))
        .compose(
            blocked -> {
              if (blocked.isPresent()) {
                throw new AcmeProblem(ProblemType.BAD_PUBLIC_KEY, blocked.get());
              }
              return pool.withTransaction(
                  tx ->
                      orders
                          .find(tx, order.id(), true)
                          .compose(
                              locked -> {
                                requireReady(locked.orElseThrow(), now);
                                return certificates.insertUnsigned(
                                    tx,
                                    Serials.toBytes(serial),
                                    order.id(),
                                    account.id(),
                                    ca.name(),
                                    profile.id(),
                                    tbs,
                                    notBefore,
                                    notAfter,
                                    spki,
                                    dnsNames,
                                    organisation.oid());
                              })
                          .compose(
                              id ->
                                  orders
                                      .setStatus(tx, order.id(), OrderStatus.PROCESSING, null)
                                      .map(id)));
            })
        .compose(id -> sign(id, order.id(), ca, tbs))
        // The order was ready, and a ready order changes nothing but its status until finalize
        // stores the certificate: what a client reads now.
        .map(v -> order.issued(Serials.toHex(Serials.toBytes(serial))));
  }

  private Future<Void> sign(long certificateId, long orderId, IssuingCa ca, byte[] tbs) {
    return vertx
        .executeBlocking(() -> issuer.sign(ca, tbs), false)
        .compose(
            der ->
                pool.withTransaction(
                    tx ->
                        certificates
                            .complete(tx, certificateId, der, issuerCertificates.id(ca))
                            .compose(v -> orders.setStatus(tx, orderId, OrderStatus.VALID, null))
                            .compose(v -> deliveries.enqueue(tx, certificateId))),
            failure -> {
              log.error(
                  "signing certificate {} of order {} failed", certificateId, orderId, failure);
              AcmeProblem problem =
                  new AcmeProblem(
                      ProblemType.SERVER_INTERNAL, "the certificate could not be signed");
              return pool.withTransaction(
                      tx ->
                          tx.preparedQuery("delete from certificate where id = $1 and der is null")
                              .execute(io.vertx.sqlclient.Tuple.of(certificateId))
                              .compose(
                                  r ->
                                      orders.setStatus(
                                          tx,
                                          orderId,
                                          OrderStatus.INVALID,
                                          ProblemRenderer.toJson(problem))))
                  .compose(v -> Future.failedFuture(problem));
            });
  }

  /**
   * Signs what was recorded but not signed: at start, everything a stopped process left; later,
   * what a failed completion left for longer than {@code olderThanSeconds}. Signing the recorded
   * TBS again is harmless: only the first completion is stored.
   */
  public Future<Integer> recover(int olderThanSeconds) {
    return certificates
        .unsigned(pool, olderThanSeconds)
        .compose(
            list -> {
              Future<Integer> done = Future.succeededFuture(0);
              for (CertificateRepository.Stored s : list) {
                IssuingCa ca = "test".equals(s.issuer()) ? cas.test() : cas.production();
                done =
                    done.compose(
                        n -> sign(s.id(), s.orderId(), ca, s.tbs()).map(n + 1).otherwise(n));
              }
              return done;
            });
  }

  private static void requireReady(Order order, Instant now) {
    OrderStatus status = order.status(now);
    if (status != OrderStatus.READY) {
      throw new AcmeProblem(
          ProblemType.ORDER_NOT_READY,
          switch (status) {
            case PENDING ->
                "the order is pending: its authorizations must be valid before finalize";
            case PROCESSING -> "the order is already being finalized";
            case VALID -> "the order is already finalized; download its certificate";
            default -> "the order is invalid and can no longer be finalized";
          });
    }
  }
}
