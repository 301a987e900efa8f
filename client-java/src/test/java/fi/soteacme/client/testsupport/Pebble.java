package fi.soteacme.client.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import fi.soteacme.client.Session;
import fi.soteacme.client.util.KeyPairs;
import fi.soteacme.client.util.KeyType;
import fi.soteacme.client.util.Pem;
import fi.soteacme.client.util.SelfSignedCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Runs Debian's {@code pebble} on loopback for a test class: a TLS certificate for 127.0.0.1 made
 * here (the package ships none), free ports, every validation passing, no sleeps, no rejected
 * nonces. Tests are skipped when {@code /usr/bin/pebble} is absent.
 */
public final class Pebble implements AutoCloseable {
  /** Where Debian's package installs the binary. */
  public static final Path BINARY = Path.of("/usr/bin/pebble");

  private final Path dir;
  private final Process process;
  private final int port;
  private final int managementPort;
  private final X509Certificate tlsCertificate;
  private final Path tlsCertificateFile;

  private Pebble(Path dir, Map<String, String> eabKeys) throws Exception {
    this.dir = dir;
    KeyPair key = KeyPairs.generate(KeyType.EC_P256);
    tlsCertificate =
        SelfSignedCertificates.server(
            key, List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
    tlsCertificateFile = dir.resolve("pebble-tls.pem");
    Path keyFile = dir.resolve("pebble-tls-key.pem");
    Files.writeString(tlsCertificateFile, Pem.certificates(List.of(tlsCertificate)));
    Files.writeString(keyFile, Pem.privateKey(key.getPrivate()));
    port = freePort();
    managementPort = freePort();
    String config =
        """
        {"pebble": {
          "listenAddress": "127.0.0.1:%d",
          "managementListenAddress": "127.0.0.1:%d",
          "certificate": "%s",
          "privateKey": "%s",
          "httpPort": %d,
          "tlsPort": %d,
          "ocspResponderURL": "",
          "externalAccountBindingRequired": %s,
          "externalAccountMACKeys": {%s}
        }}
        """
            .formatted(
                port,
                managementPort,
                tlsCertificateFile,
                keyFile,
                freePort(),
                freePort(),
                !eabKeys.isEmpty(),
                String.join(
                    ",",
                    eabKeys.entrySet().stream()
                        .map(e -> "\"" + e.getKey() + "\": \"" + e.getValue() + "\"")
                        .toList()));
    Path configFile = dir.resolve("pebble-config.json");
    Files.writeString(configFile, config, StandardCharsets.UTF_8);
    ProcessBuilder pb =
        new ProcessBuilder(BINARY.toString(), "-config", configFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("pebble.log").toFile())
            .directory(dir.toFile());
    pb.environment().put("PEBBLE_VA_ALWAYS_VALID", "1");
    pb.environment().put("PEBBLE_VA_NOSLEEP", "1");
    pb.environment().put("PEBBLE_WFE_NONCEREJECT", "0");
    process = pb.start();
    awaitListening();
  }

  /**
   * Starts Pebble, or skips the calling test if it is not installed.
   *
   * @param dir a temporary directory for its configuration and log
   * @return the running server
   * @throws Exception if it does not start
   */
  public static Pebble start(Path dir) throws Exception {
    assumeTrue(
        Files.isExecutable(BINARY),
        "Pebble is not installed at " + BINARY + " (apt-get install pebble); skipping");
    return new Pebble(dir, Map.of());
  }

  /**
   * Starts Pebble that requires External Account Binding with the given credentials.
   *
   * @param dir a temporary directory for its configuration and log
   * @param eabKeys key identifier to base64url HMAC key
   * @return the running server
   * @throws Exception if it does not start
   */
  public static Pebble startRequiringEab(Path dir, Map<String, String> eabKeys) throws Exception {
    assumeTrue(
        Files.isExecutable(BINARY),
        "Pebble is not installed at " + BINARY + " (apt-get install pebble); skipping");
    return new Pebble(dir, eabKeys);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void awaitListening() throws Exception {
    Instant deadline = Instant.now().plusSeconds(20);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("pebble exited: " + log());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("pebble did not listen within 20 s: " + log());
  }

  /**
   * Returns Pebble's log so far.
   *
   * @return the combined output
   */
  public String log() {
    try {
      return Files.readString(dir.resolve("pebble.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /**
   * Returns the directory URL.
   *
   * @return {@code https://127.0.0.1:<port>/dir}
   */
  public URI directoryUrl() {
    return URI.create("https://127.0.0.1:" + port + "/dir");
  }

  /**
   * Returns the management URL (roots, intermediates).
   *
   * @return {@code https://127.0.0.1:<port>}
   */
  public URI managementUrl() {
    return URI.create("https://127.0.0.1:" + managementPort);
  }

  /**
   * Returns the PEM file of the TLS certificate Pebble serves (the trust anchor to use).
   *
   * @return the file
   */
  public Path tlsCertificateFile() {
    return tlsCertificateFile;
  }

  /**
   * Opens a session that trusts Pebble's TLS certificate only.
   *
   * @return a new session
   * @throws Exception if it cannot be set up
   */
  public Session session() throws Exception {
    return Session.builder(directoryUrl())
        .trustAnchors(List.of(tlsCertificate))
        .pollInterval(Duration.ofMillis(100))
        .build();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
