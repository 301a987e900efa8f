package fi.soteacme.server.directory;

import fi.soteacme.server.config.ServerConfig;
import fi.soteacme.server.issuance.Profile;
import fi.soteacme.server.web.Reply;
import io.vertx.core.json.JsonObject;

/** RFC 8555 §7.1.1 directory, with the profiles of draft-ietf-acme-profiles in its meta. */
public final class DirectoryHandler {
  private final Reply directory;
  private final Reply terms = termsText();

  private static Reply termsText() {
    try (var in = DirectoryHandler.class.getResourceAsStream("/terms.txt")) {
      return Reply.body(
          200, io.vertx.core.buffer.Buffer.buffer(in.readAllBytes()), "text/plain; charset=utf-8");
    } catch (java.io.IOException | NullPointerException e) {
      throw new IllegalStateException("terms.txt is missing from the server jar", e);
    }
  }

  public DirectoryHandler(ServerConfig config) {
    JsonObject profiles = new JsonObject();
    for (Profile p : Profile.values()) {
      profiles.put(p.id(), p.description());
    }
    JsonObject json =
        new JsonObject()
            .put("newNonce", config.url("/acme/new-nonce"))
            .put("newAccount", config.url("/acme/new-account"))
            .put("newOrder", config.url("/acme/new-order"))
            .put("revokeCert", config.url("/acme/revoke-cert"))
            .put("keyChange", config.url("/acme/key-change"))
            .put("renewalInfo", config.url("/acme/renewal-info"))
            .put(
                "meta",
                new JsonObject()
                    .put(
                        "termsOfService",
                        config.directory().termsOfService() != null
                            ? config.directory().termsOfService()
                            : config.url("/terms"))
                    .put("website", config.directory().website())
                    .put("externalAccountRequired", true)
                    .put("profiles", profiles));
    this.directory = Reply.json(200, json);
  }

  public Reply directory() {
    return directory;
  }

  /** The default terms of service, served at /terms when no other URL is configured. */
  public Reply terms() {
    return terms;
  }
}
