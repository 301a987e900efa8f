package fi.soteacme.server.challenge;

import static fi.soteacme.server.account.AccountHandler.idOf;

import fi.soteacme.server.config.ServerConfig;
import fi.soteacme.server.status.ChallengeStatus;
import fi.soteacme.server.web.Reply;
import fi.soteacme.server.web.jws.AcmeRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** Web front end of RFC 8555 §7.5.1: reading a challenge, and responding to it with {}. */
public final class ChallengeHandler {
  private final ServerConfig config;
  private final ChallengeService service;

  public ChallengeHandler(ServerConfig config, ChallengeService service) {
    this.config = config;
    this.service = service;
  }

  public Future<Reply> challenge(AcmeRequest req, Map<String, String> params) {
    long id = idOf(params);
    Future<ChallengeService.Found> found =
        req.isPostAsGet()
            ? service.find(req.account(), id)
            : service.respond(req.account(), id, req.payload());
    return found.map(
        f -> {
          Reply reply =
              Reply.json(200, render(config, f.challenge()))
                  .link(config.url("/acme/authz/" + f.authorization().id()), "up");
          if (f.challenge().status() == ChallengeStatus.PROCESSING) {
            reply.retryAfter(1);
          }
          return reply;
        });
  }

  /** The challenge object, also embedded in authorizations. */
  public static JsonObject render(ServerConfig config, Challenge c) {
    JsonObject json =
        new JsonObject()
            .put("type", c.type())
            .put("url", config.url("/acme/chall/" + c.id()))
            .put("status", c.status().wire())
            .put("token", c.token());
    if (c.validated() != null) {
      json.put("validated", c.validated().toString());
    }
    if (c.error() != null) {
      json.put("error", c.error());
    }
    return json;
  }
}
