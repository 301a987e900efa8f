package fi.soteacme.server.issuance;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * The certificate profiles of draft-ietf-acme-profiles that this CA offers ({@code meta.profiles}).
 * Test profiles are issued by the separate test hierarchy.
 */
public enum Profile {
  SERVER(
      "sote-server",
      false,
      false,
      365,
      "Server certificate for a Kanta access point: TLS server and client authentication, dns"
          + " names only, at most 365 days."),
  SERVER_TEST(
      "sote-server-test",
      true,
      false,
      365,
      "Test server certificate from the TEST hierarchy: TLS server and client authentication, dns"
          + " names only, at most 365 days."),
  SYSTEM_SIGNATURE(
      "sote-system-signature",
      false,
      true,
      730,
      "System signature certificate for signing documents (id-kp-documentSigning), named after the"
          + " system, at most 730 days."),
  SYSTEM_SIGNATURE_TEST(
      "sote-system-signature-test",
      true,
      true,
      730,
      "Test system signature certificate from the TEST hierarchy (id-kp-documentSigning), at most"
          + " 730 days.");

  /** The profile of an order that names none. */
  public static final Profile DEFAULT = SERVER;

  private final String id;
  private final boolean test;
  private final boolean systemSignature;
  private final Duration maxValidity;
  private final String description;

  Profile(String id, boolean test, boolean systemSignature, int maxDays, String description) {
    this.id = id;
    this.test = test;
    this.systemSignature = systemSignature;
    this.maxValidity = Duration.ofDays(maxDays);
    this.description = description;
  }

  /** The profile name on the wire, e.g. {@code sote-server}. */
  public String id() {
    return id;
  }

  /** Whether the test hierarchy issues this profile. */
  public boolean isTest() {
    return test;
  }

  /** Whether this is a system signature profile (otherwise a server profile). */
  public boolean isSystemSignature() {
    return systemSignature;
  }

  /**
   * The longest validity, counted as RFC 5280 counts it (both ends included): {@code notAfter -
   * notBefore + 1 s} must not exceed it.
   */
  public Duration maxValidity() {
    return maxValidity;
  }

  /** Human-readable text for the directory's {@code meta.profiles}. */
  public String description() {
    return description;
  }

  /**
   * Whether a certificate valid from {@code notBefore} to {@code notAfter} (both inclusive) is
   * within this profile's cap and not backwards.
   */
  public boolean permitsValidity(Instant notBefore, Instant notAfter) {
    if (notAfter.isBefore(notBefore)) {
      return false;
    }
    return validityOf(notBefore, notAfter).compareTo(maxValidity) <= 0;
  }

  /** The validity period as RFC 5280 counts it: {@code notAfter - notBefore + 1 s}. */
  public static Duration validityOf(Instant notBefore, Instant notAfter) {
    return Duration.between(notBefore, notAfter).plusSeconds(1);
  }

  /** The profile with the given wire name, if any. */
  public static Optional<Profile> byId(String id) {
    return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst();
  }
}
