package fi.soteacme.server.status;

import java.util.Set;

/** RFC 8555 §7.1.6, order objects: the states and the transitions the RFC draws between them. */
public enum OrderStatus {
  PENDING,
  READY,
  PROCESSING,
  VALID,
  INVALID;

  /** True when the RFC's diagram has an arrow from this state to {@code next}. */
  public boolean canBecome(OrderStatus next) {
    return switch (this) {
      case PENDING -> Set.of(READY, INVALID).contains(next);
      case READY -> Set.of(PROCESSING, INVALID).contains(next);
      case PROCESSING -> Set.of(VALID, INVALID).contains(next);
      case VALID, INVALID -> false;
    };
  }

  public String wire() {
    return name().toLowerCase();
  }

  public static OrderStatus of(String wire) {
    return valueOf(wire.toUpperCase());
  }
}
