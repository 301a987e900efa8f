package fi.soteacme.server.it.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a real ACME client (certbot, lego, openssl) as a child process: loopback only, bounded in
 * time, its output kept and shown when it fails.
 */
final class ExternalClient {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  /** What a finished process said. */
  record Result(int exitCode, String output) {}

  private final String program;
  private final Map<String, String> environment;

  private ExternalClient(String program, Map<String, String> environment) {
    this.program = program;
    this.environment = environment;
  }

  /**
   * The client {@code program} from PATH. Absent, the test is skipped, unless {@code
   * SOTE_ACME_REQUIRE_INTEROP=1} (as {@code .ci/run} sets), where it fails.
   */
  static ExternalClient require(String program, Map<String, String> environment) {
    if (onPath(program) == null) {
      if ("1".equals(System.getenv("SOTE_ACME_REQUIRE_INTEROP"))) {
        fail(program + " is not on PATH, and SOTE_ACME_REQUIRE_INTEROP=1 requires it");
      }
      Assumptions.abort(program + " is not on PATH: interoperability test skipped");
    }
    return new ExternalClient(program, environment);
  }

  private static Path onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** Runs the program with {@code args}; fails the test unless it exits 0. */
  Result runOk(String... args) throws Exception {
    Result result = run(args);
    if (result.exitCode() != 0) {
      fail(
          program
              + " "
              + String.join(" ", args)
              + " exited "
              + result.exitCode()
              + ":\n"
              + result.output());
    }
    return result;
  }

  /** Runs the program with {@code args} and returns its exit code and combined output. */
  Result run(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(program);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Path log = Files.createTempFile("sote-acme-" + program, ".log");
    builder.redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    // Only loopback: no proxy may route a request elsewhere.
    for (String proxy :
        List.of(
            "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy")) {
      env.remove(proxy);
    }
    env.put("NO_PROXY", "*");
    env.put("no_proxy", "*");
    env.putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close();
    boolean finished = process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (!finished) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    if (!finished) {
      fail(
          program
              + " "
              + String.join(" ", args)
              + " did not finish in "
              + TIMEOUT.toSeconds()
              + " s:\n"
              + output);
    }
    return new Result(process.exitValue(), output);
  }

  /** A TCP port on 127.0.0.1 that nothing listens on now, for a client's own challenge server. */
  static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  /**
   * {@code openssl verify} of {@code leaf} against {@code root}, with {@code intermediates} as
   * untrusted chain; fails the test with openssl's words unless it says OK.
   */
  static void opensslVerify(Path root, Path intermediates, Path leaf) throws Exception {
    ExternalClient openssl = require("openssl", Map.of());
    openssl.runOk(
        "verify",
        "-CAfile",
        root.toString(),
        "-untrusted",
        intermediates.toString(),
        leaf.toString());
  }
}
