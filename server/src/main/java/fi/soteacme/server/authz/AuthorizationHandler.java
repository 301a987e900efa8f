package fi.soteacme.server.authz;

import static fi.soteacme.server.account.AccountHandler.idOf;

import fi.soteacme.server.challenge.ChallengeHandler;
import fi.soteacme.server.config.ServerConfig;
import fi.soteacme.server.order.OrderRepository;
import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.status.AuthorizationStatus;
import fi.soteacme.server.web.Reply;
import fi.soteacme.server.web.jws.AcmeRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.Map;

/** RFC 8555 §7.5 authorizations: reading one, and its deactivation (§7.5.2). */
public final class AuthorizationHandler {
  private final ServerConfig config;
  private final Pool pool;
  private final AuthorizationRepository authorizations;
  private final OrderRepository orders;
  private final Clock clock;
  private final fi.soteacme.server.customer.OrganisationAccess access;

  public AuthorizationHandler(
      ServerConfig config,
      Pool pool,
      AuthorizationRepository authorizations,
      OrderRepository orders,
      fi.soteacme.server.customer.OrganisationAccess access,
      Clock clock) {
    this.access = access;
    this.config = config;
    this.pool = pool;
    this.authorizations = authorizations;
    this.orders = orders;
    this.clock = clock;
  }

  public Future<Reply> authorization(AcmeRequest req, Map<String, String> params) {
    long id = idOf(params);
    Future<Authorization> found = find(req, id);
    if (!req.isPostAsGet()) {
      Object status = req.payload().getValue("status");
      if (!"deactivated".equals(status)) {
        throw AcmeProblem.malformed(
            "an authorization can only be updated to {\"status\": \"deactivated\"}");
      }
      found = found.compose(a -> deactivate(a)).compose(v -> find(req, id));
    }
    return found.map(
        a -> {
          Reply reply = Reply.json(200, render(a)).location(config.url("/acme/authz/" + a.id()));
          if (a.status(clock.instant()) == AuthorizationStatus.PENDING) {
            reply.retryAfter(1);
          }
          return reply;
        });
  }

  private Future<Void> deactivate(Authorization a) {
    AuthorizationStatus status = a.status(clock.instant());
    if (!status.canBecome(AuthorizationStatus.DEACTIVATED)) {
      throw AcmeProblem.malformed("a " + status.wire() + " authorization cannot be deactivated");
    }
    JsonObject error =
        new JsonObject()
            .put("type", "urn:ietf:params:acme:error:unauthorized")
            .put("detail", "authorization for " + a.identifier().value() + " was deactivated")
            .put("status", 403);
    return pool.withTransaction(
        tx ->
            authorizations
                .deactivate(tx, a.id())
                .compose(
                    changed ->
                        changed
                            ? orders.invalidateForAuthz(tx, a.id(), error)
                            : Future.succeededFuture()));
  }

  private Future<Authorization> find(AcmeRequest req, long id) {
    return authorizations
        .find(pool, id)
        .compose(
            a -> {
              if (a.isEmpty() || a.get().accountId() != req.account().id()) {
                throw AcmeProblem.notFound("no authorization " + id + " for this account");
              }
              return access.requireLinked(req.account(), a.get().organisationOid()).map(a.get());
            });
  }

  private JsonObject render(Authorization a) {
    // RFC 8555 §7.1.4: a valid authorization lists the challenge that was validated, an invalid
    // one the challenge that failed; a pending one every challenge the client can fulfil.
    AuthorizationStatus status = a.status(clock.instant());
    JsonArray challenges = new JsonArray();
    a.challenges().stream()
        .filter(
            c ->
                switch (status) {
                  case VALID -> c.status() == fi.soteacme.server.status.ChallengeStatus.VALID;
                  case INVALID -> c.status() == fi.soteacme.server.status.ChallengeStatus.INVALID;
                  default -> true;
                })
        .forEach(c -> challenges.add(ChallengeHandler.render(config, c)));
    JsonObject json =
        new JsonObject()
            .put("identifier", a.identifier().toJson())
            .put("status", status.wire())
            .put("expires", a.expires().toString())
            .put("challenges", challenges);
    if (a.wildcard()) {
      json.put("wildcard", true);
    }
    return json;
  }
}
