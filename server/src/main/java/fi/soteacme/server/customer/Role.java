package fi.soteacme.server.customer;

/** How an ACME account acts for a customer account (kanta-extension.md). */
public enum Role {
  /** The organisation's own people or systems: may order every profile. */
  MEMBER,
  /** A technical partner such as a hosting provider: server profiles only. */
  PARTNER;

  public String wire() {
    return name().toLowerCase();
  }

  public static Role of(String wire) {
    try {
      return valueOf(wire.toUpperCase());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("role must be member or partner, not " + wire);
    }
  }
}
