package fi.soteacme.server.renewal;

import fi.soteacme.server.web.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** Web front end of RFC 9773 §4: {@code GET renewalInfo/<certID>}, unauthenticated. */
public final class RenewalHandler {
  /** RFC 9773 §4.3: how long a client should wait before asking again (about 6 hours). */
  public static final int RETRY_AFTER_SECONDS = 6 * 60 * 60;

  private final RenewalService service;

  public RenewalHandler(RenewalService service) {
    this.service = service;
  }

  public Future<Reply> renewalInfo(String certId) {
    return Future.succeededFuture(certId)
        .compose(service::renewalInfo)
        .map(info -> Reply.json(200, render(info)).retryAfter(RETRY_AFTER_SECONDS));
  }

  static JsonObject render(RenewalService.RenewalInfo info) {
    JsonObject json =
        new JsonObject()
            .put(
                "suggestedWindow",
                new JsonObject()
                    .put("start", info.window().start().toString())
                    .put("end", info.window().end().toString()));
    if (info.explanationUrl() != null) {
      json.put("explanationURL", info.explanationUrl());
    }
    return json;
  }
}
