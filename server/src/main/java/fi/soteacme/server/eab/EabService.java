package fi.soteacme.server.eab;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

/** Creates External Account Binding credentials: single use, expiring. */
public final class EabService {
  private final Pool pool;
  private final EabRepository repository;
  private final Duration lifetime;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /** A credential as handed to its holder; the key is shown once, here. */
  public record Credential(String kid, String hmacKey, Instant expires) {
    public JsonObject toJson() {
      return new JsonObject()
          .put("kid", kid)
          .put("hmacKey", hmacKey)
          .put("expires", expires.toString());
    }
  }

  public EabService(Pool pool, EabRepository repository, Duration lifetime, Clock clock) {
    this.pool = pool;
    this.repository = repository;
    this.lifetime = lifetime;
    this.clock = clock;
  }

  /** An unbound credential (it registers an account that no organisation has let in yet). */
  public Future<Credential> create() {
    return create(null, null, null);
  }

  /** A credential; with a customer account and role it is an invitation into that account. */
  public Future<Credential> create(Long customerAccountId, String role, String email) {
    byte[] kidBytes = new byte[12];
    byte[] key = new byte[32];
    random.nextBytes(kidBytes);
    random.nextBytes(key);
    String kid = "kid-" + Base64.getUrlEncoder().withoutPadding().encodeToString(kidBytes);
    Instant expires = clock.instant().plus(lifetime);
    return repository
        .insert(pool, kid, key, expires.atOffset(ZoneOffset.UTC), customerAccountId, role, email)
        .map(v -> new Credential(kid, ExternalAccountBinding.encodeKey(key), expires));
  }
}
