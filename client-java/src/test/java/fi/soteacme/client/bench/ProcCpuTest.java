package fi.soteacme.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.client.cli.bench.ProcCpu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcCpuTest {
  @TempDir Path proc;

  /** A stat line as Linux writes it: pid (comm) state ppid ... utime stime cutime cstime ... */
  private static String line(
      long pid, String comm, long ppid, long ut, long st, long cut, long cst) {
    return pid
        + " ("
        + comm
        + ") S "
        + ppid
        + " 10 10 0 -1 4194304 500 0 0 0 "
        + ut
        + " "
        + st
        + " "
        + cut
        + " "
        + cst
        + " 20 0 1 0 12345 1000000 200 18446744073709551615 0 0 0 0 0 0\n";
  }

  private void write(long pid, String stat) throws IOException {
    Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
    Files.writeString(dir.resolve("stat"), stat);
  }

  @Test
  void parsesTheFieldsAfterTheCommandName() {
    ProcCpu.Stat s = ProcCpu.Stat.parse(line(4242, "java", 1, 1500, 250, 7, 3));
    assertEquals(4242, s.pid());
    assertEquals("java", s.comm());
    assertEquals(1, s.ppid());
    assertEquals(1500, s.utime());
    assertEquals(250, s.stime());
    assertEquals(7, s.cutime());
    assertEquals(3, s.cstime());
  }

  @Test
  void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
    ProcCpu.Stat s = ProcCpu.Stat.parse(line(77, "a) b (c", 5, 11, 22, 0, 0));
    assertEquals("a) b (c", s.comm());
    assertEquals(5, s.ppid());
    assertEquals(11, s.utime());
    assertEquals(22, s.stime());
  }

  @Test
  void readsTheRealProcOfThisProcess() throws IOException {
    ProcCpu.Stat s = new ProcCpu(Path.of("/proc"), 100).stat(ProcessHandle.current().pid());
    assertEquals(ProcessHandle.current().pid(), s.pid());
    assertTrue(s.utime() + s.stime() > 0, "this JVM has used some CPU");
  }

  @Test
  void aServerCountsOnlyItsOwnTime() throws IOException {
    write(100, line(100, "java", 1, 300, 100, 999, 999));
    write(101, line(101, "java", 100, 50, 50, 0, 0));
    assertEquals(4.0, new ProcCpu(proc, 100).secondsOf("server", 100), 1e-9);
  }

  @Test
  void postgresCountsThePostmasterItsReapedChildrenAndItsLivePostgresChildren() throws IOException {
    write(200, line(200, "postgres", 1, 100, 50, 30, 20));
    write(201, line(201, "postgres", 200, 400, 100, 0, 0));
    write(202, line(202, "postgres", 200, 40, 10, 0, 0));
    write(203, line(203, "sh", 200, 1000, 1000, 0, 0));
    write(300, line(300, "postgres", 1, 5000, 5000, 0, 0));
    write(301, line(301, "postgres", 300, 5000, 5000, 0, 0));
    // 100 + 50 + 30 + 20 + 400 + 100 + 40 + 10 = 750 ticks
    assertEquals(7.5, new ProcCpu(proc, 100).secondsOf("postgres", 200), 1e-9);
  }

  @Test
  void aMissingProcessIsAnError() {
    assertThrows(IOException.class, () -> new ProcCpu(proc, 100).seconds(999));
  }
}
