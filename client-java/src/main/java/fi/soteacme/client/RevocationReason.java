package fi.soteacme.client;

/** CRL reason codes (RFC 5280 §5.3.1) that a client may give when revoking. */
public enum RevocationReason {
  /** 0: no reason given. */
  UNSPECIFIED(0),
  /** 1: the private key is, or may be, known to someone else; blocks the key for good. */
  KEY_COMPROMISE(1),
  /** 3: the organisation or name in the certificate changed. */
  AFFILIATION_CHANGED(3),
  /** 4: replaced by a newer certificate. */
  SUPERSEDED(4),
  /** 5: the service is no longer run. */
  CESSATION_OF_OPERATION(5);

  private final int code;

  RevocationReason(int code) {
    this.code = code;
  }

  /**
   * Returns the reason code on the wire.
   *
   * @return the RFC 5280 code
   */
  public int code() {
    return code;
  }

  /**
   * Parses a reason given as a code or a name (certbot's spelling, e.g. {@code keycompromise}).
   *
   * @param text a number, or a name in any case, with or without separators
   * @return the reason
   * @throws IllegalArgumentException if unknown
   */
  public static RevocationReason parse(String text) {
    String t = text.trim().replaceAll("[-_ ]", "").toLowerCase(java.util.Locale.ROOT);
    for (RevocationReason r : values()) {
      if (t.equals(Integer.toString(r.code))
          || t.equals(r.name().replace("_", "").toLowerCase(java.util.Locale.ROOT))) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "Unknown revocation reason '"
            + text
            + "'; use unspecified, keycompromise, affiliationchanged, superseded or"
            + " cessationofoperation");
  }
}
