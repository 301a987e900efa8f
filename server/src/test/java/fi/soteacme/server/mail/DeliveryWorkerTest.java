package fi.soteacme.server.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeliveryWorkerTest {
  private static final Duration MIN = Duration.ofMinutes(1);
  private static final Duration MAX = Duration.ofHours(1);

  @Test
  void backoffDoublesFromTheMinimum() {
    assertEquals(Duration.ofMinutes(1), DeliveryWorker.backoff(0, MIN, MAX));
    assertEquals(Duration.ofMinutes(2), DeliveryWorker.backoff(1, MIN, MAX));
    assertEquals(Duration.ofMinutes(32), DeliveryWorker.backoff(5, MIN, MAX));
  }

  @Test
  void backoffIsCapped() {
    assertEquals(MAX, DeliveryWorker.backoff(6, MIN, MAX));
    assertEquals(MAX, DeliveryWorker.backoff(1000, MIN, MAX));
  }
}
