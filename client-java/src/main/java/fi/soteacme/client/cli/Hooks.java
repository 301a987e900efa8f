package fi.soteacme.client.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs hook commands ({@code --deploy-hook}, {@code --dns-hook}) through {@code /bin/sh -c}. */
final class Hooks {
  private static final long TIMEOUT_MINUTES = 10;

  private Hooks() {}

  /**
   * Runs a command and waits for it.
   *
   * @param command the shell command
   * @param env variables added to the environment
   * @param progress where its output goes
   * @throws IOException if it cannot start, fails or runs too long
   */
  static void run(String command, Map<String, String> env, Progress progress) throws IOException {
    // Output goes to a file, not a pipe: a hook that leaves a child holding the pipe open must
    // not keep us from noticing the timeout.
    Path log = Files.createTempFile("sote-acme-hook", ".log");
    String output;
    try {
      ProcessBuilder pb =
          new ProcessBuilder("/bin/sh", "-c", command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.environment().putAll(env);
      Process p = pb.start();
      try {
        if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw new IOException("Hook timed out after " + TIMEOUT_MINUTES + " min: " + command);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("Interrupted while running hook: " + command, e);
      }
      output = Files.readString(log, StandardCharsets.UTF_8);
      if (!output.isBlank()) {
        progress.detail("hook output: " + output.strip());
      }
      if (p.exitValue() != 0) {
        throw new IOException("Hook exited with " + p.exitValue() + ": " + command);
      }
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
