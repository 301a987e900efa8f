package fi.soteacme.client.renewal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.client.RenewalInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RenewalSchedulerTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  private static RenewalScheduler at(Instant now, long seed) {
    return new RenewalScheduler(Clock.fixed(now, ZoneOffset.UTC), new Random(seed));
  }

  private static RenewalInfo window(String start, String end, Instant retryAfter) {
    return new RenewalInfo(Instant.parse(start), Instant.parse(end), null, retryAfter);
  }

  @Test
  void withoutAriTheCertificateIsDueWhenAThirdOfItsLifetimeRemains() {
    Instant notBefore = Instant.parse("2026-01-01T00:00:00Z");
    Instant notAfter = notBefore.plus(Duration.ofDays(90));
    Instant due = RenewalScheduler.lifetimeDue(notBefore, notAfter);
    assertEquals(notBefore.plus(Duration.ofDays(60)), due);
    assertFalse(at(due.minusSeconds(1), 1).isDue(due));
    assertTrue(at(due, 1).isDue(due));
  }

  @Test
  void aChosenTimeIsInsideTheWindowAndKeptWhileTheWindowHoldsIt() {
    RenewalInfo info = window("2026-07-01T00:00:00Z", "2026-07-03T00:00:00Z", null);
    Instant chosen = at(NOW, 7).chooseRenewalTime(info, Optional.empty());
    assertFalse(chosen.isBefore(info.windowStart()));
    assertFalse(chosen.isAfter(info.windowEnd()));
    assertEquals(chosen, at(NOW, 99).chooseRenewalTime(info, Optional.of(chosen)));
    assertNotEquals(
        at(NOW, 1).chooseRenewalTime(info, Optional.empty()),
        at(NOW, 2).chooseRenewalTime(info, Optional.empty()),
        "different clients spread out");
  }

  @Test
  void aMovedWindowGetsANewTime() {
    RenewalInfo old = window("2026-07-01T00:00:00Z", "2026-07-03T00:00:00Z", null);
    Instant chosen = at(NOW, 7).chooseRenewalTime(old, Optional.empty());
    // Revocation: the window now starts in the past and ends soon.
    RenewalInfo moved = window("2026-05-01T00:00:00Z", "2026-06-01T13:00:00Z", null);
    Instant again = at(NOW, 7).chooseRenewalTime(moved, Optional.of(chosen));
    assertTrue(!again.isAfter(moved.windowEnd()) && !again.isBefore(moved.windowStart()));
    // A window that has ended entirely: renew now.
    RenewalInfo past = window("2026-05-01T00:00:00Z", "2026-05-02T00:00:00Z", null);
    assertEquals(NOW, at(NOW, 7).chooseRenewalTime(past, Optional.of(chosen)));
  }

  @Test
  void ariIsAskedAgainAtRetryAfterOrAfterSixHours() {
    RenewalScheduler s = at(NOW, 1);
    RenewalInfo withRetry =
        window("2026-07-01T00:00:00Z", "2026-07-03T00:00:00Z", NOW.plusSeconds(3600));
    assertEquals(NOW.plusSeconds(3600), s.nextAriCheck(withRetry));
    RenewalInfo without = window("2026-07-01T00:00:00Z", "2026-07-03T00:00:00Z", null);
    assertEquals(NOW.plus(Duration.ofHours(6)), s.nextAriCheck(without));
    RenewalInfo tooSoon =
        window("2026-07-01T00:00:00Z", "2026-07-03T00:00:00Z", NOW.plusSeconds(1));
    assertEquals(NOW.plus(RenewalScheduler.MIN_SLEEP), s.nextAriCheck(tooSoon));
  }

  @Test
  void failuresBackOffExponentiallyWithJitterUpToADay() {
    RenewalScheduler s = at(NOW, 3);
    Duration first = Duration.between(NOW, s.nextAttemptAfterFailure(1));
    Duration third = Duration.between(NOW, s.nextAttemptAfterFailure(3));
    Duration many = Duration.between(NOW, s.nextAttemptAfterFailure(40));
    assertTrue(
        first.compareTo(Duration.ofMinutes(5)) >= 0 && first.compareTo(Duration.ofMinutes(6)) <= 0,
        first.toString());
    assertTrue(
        third.compareTo(Duration.ofMinutes(20)) >= 0
            && third.compareTo(Duration.ofMinutes(24)) <= 0,
        third.toString());
    assertTrue(
        many.compareTo(Duration.ofDays(1)) >= 0 && many.compareTo(Duration.ofHours(29)) <= 0,
        many.toString());
  }

  @Test
  void theLoopSleepsUntilTheEarliestTimeWithJitterWithinBounds() {
    RenewalScheduler s = at(NOW, 5);
    Duration sleep =
        s.sleepUntilNext(List.of(NOW.plus(Duration.ofHours(2)), NOW.plus(Duration.ofDays(3))));
    assertTrue(
        sleep.compareTo(Duration.ofHours(2)) >= 0 && sleep.compareTo(Duration.ofMinutes(144)) <= 0,
        sleep.toString());
    assertEquals(RenewalScheduler.MIN_SLEEP, s.sleepUntilNext(List.of(NOW.minusSeconds(10))));
    Duration idle = s.sleepUntilNext(List.of());
    assertTrue(
        idle.compareTo(RenewalScheduler.MAX_SLEEP) >= 0
            && idle.compareTo(Duration.ofMinutes(864)) <= 0,
        idle.toString());
  }
}
