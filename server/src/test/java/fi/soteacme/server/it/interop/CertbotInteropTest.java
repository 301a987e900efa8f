package fi.soteacme.server.it.interop;

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

/**
 * Debian's certbot, unchanged, registers with an EAB credential, obtains a certificate by http-01
 * (its own standalone server on loopback), renews it and revokes it.
 */
class CertbotInteropTest {
  private static final String DOMAIN = "certbot.clinic.test";

  @TempDir static Path dir;
  private static SoteAcmeServer server;
  private static ExternalClient certbot;
  private static int http01Port;

  @BeforeAll
  static void start() throws Exception {
    ExternalClient.require("certbot", Map.of()); // skips before a server is started for nothing
    TestServers servers = TestServers.get();
    http01Port = ExternalClient.freeLoopbackPort();
    server =
        servers.start(
            dir.resolve("server"),
            json -> json.getJsonObject("validation").put("httpPort", http01Port));
    certbot =
        ExternalClient.require(
            "certbot", Map.of("REQUESTS_CA_BUNDLE", server.trustAnchor().toString()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void certonlyRenewRevoke() throws Exception {
    EabService.Credential eab = server.createEabCredential();
    certbot.runOk(
        withCommon(
            "certonly",
            "--standalone",
            "--http-01-port",
            String.valueOf(http01Port),
            "--http-01-address",
            "127.0.0.1",
            "--eab-kid",
            eab.kid(),
            "--eab-hmac-key=" + eab.hmacKey(),
            "--agree-tos",
            "-m",
            "ops@example.test",
            "-d",
            DOMAIN));
    Path live = dir.resolve("config/live/" + DOMAIN);
    verify(live);
    String first = Files.readString(live.resolve("cert.pem"));

    certbot.runOk(withCommon("renew", "--force-renewal", "--no-random-sleep-on-renew"));
    verify(live);
    assertNotEquals(first, Files.readString(live.resolve("cert.pem")), "renewal gave a new cert");

    certbot.runOk(
        withCommon(
            "revoke",
            "--cert-path",
            live.resolve("cert.pem").toString(),
            "--reason",
            "superseded",
            "--no-delete-after-revoke"));
    // The server remembers: a second revocation is refused as alreadyRevoked.
    ExternalClient.Result again =
        certbot.run(
            withCommon(
                "revoke",
                "--cert-path",
                live.resolve("cert.pem").toString(),
                "--reason",
                "superseded",
                "--no-delete-after-revoke"));
    assertNotEquals(0, again.exitCode(), again.output());
    // certbot 2.1.0 on Python 3.11 hides every server problem behind "AttributeError: can't set
    // attribute" (josepy's immutable acme.messages.Error); its log keeps the server's answer.
    String log = Files.readString(dir.resolve("logs/letsencrypt.log"));
    assertTrue(log.contains("urn:ietf:params:acme:error:alreadyRevoked"), log);
  }

  private static void verify(Path live) throws Exception {
    Path ca = TestServers.get().dataDir.resolve("server-1/ca");
    ExternalClient.opensslVerify(
        ca.resolve("production-root.pem"), live.resolve("chain.pem"), live.resolve("cert.pem"));
  }

  private static String[] withCommon(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--server",
            server.directoryUrl(),
            "--non-interactive",
            "--config-dir",
            dir.resolve("config").toString(),
            "--work-dir",
            dir.resolve("work").toString(),
            "--logs-dir",
            dir.resolve("logs").toString()));
    return all.toArray(String[]::new);
  }
}
