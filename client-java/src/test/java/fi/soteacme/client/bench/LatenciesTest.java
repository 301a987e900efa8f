package fi.soteacme.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fi.soteacme.client.cli.bench.Latencies;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatenciesTest {
  @Test
  void nearestRankPercentilesOfOneToHundred() {
    Latencies l = new Latencies();
    for (int i = 100; i >= 1; i--) {
      l.record(Duration.ofMillis(i).toNanos());
    }
    assertEquals(100, l.count());
    assertEquals(Duration.ofMillis(50), l.percentile(50));
    assertEquals(Duration.ofMillis(90), l.percentile(90));
    assertEquals(Duration.ofMillis(99), l.percentile(99));
    assertEquals(Duration.ofMillis(100), l.percentile(100));
    assertEquals(Duration.ofNanos(50_500_000), l.mean());
  }

  @Test
  void smallSamplesRoundTheRankUp() {
    Latencies l = new Latencies();
    l.record(10);
    l.record(30);
    l.record(20);
    assertEquals(Duration.ofNanos(20), l.percentile(50));
    assertEquals(Duration.ofNanos(30), l.percentile(90));
    assertEquals(Duration.ofNanos(30), l.percentile(99));
    assertEquals(Duration.ofNanos(10), l.percentile(1));
  }

  @Test
  void growsBeyondItsFirstArray() {
    Latencies l = new Latencies();
    for (int i = 1; i <= 5000; i++) {
      l.record(i);
    }
    assertEquals(5000, l.count());
    assertEquals(Duration.ofNanos(4950), l.percentile(99));
  }

  @Test
  void emptyIsZeroAndBadPercentilesAreRefused() {
    Latencies l = new Latencies();
    assertEquals(Duration.ZERO, l.percentile(99));
    assertEquals(Duration.ZERO, l.mean());
    assertThrows(IllegalArgumentException.class, () -> l.percentile(0));
    assertThrows(IllegalArgumentException.class, () -> l.percentile(101));
  }
}
