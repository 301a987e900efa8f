package fi.soteacme.server.web;

import static fi.soteacme.server.web.jws.JwsVerifier.KeyRule.JWK;
import static fi.soteacme.server.web.jws.JwsVerifier.KeyRule.JWK_OR_KID;
import static fi.soteacme.server.web.jws.JwsVerifier.KeyRule.KID;

import fi.soteacme.server.account.AccountHandler;
import fi.soteacme.server.authz.AuthorizationHandler;
import fi.soteacme.server.certificate.CertificateHandler;
import fi.soteacme.server.challenge.ChallengeHandler;
import fi.soteacme.server.config.ServerConfig;
import fi.soteacme.server.directory.DirectoryHandler;
import fi.soteacme.server.nonce.NonceService;
import fi.soteacme.server.order.OrderHandler;
import fi.soteacme.server.renewal.RenewalHandler;
import fi.soteacme.server.web.jws.JwsVerifier;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The one route table of the ACME API: one line per RFC 8555 resource, plus the rules every
 * response shares (Replay-Nonce, Link rel="index", no caching) and the one failure handler.
 */
public final class AcmeRoutes {
  /** Largest JWS body accepted (a conformity document rides in a challenge response). */
  public static final long MAX_BODY = 12L * 1024 * 1024;

  private final ServerConfig config;
  private final JwsVerifier verifier;
  private final NonceService nonces;

  /** The resource handlers the table dispatches to. */
  public record Handlers(
      DirectoryHandler directory,
      AccountHandler accounts,
      OrderHandler orders,
      AuthorizationHandler authorizations,
      ChallengeHandler challenges,
      CertificateHandler certificates,
      RenewalHandler renewals) {}

  public AcmeRoutes(ServerConfig config, JwsVerifier verifier, NonceService nonces) {
    this.config = config;
    this.verifier = verifier;
    this.nonces = nonces;
  }

  public Router router(Vertx vertx, Handlers h) {
    Router router = Router.router(vertx);
    router.route().handler(this::commonHeaders);
    // On every method: a method-restricted catch-all route would turn every unknown path's 404
    // into a 405, since Vert.x answers 405 when some route matched the path but not the method.
    router.route().handler(BodyHandler.create().setBodyLimit(MAX_BODY).setHandleFileUploads(false));

    router.get("/directory").handler(ctx -> send(ctx, h.directory().directory()));
    router.get("/terms").handler(ctx -> send(ctx, h.directory().terms()));
    router.head("/acme/new-nonce").handler(ctx -> ctx.response().setStatusCode(200).end());
    router.get("/acme/new-nonce").handler(ctx -> ctx.response().setStatusCode(204).end());
    router.post("/acme/new-account").handler(post(JWK, h.accounts()::newAccount));
    router.post("/acme/key-change").handler(post(KID, h.accounts()::keyChange));
    router.post("/acme/acct/:id").handler(post(KID, h.accounts()::account));
    router.post("/acme/acct/:id/orders").handler(post(KID, h.accounts()::orders));
    router.post("/acme/new-order").handler(post(KID, h.orders()::newOrder));
    router.post("/acme/order/:id").handler(post(KID, h.orders()::order));
    router.post("/acme/order/:id/finalize").handler(post(KID, h.orders()::finalizeOrder));
    router.post("/acme/authz/:id").handler(post(KID, h.authorizations()::authorization));
    router.post("/acme/chall/:id").handler(post(KID, h.challenges()::challenge));
    router.get("/acme/cert/:serial").handler(ctx -> certificate(ctx, h));
    router
        .post("/acme/cert/:serial")
        .handler(
            ctx ->
                post(
                        KID,
                        (req, params) ->
                            h.certificates()
                                .certificate(
                                    req, params, ctx.request().getHeader(HttpHeaders.ACCEPT)))
                    .handle(ctx));
    router.post("/acme/revoke-cert").handler(post(JWK_OR_KID, h.certificates()::revoke));
    router.get("/acme/renewal-info/:certId").handler(ctx -> renewalInfo(ctx, h));

    router.route().failureHandler(ProblemRenderer::handle);
    router.errorHandler(404, ProblemRenderer::handle);
    router.errorHandler(405, ProblemRenderer::handle);
    return router;
  }

  private void commonHeaders(RoutingContext ctx) {
    ctx.addHeadersEndHandler(
        v ->
            ctx.response()
                .putHeader("Replay-Nonce", nonces.issue())
                .putHeader("Link", linkIndex(ctx))
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store"));
    ctx.next();
  }

  private String linkIndex(RoutingContext ctx) {
    String index = "<" + config.url("/directory") + ">;rel=\"index\"";
    String existing = ctx.response().headers().get("Link");
    return existing == null ? index : existing + ", " + index;
  }

  private io.vertx.core.Handler<RoutingContext> post(JwsVerifier.KeyRule rule, AcmeCall call) {
    return ctx ->
        verifier
            .verify(
                ctx.request().getHeader(HttpHeaders.CONTENT_TYPE),
                ctx.body().buffer(),
                ctx.request().uri(),
                rule)
            .compose(req -> call.handle(req, ctx.pathParams()))
            .onSuccess(reply -> send(ctx, reply))
            .onFailure(ctx::fail);
  }

  private void certificate(RoutingContext ctx, Handlers h) {
    String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
    h.certificates()
        .download(ctx.pathParam("serial"), accept)
        .onSuccess(reply -> send(ctx, reply))
        .onFailure(ctx::fail);
  }

  private void renewalInfo(RoutingContext ctx, Handlers h) {
    h.renewals()
        .renewalInfo(ctx.pathParam("certId"))
        .onSuccess(reply -> send(ctx, reply))
        .onFailure(ctx::fail);
  }

  /** Writes a reply with its headers. */
  public static void send(RoutingContext ctx, Reply reply) {
    var response = ctx.response().setStatusCode(reply.status());
    if (reply.location() != null) {
      response.putHeader(HttpHeaders.LOCATION, reply.location());
    }
    if (reply.retryAfterSeconds() != null) {
      response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(reply.retryAfterSeconds()));
    }
    if (!reply.links().isEmpty()) {
      response.putHeader("Link", String.join(", ", reply.links()));
    }
    if (reply.body() == null) {
      response.end();
    } else {
      response.putHeader(HttpHeaders.CONTENT_TYPE, reply.contentType()).end(reply.body());
    }
  }
}
