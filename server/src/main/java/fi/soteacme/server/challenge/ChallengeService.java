package fi.soteacme.server.challenge;

import fi.soteacme.server.account.Account;
import fi.soteacme.server.account.AccountRepository;
import fi.soteacme.server.authz.Authorization;
import fi.soteacme.server.authz.AuthorizationRepository;
import fi.soteacme.server.config.ServerConfig;
import fi.soteacme.server.customer.OrganisationAccess;
import fi.soteacme.server.order.OrderRepository;
import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import fi.soteacme.server.review.ConformityService;
import fi.soteacme.server.status.AuthorizationStatus;
import fi.soteacme.server.status.ChallengeStatus;
import fi.soteacme.server.validation.ChallengeValidator;
import fi.soteacme.server.web.ProblemRenderer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 8555 §7.5.1: a client's response starts validation, which runs asynchronously while the
 * client polls; its outcome moves the challenge, the authorization and the orders that wait on it.
 */
public final class ChallengeService {
  /** How long a validated authorization may be reused within its account. */
  public static final Duration AUTHORIZATION_REUSE = Duration.ofDays(30);

  private static final Logger log = LoggerFactory.getLogger(ChallengeService.class);
  private static final int STUCK_AFTER_SECONDS = 60;

  private final Pool pool;
  private final AuthorizationRepository authorizations;
  private final OrderRepository orders;
  private final AccountRepository accounts;
  private final ChallengeValidator validator;
  private final ServerConfig.Validation settings;
  private final Clock clock;
  private final OrganisationAccess access;
  private ConformityService conformity;

  /** A challenge with the authorization it belongs to. */
  public record Found(Challenge challenge, Authorization authorization) {}

  public ChallengeService(
      Pool pool,
      AuthorizationRepository authorizations,
      OrderRepository orders,
      AccountRepository accounts,
      ChallengeValidator validator,
      ServerConfig.Validation settings,
      OrganisationAccess access,
      Clock clock) {
    this.access = access;
    this.pool = pool;
    this.authorizations = authorizations;
    this.orders = orders;
    this.accounts = accounts;
    this.validator = validator;
    this.settings = settings;
    this.clock = clock;
  }

  /** Conformity reviews answer their own challenge type. */
  public void conformity(ConformityService service) {
    this.conformity = service;
  }

  /** The challenge if its authorization belongs to the account. */
  public Future<Found> find(Account account, long challengeId) {
    return find(challengeId)
        .map(
            found -> {
              if (found.isEmpty()) {
                throw AcmeProblem.notFound("no challenge " + challengeId);
              }
              if (found.get().authorization().accountId() != account.id()) {
                throw AcmeProblem.notFound("no challenge " + challengeId + " for this account");
              }
              return found.get();
            });
  }

  /** The challenge with its authorization, read in one statement. */
  private Future<Optional<Found>> find(long challengeId) {
    return authorizations
        .findByChallenge(pool, challengeId)
        .map(
            a ->
                a.flatMap(
                    authz ->
                        authz.challenges().stream()
                            .filter(c -> c.id() == challengeId)
                            .findFirst()
                            .map(c -> new Found(c, authz))));
  }

  /**
   * The client says it is ready: start validating a pending challenge of a pending authorization.
   */
  public Future<Found> respond(Account account, long challengeId, JsonObject payload) {
    return find(account, challengeId)
        .compose(
            found -> {
              if (found.challenge().status() != ChallengeStatus.PENDING) {
                return Future.succeededFuture(found);
              }
              if (Challenge.SOTE_CONFORMITY_01.equals(found.challenge().type())) {
                return conformity.submit(found, payload).compose(v -> find(account, challengeId));
              }
              AuthorizationStatus authzStatus = found.authorization().status(clock.instant());
              if (authzStatus != AuthorizationStatus.PENDING) {
                throw AcmeProblem.malformed(
                    "the authorization is "
                        + authzStatus.wire()
                        + "; its challenges can no longer be answered");
              }
              return skip(found.authorization())
                  .compose(
                      skipping ->
                          authorizations
                              .startProcessing(pool, challengeId)
                              .compose(
                                  started -> {
                                    if (!started) {
                                      return Future.<Void>succeededFuture();
                                    }
                                    Future<Void> outcome =
                                        validate(found, account.keyThumbprint(), skipping);
                                    // A validation skipped under the test-profile switch takes
                                    // milliseconds: answer with its outcome rather than make the
                                    // client poll for it.
                                    return skipping
                                        ? outcome.recover(e -> Future.succeededFuture())
                                        : Future.<Void>succeededFuture();
                                  }))
                  .compose(v -> find(account, challengeId));
            });
  }

  /**
   * Validates in the background (or not at all, when {@code skip}); the outcome lands in the
   * database. The future completes when it is recorded.
   */
  private Future<Void> validate(Found found, String thumbprint, boolean skip) {
    Challenge c = found.challenge();
    Authorization a = found.authorization();
    String keyAuthorization = c.token() + "." + thumbprint;
    Future<Void> validated =
        skip
            ? Future.succeededFuture()
            : validator.validate(c.type(), a.identifier().value(), c.token(), keyAuthorization);
    return validated
        .compose(v -> succeed(c, skip), failure -> fail(c, failure))
        .onFailure(e -> log.error("validation of challenge {} could not be recorded", c.id(), e));
  }

  private Future<Boolean> skip(Authorization a) {
    if (!settings.skipForTestProfiles()) {
      return Future.succeededFuture(false);
    }
    return authorizations.onlyTestOrders(pool, a.id());
  }

  private Future<Void> succeed(Challenge c, boolean skipped) {
    return pool.withTransaction(
        tx ->
            authorizations
                .markValid(
                    tx, c.id(), c.authzId(), clock.instant().plus(AUTHORIZATION_REUSE), skipped)
                .compose(
                    changed ->
                        changed
                            ? orders.readyWhenAuthorized(tx, c.authzId())
                            : Future.succeededFuture()));
  }

  private Future<Void> fail(Challenge c, Throwable failure) {
    AcmeProblem problem =
        failure instanceof AcmeProblem p
            ? p
            : new AcmeProblem(ProblemType.SERVER_INTERNAL, "validation failed unexpectedly");
    if (!(failure instanceof AcmeProblem)) {
      log.error("validation of challenge {} failed unexpectedly", c.id(), failure);
    }
    JsonObject error = ProblemRenderer.toJson(problem);
    return pool.withTransaction(
        tx ->
            authorizations
                .markInvalid(tx, c.id(), c.authzId(), error)
                .compose(
                    changed ->
                        changed
                            ? orders.invalidateForAuthz(tx, c.authzId(), error)
                            : Future.succeededFuture()));
  }

  /** Picks up validations that a stopped process left in processing. */
  public Future<Void> resumeStuck() {
    return authorizations
        .stuckProcessing(pool, STUCK_AFTER_SECONDS)
        .compose(
            ids -> {
              Future<Void> all = Future.succeededFuture();
              for (long id : ids) {
                all =
                    all.compose(
                        v ->
                            authorizations
                                .claimStuck(pool, id, STUCK_AFTER_SECONDS)
                                .compose(
                                    claimed -> claimed ? resume(id) : Future.succeededFuture()));
              }
              return all;
            });
  }

  private Future<Void> resume(long challengeId) {
    return find(challengeId)
        .map(Optional::orElseThrow)
        .compose(
            found ->
                accounts
                    .findById(pool, found.authorization().accountId())
                    .compose(
                        account ->
                            skip(found.authorization())
                                .map(
                                    skip -> {
                                      account.ifPresent(
                                          a -> validate(found, a.keyThumbprint(), skip));
                                      return null;
                                    })));
  }
}
