package fi.soteacme.server.revocation;

import fi.soteacme.server.issuance.IssuingCa;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRL of each issuing CA: regenerated at once after a revocation and when it is half way to its
 * nextUpdate, stored in the database so that every process serves the same one.
 *
 * <p>A regeneration locks the CA's {@code crl} row, takes the next CRL number, reads the revoked
 * certificates, signs on a worker thread and stores the CRL in the same transaction: numbers never
 * repeat and only grow, and a CRL started after a revocation committed lists it.
 */
public final class CrlService {
  private static final Logger log = LoggerFactory.getLogger(CrlService.class);

  /** The latest CRL of an issuing CA as served. */
  public record Published(
      String issuer, long number, Instant thisUpdate, Instant nextUpdate, byte[] der) {}

  private final Vertx vertx;
  private final Pool pool;
  private final Map<String, IssuingCa> cas = new HashMap<>();
  private final Duration validity;
  private final Duration refresh;
  private final Clock clock;
  private final Map<String, Regeneration> regenerations = new HashMap<>();
  private final Map<String, Published> served = new ConcurrentHashMap<>();

  /**
   * @param validity from thisUpdate to nextUpdate
   * @param refresh how old a CRL may grow before it is signed again (less than {@code validity})
   */
  public CrlService(
      Vertx vertx,
      Pool pool,
      List<IssuingCa> issuingCas,
      Duration validity,
      Duration refresh,
      Clock clock) {
    if (refresh.compareTo(validity) >= 0) {
      throw new IllegalArgumentException(
          "the CRL refresh interval " + refresh + " must be shorter than its validity " + validity);
    }
    this.vertx = vertx;
    this.pool = pool;
    issuingCas.forEach(ca -> cas.put(ca.name(), ca));
    this.validity = validity;
    this.refresh = refresh;
    this.clock = clock;
  }

  /**
   * Signs a new CRL of the CA now, or, when one is being signed in this process, once more right
   * after it; returns the number of a CRL that was started after this call.
   */
  /** Whether this server signs the CRL of the named issuer (not so for an external:… one). */
  public boolean signsFor(String issuer) {
    return cas.containsKey(issuer);
  }

  public synchronized Future<Long> regenerate(String issuer) {
    IssuingCa ca = cas.get(issuer);
    if (ca == null) {
      return Future.failedFuture(new IllegalArgumentException("no issuing CA " + issuer));
    }
    Regeneration r = regenerations.computeIfAbsent(issuer, k -> new Regeneration());
    if (r.running == null) {
      return start(r, ca);
    }
    if (r.queued == null) {
      r.queued = Promise.promise();
    }
    return r.queued.future();
  }

  /**
   * Regenerates every CRL that is missing, older than the refresh interval, or older than a
   * revocation (which covers a process that stopped between a revocation and its CRL).
   */
  public Future<Void> refreshDue() {
    List<Future<?>> all = new ArrayList<>();
    for (String issuer : cas.keySet()) {
      all.add(
          due(pool, issuer)
              .compose(due -> due ? regenerate(issuer).mapEmpty() : Future.succeededFuture()));
    }
    return Future.all(all).mapEmpty();
  }

  /** The latest CRL of the CA, empty before the first one is signed. */
  public Future<Optional<Published>> latest(String issuer) {
    return pool.preparedQuery("select crl_number from crl where issuer = $1 and der is not null")
        .execute(Tuple.of(issuer))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.succeededFuture(Optional.empty());
              }
              long number = rows.iterator().next().getLong(0);
              Published cached = served.get(issuer);
              if (cached != null && cached.number() == number) {
                return Future.succeededFuture(Optional.of(cached));
              }
              return pool.preparedQuery(
                      "select crl_number, this_update, next_update, der from crl where issuer = $1")
                  .execute(Tuple.of(issuer))
                  .map(
                      full -> {
                        Row row = full.iterator().next();
                        Published p =
                            new Published(
                                issuer,
                                row.getLong(0),
                                row.getOffsetDateTime(1).toInstant(),
                                row.getOffsetDateTime(2).toInstant(),
                                row.getBuffer(3).getBytes());
                        served.merge(issuer, p, (a, b) -> a.number() >= b.number() ? a : b);
                        return Optional.of(p);
                      });
            });
  }

  private Future<Boolean> due(SqlClient db, String issuer) {
    return db.preparedQuery(
            "select c.this_update is null or c.this_update <= $2"
                + " or exists (select 1 from certificate where issuer = $1"
                + " and revoked_at is not null and revoked_at >= c.this_update)"
                + " from (select $1::text as issuer) i left join crl c on c.issuer = i.issuer")
        .execute(Tuple.of(issuer, utc(clock.instant().minus(refresh))))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  private Future<Long> start(Regeneration r, IssuingCa ca) {
    Future<Long> signing = sign(ca);
    r.running = signing;
    signing.onComplete(done -> finished(r, ca));
    return signing;
  }

  private synchronized void finished(Regeneration r, IssuingCa ca) {
    r.running = null;
    if (r.queued != null) {
      Promise<Long> waiting = r.queued;
      r.queued = null;
      start(r, ca).onComplete(waiting);
    }
  }

  private Future<Long> sign(IssuingCa ca) {
    long started = System.nanoTime();
    // Milliseconds spent reading the revoked certificates and signing, and the entries, for the
    // log.
    long[] phases = new long[3];
    return pool.withTransaction(
            tx ->
                tx.preparedQuery("insert into crl (issuer) values ($1) on conflict do nothing")
                    .execute(Tuple.of(ca.name()))
                    .compose(
                        v ->
                            tx.preparedQuery(
                                    "update crl set crl_number = crl_number + 1 where issuer = $1"
                                        + " returning crl_number")
                                .execute(Tuple.of(ca.name())))
                    .map(rows -> rows.iterator().next().getLong(0))
                    .compose(
                        number -> {
                          long locked = System.nanoTime();
                          return revoked(tx, ca.name())
                              .compose(
                                  entries -> {
                                    phases[0] = (System.nanoTime() - locked) / 1_000_000;
                                    phases[2] = entries.size();
                                    long read = System.nanoTime();
                                    return signed(ca, number, entries)
                                        .onSuccess(
                                            crl ->
                                                phases[1] = (System.nanoTime() - read) / 1_000_000);
                                  })
                              .compose(
                                  crl ->
                                      tx.preparedQuery(
                                              "update crl set this_update = $2,"
                                                  + " next_update = $3, der = $4"
                                                  + " where issuer = $1")
                                          .execute(
                                              Tuple.of(
                                                  ca.name(),
                                                  utc(crl.thisUpdate()),
                                                  utc(crl.nextUpdate()),
                                                  Buffer.buffer(crl.der())))
                                          .map(number));
                        }))
        .onSuccess(
            number ->
                log.info(
                    "signed CRL {} of the {} CA ({} entries) in {} ms: read {} ms, sign {} ms",
                    number,
                    ca.name(),
                    phases[2],
                    (System.nanoTime() - started) / 1_000_000,
                    phases[0],
                    phases[1]))
        .onFailure(e -> log.error("signing a CRL of the {} CA failed", ca.name(), e));
  }

  private Future<Published> signed(IssuingCa ca, long number, List<CrlSigner.Entry> entries) {
    Instant thisUpdate = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant nextUpdate = thisUpdate.plus(validity);
    return vertx.executeBlocking(
        () ->
            new Published(
                ca.name(),
                number,
                thisUpdate,
                nextUpdate,
                CrlSigner.sign(ca, number, thisUpdate, nextUpdate, entries)),
        false);
  }

  /** Revoked certificates that have not yet expired (RFC 5280 §5: expired entries may go). */
  private static Future<List<CrlSigner.Entry>> revoked(SqlClient db, String issuer) {
    return db.preparedQuery(
            "select serial, revoked_at, revocation_reason from certificate"
                + " where issuer = $1 and revoked_at is not null and not_after > now()"
                + " order by revoked_at, serial")
        .execute(Tuple.of(issuer))
        .map(
            rows -> {
              List<CrlSigner.Entry> out = new ArrayList<>(rows.size());
              for (Row row : rows) {
                Integer reason = row.getInteger(2);
                out.add(
                    new CrlSigner.Entry(
                        new BigInteger(1, row.getBuffer(0).getBytes()),
                        row.getOffsetDateTime(1).toInstant().truncatedTo(ChronoUnit.SECONDS),
                        reason == null ? 0 : reason));
              }
              return out;
            });
  }

  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }

  private static final class Regeneration {
    Future<Long> running;
    Promise<Long> queued;
  }
}
