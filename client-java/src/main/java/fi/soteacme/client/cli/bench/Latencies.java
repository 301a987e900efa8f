package fi.soteacme.client.cli.bench;

import java.time.Duration;
import java.util.Arrays;

/**
 * The latencies of one step, in nanoseconds, with nearest-rank percentiles. Thread-safe: every
 * simulated client records into the same instance.
 */
public final class Latencies {
  private long[] samples = new long[1024];
  private int size;

  /**
   * Records one latency.
   *
   * @param nanos the duration in nanoseconds
   */
  public synchronized void record(long nanos) {
    if (size == samples.length) {
      samples = Arrays.copyOf(samples, size * 2);
    }
    samples[size++] = nanos;
  }

  /**
   * Returns how many latencies were recorded.
   *
   * @return the count
   */
  public synchronized int count() {
    return size;
  }

  /**
   * Returns the nearest-rank percentile: the smallest recorded value such that at least {@code p}
   * percent of the values are at or below it.
   *
   * @param p the percentile, 0 &lt; p &lt;= 100
   * @return the value, or {@link Duration#ZERO} when nothing was recorded
   */
  public synchronized Duration percentile(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
    }
    if (size == 0) {
      return Duration.ZERO;
    }
    long[] sorted = Arrays.copyOf(samples, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * size);
    return Duration.ofNanos(sorted[Math.max(rank, 1) - 1]);
  }

  /**
   * Returns the mean.
   *
   * @return the mean, or {@link Duration#ZERO} when nothing was recorded
   */
  public synchronized Duration mean() {
    if (size == 0) {
      return Duration.ZERO;
    }
    long sum = 0;
    for (int i = 0; i < size; i++) {
      sum += samples[i];
    }
    return Duration.ofNanos(sum / size);
  }
}
