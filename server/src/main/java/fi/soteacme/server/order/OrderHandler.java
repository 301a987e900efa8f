package fi.soteacme.server.order;

import static fi.soteacme.server.account.AccountHandler.idOf;

import fi.soteacme.server.config.ServerConfig;
import fi.soteacme.server.identifier.Identifier;
import fi.soteacme.server.status.OrderStatus;
import fi.soteacme.server.web.Reply;
import fi.soteacme.server.web.jws.AcmeRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Map;

/** Web front end of RFC 8555 §7.4: newOrder, the order URL, finalize. */
public final class OrderHandler {
  private final ServerConfig config;
  private final OrderService service;
  private final Clock clock;

  public OrderHandler(ServerConfig config, OrderService service, Clock clock) {
    this.config = config;
    this.service = service;
    this.clock = clock;
  }

  public Future<Reply> newOrder(AcmeRequest req, Map<String, String> params) {
    return service.newOrder(req.account(), req.payload()).map(o -> reply(201, o));
  }

  public Future<Reply> order(AcmeRequest req, Map<String, String> params) {
    return service.find(req.account(), idOf(params)).map(o -> reply(200, o));
  }

  public Future<Reply> finalizeOrder(AcmeRequest req, Map<String, String> params) {
    return service
        .finalizeOrder(req.account(), idOf(params), req.payload())
        .map(o -> reply(200, o));
  }

  private Reply reply(int status, Order order) {
    Reply reply =
        Reply.json(status, render(order)).location(config.url("/acme/order/" + order.id()));
    if (order.status(clock.instant()) == OrderStatus.PROCESSING) {
      reply.retryAfter(1);
    }
    return reply;
  }

  /** Why an unfinished order became invalid with time: it expired, or its review lapsed. */
  private static JsonObject expired(Order o) {
    boolean lapsed = java.time.Duration.between(o.created(), o.expires()).toDays() > 31;
    return new JsonObject()
        .put("type", "urn:ietf:params:acme:error:" + (lapsed ? "unauthorized" : "malformed"))
        .put(
            "detail",
            lapsed
                ? "the order lapsed: it was not completed within 6 months of its creation"
                : "the order expired on "
                    + o.expires()
                    + " before it was finalized; place a new order")
        .put("status", lapsed ? 403 : 400);
  }

  private JsonObject render(Order o) {
    JsonArray identifiers = new JsonArray();
    o.identifiers().stream().map(Identifier::toJson).forEach(identifiers::add);
    JsonArray authorizations = new JsonArray();
    o.authorizationIds().forEach(a -> authorizations.add(config.url("/acme/authz/" + a)));
    JsonObject json =
        new JsonObject()
            .put("status", o.status(clock.instant()).wire())
            .put("expires", o.expires().toString())
            .put("identifiers", identifiers)
            .put("profile", o.profile())
            .put("authorizations", authorizations)
            .put("finalize", config.url("/acme/order/" + o.id() + "/finalize"));
    if (o.notBefore() != null) {
      json.put("notBefore", o.notBefore().toString());
    }
    if (o.notAfter() != null) {
      json.put("notAfter", o.notAfter().toString());
    }
    if (o.organisationOid() != null) {
      json.put("organisation", o.organisationOid());
    }
    if (o.processingDeadline() != null && o.status(clock.instant()) == OrderStatus.PENDING) {
      json.put("processingDeadline", o.processingDeadline().toString());
    }
    if (o.error() != null) {
      json.put("error", o.error());
    } else if (o.status(clock.instant()) == OrderStatus.INVALID) {
      json.put("error", expired(o));
    }
    if (o.replaces() != null) {
      json.put("replaces", o.replaces());
    }
    if (o.certificateSerial() != null) {
      json.put("certificate", config.url("/acme/cert/" + o.certificateSerial()));
    }
    return json;
  }
}
