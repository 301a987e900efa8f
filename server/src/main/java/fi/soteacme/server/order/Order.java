package fi.soteacme.server.order;

import fi.soteacme.server.identifier.Identifier;
import fi.soteacme.server.status.OrderStatus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * An RFC 8555 §7.1.3 order as stored. {@code certificateSerial} is the hex serial once issued;
 * {@code error} a problem document or null; {@code replaces} the RFC 9773 certID of the certificate
 * the order replaces, or null.
 */
public record Order(
    long id,
    long accountId,
    OrderStatus storedStatus,
    Instant expires,
    List<Identifier> identifiers,
    String profile,
    Instant notBefore,
    Instant notAfter,
    JsonObject error,
    List<Long> authorizationIds,
    String certificateSerial,
    String organisationOid,
    Instant processingDeadline,
    Instant created,
    String replaces) {

  /** kanta-extension.md: an order that waits for a review lapses 6 months after creation. */
  public static final java.time.Period LAPSE = java.time.Period.ofMonths(6);

  /**
   * This order once its certificate is issued: valid, with the certificate's hex serial. Nothing
   * else of an order changes at finalize.
   */
  public Order issued(String certificateSerial) {
    return new Order(
        id,
        accountId,
        OrderStatus.VALID,
        expires,
        identifiers,
        profile,
        notBefore,
        notAfter,
        error,
        authorizationIds,
        certificateSerial,
        organisationOid,
        processingDeadline,
        created,
        replaces);
  }

  /** The status a client sees: an unfinished order past its expiry is invalid. */
  public OrderStatus status(Instant now) {
    if ((storedStatus == OrderStatus.PENDING || storedStatus == OrderStatus.READY)
        && expires.isBefore(now)) {
      return OrderStatus.INVALID;
    }
    return storedStatus;
  }
}
