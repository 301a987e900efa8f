package fi.soteacme.server.it.interop;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.SoteAcmeServer;
import fi.soteacme.server.eab.EabService;
import fi.soteacme.server.it.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Debian's lego, unchanged, registers with an EAB credential, obtains a certificate by http-01 (its
 * own server on loopback), renews and revokes it; and works with each key type it can generate that
 * the server accepts.
 */
class LegoInteropTest {
  @TempDir static Path dir;
  private static SoteAcmeServer server;
  private static ExternalClient lego;
  private static int http01Port;

  @BeforeAll
  static void start() throws Exception {
    ExternalClient.require("lego", Map.of()); // skips before a server is started for nothing
    TestServers servers = TestServers.get();
    http01Port = ExternalClient.freeLoopbackPort();
    server =
        servers.start(
            dir.resolve("server"),
            json -> json.getJsonObject("validation").put("httpPort", http01Port));
    lego =
        ExternalClient.require(
            "lego", Map.of("LEGO_CA_CERTIFICATES", server.trustAnchor().toString()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void runRenewRevoke() throws Exception {
    String domain = "lego.clinic.test";
    Path path = dir.resolve("lego-default");
    EabService.Credential eab = server.createEabCredential();
    lego.runOk(args(path, eab, domain, "ec256", "run"));
    Path crt = path.resolve("certificates/" + domain + ".crt");
    verify(path, domain);
    String first = Files.readString(crt);

    // lego wants --eab with its credential on every run once the account was registered with one.
    lego.runOk(args(path, eab, domain, "ec256", "renew", "--days", "400", "--no-random-sleep"));
    verify(path, domain);
    assertNotEquals(first, Files.readString(crt), "renewal gave a new certificate");

    lego.runOk(args(path, eab, domain, "ec256", "revoke", "--reason", "4"));
    assertFalse(Files.exists(crt), "lego archives a revoked certificate");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ec384", "rsa4096"})
  void keyTypes(String keyType) throws Exception {
    String domain = "lego-" + keyType + ".clinic.test";
    Path path = dir.resolve("lego-" + keyType);
    lego.runOk(args(path, server.createEabCredential(), domain, keyType, "run"));
    verify(path, domain);
    String text =
        ExternalClient.require("openssl", Map.of())
            .runOk(
                "x509",
                "-noout",
                "-text",
                "-in",
                path.resolve("certificates/" + domain + ".crt").toString())
            .output();
    assertTrue(
        keyType.equals("ec384") ? text.contains("NIST CURVE: P-384") : text.contains("(4096 bit)"),
        text);
  }

  /** The bundle's leaf chains to the production root through the issuer lego stored beside it. */
  private static void verify(Path path, String domain) throws Exception {
    Path ca = TestServers.get().dataDir.resolve("server-1/ca");
    Path certificates = path.resolve("certificates");
    ExternalClient.opensslVerify(
        ca.resolve("production-root.pem"),
        certificates.resolve(domain + ".issuer.crt"),
        certificates.resolve(domain + ".crt"));
  }

  private static String[] args(
      Path path, EabService.Credential eab, String domain, String keyType, String... command) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--server",
                server.directoryUrl(),
                "--email",
                "ops@example.test",
                "--accept-tos",
                "--eab",
                "--kid",
                eab.kid(),
                "--hmac=" + eab.hmacKey(),
                "--key-type",
                keyType,
                "--domains",
                domain,
                "--http",
                "--http.port",
                "127.0.0.1:" + http01Port,
                "--path",
                path.toString()));
    all.addAll(List.of(command));
    return all.toArray(String[]::new);
  }
}
