package fi.soteacme.client.it;

import static fi.soteacme.client.it.LibraryAgainstServerTest.assertSubject;
import static fi.soteacme.client.it.SoteAcmeFixture.CLI_ADDRESS;
import static fi.soteacme.client.it.SoteAcmeFixture.COUNTY;
import static fi.soteacme.client.it.SoteAcmeFixture.COUNTY_NAME;
import static fi.soteacme.client.it.SoteAcmeFixture.PHARMACY;
import static fi.soteacme.client.it.SoteAcmeFixture.PHARMACY_NAME;
import static fi.soteacme.client.it.SoteAcmeFixture.PRIVATE;
import static fi.soteacme.client.it.SoteAcmeFixture.PRIVATE_NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.client.SerialNumber;
import fi.soteacme.client.cli.Main;
import fi.soteacme.client.connector.Json;
import fi.soteacme.client.util.Pem;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The {@code sote-acme} command ({@link Main}) against the real sote-acme server, with {@code
 * --config-dir} in a temporary directory and {@code --ca-bundle} the server's TLS root. Its
 * standalone http-01 listener binds 127.0.0.2 on the port the CA validates on; the fixture maps
 * names under {@code cli.test} there.
 */
class CliAgainstServerTest {
  private static SoteAcmeFixture ca;

  @TempDir Path configDir;

  @BeforeAll
  static void start() throws Exception {
    ca = SoteAcmeFixture.get();
  }

  record Run(int code, String out, String err) {
    Json json() throws Exception {
      return Json.parse(out.strip());
    }
  }

  /** Runs the command with --server, --ca-bundle and --config-dir. */
  private Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--server", ca.server.directoryUrl(),
            "--ca-bundle", ca.server.trustAnchor().toString(),
            "--config-dir", configDir.toString()));
    return runRaw(all.toArray(String[]::new));
  }

  static Run runRaw(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private List<String> standalone() {
    return List.of(
        "--standalone",
        "--http-01-address",
        CLI_ADDRESS,
        "--http-01-port",
        String.valueOf(ca.httpPort));
  }

  private Run order(List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("--timeout", "60", "--json"));
    return run(all.toArray(String[]::new));
  }

  /** The command's arguments, then the solver's options (which belong to the subcommand). */
  private static List<String> concat(List<String> solver, String... command) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(solver);
    return all;
  }

  @Test
  void registerOrderLinkOrderForTheSecondOrganisationAndRevoke() throws Exception {
    SoteAcmeFixture.Invitation eab = ca.invite(COUNTY, "partner");
    Run register =
        run(
            "account",
            "register",
            "-m",
            "hosting@example.test",
            "--agree-tos",
            "--eab-kid",
            eab.kid(),
            "--eab-hmac-key",
            eab.hmacKey(),
            "--json");
    assertEquals(0, register.code(), register.err());
    assertEquals("valid", register.json().requireString("status"));

    // A server certificate through the command's own http-01 listener.
    Run order =
        order(
            concat(
                standalone(),
                "order",
                "-d",
                "www.cli.test,api.cli.test",
                "--profile",
                "sote-server"));
    assertEquals(0, order.code(), order.err() + order.out());
    Json issued = order.json();
    assertEquals(COUNTY, issued.requireString("organisation"));
    Path live = configDir.resolve("live/www.cli.test");
    X509Certificate leaf = Pem.readCertificates(live.resolve("cert.pem")).get(0);
    assertEquals(leaf, Pem.parseDer(Files.readAllBytes(live.resolve("cert.der"))));
    assertSubject(leaf, COUNTY_NAME, COUNTY_NAME, COUNTY, "www.cli.test");
    List<X509Certificate> chain = Pem.readCertificates(live.resolve("chain.pem"));
    leaf.verify(chain.get(0).getPublicKey());
    chain.get(0).verify(ca.server.cas().production().root().getPublicKey());

    // serial, both ways, for the issued certificate.
    SerialNumber serial = SerialNumber.of(leaf);
    assertEquals(serial.toHex(), issued.requireString("serialHex"));
    assertEquals(serial.toDecimal(), issued.requireString("serialDecimal"));
    Run fromHex = runRaw("serial", issued.requireString("serialHex"), "--json");
    assertEquals(0, fromHex.code(), fromHex.err());
    assertEquals(leaf.getSerialNumber().toString(), fromHex.json().requireString("decimal"));
    assertEquals(18L, fromHex.json().number("bytes").orElseThrow());
    Run fromDecimal = runRaw("serial", leaf.getSerialNumber().toString(), "--json");
    assertEquals(0, fromDecimal.code(), fromDecimal.err());
    assertEquals(serial.toHex(), fromDecimal.json().requireString("hex"));
    Run fromColons = runRaw("serial", serial.toColonHex().toUpperCase(), "--json");
    assertEquals(serial.toDecimal(), fromColons.json().requireString("decimal"));

    // Link a second organisation; orders must then name it.
    SoteAcmeFixture.Invitation second = ca.invite(PHARMACY, "partner");
    Run link =
        run("account", "link", "--eab-kid", second.kid(), "--eab-hmac-key", second.hmacKey());
    assertEquals(0, link.code(), link.err());
    Run ambiguous = order(concat(standalone(), "order", "-d", "ambiguous.cli.test"));
    assertEquals(3, ambiguous.code(), ambiguous.err());
    assertTrue(ambiguous.err().contains("malformed"), ambiguous.err());
    Run forPharmacy =
        order(concat(standalone(), "order", "-d", "apteekki.cli.test", "--org", PHARMACY));
    assertEquals(0, forPharmacy.code(), forPharmacy.err() + forPharmacy.out());
    assertEquals(PHARMACY, forPharmacy.json().requireString("organisation"));
    assertSubject(
        Pem.readCertificates(configDir.resolve("live/apteekki.cli.test/cert.pem")).get(0),
        PHARMACY_NAME,
        PHARMACY_NAME,
        PHARMACY,
        "apteekki.cli.test");
    Run forCounty =
        order(
            concat(
                standalone(),
                "order",
                "-d",
                "county.cli.test",
                "--org",
                COUNTY,
                "--profile",
                "sote-server-test"));
    assertEquals(0, forCounty.code(), forCounty.err() + forCounty.out());
    List<X509Certificate> testChain =
        Pem.readCertificates(configDir.resolve("live/county.cli.test/fullchain.pem"));
    testChain.get(1).verify(ca.server.cas().test().root().getPublicKey());

    // Revoke with a reason; a second revocation is refused as alreadyRevoked (exit 3).
    Run revoke = run("revoke", "--cert-name", "www.cli.test", "--reason", "superseded", "--json");
    assertEquals(0, revoke.code(), revoke.err());
    assertEquals(serial.toHex(), revoke.json().requireString("serialHex"));
    Run again = run("revoke", "--cert-name", "www.cli.test", "--json");
    assertEquals(3, again.code(), again.err());
    assertEquals(
        "urn:ietf:params:acme:error:alreadyRevoked",
        again.json().object("problem").orElseThrow().requireString("type"));
  }

  @Test
  void systemSignatureForThePublicCounty() throws Exception {
    SoteAcmeFixture.Invitation eab = ca.invite(COUNTY, "member");
    Run register =
        run(
            "account",
            "register",
            "--agree-tos",
            "--eab-kid",
            eab.kid(),
            "--eab-hmac-key",
            eab.hmacKey());
    assertEquals(0, register.code(), register.err());
    for (String profile : List.of("sote-system-signature", "sote-system-signature-test")) {
      String system = "Todistuspalvelu " + profile.length();
      Run order =
          order(
              List.of(
                  "order",
                  "--profile",
                  profile,
                  "--org",
                  COUNTY,
                  "--system-name",
                  system,
                  "--key-type",
                  "ec256"));
      assertEquals(0, order.code(), order.err() + order.out());
      Path live = configDir.resolve("live").resolve(order.json().requireString("name"));
      X509Certificate leaf = Pem.readCertificates(live.resolve("cert.pem")).get(0);
      assertSubject(leaf, COUNTY_NAME, COUNTY_NAME, COUNTY, system);
      assertEquals(List.of("1.3.6.1.5.5.7.3.36"), leaf.getExtendedKeyUsage());
      assertEquals(leaf, Pem.parseDer(Files.readAllBytes(live.resolve("cert.der"))));
      X509Certificate issuing = Pem.readCertificates(live.resolve("chain.pem")).get(0);
      issuing.verify(
          (profile.endsWith("-test") ? ca.server.cas().test() : ca.server.cas().production())
              .root()
              .getPublicKey());
    }
  }

  @Test
  void privateSystemSignatureWaitsForTheReviewThenRenewsWithoutOne() throws Exception {
    SoteAcmeFixture.Invitation eab = ca.invite(PRIVATE, "member");
    Run register =
        run(
            "account",
            "register",
            "--agree-tos",
            "--eab-kid",
            eab.kid(),
            "--eab-hmac-key",
            eab.hmacKey());
    assertEquals(0, register.code(), register.err());
    String system = "Akerblomma_Hoitokertomus_" + System.nanoTime();
    Path pdf = configDir.resolve("vaatimustenmukaisuus.pdf");
    Files.writeString(pdf, "%PDF-1.4\n% conformity\n%%EOF\n");
    List<String> args =
        List.of(
            "order",
            "--profile",
            "sote-system-signature",
            "--org",
            PRIVATE,
            "--system-name",
            system,
            "--conformity-document",
            pdf.toString(),
            "--key-type",
            "ec256");

    // The command waits for the operator: approve while it waits.
    CompletableFuture<Run> order = CompletableFuture.supplyAsync(() -> order(args));
    long review = 0;
    for (int i = 0; i < 300 && review == 0; i++) {
      review =
          ca.reviews().stream()
              .filter(r -> system.equals(r.string("systemName").orElse(null)))
              .mapToLong(r -> r.number("challenge").orElseThrow())
              .findFirst()
              .orElse(0);
      if (review == 0) {
        assertFalse(order.isDone(), () -> order.join().err());
        Thread.sleep(100);
      }
    }
    ca.approve(review);
    Run done = order.get(90, TimeUnit.SECONDS);
    assertEquals(0, done.code(), done.err() + done.out());
    String name = done.json().requireString("name");
    X509Certificate leaf =
        Pem.readCertificates(configDir.resolve("live").resolve(name).resolve("cert.pem")).get(0);
    assertSubject(leaf, PRIVATE_NAME, PRIVATE_NAME, PRIVATE, system);

    // Renewal has no document to send; the remembered approval covers it.
    Run renew = run("renew", "--force-renewal", "--json");
    assertEquals(0, renew.code(), renew.err() + renew.out());
    Json report = renew.json().objects("certificates").get(0);
    assertEquals("renewed", report.requireString("outcome"));
    assertEquals(2L, report.number("version").orElseThrow());

    // A system never reviewed cannot go without the document.
    Run unreviewed =
        order(
            List.of(
                "order",
                "--profile",
                "sote-system-signature-test",
                "--org",
                PRIVATE,
                "--system-name",
                "Never_reviewed"));
    assertEquals(2, unreviewed.code(), unreviewed.err());
    assertTrue(unreviewed.err().contains("--conformity-document"), unreviewed.err());
  }

  @Test
  void renewListShowRevokeByKeyAndTheExitCodesOfRefusals() throws Exception {
    SoteAcmeFixture.Invitation eab = ca.invite(PRIVATE, "partner");
    Run register =
        run(
            "account",
            "register",
            "--agree-tos",
            "--eab-kid",
            eab.kid(),
            "--eab-hmac-key",
            eab.hmacKey());
    assertEquals(0, register.code(), register.err());

    Run order =
        order(concat(standalone(), "certonly", "-d", "renew.cli.test", "--key-type", "ec384"));
    assertEquals(0, order.code(), order.err() + order.out());
    Run notDue = run("renew", "--json");
    assertEquals(0, notDue.code(), notDue.err());
    assertEquals("not_due", notDue.json().objects("certificates").get(0).requireString("outcome"));
    // The solver settings (127.0.0.2, the port) come from the renewal configuration.
    Run renewed = run("renew", "--force-renewal", "--json");
    assertEquals(0, renewed.code(), renewed.err() + renewed.out());
    Json report = renewed.json().objects("certificates").get(0);
    assertEquals("renewed", report.requireString("outcome"));
    assertTrue(!report.requireString("serialHex").equals(order.json().requireString("serialHex")));
    X509Certificate leaf =
        Pem.readCertificates(configDir.resolve("live/renew.cli.test/cert.pem")).get(0);
    assertSubject(leaf, PRIVATE_NAME, PRIVATE_NAME, PRIVATE, "renew.cli.test");

    Run list = run("list", "--json");
    assertEquals(0, list.code(), list.err());
    assertEquals(
        report.requireString("serialHex"),
        list.json().objects("certificates").get(0).requireString("serialHex"));
    Run show = run("show", "--cert-name", "renew.cli.test");
    assertEquals(0, show.code(), show.err());
    assertTrue(show.out().contains(SerialNumber.of(leaf).toDecimal()), show.out());

    // The replaced version, revoked with its own key.
    Run byKey =
        run(
            "revoke",
            "--cert-path",
            configDir.resolve("archive/renew.cli.test/cert1.pem").toString(),
            "--key-path",
            configDir.resolve("archive/renew.cli.test/privkey1.pem").toString(),
            "--reason",
            "superseded");
    assertEquals(0, byKey.code(), byKey.err());

    // A partner may not order system signature certificates: a person must act (6).
    Run partnerSystem =
        order(
            List.of(
                "order",
                "--profile",
                "sote-system-signature",
                "--org",
                PRIVATE,
                "--system-name",
                "Partner_system"));
    assertEquals(6, partnerSystem.code(), partnerSystem.err());
    assertEquals(
        "urn:ietf:params:acme:error:unauthorized",
        partnerSystem.json().object("problem").orElseThrow().requireString("type"));

    // An organisation the account is not linked to: refused (6 unauthorized).
    Run otherOrg = order(concat(standalone(), "order", "-d", "x.cli.test", "--org", COUNTY));
    assertEquals(6, otherOrg.code(), otherOrg.err());
  }

  @Test
  void aPendingReviewRunsOutOfTimeWithExitSeven() throws Exception {
    SoteAcmeFixture.Invitation eab = ca.invite(PRIVATE, "member");
    Run register =
        run(
            "account",
            "register",
            "--agree-tos",
            "--eab-kid",
            eab.kid(),
            "--eab-hmac-key",
            eab.hmacKey());
    assertEquals(0, register.code(), register.err());
    Path pdf = configDir.resolve("c.pdf");
    Files.writeString(pdf, "%PDF-1.7 pending\n");
    Run pending =
        run(
            "order",
            "--profile",
            "sote-system-signature-test",
            "--org",
            PRIVATE,
            "--system-name",
            "Pending_" + System.nanoTime(),
            "--conformity-document",
            pdf.toString(),
            "--timeout",
            "2",
            "--json");
    assertEquals(7, pending.code(), pending.err() + pending.out());
  }

  @Test
  void tlsAlpn01StandaloneAndAccountCommands() throws Exception {
    SoteAcmeFixture.Invitation eab = ca.invite(COUNTY, "member");
    Run register =
        run(
            "account",
            "register",
            "-m",
            "alpn@example.test",
            "--agree-tos",
            "--eab-kid",
            eab.kid(),
            "--eab-hmac-key",
            eab.hmacKey(),
            "--json");
    assertEquals(0, register.code(), register.err());
    String url = register.json().requireString("url");

    Run order =
        order(
            List.of(
                "order",
                "-d",
                "alpn.cli.test",
                "--preferred-challenges",
                "tls-alpn-01",
                "--http-01-address",
                CLI_ADDRESS,
                "--tls-alpn-01-port",
                String.valueOf(ca.tlsPort)));
    assertEquals(0, order.code(), order.err() + order.out());
    assertSubject(
        Pem.readCertificates(configDir.resolve("live/alpn.cli.test/cert.pem")).get(0),
        COUNTY_NAME,
        COUNTY_NAME,
        COUNTY,
        "alpn.cli.test");

    Run update = run("account", "update", "-m", "alpn2@example.test", "--json");
    assertEquals(0, update.code(), update.err());
    assertEquals(List.of("mailto:alpn2@example.test"), update.json().strings("contact"));
    Run rollover = run("account", "rollover", "--json");
    assertEquals(0, rollover.code(), rollover.err());
    Run show = run("account", "show", "--json");
    assertEquals(0, show.code(), show.err());
    assertEquals(url, show.json().requireString("url"));
    Run deactivate = run("account", "deactivate", "--yes", "--json");
    assertEquals(0, deactivate.code(), deactivate.err() + deactivate.out());
    Run after = order(concat(standalone(), "order", "-d", "after.cli.test"));
    assertEquals(6, after.code(), after.err());
  }

  @Test
  void aRevokedCertificateIsRenewedAtOnceThroughAri() throws Exception {
    try (var session = ca.session()) {
      Assumptions.assumeTrue(
          session.directory().renewalInfo().isPresent(),
          "the server's directory has no renewalInfo yet (RFC 9773 is being built)");
    }
    SoteAcmeFixture.Invitation eab = ca.invite(COUNTY, "member");
    Run register =
        run(
            "account",
            "register",
            "--agree-tos",
            "--eab-kid",
            eab.kid(),
            "--eab-hmac-key",
            eab.hmacKey());
    assertEquals(0, register.code(), register.err());
    Run order = order(concat(standalone(), "order", "-d", "ari.cli.test"));
    assertEquals(0, order.code(), order.err() + order.out());
    String certId = order.json().requireString("certId");

    Run notDue = run("renew", "--json");
    assertEquals(0, notDue.code(), notDue.err());
    assertEquals("not_due", notDue.json().objects("certificates").get(0).requireString("outcome"));

    Run revoke = run("revoke", "--cert-name", "ari.cli.test", "--reason", "superseded");
    assertEquals(0, revoke.code(), revoke.err());
    // The revoked certificate's window starts in the past: due at once, no --force-renewal.
    Run renewed = run("renew", "--json");
    assertEquals(0, renewed.code(), renewed.err() + renewed.out());
    Json report = renewed.json().objects("certificates").get(0);
    assertEquals("renewed", report.requireString("outcome"));
    assertEquals(2L, report.number("version").orElseThrow());
    try (var session = ca.session()) {
      var stored =
          new fi.soteacme.client.storage.AccountStore(configDir).load(ca.directory()).orElseThrow();
      var account = session.login(stored.url(), stored.keyPair()).account();
      var renewal =
          new fi.soteacme.client.Order(
              account.login(), java.net.URI.create(report.requireString("order")), null);
      renewal.fetch();
      assertEquals(certId, renewal.replaces().orElseThrow());
    }
  }

  @Test
  void serialOfTheSeedExamples() throws Exception {
    Run shortHex = runRaw("serial", "0bf4eab0", "--json");
    assertEquals(0, shortHex.code(), shortHex.err());
    assertEquals("200600240", shortHex.json().requireString("decimal"));
    Run shortDec = runRaw("serial", "200600240", "--json");
    assertEquals("0bf4eab0", shortDec.json().requireString("hex"));
    Run longHex = runRaw("serial", "0100000168f0a805c366b43b5de968c691fb", "--json");
    assertEquals(
        "87112293252494463413683796322992020427259", longHex.json().requireString("decimal"));
    Run longDec = runRaw("serial", "87112293252494463413683796322992020427259");
    assertEquals(0, longDec.code(), longDec.err());
    assertTrue(longDec.out().contains("0100000168f0a805c366b43b5de968c691fb"), longDec.out());
  }
}
