package fi.soteacme.server.renewal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.Main;
import fi.soteacme.server.issuance.IssuingCa;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The operator commands {@code admin import-certificate} and {@code admin incident}. */
class RenewalCommandsTest {
  static final String PHARMACY = "1.2.246.10.9715328.10.0";

  @TempDir Path dir;

  private record Run(int exit, String out) {}

  private Run admin(Path config, String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "admin";
    all[1] = "--config";
    all[2] = config.toString();
    System.arraycopy(args, 0, all, 3, args.length);
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int exit =
          new CommandLine(new Main())
              .setErr(new java.io.PrintWriter(new java.io.StringWriter()))
              .execute(all);
      return new Run(exit, out.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(original);
    }
  }

  @Test
  void importADerFileThenMarkItsSerial() throws Exception {
    RenewalFixture f = RenewalFixture.get();
    var server = f.servers.server;
    Path config = dir.resolve("config.json");
    Files.writeString(
        config,
        new JsonObject()
            .put("dataDir", server.config().dataDir().toString())
            .put(
                "admin",
                new JsonObject()
                    .put("host", "127.0.0.1")
                    .put("port", server.config().admin().port()))
            .encode());
    IssuingCa test = server.cas().test();
    X509Certificate cert =
        LegacyTestdata.issue(
            test.certificate(),
            test.privateKey(),
            LegacyTestdata.rsa().getPublic(),
            new BigInteger("7e0101", 16),
            PHARMACY,
            "Kuvitteellinen VI apteekki",
            "Kuvitteellinen VI apteekki",
            "command.pharmacy.test",
            "command.pharmacy.test",
            Instant.now().truncatedTo(ChronoUnit.SECONDS),
            Duration.ofDays(365));
    Path der = dir.resolve("old.der");
    Files.write(der, cert.getEncoded());

    Run imported = admin(config, "import-certificate", der.toString());
    assertEquals(0, imported.exit(), imported.out());
    JsonObject first =
        new JsonObject(imported.out().trim()).getJsonArray("certificates").getJsonObject(0);
    assertEquals("7e0101", first.getString("serial"));
    assertEquals("imported", first.getString("status"));
    assertEquals(CertId.of(cert).toString(), first.getString("certID"));

    Run marked =
        admin(
            config,
            "incident",
            "--serial",
            "7e0101",
            "--explanation-url",
            "https://ca.example.test/incidents/command");
    assertEquals(0, marked.exit(), marked.out());
    assertEquals(1, new JsonObject(marked.out().trim()).getInteger("marked"));
    JsonObject info = new JsonObject(f.renewalInfo(CertId.of(cert).toString()).body());
    assertEquals("https://ca.example.test/incidents/command", info.getString("explanationURL"));

    assertNotEquals(0, admin(config, "incident", "--serial", "7e0101", "--org", PHARMACY).exit());
    assertTrue(admin(config, "incident").exit() != 0);
  }
}
