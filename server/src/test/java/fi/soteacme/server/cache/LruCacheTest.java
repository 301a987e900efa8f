package fi.soteacme.server.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LruCacheTest {
  @Test
  void dropsTheLeastRecentlyUsedBeyondItsCapacity() {
    LruCache<String, Integer> cache = new LruCache<>(2);
    cache.put("a", 1);
    cache.put("b", 2);
    assertEquals(1, cache.get("a")); // a is now more recent than b
    cache.put("c", 3);
    assertEquals(2, cache.size());
    assertEquals(1, cache.get("a"));
    assertNull(cache.get("b"));
    assertEquals(3, cache.get("c"));
  }

  @Test
  void replacingAValueKeepsOneEntry() {
    LruCache<String, Integer> cache = new LruCache<>(2);
    cache.put("a", 1);
    cache.put("a", 2);
    assertEquals(1, cache.size());
    assertEquals(2, cache.get("a"));
  }

  @Test
  void refusesAZeroCapacity() {
    assertThrows(IllegalArgumentException.class, () -> new LruCache<String, String>(0));
  }
}
