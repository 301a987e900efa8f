package fi.soteacme.server.customer;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/** SQL for customer accounts and the links of ACME accounts to them. */
public final class CustomerRepository {

  /** A customer account as stored. */
  public record CustomerAccount(
      long id, String organisationOid, String representative, String technicalContact) {
    public JsonObject toJson() {
      return new JsonObject()
          .put("id", id)
          .put("organisation", organisationOid)
          .put("representative", representative)
          .put("technicalContact", technicalContact);
    }
  }

  public Future<Optional<CustomerAccount>> insert(
      SqlClient db, String oid, String representative, String technicalContact) {
    return db.preparedQuery(
            "insert into customer_account (organisation_oid, representative, technical_contact)"
                + " values ($1, $2, $3) on conflict (organisation_oid) do nothing returning id")
        .execute(Tuple.of(oid, representative, technicalContact))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(
                        new CustomerAccount(
                            rows.iterator().next().getLong(0),
                            oid,
                            representative,
                            technicalContact)));
  }

  public Future<Optional<CustomerAccount>> findByOrganisation(SqlClient db, String oid) {
    return db.preparedQuery(
            "select id, organisation_oid, representative, technical_contact from customer_account"
                + " where organisation_oid = $1")
        .execute(Tuple.of(oid))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(customer(rows.iterator().next())));
  }

  public Future<Optional<CustomerAccount>> findById(SqlClient db, long id) {
    return db.preparedQuery(
            "select id, organisation_oid, representative, technical_contact from customer_account"
                + " where id = $1")
        .execute(Tuple.of(id))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(customer(rows.iterator().next())));
  }

  /** Links the account; an existing link to the same customer account keeps the stronger role. */
  public Future<Void> link(
      SqlClient db, long customerAccountId, long accountId, Role role, String kid, String email) {
    return db.preparedQuery(
            "insert into account_link (customer_account_id, account_id, role, eab_kid, email)"
                + " values ($1, $2, $3, $4, $5)"
                + " on conflict (customer_account_id, account_id) where removed_at is null"
                + " do update set role = case when account_link.role = 'member' then 'member'"
                + " else excluded.role end")
        .execute(Tuple.of(customerAccountId, accountId, role.wire(), kid, email))
        .mapEmpty();
  }

  /** Members and partners of a customer account, with their link state. */
  public Future<JsonArray> members(SqlClient db, long customerAccountId) {
    return db.preparedQuery(
            "select e.kid, e.role, e.email, e.expires_at, e.used_at, l.account_id, l.removed_at"
                + " from eab_credential e left join account_link l on l.eab_kid = e.kid"
                + " where e.customer_account_id = $1 order by e.created_at")
        .execute(Tuple.of(customerAccountId))
        .map(
            rows -> {
              JsonArray out = new JsonArray();
              for (Row r : rows) {
                out.add(
                    new JsonObject()
                        .put("kid", r.getString(0))
                        .put("role", r.getString(1))
                        .put("email", r.getString(2))
                        .put("invitationExpires", String.valueOf(r.getOffsetDateTime(3)))
                        .put("accepted", r.getOffsetDateTime(4) != null)
                        .put("account", r.getLong(5))
                        .put("removed", r.getOffsetDateTime(6) != null));
              }
              return out;
            });
  }

  /** Removes a member or partner: its account is unlinked at once, its invitation voided. */
  public Future<Integer> remove(SqlClient db, long customerAccountId, String kid) {
    return db.preparedQuery(
            "update account_link set removed_at = now() where customer_account_id = $1"
                + " and eab_kid = $2 and removed_at is null")
        .execute(Tuple.of(customerAccountId, kid))
        .compose(
            links ->
                db.preparedQuery(
                        "update eab_credential set expires_at = least(expires_at, now())"
                            + " where customer_account_id = $1 and kid = $2")
                    .execute(Tuple.of(customerAccountId, kid))
                    .map(r -> links.rowCount() + r.rowCount()));
  }

  private static CustomerAccount customer(Row r) {
    return new CustomerAccount(r.getLong(0), r.getString(1), r.getString(2), r.getString(3));
  }
}
