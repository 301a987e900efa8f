package fi.soteacme.server.renewal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SuggestedWindowTest {
  private static final Instant NB = Instant.parse("2026-01-01T00:00:00Z");

  /** notAfter as RFC 5280 counts validity: both ends included. */
  private static Instant notAfter(Duration validity) {
    return NB.plus(validity).minusSeconds(1);
  }

  @Test
  void yearLongCertificateRenewsInItsLastThirdUntil14DaysBeforeExpiry() {
    Instant na = notAfter(Duration.ofDays(365));
    SuggestedWindow w = SuggestedWindow.normal(NB, na);
    // L = 31,536,000 s; 2L/3 = 21,024,000 s = 243 d 8 h.
    assertEquals(NB.plusSeconds(21_024_000), w.start());
    assertEquals(Instant.parse("2026-09-01T08:00:00Z"), w.start());
    assertEquals(na.minus(Duration.ofDays(14)), w.end());
    assertEquals(Instant.parse("2026-12-17T23:59:59Z"), w.end());
    assertTrue(Duration.between(NB, w.start()).compareTo(Duration.ofDays(243)) > 0);
  }

  @Test
  void twoYearCertificateRenewsInItsLastThirdUntil14DaysBeforeExpiry() {
    Instant na = notAfter(Duration.ofDays(730));
    SuggestedWindow w = SuggestedWindow.normal(NB, na);
    // L = 63,072,000 s; 2L/3 = 42,048,000 s = 486 d 16 h.
    assertEquals(NB.plusSeconds(42_048_000), w.start());
    assertEquals(Instant.parse("2027-05-02T16:00:00Z"), w.start());
    assertEquals(Instant.parse("2027-12-17T23:59:59Z"), w.end());
  }

  @Test
  void shortLifetimesEndInTheMiddleOfTheLastThird() {
    SuggestedWindow thirty = SuggestedWindow.normal(NB, notAfter(Duration.ofDays(30)));
    assertEquals(NB.plus(Duration.ofDays(20)), thirty.start());
    assertEquals(NB.plus(Duration.ofDays(25)), thirty.end());
    // 42 days: notAfter - 14 d is 1 s before the start, so the short rule applies.
    SuggestedWindow fortyTwo = SuggestedWindow.normal(NB, notAfter(Duration.ofDays(42)));
    assertEquals(NB.plus(Duration.ofDays(28)), fortyTwo.start());
    assertEquals(NB.plus(Duration.ofDays(35)), fortyTwo.end());
    // 43 days: the normal rule again.
    SuggestedWindow fortyThree = SuggestedWindow.normal(NB, notAfter(Duration.ofDays(43)));
    assertEquals(NB.plus(Duration.ofDays(28)).plus(Duration.ofHours(16)), fortyThree.start());
    assertEquals(notAfter(Duration.ofDays(29)), fortyThree.end());
    assertTrue(fortyThree.start().isBefore(fortyThree.end()));
  }

  @Test
  void degenerateLifetimesStillStartBeforeTheyEnd() {
    for (long seconds : new long[] {-5, 0, 1, 2, 3, 5, 6, 7, 3600}) {
      SuggestedWindow w = SuggestedWindow.normal(NB, NB.plusSeconds(seconds));
      assertTrue(w.start().isBefore(w.end()), seconds + " s: " + w);
    }
    assertEquals(NB.plusSeconds(3), SuggestedWindow.normal(NB, NB.plusSeconds(3)).end());
  }

  @Test
  void subSecondStoredTimesGiveWholeSeconds() {
    SuggestedWindow w =
        SuggestedWindow.normal(NB.plusMillis(999), notAfter(Duration.ofDays(365)).plusMillis(999));
    assertEquals(NB.plusSeconds(21_024_000), w.start());
  }

  @Test
  void immediateWindowLiesInThePastFromTheMark() {
    Instant marked = Instant.parse("2026-11-29T10:15:30.123456Z");
    SuggestedWindow w = SuggestedWindow.immediate(marked);
    assertEquals(Instant.parse("2026-11-29T09:15:30Z"), w.start());
    assertEquals(Instant.parse("2026-11-29T09:45:30Z"), w.end());
    assertTrue(w.end().isBefore(marked));
  }
}
