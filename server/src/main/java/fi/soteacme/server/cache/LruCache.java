package fi.soteacme.server.cache;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map of at most {@code capacity} entries that drops the least recently used one first; safe to
 * share between event loops (each call holds the lock only for the map operation). The server's
 * memory stays bounded however many keys or serials it sees.
 */
public final class LruCache<K, V> {
  private final LinkedHashMap<K, V> entries;

  public LruCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    entries =
        new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The value, now the most recently used; null if absent. */
  public synchronized V get(K key) {
    return entries.get(key);
  }

  public synchronized void put(K key, V value) {
    entries.put(key, value);
  }

  public synchronized int size() {
    return entries.size();
  }
}
