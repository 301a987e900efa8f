package fi.soteacme.client.cli.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time of processes from Linux's {@code /proc}: utime + stime of {@code /proc/<pid>/stat}. For
 * a PostgreSQL postmaster the backends count too: every {@code postgres} process whose parent is
 * the postmaster, and, through the postmaster's cutime + cstime, the backends that have exited.
 */
public final class ProcCpu {
  private final Path proc;
  private final long ticksPerSecond;

  /**
   * Reads a {@code /proc} tree.
   *
   * @param proc usually {@code /proc}
   * @param ticksPerSecond {@code getconf CLK_TCK}, 100 on Linux
   */
  public ProcCpu(Path proc, long ticksPerSecond) {
    this.proc = proc;
    this.ticksPerSecond = ticksPerSecond;
  }

  /** The fields of {@code /proc/<pid>/stat} this class reads. */
  public record Stat(
      long pid, String comm, long ppid, long utime, long stime, long cutime, long cstime) {
    /**
     * Parses one {@code stat} line. The command name is in parentheses and may itself contain
     * spaces and parentheses, so the fields after it are counted from the last {@code ')'}.
     *
     * @param line the file's content
     * @return the fields
     */
    public static Stat parse(String line) {
      int open = line.indexOf('(');
      int close = line.lastIndexOf(')');
      if (open < 0 || close < open) {
        throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line);
      }
      long pid = Long.parseLong(line.substring(0, open).trim());
      String comm = line.substring(open + 1, close);
      // after ')': state(3) ppid(4) pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
      // utime(14) stime(15) cutime(16) cstime(17)
      String[] f = line.substring(close + 1).trim().split("\\s+");
      return new Stat(
          pid,
          comm,
          Long.parseLong(f[1]),
          Long.parseLong(f[11]),
          Long.parseLong(f[12]),
          Long.parseLong(f[13]),
          Long.parseLong(f[14]));
    }
  }

  /**
   * Reads one process.
   *
   * @param pid the process id
   * @return its stat fields
   * @throws IOException if the process does not exist (any more)
   */
  public Stat stat(long pid) throws IOException {
    return Stat.parse(Files.readString(proc.resolve(Long.toString(pid)).resolve("stat")));
  }

  /**
   * CPU seconds (user + system) of a process so far.
   *
   * @param pid the process id
   * @return the seconds
   * @throws IOException if the process does not exist
   */
  public double seconds(long pid) throws IOException {
    Stat s = stat(pid);
    return (double) (s.utime() + s.stime()) / ticksPerSecond;
  }

  /**
   * CPU seconds of a PostgreSQL postmaster and its server processes: its own utime + stime, its
   * reaped children's cutime + cstime, and the utime + stime of every live {@code postgres} child.
   *
   * @param postmasterPid the postmaster's pid
   * @return the seconds
   * @throws IOException if the postmaster does not exist
   */
  public double postgresSeconds(long postmasterPid) throws IOException {
    Stat master = stat(postmasterPid);
    long ticks = master.utime() + master.stime() + master.cutime() + master.cstime();
    for (Stat child : children(postmasterPid)) {
      if (child.comm().startsWith("postgres")) {
        ticks += child.utime() + child.stime();
      }
    }
    return (double) ticks / ticksPerSecond;
  }

  private List<Stat> children(long parent) throws IOException {
    List<Stat> out = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, "[0-9]*")) {
      for (Path dir : dirs) {
        try {
          Stat s = Stat.parse(Files.readString(dir.resolve("stat")));
          if (s.ppid() == parent) {
            out.add(s);
          }
        } catch (IOException | RuntimeException e) {
          // the process exited between listing and reading; its time is in the parent's cutime
        }
      }
    }
    return out;
  }

  /**
   * CPU seconds of a named process: PostgreSQL postmasters (name starting with {@code postgres} or
   * {@code pg}) with their backends, anything else on its own.
   *
   * @param name the name given on the command line
   * @param pid the pid
   * @return the seconds
   * @throws IOException if the process does not exist
   */
  public double secondsOf(String name, long pid) throws IOException {
    return name.startsWith("postgres") || name.startsWith("pg")
        ? postgresSeconds(pid)
        : seconds(pid);
  }
}
