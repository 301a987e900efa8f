package fi.soteacme.server.it.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.Main;
import fi.soteacme.server.SoteAcmeServer;
import fi.soteacme.server.it.TestServers;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.util.KeyPairUtils;
import picocli.CommandLine;

/**
 * The README's {@code admin eab-create} command, run through Main's picocli command line against a
 * running server, prints a credential that an ACME client can register with.
 */
class AdminCliTest {
  @TempDir Path dir;

  @BeforeAll
  static void keys() {
    java.security.Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
  }

  /** What a command printed, and its exit code. */
  private record Run(int exitCode, String out, String err) {}

  @Test
  void eabCreatePrintsAUsableCredential() throws Exception {
    SoteAcmeServer server = TestServers.get().server;
    Path config =
        writeConfig(server.config().dataDir(), server.config().admin().port(), "server.json");

    Run run = admin(config);
    assertEquals(0, run.exitCode(), run.err());
    JsonObject printed = new JsonObject(run.out().trim());
    assertEquals(java.util.Set.of("kid", "hmacKey"), printed.fieldNames(), run.out());

    Account account =
        new AccountBuilder()
            .agreeToTermsOfService()
            .addEmail("ops@example.test")
            .withKeyIdentifier(printed.getString("kid"), printed.getString("hmacKey"))
            .useKeyPair(KeyPairUtils.createECKeyPair("secp256r1"))
            .create(
                fi.soteacme.server.it.Acme4j.session(server.directoryUrl(), server.trustAnchor()));
    assertEquals(Status.VALID, account.getStatus());
  }

  @Test
  void eabCreateWithoutAServerFolderSaysWhatToDo() throws Exception {
    Path config = writeConfig(dir.resolve("no-server-here"), 1, "empty.json");
    Run run = admin(config);
    assertNotEquals(0, run.exitCode());
    assertTrue(run.err().contains("start the server in this folder first"), run.err());
  }

  private Path writeConfig(Path dataDir, int adminPort, String name) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(
        file,
        new JsonObject()
            .put("dataDir", dataDir.toString())
            .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", adminPort))
            .encode());
    return file;
  }

  private static synchronized Run admin(Path config) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      int code =
          new CommandLine(new Main()).execute("admin", "--config", config.toString(), "eab-create");
      return new Run(
          code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
