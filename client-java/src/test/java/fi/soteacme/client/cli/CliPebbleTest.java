package fi.soteacme.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.client.connector.Json;
import fi.soteacme.client.storage.CertificateStore;
import fi.soteacme.client.testsupport.Pebble;
import fi.soteacme.client.util.Pem;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The sote-acme command end to end against a real Pebble, into temporary config dirs. */
class CliPebbleTest {
  @TempDir static Path pebbleDir;
  private static Pebble pebble;

  @TempDir Path configDir;

  @BeforeAll
  static void startPebble() throws Exception {
    pebble = Pebble.start(pebbleDir);
  }

  @AfterAll
  static void stopPebble() throws Exception {
    if (pebble != null) {
      pebble.close();
    }
  }

  private record Run(int code, String out, String err) {
    Json json() throws Exception {
      return Json.parse(out.strip());
    }
  }

  private Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--server", pebble.directoryUrl().toString(),
            "--ca-bundle", pebble.tlsCertificateFile().toString(),
            "--config-dir", configDir.toString()));
    return runRaw(all.toArray(String[]::new));
  }

  private static Run runRaw(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void orderRenewListShowAndRevoke() throws Exception {
    Path marker = configDir.resolve("deployed.txt");
    Run order =
        run(
            "certonly",
            "-d",
            "cli.example.fi,www.cli.example.fi",
            "--email",
            "admin@example.fi",
            "--agree-tos",
            "--http-01-address",
            "127.0.0.1",
            "--http-01-port",
            "0",
            "--key-type",
            "ec256",
            "--deploy-hook",
            "echo \"$RENEWED_LINEAGE $RENEWED_DOMAINS\" >> " + marker,
            "--json");
    assertEquals(0, order.code(), order.err());
    Json result = order.json();
    assertEquals("cli.example.fi", result.requireString("name"));
    assertEquals(List.of("cli.example.fi", "www.cli.example.fi"), result.strings("dnsNames"));

    Path live = configDir.resolve("live/cli.example.fi");
    for (String f : CertificateStore.LIVE_FILES) {
      assertTrue(Files.isSymbolicLink(live.resolve(f)), f);
      assertTrue(
          Files.readSymbolicLink(live.resolve(f))
              .toString()
              .startsWith("../../archive/cli.example.fi/"));
    }
    assertEquals("rw-------", mode(live.resolve("privkey.pem").toRealPath()));
    assertEquals("rwx------", mode(configDir.resolve("archive/cli.example.fi")));
    assertEquals("rw-------", mode(configDir.resolve("renewal/cli.example.fi.conf")));
    X509Certificate leaf = Pem.readCertificates(live.resolve("cert.pem")).get(0);
    assertEquals(leaf, Pem.parseDer(Files.readAllBytes(live.resolve("cert.der"))));
    assertEquals(Pem.readKeyPair(live.resolve("privkey.pem")).getPublic(), leaf.getPublicKey());
    List<X509Certificate> full = Pem.readCertificates(live.resolve("fullchain.pem"));
    assertEquals(leaf, full.get(0));
    assertEquals(full.subList(1, full.size()), Pem.readCertificates(live.resolve("chain.pem")));
    assertEquals(
        List.of(live.toAbsolutePath() + " cli.example.fi www.cli.example.fi"),
        Files.readAllLines(marker));

    Run notDue = run("renew", "--json");
    assertEquals(0, notDue.code(), notDue.err());
    assertEquals("not_due", notDue.json().objects("certificates").get(0).requireString("outcome"));

    Run renewed = run("renew", "--force-renewal", "--json");
    assertEquals(0, renewed.code(), renewed.err());
    Json report = renewed.json().objects("certificates").get(0);
    assertEquals("renewed", report.requireString("outcome"));
    assertEquals(2L, report.number("version").orElseThrow());
    assertNotEquals(result.requireString("serialHex"), report.requireString("serialHex"));
    assertTrue(Files.readSymbolicLink(live.resolve("cert.pem")).toString().endsWith("cert2.pem"));
    assertEquals(2, Files.readAllLines(marker).size(), "deploy hook after each success");

    Run list = run("list", "--json");
    assertEquals(0, list.code(), list.err());
    Json listed = list.json().objects("certificates").get(0);
    assertEquals(report.requireString("serialHex"), listed.requireString("serialHex"));
    assertTrue(listed.has("renewal"));

    Run show = run("show", "--cert-name", "cli.example.fi");
    assertEquals(0, show.code(), show.err());
    assertTrue(show.out().contains(report.requireString("serialDecimal")), show.out());

    Run revoke = run("revoke", "--cert-name", "cli.example.fi", "--reason", "superseded", "--json");
    assertEquals(0, revoke.code(), revoke.err());
    assertEquals(report.requireString("serialHex"), revoke.json().requireString("serialHex"));
    Run again = run("revoke", "--cert-name", "cli.example.fi", "--json");
    assertEquals(ExitCodes.REFUSED, again.code(), again.err());
    assertTrue(again.err().contains("alreadyRevoked"), again.err());
    Json error = again.json();
    assertEquals(ExitCodes.REFUSED, error.number("exitCode").orElseThrow());
    assertEquals(
        "urn:ietf:params:acme:error:alreadyRevoked",
        error.object("problem").orElseThrow().requireString("type"));

    // Revocation with the certificate's own key, from files.
    Path oldCert = configDir.resolve("archive/cli.example.fi/cert1.pem");
    Path oldKey = configDir.resolve("archive/cli.example.fi/privkey1.pem");
    Run byKey =
        run(
            "revoke",
            "--cert-path",
            oldCert.toString(),
            "--key-path",
            oldKey.toString(),
            "--reason",
            "keycompromise");
    assertEquals(0, byKey.code(), byKey.err());
  }

  @Test
  void accountCommands() throws Exception {
    Run missing = run("account", "show");
    assertEquals(ExitCodes.USAGE, missing.code());
    Run noTos = run("account", "register", "--email", "a@example.fi");
    assertEquals(ExitCodes.USAGE, noTos.code());
    assertTrue(noTos.err().contains("--agree-tos"), noTos.err());

    Run register = run("account", "register", "--email", "a@example.fi", "--agree-tos", "--json");
    assertEquals(0, register.code(), register.err());
    String url = register.json().requireString("url");
    assertEquals(List.of("mailto:a@example.fi"), register.json().strings("contact"));
    Path accountDir = Files.list(configDir.resolve("accounts")).findFirst().orElseThrow();
    assertEquals("rw-------", mode(accountDir.resolve("private_key.pem")));
    assertEquals("rwx------", mode(accountDir));

    Run update = run("account", "update", "--email", "b@example.fi", "--json");
    assertEquals(0, update.code(), update.err());
    assertEquals(List.of("mailto:b@example.fi"), update.json().strings("contact"));

    String keyBefore = Files.readString(accountDir.resolve("private_key.pem"));
    Run rollover = run("account", "rollover", "--key-type", "ec384", "--json");
    assertEquals(0, rollover.code(), rollover.err());
    assertNotEquals(keyBefore, Files.readString(accountDir.resolve("private_key.pem")));
    assertFalse(Files.exists(accountDir.resolve("private_key.next.pem")));

    Run show = run("account", "show", "--json");
    assertEquals(0, show.code(), show.err());
    assertEquals(url, show.json().requireString("url"), "the new key reaches the same account");

    Run deactivate = run("account", "deactivate");
    assertEquals(ExitCodes.USAGE, deactivate.code(), "needs --yes");
    Run deactivated = run("account", "deactivate", "--yes", "--json");
    assertEquals(0, deactivated.code(), deactivated.err());
    assertEquals("deactivated", deactivated.json().requireString("status"));
    Run after = run("account", "show");
    assertEquals(ExitCodes.ACTION_REQUIRED, after.code(), after.err());
  }

  @Test
  void dns01ThroughTheHookAndWebroot() throws Exception {
    Path hookLog = configDir.resolve("dns-hook.log");
    Run dns =
        run(
            "order",
            "-d",
            "dns.example.fi",
            "--email",
            "a@example.fi",
            "--agree-tos",
            "--preferred-challenges",
            "dns-01",
            "--dns-hook",
            "echo \"$SOTE_ACME_ACTION $SOTE_ACME_RECORD_NAME $SOTE_ACME_VALIDATION\" >> " + hookLog,
            "--dns-propagation-seconds",
            "0");
    assertEquals(0, dns.code(), dns.err());
    List<String> lines = Files.readAllLines(hookLog);
    assertEquals(2, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("present _acme-challenge.dns.example.fi "), lines.get(0));
    assertTrue(lines.get(1).startsWith("cleanup _acme-challenge.dns.example.fi "), lines.get(1));
    assertEquals(lines.get(0).split(" ")[2], lines.get(1).split(" ")[2]);

    Path webroot = configDir.resolve("www");
    Run web =
        run(
            "order",
            "-d",
            "web.example.fi",
            "--webroot-path",
            webroot.toString(),
            "--cert-name",
            "web");
    assertEquals(0, web.code(), web.err());
    assertTrue(Files.isDirectory(webroot.resolve(".well-known/acme-challenge")));
    try (var left = Files.list(webroot.resolve(".well-known/acme-challenge"))) {
      assertEquals(0, left.count(), "challenge files are removed");
    }
    assertTrue(
        Files.readString(configDir.resolve("renewal/web.conf")).contains("authenticator=webroot"));
  }

  @Test
  void usageErrorsAndSerial() throws Exception {
    assertEquals(ExitCodes.USAGE, run("order").code());
    assertEquals(
        ExitCodes.USAGE,
        runRaw("order", "-d", "x.example.fi", "--config-dir", "/nonexistent").code());
    assertEquals(ExitCodes.USAGE, runRaw("bogus").code());
    Run serial =
        runRaw("serial", "--json", "01:00:00:01:68:F0:A8:05:C3:66:B4:3B:5D:E9:68:C6:91:FB");
    assertEquals(0, serial.code());
    assertEquals(
        "87112293252494463413683796322992020427259", serial.json().requireString("decimal"));
    assertEquals(ExitCodes.USAGE, runRaw("serial", "zz").code());
    Run unreachable =
        runRaw(
            "account",
            "register",
            "--agree-tos",
            "--server",
            "https://127.0.0.1:1/dir",
            "--config-dir",
            configDir.toString());
    assertEquals(ExitCodes.NETWORK, unreachable.code(), unreachable.err());
  }

  @Test
  void tlsAlpn01Standalone() throws Exception {
    Run alpn =
        run(
            "order",
            "-d",
            "alpn.example.fi",
            "--email",
            "a@example.fi",
            "--agree-tos",
            "--preferred-challenges",
            "tls-alpn-01",
            "--http-01-address",
            "127.0.0.1",
            "--tls-alpn-01-port",
            "0",
            "--json");
    assertEquals(0, alpn.code(), alpn.err());
    assertTrue(
        Files.readString(configDir.resolve("renewal/alpn.example.fi.conf"))
            .contains("authenticator=tls-alpn"));
  }
}
