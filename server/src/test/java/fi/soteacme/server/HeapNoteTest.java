package fi.soteacme.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The start-up line that names the heap limit, and says how to set one when none was. */
class HeapNoteTest {
  @Test
  void anExplicitLimitIsOnlyNamed() {
    assertEquals("160 MB", Main.heapNote(List.of("-Xss512k", "-Xmx160m"), 160L << 20));
    assertEquals("256 MB", Main.heapNote(List.of("-XX:MaxRAM=1g"), 256L << 20));
    assertEquals("128 MB", Main.heapNote(List.of("-XX:MaxHeapSize=128m"), 128L << 20));
  }

  @Test
  void theJvmDefaultComesWithTheRecommendedOptions() {
    String note = Main.heapNote(List.of("-Dfile.encoding=UTF-8"), 6L << 30);
    assertTrue(note.startsWith("6144 MB (the JVM's default"), note);
    assertTrue(note.contains("-Xmx112m"), note);
    assertTrue(note.contains("MALLOC_ARENA_MAX=2"), note);
    assertTrue(note.contains("-XX:+UseSerialGC"), note);
  }
}
