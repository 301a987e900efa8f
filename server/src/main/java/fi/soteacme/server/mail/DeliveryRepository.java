package fi.soteacme.server.mail;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for the certificate e-mail outbox (table mail_delivery). */
public final class DeliveryRepository {

  /** Where a certificate's recipients come from. */
  public record RecipientSources(List<String> accountContacts, String technicalContact) {}

  public Future<Optional<RecipientSources>> recipientSources(SqlClient db, long certificateId) {
    return db.preparedQuery(
            "select a.contact, ca.technical_contact from certificate c"
                + " left join account a on a.id = c.account_id"
                + " left join customer_account ca on ca.organisation_oid = c.organisation_oid"
                + " where c.id = $1")
        .execute(Tuple.of(certificateId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row r = rows.iterator().next();
              List<String> contacts = new ArrayList<>();
              Object json = r.getJson(0);
              if (json instanceof JsonArray array) {
                array.forEach(c -> contacts.add(String.valueOf(c)));
              }
              return Optional.of(new RecipientSources(contacts, r.getString(1)));
            });
  }

  /** Queues a delivery; a certificate is queued once. */
  public Future<Void> insert(SqlClient db, long certificateId, List<String> recipients) {
    return db.preparedQuery(
            "insert into mail_delivery (certificate_id, recipients) values ($1, $2)"
                + " on conflict (certificate_id) do nothing")
        .execute(
            // Not Tuple.of(id, array): its varargs overload would spread the array into values.
            Tuple.of(certificateId).addArrayOfString(recipients.toArray(String[]::new)))
        .mapEmpty();
  }

  /**
   * Claims up to {@code limit} due deliveries by moving them {@code lease} ahead, so that no other
   * process takes them while this one sends; rows another process is claiming are skipped, not
   * waited for.
   */
  public Future<List<Delivery>> claimDue(SqlClient db, int limit, Duration lease) {
    return db.preparedQuery(
            "update mail_delivery d set next_attempt_at = now() + $2::int * interval '1 second'"
                + " from certificate c"
                // the chain's issuing CA, read with the certificate
                + " left join issuer_certificate i on i.id = c.issuer_certificate_id"
                + " where c.id = d.certificate_id and d.id in ("
                + "   select id from mail_delivery"
                + "   where sent_at is null and next_attempt_at <= now()"
                + "   order by next_attempt_at limit $1 for update skip locked)"
                + " returning d.id, d.certificate_id, d.recipients, d.attempts, c.serial, c.der,"
                + " i.der, c.profile, c.dns_names, c.organisation_oid, c.order_id")
        .execute(Tuple.of(limit, (int) lease.toSeconds()))
        .map(
            rows -> {
              List<Delivery> out = new ArrayList<>();
              for (Row r : rows) {
                Buffer issuerDer = r.getBuffer(6);
                out.add(
                    new Delivery(
                        r.getLong(0),
                        r.getLong(1),
                        List.of(r.getArrayOfStrings(2)),
                        r.getInteger(3),
                        r.getBuffer(4).getBytes(),
                        r.getBuffer(5).getBytes(),
                        issuerDer == null ? null : issuerDer.getBytes(),
                        r.getString(7),
                        List.of(r.getArrayOfStrings(8)),
                        r.getString(9),
                        r.getLong(10)));
              }
              return out;
            });
  }

  public Future<Void> markSent(SqlClient db, long id) {
    return db.preparedQuery(
            "update mail_delivery set sent_at = now(), last_error = null where id = $1")
        .execute(Tuple.of(id))
        .mapEmpty();
  }

  /** Records a failed attempt; the delivery is due again after {@code retryIn}. */
  public Future<Void> markFailed(SqlClient db, long id, Duration retryIn, String error) {
    return db.preparedQuery(
            "update mail_delivery set attempts = attempts + 1,"
                + " next_attempt_at = now() + $2::int * interval '1 second', last_error = $3"
                + " where id = $1")
        .execute(Tuple.of(id, (int) retryIn.toSeconds(), error))
        .mapEmpty();
  }
}
