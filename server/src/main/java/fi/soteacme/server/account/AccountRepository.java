package fi.soteacme.server.account;

import fi.soteacme.server.customer.AccountLink;
import fi.soteacme.server.customer.Role;
import fi.soteacme.server.web.jws.Jwk;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for accounts. Every method takes the client so that callers choose the transaction. */
public final class AccountRepository {
  private static final String COLUMNS =
      "id, jwk, key_thumbprint, status, contact, terms_agreed, (select coalesce(json_agg("
          + "json_build_array(l.customer_account_id, c.organisation_oid, l.role) order by l.id),"
          + " '[]') from account_link l join customer_account c on c.id = l.customer_account_id"
          + " where l.account_id = account.id and l.removed_at is null) as links";

  public Future<Optional<Account>> findById(SqlClient db, long id) {
    return db.preparedQuery("select " + COLUMNS + " from account where id = $1")
        .execute(Tuple.of(id))
        .map(
            rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
  }

  /** An account read along with the use of a nonce; {@code nonceFresh} false if it was used. */
  public record WithNonce(Optional<Account> account, boolean nonceFresh) {}

  /**
   * Reads the account and records the request's nonce as used, in one statement: every request of
   * an account does both (RFC 8555 §6.5), and one round trip instead of two is about a fifth of the
   * statements of an issuance. The nonce was checked by {@link
   * fi.soteacme.server.nonce.NonceService#check}; the primary key of {@code used_nonce} makes it
   * usable once across all processes.
   */
  public Future<WithNonce> findByIdUsingNonce(
      SqlClient db, long id, String nonce, OffsetDateTime nonceExpires) {
    return db.preparedQuery(
            "with used as (insert into used_nonce (nonce, expires_at) values ($2, $3)"
                + " on conflict do nothing returning 1)"
                + " select exists (select 1 from used) as nonce_fresh, a.* from (values (1)) v"
                + " left join lateral (select "
                + COLUMNS
                + " from account where id = $1) a on true")
        .execute(Tuple.of(id, nonce, nonceExpires))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              return new WithNonce(
                  row.getValue("id") == null ? Optional.empty() : Optional.of(map(row)),
                  row.getBoolean("nonce_fresh"));
            });
  }

  public Future<Optional<Account>> findByThumbprint(SqlClient db, String thumbprint) {
    return db.preparedQuery("select " + COLUMNS + " from account where key_thumbprint = $1")
        .execute(Tuple.of(thumbprint))
        .map(
            rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
  }

  /** Inserts, or returns empty when another account already holds the key. */
  public Future<Optional<Long>> insert(
      SqlClient db, String jwkJson, String thumbprint, List<String> contact, boolean termsAgreed) {
    return db.preparedQuery(
            "insert into account (jwk, key_thumbprint, status, contact, terms_agreed)"
                + " values ($1, $2, 'valid', $3, $4) on conflict (key_thumbprint) do nothing"
                + " returning id")
        .execute(Tuple.of(jwkJson, thumbprint, new JsonArray(contact), termsAgreed))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(rows.iterator().next().getLong(0)));
  }

  public Future<Void> updateContact(SqlClient db, long id, List<String> contact) {
    return db.preparedQuery("update account set contact = $2 where id = $1")
        .execute(Tuple.of(id, new JsonArray(contact)))
        .mapEmpty();
  }

  public Future<Void> agreeToTerms(SqlClient db, long id) {
    return db.preparedQuery("update account set terms_agreed = true where id = $1")
        .execute(Tuple.of(id))
        .mapEmpty();
  }

  public Future<Void> deactivate(SqlClient db, long id) {
    return db.preparedQuery("update account set status = 'deactivated' where id = $1")
        .execute(Tuple.of(id))
        .mapEmpty();
  }

  /** Replaces the key; false when another account holds the new key (the unique index decides). */
  public Future<Boolean> changeKey(SqlClient db, long id, String jwkJson, String thumbprint) {
    return db.preparedQuery(
            "update account set jwk = $2, key_thumbprint = $3 where id = $1"
                + " and not exists (select 1 from account where key_thumbprint = $3)")
        .execute(Tuple.of(id, jwkJson, thumbprint))
        .map(rows -> rows.rowCount() == 1);
  }

  private static Account map(Row row) {
    List<String> contact = new ArrayList<>();
    JsonArray array = (JsonArray) row.getJson("contact");
    array.forEach(c -> contact.add(String.valueOf(c)));
    return new Account(
        row.getLong("id"),
        Jwk.parseStored(row.getString("jwk")),
        row.getString("key_thumbprint"),
        Account.AccountStatus.valueOf(row.getString("status").toUpperCase()),
        List.copyOf(contact),
        row.getBoolean("terms_agreed"),
        links(row.getLong("id"), (JsonArray) row.getJson("links")));
  }

  private static List<AccountLink> links(long accountId, JsonArray rows) {
    List<AccountLink> links = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      JsonArray l = rows.getJsonArray(i);
      links.add(new AccountLink(l.getLong(0), l.getString(1), accountId, Role.of(l.getString(2))));
    }
    return List.copyOf(links);
  }
}
