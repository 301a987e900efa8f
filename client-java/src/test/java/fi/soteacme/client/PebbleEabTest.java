package fi.soteacme.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.client.exception.AcmeServerException;
import fi.soteacme.client.testsupport.Pebble;
import fi.soteacme.client.util.KeyPairs;
import fi.soteacme.client.util.KeyType;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** External Account Binding (RFC 8555 §7.3.4) against a Pebble that requires it. */
class PebbleEabTest {
  // Pebble's own example credential (docs/examples/pebble-config-external-account-bindings.json).
  private static final String KID = "kid-1";
  private static final String HMAC =
      "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";

  @TempDir static Path dir;
  private static Pebble pebble;
  private static Session session;

  @BeforeAll
  static void start() throws Exception {
    pebble = Pebble.startRequiringEab(dir, Map.of(KID, HMAC));
    session = pebble.session();
  }

  @AfterAll
  static void stop() throws Exception {
    if (session != null) {
      session.close();
    }
    if (pebble != null) {
      pebble.close();
    }
  }

  @Test
  void theDirectorySaysEabIsRequiredAndNewAccountWithoutOneFails() throws Exception {
    assertTrue(session.directory().meta().externalAccountRequired());
    AcmeServerException e =
        assertThrows(
            AcmeServerException.class,
            () ->
                new AccountBuilder()
                    .keyPair(KeyPairs.generate(KeyType.EC_P256))
                    .agreeToTermsOfService()
                    .create(session));
    assertTrue(e.problem().is("externalAccountRequired"), e.problem().toString());
  }

  @Test
  void aValidBindingCreatesTheAccountAndAWrongKeyIsRefused() throws Exception {
    AcmeServerException wrong =
        assertThrows(
            AcmeServerException.class,
            () ->
                new AccountBuilder()
                    .keyPair(KeyPairs.generate(KeyType.EC_P256))
                    .agreeToTermsOfService()
                    .externalAccountBinding(
                        KID, "b10lLJs8l1GPIzsLP0s6pMt8O0XVGnfTaCeROxQM0BIt2XrJMDHJZBM5NuQmQJQH")
                    .create(session));
    assertTrue(
        wrong.problem().is("unauthorized") || wrong.problem().is("malformed"),
        wrong.problem().toString());

    Account account =
        new AccountBuilder()
            .keyPair(KeyPairs.generate(KeyType.RSA_2048))
            .addEmail("eab@example.fi")
            .agreeToTermsOfService()
            .externalAccountBinding(KID, HMAC)
            .create(session);
    assertEquals(Status.VALID, account.status());
  }
}
