package fi.soteacme.client.cli.bench;

import fi.soteacme.client.util.KeyType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sote-acme bench}: a load generator for any RFC 8555 server. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Load generator: N simulated clients, each with its own ES256 account, run newOrder,",
      "authorization, challenge, finalize and download against a directory and report",
      "certificates/s, latency percentiles per step, errors by problem type and, with --pids,",
      "the CPU seconds per certificate of the server processes (from /proc).",
      "The server must validate without a responder: Pebble with PEBBLE_VA_ALWAYS_VALID=1,",
      "sote-acme with validation.skipForTestProfiles and --profile sote-server-test."
    },
    footer = {
      "",
      "Examples:",
      "  sote-acme bench --server https://127.0.0.1:14000/dir --ca-bundle pebble.pem --duration 30s",
      "  sote-acme bench --server https://localhost:8443/directory --ca-bundle data/tls/ca.pem \\",
      "    --profile sote-server-test --eab-endpoint http://127.0.0.1:8444 \\",
      "    --eab-token \"$(cat data/admin-token)\" --pids server=1234,postgres=1300 --json",
      "  two processes behind one public URL, each client alternating (bench/two-process.sh):",
      "  sote-acme bench --server https://localhost:8443/directory \\",
      "    --also-connect localhost:9443 ...",
      "See BENCHMARKS.md."
    })
public final class BenchCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--server", required = true, description = "The directory URL.")
  URI server;

  @Option(names = "--ca-bundle", description = "PEM trust anchors of the server's TLS.")
  Path caBundle;

  @Option(
      names = "--clients",
      defaultValue = "32",
      description = "Concurrent clients (${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--count", description = "Measured certificates (default: --duration).")
  Long count;

  @Option(names = "--duration", description = "Measured time, e.g. 60s, 2m (default 60s).")
  String duration;

  @Option(
      names = "--warmup",
      defaultValue = "0s",
      description = "Load before measuring, not counted (${DEFAULT-VALUE}).")
  String warmup;

  @Option(names = "--profile", description = "Certificate profile of the orders.")
  String profile;

  @Option(
      names = "--domain-suffix",
      defaultValue = "bench.test",
      description = "Each order names a fresh <unique>.<suffix> (${DEFAULT-VALUE}).")
  String domainSuffix;

  @Option(
      names = "--challenge",
      defaultValue = "http-01",
      description = "Challenge type to trigger (${DEFAULT-VALUE}).")
  String challenge;

  @Option(
      names = "--key-type",
      defaultValue = "rsa2048",
      description =
          "Certificate key (one per client): rsa2048, rsa3072, ec256, ... (${DEFAULT-VALUE}).")
  String keyType;

  @Option(
      names = "--poll-interval",
      defaultValue = "20ms",
      description = "Poll interval when the server sends no Retry-After (${DEFAULT-VALUE}).")
  String pollInterval;

  @Option(names = "--eab-kid", description = "One EAB key identifier for every account.")
  String eabKid;

  @Option(names = "--eab-hmac-key", description = "Its base64url HMAC key.")
  String eabHmacKey;

  @Option(
      names = "--eab-endpoint",
      description =
          "sote-acme operator API base URL: one EAB credential per account from POST /admin/eab.")
  URI eabEndpoint;

  @Option(
      names = "--eab-token",
      description = "Bearer token of the operator API (data/admin-token).")
  String eabToken;

  @Option(
      names = "--pids",
      split = ",",
      description =
          "name=pid of server processes to measure CPU of, e.g. server=123,postgres=456."
              + " A name starting with postgres or pg counts the postmaster and its children.")
  Map<String, Long> pids = new LinkedHashMap<>();

  @Option(
      names = "--also-connect",
      split = ",",
      paramLabel = "HOST:PORT",
      description =
          "Other processes of the same server (same public URL and TLS certificate): each"
              + " client sends its successive requests to the --server host and these in turn,"
              + " the URLs unchanged, e.g. --also-connect localhost:9443.")
  List<String> alsoConnect = new ArrayList<>();

  @Option(names = "--json", description = "Print the result as JSON instead of a table.")
  boolean json;

  /** Creates the command; picocli instantiates it. */
  public BenchCommand() {}

  @Override
  public Integer call() throws Exception {
    if (count != null && duration != null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--count or --duration, not both");
    }
    for (String endpoint : alsoConnect) {
      if (!endpoint.matches("[^:/\\s]+:\\d{1,5}")) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--also-connect takes host:port, not " + endpoint);
      }
    }
    EabSource eab;
    if (eabEndpoint != null) {
      String token = eabToken;
      if (token == null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--eab-endpoint needs --eab-token");
      }
      if (token.startsWith("@")) {
        token = Files.readString(Path.of(token.substring(1)));
      }
      eab = EabSource.operatorApi(eabEndpoint, token);
    } else if (eabKid != null || eabHmacKey != null) {
      if (eabKid == null || eabHmacKey == null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--eab-kid and --eab-hmac-key go together");
      }
      eab = EabSource.fixed(eabKid, eabHmacKey);
    } else {
      eab = EabSource.none();
    }
    BenchRunner.Settings settings =
        new BenchRunner.Settings(
            server,
            caBundle,
            clients,
            count == null ? Long.MAX_VALUE : count,
            count == null ? parseDuration(duration == null ? "60s" : duration) : null,
            parseDuration(warmup),
            profile,
            domainSuffix,
            challenge,
            KeyType.parse(keyType),
            parseDuration(pollInterval),
            eab,
            pids,
            alsoConnect);
    BenchResult result = new BenchRunner(settings, new ProcCpu(Path.of("/proc"), 100)).run();
    spec.commandLine()
        .getOut()
        .print(json ? result.json() + System.lineSeparator() : result.table());
    spec.commandLine().getOut().flush();
    return 0;
  }

  /**
   * Parses {@code 500ms}, {@code 30s}, {@code 2m} or an ISO-8601 duration.
   *
   * @param text the text
   * @return the duration
   */
  public static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    if (t.startsWith("p")) {
      return Duration.parse(text);
    }
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    if (t.endsWith("s")) {
      return Duration.ofMillis(
          Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
    }
    if (t.endsWith("m")) {
      return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
    }
    return Duration.ofSeconds(Long.parseLong(t));
  }
}
