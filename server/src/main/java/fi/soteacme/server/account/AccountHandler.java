package fi.soteacme.server.account;

import fi.soteacme.server.config.ServerConfig;
import fi.soteacme.server.order.OrderRepository;
import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.web.Reply;
import fi.soteacme.server.web.jws.AcmeRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.Map;

/** Web front end of RFC 8555 §7.3: newAccount, the account URL, its orders list, keyChange. */
public final class AccountHandler {
  private final ServerConfig config;
  private final AccountService service;
  private final OrderRepository orders;
  private final Pool pool;

  public AccountHandler(
      ServerConfig config, AccountService service, OrderRepository orders, Pool pool) {
    this.config = config;
    this.service = service;
    this.orders = orders;
    this.pool = pool;
  }

  public Future<Reply> newAccount(AcmeRequest req, Map<String, String> params) {
    return service
        .newAccount(req)
        .map(
            outcome ->
                Reply.json(outcome.created() ? 201 : 200, render(outcome.account()))
                    .location(url(outcome.account().id())));
  }

  public Future<Reply> account(AcmeRequest req, Map<String, String> params) {
    long id = idOf(params);
    return service.update(req, id).map(a -> Reply.json(200, render(a)).location(url(a.id())));
  }

  /** RFC 8555 §7.1.2.1, paginated with Link rel="next". */
  public Future<Reply> orders(AcmeRequest req, Map<String, String> params) {
    long id = idOf(params);
    if (req.account().id() != id) {
      throw AcmeProblem.unauthorized("an account can list only its own orders");
    }
    long cursor = parseCursor(req.url());
    int pageSize = config.ordersPageSize();
    return orders
        .listIds(pool, id, cursor, pageSize + 1)
        .map(
            ids -> {
              JsonArray urls = new JsonArray();
              ids.stream().limit(pageSize).forEach(o -> urls.add(config.url("/acme/order/" + o)));
              Reply reply = Reply.json(200, new JsonObject().put("orders", urls));
              if (ids.size() > pageSize) {
                reply.link(
                    config.url("/acme/acct/" + id + "/orders?cursor=" + ids.get(pageSize - 1)),
                    "next");
              }
              return reply;
            });
  }

  public Future<Reply> keyChange(AcmeRequest req, Map<String, String> params) {
    String accountUrl = url(req.account().id());
    return service
        .keyChange(req, accountUrl, config.url("/acme/acct/"))
        .map(a -> Reply.json(200, render(a)).location(url(a.id())));
  }

  private JsonObject render(Account a) {
    return new JsonObject()
        .put("status", a.status().wire())
        .put("contact", new JsonArray(a.contact()))
        .put("termsOfServiceAgreed", a.termsAgreed())
        .put("orders", url(a.id()) + "/orders");
  }

  private String url(long id) {
    return config.url("/acme/acct/" + id);
  }

  private static long parseCursor(String url) {
    int q = url.indexOf("?cursor=");
    if (q < 0) {
      return 0;
    }
    try {
      return Long.parseLong(url.substring(q + "?cursor=".length()));
    } catch (NumberFormatException e) {
      throw AcmeProblem.malformed("the orders cursor must be a number");
    }
  }

  /** A path id; anything not a number is no resource. */
  public static long idOf(Map<String, String> params) {
    try {
      return Long.parseLong(params.get("id"));
    } catch (NumberFormatException e) {
      throw AcmeProblem.notFound("no such resource");
    }
  }
}
