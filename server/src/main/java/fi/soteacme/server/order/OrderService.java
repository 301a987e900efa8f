package fi.soteacme.server.order;

import fi.soteacme.server.account.Account;
import fi.soteacme.server.authz.AuthorizationRepository;
import fi.soteacme.server.certificate.CertificateService;
import fi.soteacme.server.challenge.Challenge;
import fi.soteacme.server.customer.OrganisationAccess;
import fi.soteacme.server.identifier.Identifier;
import fi.soteacme.server.identifier.IdentifierPolicy;
import fi.soteacme.server.issuance.Profile;
import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import fi.soteacme.server.renewal.RenewalService;
import fi.soteacme.server.status.OrderStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/** The rules of RFC 8555 §7.4: newOrder (with profile, notBefore/notAfter), reading, finalize. */
public final class OrderService {
  /** How long a new order and its pending authorizations stay usable. */
  public static final Duration PENDING_LIFETIME = Duration.ofDays(7);

  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  private static final Duration MAX_FUTURE_START = Duration.ofDays(90);

  private final Pool pool;
  private final OrderRepository orders;
  private final AuthorizationRepository authorizations;
  private final IdentifierPolicy policy;
  private final CertificateService certificates;
  private final OrganisationAccess access;
  private final RenewalService renewals;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public OrderService(
      Pool pool,
      OrderRepository orders,
      AuthorizationRepository authorizations,
      IdentifierPolicy policy,
      CertificateService certificates,
      OrganisationAccess access,
      RenewalService renewals,
      Clock clock) {
    this.access = access;
    this.renewals = renewals;
    this.pool = pool;
    this.orders = orders;
    this.authorizations = authorizations;
    this.policy = policy;
    this.certificates = certificates;
    this.clock = clock;
  }

  /**
   * RFC 8555 §7.4: creates the order for its organisation, reusing the account's valid
   * authorizations. The organisation is checked here and again at finalize.
   */
  public Future<Order> newOrder(Account account, JsonObject payload) {
    if (payload == null) {
      throw AcmeProblem.malformed("newOrder needs a payload with \"identifiers\"");
    }
    List<Identifier> identifiers = policy.check(payload.getValue("identifiers"));
    Profile profile = profile(payload.getValue("profile"));
    checkShape(profile, identifiers);
    Instant now = clock.instant();
    Instant notBefore = instant(payload, "notBefore");
    Instant notAfter = instant(payload, "notAfter");
    checkValidity(profile, now, notBefore, notAfter);
    boolean named = identifiers.stream().anyMatch(i -> Identifier.SOTE_ORG.equals(i.type()));
    return access
        .organisationOf(account, identifiers)
        .compose(oid -> access.check(account, oid, named, profile, now))
        .compose(
            grant ->
                create(
                    account,
                    identifiers,
                    profile,
                    notBefore,
                    notAfter,
                    grant,
                    now,
                    payload.getValue("replaces")));
  }

  /** Creates the order and its authorizations in one transaction; returns the order as stored. */
  private Future<Order> create(
      Account account,
      List<Identifier> identifiers,
      Profile profile,
      Instant notBefore,
      Instant notAfter,
      OrganisationAccess.Grant grant,
      Instant now,
      Object replaces) {
    boolean review = profile.isSystemSignature() && grant.organisation().isPrivate();
    Instant expires =
        review
            ? now.atZone(java.time.ZoneOffset.UTC).plus(Order.LAPSE).toInstant()
            : now.plus(PENDING_LIFETIME);
    String oid = grant.organisation().oid();
    return pool.withTransaction(
        tx -> {
          Future<List<AuthzRef>> refs = Future.succeededFuture(new ArrayList<>());
          for (Identifier identifier : identifiers) {
            refs =
                refs.compose(
                    list ->
                        authorizationFor(tx, account.id(), identifier, profile, expires, review)
                            .map(
                                ref -> {
                                  list.add(ref);
                                  return list;
                                }));
          }
          return refs.compose(
                  list ->
                      orders.insert(
                          tx,
                          account.id(),
                          list.stream().allMatch(AuthzRef::valid)
                              ? OrderStatus.READY
                              : OrderStatus.PENDING,
                          expires,
                          identifiers,
                          profile.id(),
                          notBefore,
                          notAfter,
                          list.stream().map(AuthzRef::id).toList(),
                          oid))
              // RFC 9773 §5: the predecessor is claimed in the same transaction as the order. The
              // claim writes "replaces" into the order: only then is it read again.
              .compose(
                  order ->
                      replaces == null
                          ? Future.succeededFuture(order)
                          : renewals
                              .claimReplacement(tx, order.id(), oid, replaces)
                              .compose(v -> orders.find(tx, order.id(), false))
                              .map(o -> o.orElseThrow()));
        });
  }

  private static void checkShape(Profile profile, List<Identifier> identifiers) {
    long dns = identifiers.stream().filter(i -> Identifier.DNS.equals(i.type())).count();
    if (profile.isSystemSignature() && dns > 0) {
      throw AcmeProblem.malformed(
          profile.id()
              + " certificates name a system, not dns names: send exactly one sote-org identifier"
              + " and the system name as the CSR's CN");
    }
    if (profile.isSystemSignature() && identifiers.size() != 1) {
      throw AcmeProblem.malformed(profile.id() + " orders have exactly one sote-org identifier");
    }
    if (!profile.isSystemSignature() && dns == 0) {
      throw AcmeProblem.malformed(profile.id() + " orders need at least one dns identifier");
    }
    identifiers.stream()
        .filter(i -> Identifier.DNS.equals(i.type()))
        .findFirst()
        .filter(first -> first.value().length() > 64)
        .ifPresent(
            first -> {
              throw new AcmeProblem(
                  ProblemType.REJECTED_IDENTIFIER,
                  "the certificate's CN is the first dns name, and "
                      + first.value()
                      + " is over 64 characters; list a shorter name first",
                  List.of(
                      new AcmeProblem.Subproblem(
                          ProblemType.REJECTED_IDENTIFIER,
                          "over 64 characters for CN",
                          Identifier.DNS,
                          first.value())));
            });
  }

  /** An authorization of a new order, and whether it is valid already. */
  private record AuthzRef(long id, boolean valid) {}

  private Future<AuthzRef> authorizationFor(
      SqlClient tx,
      long accountId,
      Identifier identifier,
      Profile profile,
      Instant expires,
      boolean review) {
    if (Identifier.SOTE_ORG.equals(identifier.type())) {
      // Checked against the register and the links just now: valid at once, unless the
      // organisation's certificate of conformity must be reviewed first.
      return review
          ? authorizations
              .insertPending(
                  tx,
                  accountId,
                  identifier,
                  false,
                  expires,
                  List.of(Challenge.SOTE_CONFORMITY_01),
                  this::token)
              .map(id -> new AuthzRef(id, false))
          : authorizations
              .insert(
                  tx,
                  accountId,
                  identifier,
                  false,
                  fi.soteacme.server.status.AuthorizationStatus.VALID,
                  expires,
                  List.of(Challenge.SOTE_REGISTER_01),
                  this::token)
              .map(id -> new AuthzRef(id, true));
    }
    Identifier base = identifier.base();
    boolean wildcard = identifier.isWildcard();
    return authorizations
        .findReusable(tx, accountId, base, wildcard, profile.isTest(), expires)
        .compose(
            reusable ->
                reusable.isPresent()
                    ? Future.succeededFuture(new AuthzRef(reusable.get(), true))
                    : authorizations
                        .insertPending(
                            tx,
                            accountId,
                            base,
                            wildcard,
                            expires,
                            wildcard
                                ? List.of(Challenge.DNS_01)
                                : List.of(
                                    Challenge.HTTP_01, Challenge.DNS_01, Challenge.TLS_ALPN_01),
                            this::token)
                        .map(id -> new AuthzRef(id, false)));
  }

  /**
   * The order if it belongs to the account and the account still acts for its organisation;
   * otherwise, as for a missing one, 404.
   */
  public Future<Order> find(Account account, long id) {
    return orders
        .find(pool, id, false)
        .compose(
            o -> {
              if (o.isEmpty() || o.get().accountId() != account.id()) {
                throw AcmeProblem.notFound("no order " + id + " for this account");
              }
              return access.requireLinked(account, o.get().organisationOid()).map(o.get());
            });
  }

  /**
   * RFC 8555 §7.4 finalize: the CSR checked, the certificate recorded, signed and stored; returns
   * the order, now valid, with its certificate URL.
   */
  public Future<Order> finalizeOrder(Account account, long id, JsonObject payload) {
    if (payload == null || !(payload.getValue("csr") instanceof String csrB64)) {
      throw AcmeProblem.malformed("finalize needs a payload {\"csr\": \"<base64url DER>\"}");
    }
    byte[] csr;
    try {
      csr = Base64.getUrlDecoder().decode(csrB64);
    } catch (IllegalArgumentException e) {
      throw new AcmeProblem(ProblemType.BAD_CSR, "\"csr\" is not base64url-encoded DER");
    }
    return find(account, id)
        .compose(
            order ->
                access
                    .check(
                        account,
                        order.organisationOid(),
                        order.identifiers().stream()
                            .anyMatch(i -> Identifier.SOTE_ORG.equals(i.type())),
                        Profile.byId(order.profile()).orElseThrow(),
                        clock.instant())
                    .compose(
                        grant -> certificates.issue(account, order, grant.organisation(), csr)));
  }

  private Profile profile(Object raw) {
    if (raw == null) {
      return Profile.DEFAULT;
    }
    if (!(raw instanceof String name)) {
      throw AcmeProblem.malformed("\"profile\" must be a string");
    }
    return Profile.byId(name)
        .orElseThrow(
            () ->
                new AcmeProblem(
                    ProblemType.INVALID_PROFILE,
                    "unknown profile \""
                        + name
                        + "\"; this CA offers "
                        + Arrays.stream(Profile.values()).map(Profile::id).toList()));
  }

  private void checkValidity(Profile profile, Instant now, Instant notBefore, Instant notAfter) {
    Instant start = notBefore == null ? now : notBefore;
    if (notBefore != null && notBefore.isBefore(now.minus(CLOCK_SKEW))) {
      throw AcmeProblem.malformed("\"notBefore\" is in the past; certificates are not backdated");
    }
    if (notBefore != null && notBefore.isAfter(now.plus(MAX_FUTURE_START))) {
      throw AcmeProblem.malformed("\"notBefore\" is more than 90 days ahead");
    }
    if (notAfter != null) {
      if (!notAfter.isAfter(start)) {
        throw AcmeProblem.malformed("\"notAfter\" must be later than \"notBefore\"");
      }
      Duration validity = Duration.between(start, notAfter).plusSeconds(1);
      if (validity.compareTo(profile.maxValidity()) > 0) {
        throw AcmeProblem.malformed(
            "the requested validity of "
                + validity.toSeconds()
                + " s is longer than the "
                + profile.maxValidity().toDays()
                + " days ("
                + profile.maxValidity().toSeconds()
                + " s, both ends counted) that "
                + profile.id()
                + " allows");
      }
    }
  }

  private static Instant instant(JsonObject payload, String field) {
    Object raw = payload.getValue(field);
    if (raw == null) {
      return null;
    }
    try {
      return java.time.OffsetDateTime.parse(String.valueOf(raw)).toInstant();
    } catch (DateTimeParseException e) {
      throw AcmeProblem.malformed("\"" + field + "\" must be an RFC 3339 date-time");
    }
  }

  private String token() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
