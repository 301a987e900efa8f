package fi.soteacme.server.renewal;

import fi.soteacme.server.certificate.Serials;
import fi.soteacme.server.issuance.SerialNumberGenerator;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * The operator API of renewal: incidents ({@code POST /admin/incidents}) and the import of
 * certificates from the old manual process ({@code POST /admin/certificates/import}). Operator
 * mistakes fail with IllegalArgumentException, which the operator API answers with 400.
 */
public final class RenewalAdmin {
  private static final List<String> SELECTORS = List.of("serial", "organisation", "issuer");

  private final RenewalService renewals;
  private final LegacyImport legacy;

  public RenewalAdmin(RenewalService renewals, LegacyImport legacy) {
    this.renewals = renewals;
    this.legacy = legacy;
  }

  /** Adds the routes to the operator API's router (behind its authentication). */
  public void routes(Router router) {
    router.post("/admin/incidents").handler(this::incident);
    router.post("/admin/certificates/import").handler(this::importCertificates);
  }

  /**
   * {@code {"serial"|"organisation"|"issuer": "...", "explanationUrl": "https://..."}}: marks the
   * unexpired certificates selected for renewal at once; answers {@code {"marked": n}}.
   */
  private void incident(RoutingContext ctx) {
    Future.succeededFuture(ctx)
        .compose(
            c -> {
              JsonObject body = json(c);
              List<String> given = SELECTORS.stream().filter(body::containsKey).toList();
              if (given.size() != 1) {
                throw new IllegalArgumentException(
                    "an incident names exactly one of \"serial\", \"organisation\" or \"issuer\"");
              }
              String field = given.get(0);
              String value = text(body, field);
              String explanation = explanationUrl(body.getValue("explanationUrl"));
              return switch (field) {
                case "serial" -> {
                  byte[] serial = Serials.toBytes(SerialNumberGenerator.parse(value));
                  yield renewals
                      .markIncident(RenewalRepository.Selector.SERIAL, serial, explanation)
                      .map(
                          n -> {
                            if (n == 0) {
                              throw new IllegalArgumentException(
                                  "no unexpired certificate with serial " + Serials.toHex(serial));
                            }
                            return n;
                          });
                }
                case "organisation" ->
                    renewals.markIncident(
                        RenewalRepository.Selector.ORGANISATION, value, explanation);
                default -> {
                  if (!value.equals("production")
                      && !value.equals("test")
                      && !value.startsWith(LegacyImport.EXTERNAL)) {
                    throw new IllegalArgumentException(
                        "\"issuer\" is a CA name: production, test, or external:<issuer DN> of"
                            + " imported certificates");
                  }
                  yield renewals.markIncident(
                      RenewalRepository.Selector.ISSUER, value, explanation);
                }
              };
            })
        .onSuccess(n -> reply(ctx, 200, new JsonObject().put("marked", n).encode()))
        .onFailure(ctx::fail);
  }

  /** PEM (one or more certificates) or DER: imported whole or not at all. */
  private void importCertificates(RoutingContext ctx) {
    Future.succeededFuture(ctx)
        .compose(
            c ->
                legacy.importCertificates(
                    c.body().buffer() == null ? null : c.body().buffer().getBytes()))
        .onSuccess(
            list ->
                reply(
                    ctx,
                    200,
                    new JsonObject()
                        .put("certificates", new JsonArray(List.copyOf(list)))
                        .encode()))
        .onFailure(ctx::fail);
  }

  private static JsonObject json(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        throw new IllegalArgumentException("send a JSON object");
      }
      return body;
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("send a JSON object");
    }
  }

  private static String text(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException("\"" + field + "\" must be a non-empty string");
    }
    return s.strip();
  }

  /** An absolute http(s) URL, or null when none was given. */
  static String explanationUrl(Object raw) {
    if (raw == null) {
      return null;
    }
    if (raw instanceof String s) {
      try {
        URI uri = new URI(s);
        if (uri.isAbsolute()
            && uri.getHost() != null
            && ("https".equalsIgnoreCase(uri.getScheme())
                || "http".equalsIgnoreCase(uri.getScheme()))) {
          return s;
        }
      } catch (URISyntaxException e) {
        // refused below
      }
    }
    throw new IllegalArgumentException(
        "\"explanationUrl\" must be an absolute http(s) URL that explains the incident");
  }

  private static void reply(RoutingContext ctx, int status, String body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body);
  }
}
