package fi.soteacme.client.renewal;

import fi.soteacme.client.RenewalInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to renew, decided from the clock alone so that tests need not wait. With renewal information
 * (RFC 9773) a certificate is due at a random time inside the server's window, chosen once and kept
 * while the window holds it; without, when a third of its lifetime remains.
 */
public final class RenewalScheduler {
  /** The shortest sleep of {@code renew --loop}. */
  public static final Duration MIN_SLEEP = Duration.ofMinutes(1);

  /** The longest sleep of {@code renew --loop}: wake at least this often to re-read everything. */
  public static final Duration MAX_SLEEP = Duration.ofHours(12);

  /** How long renewalInfo stays fresh when the server sends no {@code Retry-After}. */
  public static final Duration DEFAULT_ARI_RECHECK = Duration.ofHours(6);

  /** The first delay after a failed renewal; it doubles per failure. */
  public static final Duration BACKOFF_BASE = Duration.ofMinutes(5);

  /** The longest delay after failures. */
  public static final Duration BACKOFF_MAX = Duration.ofDays(1);

  private final Clock clock;
  private final RandomGenerator random;

  /**
   * Creates a scheduler.
   *
   * @param clock the clock (injected in tests)
   * @param random the random source for window times and jitter
   */
  public RenewalScheduler(Clock clock, RandomGenerator random) {
    this.clock = Objects.requireNonNull(clock);
    this.random = Objects.requireNonNull(random);
  }

  /**
   * Returns now.
   *
   * @return the clock's instant
   */
  public Instant now() {
    return clock.instant();
  }

  /**
   * Returns when a certificate without renewal information is due: when a third of its lifetime
   * remains.
   *
   * @param notBefore start of validity
   * @param notAfter end of validity
   * @return the due time
   */
  public static Instant lifetimeDue(Instant notBefore, Instant notAfter) {
    Duration lifetime = Duration.between(notBefore, notAfter);
    return notAfter.minus(lifetime.dividedBy(3));
  }

  /**
   * Chooses the renewal time for a window: the previous choice while it lies inside the window,
   * else a new uniformly random time in it (RFC 9773 §4.2). A window that has ended, or one that
   * begins in the past (a revoked certificate, an incident), makes the time now at the latest.
   *
   * @param info the renewal information
   * @param previous the time chosen before, if any
   * @return the renewal time
   */
  public Instant chooseRenewalTime(RenewalInfo info, Optional<Instant> previous) {
    Instant now = now();
    if (previous.isPresent()
        && !previous.get().isBefore(info.windowStart())
        && !previous.get().isAfter(info.windowEnd())) {
      return previous.get();
    }
    if (!info.windowEnd().isAfter(now)) {
      return now;
    }
    Instant chosen = info.randomTimeInWindow(random);
    return chosen;
  }

  /**
   * Returns when to ask renewalInfo again.
   *
   * @param info the renewal information just fetched
   * @return its {@code Retry-After}, else now plus {@link #DEFAULT_ARI_RECHECK}, never before a
   *     minute from now
   */
  public Instant nextAriCheck(RenewalInfo info) {
    Instant now = now();
    Instant at = info.retryAfter() == null ? now.plus(DEFAULT_ARI_RECHECK) : info.retryAfter();
    return at.isBefore(now.plus(MIN_SLEEP)) ? now.plus(MIN_SLEEP) : at;
  }

  /**
   * Tells whether a time has come.
   *
   * @param due the due time
   * @return {@code true} if now is at or after it
   */
  public boolean isDue(Instant due) {
    return !now().isBefore(due);
  }

  /**
   * Returns when to try again after consecutive failures: {@link #BACKOFF_BASE} doubled per
   * failure, at most {@link #BACKOFF_MAX}, with up to 20% random jitter so that clients that failed
   * together do not retry together.
   *
   * @param failures the number of consecutive failures (1 after the first)
   * @return the earliest time of the next attempt
   */
  public Instant nextAttemptAfterFailure(int failures) {
    Duration delay = BACKOFF_BASE;
    for (int i = 1; i < failures && delay.compareTo(BACKOFF_MAX) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    if (delay.compareTo(BACKOFF_MAX) > 0) {
      delay = BACKOFF_MAX;
    }
    return now().plus(delay).plus(jitter(delay));
  }

  /**
   * Returns how long {@code renew --loop} sleeps: until the earliest of the given times, plus
   * jitter, at least {@link #MIN_SLEEP} and at most {@link #MAX_SLEEP}.
   *
   * @param wakeTimes the due times, ARI re-checks and retry times of every certificate
   * @return the sleep
   */
  public Duration sleepUntilNext(Collection<Instant> wakeTimes) {
    Instant now = now();
    Duration sleep =
        wakeTimes.stream()
            .min(Instant::compareTo)
            .map(t -> Duration.between(now, t))
            .orElse(MAX_SLEEP);
    if (sleep.compareTo(MAX_SLEEP) > 0) {
      sleep = MAX_SLEEP;
    }
    sleep = sleep.plus(jitter(sleep));
    if (sleep.compareTo(MIN_SLEEP) < 0) {
      sleep = MIN_SLEEP;
    }
    return sleep.compareTo(MAX_SLEEP.plus(MAX_SLEEP.dividedBy(5))) > 0 ? MAX_SLEEP : sleep;
  }

  private Duration jitter(Duration base) {
    long max = Math.max(1, base.toMillis() / 5);
    return Duration.ofMillis(random.nextLong(max));
  }
}
