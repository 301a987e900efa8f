package fi.soteacme.server.organisation;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The operator API's register resources: {@code POST /admin/register/import} and {@code GET
 * /admin/register/status}.
 */
public final class RegisterAdminHandler {
  private static final int STATUS_ROWS = 20;

  private final RegisterImporter importer;

  public RegisterAdminHandler(RegisterImporter importer) {
    this.importer = importer;
  }

  /**
   * {@code {"source": "<file, directory or URL>", "kind": "sote"|"intermediary"|null,
   * "incremental": false}} → the load's summary; 422 with the reason when a page is refused.
   */
  public void importRegister(RoutingContext ctx) {
    JsonObject body;
    RegisterKind kind;
    String source;
    try {
      body = ctx.body().asJsonObject();
      source = body == null ? null : body.getString("source");
      if (source == null || source.isBlank()) {
        error(ctx, 400, "\"source\" (a file, a directory or a URL) is required");
        return;
      }
      String kindName = body.getString("kind");
      kind = kindName == null ? null : RegisterKind.of(kindName);
    } catch (RuntimeException e) {
      error(ctx, 400, e.getMessage());
      return;
    }
    importer
        .load(source, kind, body.getBoolean("incremental", false))
        .onSuccess(result -> json(ctx, 200, result.toJson()))
        .onFailure(
            e -> {
              if (e instanceof RegisterFormatException) {
                error(ctx, 422, "refused, the register is unchanged: " + e.getMessage());
              } else if (e instanceof IllegalArgumentException) {
                error(ctx, 400, e.getMessage());
              } else {
                error(ctx, 502, "load failed, the register is unchanged: " + e.getMessage());
              }
            });
  }

  /** {@code {"syncs": [...]}}: the newest loads, newest first. */
  public void status(RoutingContext ctx) {
    importer
        .status(STATUS_ROWS)
        .onSuccess(
            syncs -> {
              JsonArray list = new JsonArray();
              syncs.forEach(s -> list.add(s.toJson()));
              json(ctx, 200, new JsonObject().put("syncs", list));
            })
        .onFailure(ctx::fail);
  }

  private static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("error", message));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.encode());
  }
}
