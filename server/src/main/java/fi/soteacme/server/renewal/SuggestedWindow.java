package fi.soteacme.server.renewal;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * An RFC 9773 §4.2 suggested renewal window, {@code start < end} always.
 *
 * <p>The rules (protocol-docs/renewal.md), with the lifetime counted as RFC 5280 counts it, {@code
 * L = notAfter - notBefore + 1 s}, in whole seconds (fractions of a second dropped, divisions
 * rounded down):
 *
 * <ul>
 *   <li>Normal: {@code start = notBefore + 2L/3}, {@code end = notAfter - 14 days}: the last third
 *       of the lifetime, ending 14 days before expiry. For a 365-day certificate that is from
 *       notBefore + 243 d 8 h to notAfter - 14 d.
 *   <li>Short lifetimes (about 42 days or less, where {@code notAfter - 14 days} would not be after
 *       the start): {@code end = notBefore + 5L/6}, the middle of the last third; and never less
 *       than one second after the start.
 *   <li>Renew at once (revoked, or marked by an operator, at {@code t}, the earlier of the two):
 *       {@code start = t - 1 hour}, {@code end = t - 30 minutes}. The whole window lies in the past
 *       from the moment of marking, so RFC 9773 §4.2 clients renew immediately; it depends only on
 *       {@code t}, so every answer for the certificate is the same.
 * </ul>
 */
public record SuggestedWindow(Instant start, Instant end) {
  /** The normal window ends at least this long before notAfter. */
  public static final Duration MARGIN_BEFORE_EXPIRY = Duration.ofDays(14);

  public SuggestedWindow {
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("a window starts before it ends: " + start + ", " + end);
    }
  }

  /** The window of a certificate that nobody asked to renew early. */
  public static SuggestedWindow normal(Instant notBeforeExact, Instant notAfterExact) {
    Instant notBefore = notBeforeExact.truncatedTo(ChronoUnit.SECONDS);
    Instant notAfter = notAfterExact.truncatedTo(ChronoUnit.SECONDS);
    // RFC 5280 counts both ends: a 365-day certificate ends at notBefore + 365 days - 1 s.
    long lifetime = Math.max(0, Duration.between(notBefore, notAfter).getSeconds() + 1);
    Instant start = notBefore.plusSeconds(lifetime * 2 / 3);
    Instant end = notAfter.minus(MARGIN_BEFORE_EXPIRY);
    if (!end.isAfter(start)) {
      end = notBefore.plusSeconds(lifetime * 5 / 6);
    }
    if (!end.isAfter(start)) {
      end = start.plusSeconds(1);
    }
    return new SuggestedWindow(start, end);
  }

  /** The window of a certificate revoked or marked for early renewal at {@code at}. */
  public static SuggestedWindow immediate(Instant atExact) {
    Instant at = atExact.truncatedTo(ChronoUnit.SECONDS);
    return new SuggestedWindow(at.minus(Duration.ofHours(1)), at.minus(Duration.ofMinutes(30)));
  }
}
