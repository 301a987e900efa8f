package fi.soteacme.server.nonce;

import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 8555 §7.2 anti-replay nonces. A nonce is {@code issued-ms | random | HMAC} under a key shared
 * by every server process through the database, so issuing one costs no I/O. Using one inserts it
 * into {@code used_nonce}; the primary key makes a nonce usable exactly once across all processes.
 *
 * <p>The pool given to it should commit without waiting for the WAL flush ({@code
 * synchronous_commit=off}): every request uses a nonce, and waiting for the disk each time would
 * double the flushes of an issuance. The insert is visible to, and locks out, every other session
 * at once; only an operating-system crash within about half a second of a request could forget that
 * its nonce was used, and that nonce expires with its lifetime anyway.
 */
public final class NonceService {
  private static final int TIME = 8;
  private static final int RANDOM = 8;
  private static final int MAC = 16;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final Pool pool;
  private final Duration lifetime;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final ThreadLocal<Mac> mac;

  private NonceService(Pool pool, byte[] key, Duration lifetime, Clock clock) {
    this.pool = pool;
    this.lifetime = lifetime;
    this.clock = clock;
    SecretKeySpec spec = new SecretKeySpec(key, "HmacSHA256");
    this.mac =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(spec);
                return m;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
              }
            });
  }

  /** Loads the shared key, creating it on the first start of the first process. */
  public static Future<NonceService> load(Pool pool, Duration lifetime, Clock clock) {
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    return pool.preparedQuery(
            "insert into server_secret (name, value) values ('nonce-hmac', $1) on conflict do nothing")
        .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(fresh)))
        .compose(
            r ->
                pool.preparedQuery("select value from server_secret where name = 'nonce-hmac'")
                    .execute())
        .map(
            rows ->
                new NonceService(
                    pool, rows.iterator().next().getBuffer(0).getBytes(), lifetime, clock));
  }

  /** A fresh nonce for a Replay-Nonce header. */
  public String issue() {
    ByteBuffer buf = ByteBuffer.allocate(TIME + RANDOM + MAC);
    buf.putLong(clock.millis());
    byte[] rnd = new byte[RANDOM];
    random.nextBytes(rnd);
    buf.put(rnd);
    buf.put(sign(buf.array(), TIME + RANDOM), 0, MAC);
    return B64.encodeToString(buf.array());
  }

  /** Accepts a nonce once; fails with badNonce if it is unknown, expired or already used. */
  public Future<Void> consume(String nonce) {
    OffsetDateTime expiresAt;
    try {
      expiresAt = check(nonce);
    } catch (AcmeProblem p) {
      return Future.failedFuture(p);
    }
    return pool.preparedQuery(
            "insert into used_nonce (nonce, expires_at) values ($1, $2) on conflict do nothing")
        .execute(Tuple.of(nonce, expiresAt))
        .compose(
            rows -> rows.rowCount() == 1 ? Future.succeededFuture() : Future.failedFuture(used()));
  }

  /**
   * Checks that this server issued the nonce and that it has not expired, without using it up;
   * returns until when it could be accepted. Throws badNonce.
   */
  public OffsetDateTime check(String nonce) {
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(nonce);
    } catch (IllegalArgumentException e) {
      throw badNonce("the nonce is not base64url");
    }
    if (raw.length != TIME + RANDOM + MAC
        || !MessageDigest.isEqual(
            java.util.Arrays.copyOf(sign(raw, TIME + RANDOM), MAC),
            java.util.Arrays.copyOfRange(raw, TIME + RANDOM, raw.length))) {
      throw badNonce("the nonce was not issued by this server");
    }
    long issued = ByteBuffer.wrap(raw, 0, TIME).getLong();
    long expires = issued + lifetime.toMillis();
    if (expires < clock.millis()) {
      throw badNonce("the nonce has expired; get a fresh one");
    }
    return java.time.Instant.ofEpochMilli(expires).atOffset(ZoneOffset.UTC);
  }

  /**
   * The pool that records used nonces (see the class comment), for statements that record one along
   * with a read ({@link fi.soteacme.server.account.AccountRepository#findByIdUsingNonce}).
   */
  public Pool pool() {
    return pool;
  }

  /** The problem for a nonce that was used before. */
  public static AcmeProblem used() {
    return badNonce("the nonce has already been used");
  }

  /** Forgets used nonces that could no longer be accepted anyway. */
  public Future<Integer> prune() {
    return pool.preparedQuery("delete from used_nonce where expires_at < now()")
        .execute()
        .map(r -> r.rowCount());
  }

  private byte[] sign(byte[] data, int length) {
    Mac m = mac.get();
    m.update(data, 0, length);
    return m.doFinal();
  }

  private static AcmeProblem badNonce(String detail) {
    return new AcmeProblem(ProblemType.BAD_NONCE, detail);
  }
}
