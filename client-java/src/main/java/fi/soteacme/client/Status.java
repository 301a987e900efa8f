package fi.soteacme.client;

import java.util.Locale;

/** The status of an ACME resource (RFC 8555 §7.1.6). */
public enum Status {
  /** Waiting for the client (authorization, challenge, order). */
  PENDING,
  /** All authorizations are valid; the order can be finalized. */
  READY,
  /** The server is working on it (challenge validation, issuance, a conformity review). */
  PROCESSING,
  /** Done successfully. */
  VALID,
  /** Failed; the resource's {@code error} says why. */
  INVALID,
  /** Revoked by the server or the client. */
  REVOKED,
  /** Deactivated by the client. */
  DEACTIVATED,
  /** Expired before completion. */
  EXPIRED,
  /** A status this client does not know. */
  UNKNOWN;

  /**
   * Parses a status string.
   *
   * @param value the status on the wire, e.g. {@code "pending"}
   * @return the status, {@link #UNKNOWN} if not recognised
   */
  public static Status parse(String value) {
    if (value == null) {
      return UNKNOWN;
    }
    try {
      return valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return UNKNOWN;
    }
  }

  /**
   * Tells whether nothing will change any more without client action.
   *
   * @return {@code true} for valid, invalid, revoked, deactivated and expired
   */
  public boolean isFinal() {
    return this == VALID
        || this == INVALID
        || this == REVOKED
        || this == DEACTIVATED
        || this == EXPIRED;
  }

  /**
   * Returns the status as it appears on the wire.
   *
   * @return the lower-case name
   */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
