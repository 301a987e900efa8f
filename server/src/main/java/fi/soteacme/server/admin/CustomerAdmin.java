package fi.soteacme.server.admin;

import fi.soteacme.server.customer.CustomerRepository;
import fi.soteacme.server.customer.Role;
import fi.soteacme.server.eab.EabService;
import fi.soteacme.server.organisation.Organisations;
import fi.soteacme.server.review.ConformityService;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;

/**
 * Operator API of the organisation extension: customer accounts, invitations of members and
 * technical partners (EAB credentials bound to the customer account and role), removal, the
 * account's orders, and the conformity review queue.
 */
public final class CustomerAdmin {
  private final Pool pool;
  private final CustomerRepository customers;
  private final Organisations organisations;
  private final EabService eab;
  private final ConformityService conformity;

  public CustomerAdmin(
      Pool pool,
      CustomerRepository customers,
      Organisations organisations,
      EabService eab,
      ConformityService conformity) {
    this.pool = pool;
    this.customers = customers;
    this.organisations = organisations;
    this.eab = eab;
    this.conformity = conformity;
  }

  /** Adds the routes to the operator router. */
  public void routes(Router router) {
    router.post("/admin/customers").handler(this::createCustomer);
    router.post("/admin/customers/:oid/invitations").handler(this::invite);
    router.get("/admin/customers/:oid/members").handler(this::members);
    router.delete("/admin/customers/:oid/members/:kid").handler(this::remove);
    router.get("/admin/customers/:oid/orders").handler(this::orders);
    router.get("/admin/reviews").handler(ctx -> reply(ctx, 200, conformity.queue()));
    router.get("/admin/reviews/:challenge/document").handler(this::document);
    router.post("/admin/reviews/:challenge/approve").handler(this::approve);
    router.post("/admin/reviews/:challenge/reject").handler(this::reject);
  }

  /** Creates the customer account of a registered organisation (after strong authentication). */
  private void createCustomer(RoutingContext ctx) {
    JsonObject body = body(ctx);
    String oid = required(body, "organisation");
    String representative = required(body, "representative");
    String contact = required(body, "technicalContact");
    reply(
        ctx,
        201,
        organisations
            .find(oid)
            .compose(
                org -> {
                  if (org.isEmpty() || !org.get().activeAt(Instant.now())) {
                    throw new IllegalArgumentException(
                        oid + " is not an active organisation of the register");
                  }
                  return customers.insert(pool, oid, representative, contact);
                })
            .map(
                created ->
                    created
                        .orElseThrow(
                            () ->
                                new IllegalArgumentException(
                                    oid + " already has a customer account"))
                        .toJson()));
  }

  /** Invites a member or partner: an EAB credential bound to the customer account and role. */
  private void invite(RoutingContext ctx) {
    JsonObject body = body(ctx);
    Role role = Role.of(required(body, "role"));
    String email = required(body, "email");
    reply(
        ctx,
        201,
        customer(ctx)
            .compose(c -> eab.create(c.id(), role.wire(), email))
            .map(
                cred ->
                    cred.toJson()
                        .put("organisation", ctx.pathParam("oid"))
                        .put("role", role.wire())
                        .put("email", email)));
  }

  private void members(RoutingContext ctx) {
    reply(ctx, 200, customer(ctx).compose(c -> customers.members(pool, c.id())));
  }

  /** Removes a member or partner by its invitation kid; its account is unlinked at once. */
  private void remove(RoutingContext ctx) {
    reply(
        ctx,
        200,
        customer(ctx)
            .compose(c -> customers.remove(pool, c.id(), ctx.pathParam("kid")))
            .map(
                n -> {
                  if (n == 0) {
                    throw new IllegalArgumentException(
                        "no member or partner " + ctx.pathParam("kid"));
                  }
                  return new JsonObject().put("removed", ctx.pathParam("kid"));
                }));
  }

  /** The organisation's orders with their processing status. */
  private void orders(RoutingContext ctx) {
    reply(
        ctx,
        200,
        pool.preparedQuery(
                "select id, account_id, status, profile, identifiers, created_at, expires_at,"
                    + " processing_deadline from orders where organisation_oid = $1 order by id desc"
                    + " limit 500")
            .execute(Tuple.of(ctx.pathParam("oid")))
            .map(
                rows -> {
                  JsonArray out = new JsonArray();
                  for (Row r : rows) {
                    out.add(
                        new JsonObject()
                            .put("order", r.getLong(0))
                            .put("account", r.getLong(1))
                            .put("status", r.getString(2))
                            .put("profile", r.getString(3))
                            .put("identifiers", r.getJson(4))
                            .put("created", String.valueOf(r.getOffsetDateTime(5)))
                            .put("expires", String.valueOf(r.getOffsetDateTime(6)))
                            .put(
                                "processingDeadline",
                                r.getOffsetDateTime(7) == null
                                    ? null
                                    : r.getOffsetDateTime(7).toString()));
                  }
                  return out;
                }));
  }

  private void document(RoutingContext ctx) {
    conformity
        .document(Long.parseLong(ctx.pathParam("challenge")))
        .onSuccess(
            pdf -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/pdf").end(pdf))
        .onFailure(e -> AdminRoutes.error(ctx, e));
  }

  private void approve(RoutingContext ctx) {
    long id = Long.parseLong(ctx.pathParam("challenge"));
    reply(ctx, 200, conformity.approve(id).map(v -> new JsonObject().put("approved", id)));
  }

  private void reject(RoutingContext ctx) {
    long id = Long.parseLong(ctx.pathParam("challenge"));
    String reason = body(ctx).getString("reason");
    reply(ctx, 200, conformity.reject(id, reason).map(v -> new JsonObject().put("rejected", id)));
  }

  private Future<CustomerRepository.CustomerAccount> customer(RoutingContext ctx) {
    String oid = ctx.pathParam("oid");
    return customers
        .findByOrganisation(pool, oid)
        .map(
            c ->
                c.orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            oid + " has no customer account; create it first")));
  }

  private static JsonObject body(RoutingContext ctx) {
    try {
      JsonObject json = ctx.body().asJsonObject();
      return json == null ? new JsonObject() : json;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the body must be a JSON object");
    }
  }

  private static String required(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (!(value instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException("\"" + field + "\" is required");
    }
    return s;
  }

  private static void reply(RoutingContext ctx, int status, Future<?> result) {
    result
        .onSuccess(
            value ->
                ctx.response()
                    .setStatusCode(status)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .end(value instanceof JsonArray a ? a.encode() : ((JsonObject) value).encode()))
        .onFailure(e -> AdminRoutes.error(ctx, e));
  }
}
