package fi.soteacme.server.status;

import java.util.Set;

/** RFC 8555 §7.1.6, challenge objects. */
public enum ChallengeStatus {
  PENDING,
  PROCESSING,
  VALID,
  INVALID;

  /** True when the RFC's diagram has an arrow from this state to {@code next}. */
  public boolean canBecome(ChallengeStatus next) {
    return switch (this) {
      case PENDING -> next == PROCESSING;
      case PROCESSING -> Set.of(VALID, INVALID).contains(next);
      case VALID, INVALID -> false;
    };
  }

  public String wire() {
    return name().toLowerCase();
  }

  public static ChallengeStatus of(String wire) {
    return valueOf(wire.toUpperCase());
  }
}
