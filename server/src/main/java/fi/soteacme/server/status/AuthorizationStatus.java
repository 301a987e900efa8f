package fi.soteacme.server.status;

import java.util.Set;

/** RFC 8555 §7.1.6, authorization objects. */
public enum AuthorizationStatus {
  PENDING,
  VALID,
  INVALID,
  DEACTIVATED,
  EXPIRED,
  REVOKED;

  /** True when the RFC's diagram has an arrow from this state to {@code next}. */
  public boolean canBecome(AuthorizationStatus next) {
    return switch (this) {
      case PENDING -> next != PENDING;
      case VALID -> Set.of(EXPIRED, DEACTIVATED, REVOKED).contains(next);
      case INVALID, DEACTIVATED, EXPIRED, REVOKED -> false;
    };
  }

  public String wire() {
    return name().toLowerCase();
  }

  public static AuthorizationStatus of(String wire) {
    return valueOf(wire.toUpperCase());
  }
}
