package fi.soteacme.server.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.Main;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.RevocationReason;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.util.KeyPairUtils;
import picocli.CommandLine;

/**
 * Operator revocation and key blocks through the operator API and the {@code admin} commands, and
 * the refusal of blocked keys at finalize.
 */
class OperatorRevocationTest {
  private static final String COMPROMISED =
      "this key was revoked for keyCompromise and can never be certified again; generate a new key";

  private static RevocationFixture fixture;
  private static Path config;

  @BeforeAll
  static void start() throws Exception {
    fixture = new RevocationFixture();
    config = fixture.dir.resolve("server.json");
    Files.writeString(
        config,
        new JsonObject()
            .put("dataDir", fixture.servers.dataDir.resolve("server-1").toString())
            .put(
                "admin",
                new JsonObject()
                    .put("host", "127.0.0.1")
                    .put("port", fixture.server.config().admin().port()))
            .encode());
  }

  @Test
  void revokesByHexWithColonsAndByDecimal() throws Exception {
    var hex = fixture.issue("op-a.clinic-r.test", KeyPairUtils.createECKeyPair("secp384r1"));
    var decimal = fixture.issue("op-b.clinic-r.test", KeyPairUtils.createECKeyPair("secp384r1"));
    String colons =
        HexFormat.ofDelimiter(":")
            .formatHex(hex.certificate().getSerialNumber().toByteArray())
            .toUpperCase();
    var response =
        fixture.admin(
            fixture.server,
            "/admin/revoke",
            new JsonObject().put("serial", colons).put("reason", "cessationOfOperation").encode());
    assertEquals(200, response.statusCode(), response.body());
    JsonObject body = new JsonObject(response.body());
    assertEquals(5, body.getInteger("reason"));
    assertEquals("production", body.getString("issuer"));
    assertTrue(fixture.ocsp(hex.pem()).output().contains("Reason: cessationOfOperation"));

    response =
        fixture.admin(
            fixture.server,
            "/admin/revoke",
            new JsonObject()
                .put("serial", decimal.certificate().getSerialNumber().toString())
                .put("reason", 4)
                .encode());
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(fixture.ocsp(decimal.pem()).output().contains("Reason: superseded"));

    response =
        fixture.admin(
            fixture.server,
            "/admin/revoke",
            new JsonObject().put("serial", colons).put("reason", "keyCompromise").encode());
    assertEquals(400, response.statusCode(), response.body());
    assertTrue(response.body().contains("alreadyRevoked"), response.body());
  }

  @Test
  void refusesUnknownSerialsAndReasonsThatCouldBeUndone() throws Exception {
    var unknown =
        fixture.admin(fixture.server, "/admin/revoke", "{\"serial\": \"0bf4eab0\", \"reason\": 1}");
    assertEquals(404, unknown.statusCode(), unknown.body());
    var hold =
        fixture.admin(fixture.server, "/admin/revoke", "{\"serial\": \"0bf4eab0\", \"reason\": 6}");
    assertEquals(400, hold.statusCode(), hold.body());
    assertTrue(hold.body().contains("badRevocationReason"), hold.body());
    var garbage =
        fixture.admin(fixture.server, "/admin/revoke", "{\"serial\": \"xyz\", \"reason\": 1}");
    assertEquals(400, garbage.statusCode(), garbage.body());
  }

  @Test
  void adminRevokeCommand() throws Exception {
    var issued = fixture.issue("op-c.clinic-r.test", KeyPairUtils.createECKeyPair("secp384r1"));
    int exit =
        new CommandLine(new Main())
            .execute(
                "admin",
                "--config",
                config.toString(),
                "revoke",
                "--serial",
                issued.certificate().getSerialNumber().toString(),
                "--reason",
                "keyCompromise");
    assertEquals(0, exit);
    assertTrue(fixture.ocsp(issued.pem()).output().contains("Reason: keyCompromise"));
  }

  @Test
  void keyCompromiseBlocksTheKeyAtFinalize() throws Exception {
    KeyPair key = KeyPairUtils.createECKeyPair("secp384r1");
    var issued = fixture.issue("op-d.clinic-r.test", key);
    issued.acme().revoke(RevocationReason.KEY_COMPROMISE);
    Order order = fixture.readyOrder("op-e.clinic-r.test");
    AcmeServerException refused = assertThrows(AcmeServerException.class, () -> order.execute(key));
    assertEquals("urn:ietf:params:acme:error:badPublicKey", refused.getType().toString());
    assertEquals(COMPROMISED, detail(refused));
  }

  /** A key both revoked for keyCompromise and blocked by an operator: the first answer counts. */
  @Test
  void compromisedAndBlockedKeyIsRefusedAsCompromised() throws Exception {
    KeyPair key = KeyPairUtils.createECKeyPair("secp384r1");
    var issued = fixture.issue("op-h.clinic-r.test", key);
    issued.acme().revoke(RevocationReason.KEY_COMPROMISE);
    var blocked =
        fixture.admin(
            fixture.server,
            "/admin/blocked-keys",
            new JsonObject().put("spkiSha256", spkiSha256(key)).encode());
    assertEquals(201, blocked.statusCode(), blocked.body());
    Order order = fixture.readyOrder("op-i.clinic-r.test");
    AcmeServerException refused = assertThrows(AcmeServerException.class, () -> order.execute(key));
    assertEquals("urn:ietf:params:acme:error:badPublicKey", refused.getType().toString());
    assertEquals(COMPROMISED, detail(refused));
  }

  private static String spkiSha256(KeyPair key) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getPublic().getEncoded()));
  }

  private static String detail(AcmeServerException e) {
    return e.getProblem().asJSON().get("detail").asString();
  }

  @Test
  void operatorBlockedKeyIsRefusedAtFinalize() throws Exception {
    KeyPair api = KeyPairUtils.createECKeyPair("secp384r1");
    String spki =
        HexFormat.ofDelimiter(":")
            .formatHex(MessageDigest.getInstance("SHA-256").digest(api.getPublic().getEncoded()))
            .toUpperCase();
    var created =
        fixture.admin(
            fixture.server,
            "/admin/blocked-keys",
            new JsonObject().put("spkiSha256", spki).put("comment", "disclosed").encode());
    assertEquals(201, created.statusCode(), created.body());
    var again =
        fixture.admin(
            fixture.server,
            "/admin/blocked-keys",
            new JsonObject().put("spkiSha256", spki).encode());
    assertEquals(200, again.statusCode(), again.body());
    var bad = fixture.admin(fixture.server, "/admin/blocked-keys", "{\"spkiSha256\": \"abc\"}");
    assertEquals(400, bad.statusCode(), bad.body());

    Order order = fixture.readyOrder("op-f.clinic-r.test");
    AcmeServerException refused = assertThrows(AcmeServerException.class, () -> order.execute(api));
    assertEquals("urn:ietf:params:acme:error:badPublicKey", refused.getType().toString());
    assertTrue(
        detail(refused)
            .matches(
                "an operator blocked this key \\(SPKI SHA-256 "
                    + spkiSha256(api)
                    + "\\) on \\d{4}-\\d{2}-\\d{2} and it can never be certified again;"
                    + " generate a new key"),
        detail(refused));

    KeyPair cli = KeyPairUtils.createECKeyPair("secp384r1");
    String cliSpki =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(cli.getPublic().getEncoded()));
    assertEquals(
        0,
        new CommandLine(new Main())
            .execute(
                "admin", "--config", config.toString(), "block-key", "--spki-sha256", cliSpki));
    Order second = fixture.readyOrder("op-g.clinic-r.test");
    AcmeServerException cliRefused =
        assertThrows(AcmeServerException.class, () -> second.execute(cli));
    assertEquals("urn:ietf:params:acme:error:badPublicKey", cliRefused.getType().toString());
  }
}
