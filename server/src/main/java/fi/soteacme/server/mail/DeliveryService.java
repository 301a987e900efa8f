package fi.soteacme.server.mail;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues the e-mail of an issued certificate in the transaction that completes it, so that a
 * certificate is never issued without its delivery being recorded (kanta-extension.md "Delivery and
 * status"). Sending is the {@link DeliveryWorker}'s.
 */
public final class DeliveryService {
  private static final Logger log = LoggerFactory.getLogger(DeliveryService.class);

  private final DeliveryRepository deliveries;
  private final Runnable afterCommit;

  /**
   * @param afterCommit run once a transaction that queued a delivery has committed (the local
   *     worker's kick, so that the mail leaves at once rather than at the next poll)
   */
  public DeliveryService(DeliveryRepository deliveries, Runnable afterCommit) {
    this.deliveries = deliveries;
    this.afterCommit = afterCommit;
  }

  /**
   * Queues the certificate's delivery to the ordering account's {@code mailto:} contacts and the
   * technical contact of its organisation's customer account; with neither, nothing is queued.
   */
  public Future<Void> enqueue(SqlConnection tx, long certificateId) {
    return deliveries
        .recipientSources(tx, certificateId)
        .compose(
            sources -> {
              List<String> recipients =
                  sources
                      .map(s -> Recipients.of(s.accountContacts(), s.technicalContact()))
                      .orElse(List.of());
              if (recipients.isEmpty()) {
                log.info("certificate {} has no e-mail recipient: no delivery", certificateId);
                return Future.<Void>succeededFuture();
              }
              Transaction transaction = tx.transaction();
              if (transaction != null) {
                transaction.completion().onSuccess(v -> afterCommit.run());
              }
              return deliveries.insert(tx, certificateId, recipients);
            });
  }
}
