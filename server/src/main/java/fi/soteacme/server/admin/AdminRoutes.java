package fi.soteacme.server.admin;

import fi.soteacme.server.eab.EabService;
import fi.soteacme.server.issuance.SerialNumberGenerator;
import fi.soteacme.server.organisation.RegisterAdminHandler;
import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.renewal.RenewalAdmin;
import fi.soteacme.server.revocation.RevocationService;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The operator API: the route table of the port that listens on loopback by default, every call
 * authenticated by the bearer token in dataDir/admin-token.
 */
public final class AdminRoutes {
  private final byte[] token;
  private final EabService eab;
  private final CustomerAdmin customers;
  private final RegisterAdminHandler register;
  private final RevocationService revocations;
  private final RenewalAdmin renewal;
  private final Long demoCustomerAccount;

  /**
   * @param demoCustomerAccount where {@code eab-create} credentials go in the embedded default (a
   *     sample organisation's customer account, so that local trials can order); null otherwise
   */
  public AdminRoutes(
      String token,
      EabService eab,
      CustomerAdmin customers,
      RegisterAdminHandler register,
      RevocationService revocations,
      RenewalAdmin renewal,
      Long demoCustomerAccount) {
    this.renewal = renewal;
    this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.eab = eab;
    this.customers = customers;
    this.register = register;
    this.revocations = revocations;
    this.demoCustomerAccount = demoCustomerAccount;
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().handler(this::authenticate);
    router.route().handler(BodyHandler.create().setBodyLimit(1024 * 1024));
    router.post("/admin/eab").handler(this::createEab);
    customers.routes(router);
    router.post("/admin/register/import").handler(register::importRegister);
    router.get("/admin/register/status").handler(register::status);
    router.post("/admin/revoke").handler(this::revoke);
    router.post("/admin/blocked-keys").handler(this::blockKey);
    renewal.routes(router);
    router.route().failureHandler(AdminRoutes::failure);
    return router;
  }

  private void authenticate(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !MessageDigest.isEqual(token, header.getBytes(StandardCharsets.UTF_8))) {
      ctx.response()
          .setStatusCode(401)
          .putHeader("WWW-Authenticate", "Bearer")
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(
              new JsonObject()
                  .put("error", "a valid bearer token (data/admin-token) is required")
                  .encode());
      return;
    }
    ctx.next();
  }

  private void createEab(RoutingContext ctx) {
    (demoCustomerAccount == null ? eab.create() : eab.create(demoCustomerAccount, "member", null))
        .onSuccess(c -> json(ctx, 201, c.toJson()))
        .onFailure(ctx::fail);
  }

  /** {"serial": hex (with or without colons) or decimal, "reason": name or code}. */
  private void revoke(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    BigInteger serial;
    try {
      serial = SerialNumberGenerator.parse(body == null ? null : body.getString("serial"));
    } catch (IllegalArgumentException | ClassCastException e) {
      throw AcmeProblem.malformed("\"serial\": " + e.getMessage());
    }
    revocations
        .revokeByOperator(serial, body.getValue("reason"))
        .onSuccess(r -> json(ctx, 200, r.toJson()))
        .onFailure(ctx::fail);
  }

  /** {"spkiSha256": 64 hex digits, "comment": optional}. */
  private void blockKey(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    String spki = body == null ? null : String.valueOf(body.getValue("spkiSha256", ""));
    revocations
        .blockKey(spki, body == null ? null : body.getString("comment"))
        .onSuccess(created -> json(ctx, created ? 201 : 200, new JsonObject().put("blocked", true)))
        .onFailure(ctx::fail);
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.encode());
  }

  /** Operator mistakes (IllegalArgumentException) are 400 with their message; the rest 500. */
  static void error(RoutingContext ctx, Throwable e) {
    if (e instanceof IllegalArgumentException
        || e instanceof fi.soteacme.server.problem.AcmeProblem) {
      json(ctx, 400, new JsonObject().put("error", e.getMessage()));
    } else {
      ctx.fail(e);
    }
  }

  private static void failure(RoutingContext ctx) {
    if (ctx.failure() instanceof IllegalArgumentException e) {
      json(ctx, 400, new JsonObject().put("error", e.getMessage()));
      return;
    }
    if (ctx.failure() instanceof AcmeProblem problem) {
      json(
          ctx,
          problem.type().httpStatus(),
          new JsonObject().put("error", problem.detail()).put("type", problem.type().urn()));
      return;
    }
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    if (status >= 500) {
      org.slf4j.LoggerFactory.getLogger(AdminRoutes.class)
          .error("operator API {} failed", ctx.request().path(), ctx.failure());
    }
    json(
        ctx,
        status,
        new JsonObject().put("error", status >= 500 ? "internal error" : "bad request"));
  }
}
