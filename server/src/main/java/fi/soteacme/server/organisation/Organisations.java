package fi.soteacme.server.organisation;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the register copy: the organisations of both registers, each with its top organisation.
 * Every read is one statement, so it sees the register before or after a load, never a mix.
 */
public final class Organisations {
  private final Pool pool;
  private final RegisterRepository repository;

  public Organisations(Pool pool, RegisterRepository repository) {
    this.pool = pool;
    this.repository = repository;
  }

  /** The organisation with this OID in either register, active or not. */
  public Future<Optional<Organisation>> find(String oid) {
    return repository.chain(pool, oid).map(Organisations::organisation);
  }

  /**
   * Organisations whose OID or LongName contains {@code text} (any case; null or empty for all),
   * ordered by OID, at most {@code limit}.
   */
  public Future<List<Organisation>> list(String text, int limit) {
    return repository
        .search(pool, text, limit)
        .compose(
            oids -> {
              List<Future<Optional<Organisation>>> each = new ArrayList<>();
              oids.forEach(oid -> each.add(find(oid)));
              return Future.all(each)
                  .map(
                      all -> {
                        List<Organisation> out = new ArrayList<>();
                        each.forEach(f -> f.result().ifPresent(out::add));
                        return out;
                      });
            });
  }

  /** How many entries the copy holds of one register. */
  public Future<Integer> count(RegisterKind kind) {
    return repository.count(pool, kind);
  }

  private static Optional<Organisation> organisation(List<Row> chain) {
    if (chain.isEmpty()) {
      return Optional.empty();
    }
    Row unit = chain.get(0);
    Row last = chain.get(chain.size() - 1);
    String lastParent = last.getString("parent_oid");
    boolean reachedTop = lastParent == null || lastParent.equals(last.getString("oid"));
    RegisterKind kind = RegisterKind.of(unit.getString("source"));
    Organisation.Sector sector =
        kind == RegisterKind.INTERMEDIARY
            ? Organisation.Sector.INTERMEDIARY
            : Organisation.Sector.ofDigit(unit.getString("sector"));
    return Optional.of(
        new Organisation(
            unit.getString("oid"),
            unit.getString("long_name"),
            unit.getString("abbreviation"),
            reachedTop ? last.getString("oid") : null,
            reachedTop ? last.getString("long_name") : null,
            reachedTop ? last.getString("abbreviation") : null,
            sector,
            unit.getString("business_id"),
            RegisterRepository.instant(unit.getOffsetDateTime("begin_date")),
            RegisterRepository.instant(unit.getOffsetDateTime("expiration_date")),
            unit.getString("status")));
  }
}
