package fi.soteacme.client.cli;

import java.io.PrintWriter;

/**
 * Tells a person on a terminal what the command waits for; silent when stderr is no terminal and
 * {@code --verbose} is not given, so that timers and scripts get only the result.
 */
final class Progress {
  private final PrintWriter err;
  private final boolean enabled;
  private final boolean verbose;

  Progress(PrintWriter err, boolean enabled, boolean verbose) {
    this.err = err;
    this.enabled = enabled || verbose;
    this.verbose = verbose;
  }

  void step(String message) {
    if (enabled) {
      err.println(message);
      err.flush();
    }
  }

  void detail(String message) {
    if (verbose) {
      err.println("  " + message);
      err.flush();
    }
  }

  void warn(String message) {
    err.println("warning: " + message);
    err.flush();
  }
}
