package fi.soteacme.server.directory;

import fi.soteacme.server.config.ServerConfig;
import fi.soteacme.server.issuance.Profile;
import fi.soteacme.server.web.Reply;
import io.vertx.core.json.JsonObject;

/** RFC 8555 §7.1.1 directory, with the profiles of draft-ietf-acme-profiles in its meta. */
public final class DirectoryHandler {
  private final Reply directory;

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
                    .put("termsOfService", config.directory().termsOfService())
                    .put("website", config.directory().website())
                    .put("externalAccountRequired", true)
                    .put("profiles", profiles));
    this.directory = Reply.json(200, json);
  }

  public Reply directory() {
    return directory;
  }
}
