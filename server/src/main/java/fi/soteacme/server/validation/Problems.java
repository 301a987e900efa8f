package fi.soteacme.server.validation;

import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Turns what went wrong on the network into problems a person can act on: each detail says what was
 * being done, and quotes what came back (escaped and cut to {@value #MAX_QUOTED} characters).
 */
final class Problems {
  static final int MAX_QUOTED = 100;

  private Problems() {}

  /** {@code s} in double quotes, control characters escaped, cut to about 100 characters. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    int shown = Math.min(s.length(), MAX_QUOTED);
    for (int i = 0; i < shown; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
    if (s.length() > shown) {
      out.append("... (").append(s.length()).append(" characters)");
    }
    return out.toString();
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  static String seconds(Duration timeout) {
    long millis = timeout.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  /**
   * The problem for a failed connection, TLS handshake or exchange; {@code action} completes "while
   * ..." (e.g. {@code "fetching http://example.fi/... (192.0.2.1)"}).
   */
  static AcmeProblem network(Throwable failure, String action, Duration timeout) {
    if (failure instanceof AcmeProblem problem) {
      return problem;
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException || t instanceof io.netty.channel.ConnectTimeoutException) {
        return new AcmeProblem(
            ProblemType.CONNECTION,
            "Timeout after " + seconds(timeout) + " while " + action,
            failure);
      }
      if (t instanceof SSLException) {
        return new AcmeProblem(
            ProblemType.TLS, "TLS error while " + action + ": " + message(rootCause(t)), failure);
      }
      if (t instanceof ConnectException) {
        String what =
            String.valueOf(t.getMessage()).contains("refused")
                ? "Connection refused"
                : "Could not connect (" + message(t) + ")";
        return new AcmeProblem(ProblemType.CONNECTION, what + " while " + action, failure);
      }
      if (t instanceof HttpClosedException || t instanceof ClosedChannelException) {
        return new AcmeProblem(
            ProblemType.CONNECTION, "The server closed the connection while " + action, failure);
      }
    }
    return new AcmeProblem(
        ProblemType.CONNECTION, "Network error while " + action + ": " + message(failure), failure);
  }

  /** The innermost cause: Vert.x wraps the JDK's alert ("no_application_protocol") in its own. */
  private static Throwable rootCause(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  private static String message(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
