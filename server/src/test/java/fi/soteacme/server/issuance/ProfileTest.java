package fi.soteacme.server.issuance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProfileTest {
  @Test
  void profilesByIdAndDefault() {
    assertEquals(Optional.of(Profile.SERVER), Profile.byId("sote-server"));
    assertEquals(
        Optional.of(Profile.SYSTEM_SIGNATURE_TEST), Profile.byId("sote-system-signature-test"));
    assertEquals(Optional.empty(), Profile.byId("sote-server-TEST"));
    assertEquals(Profile.SERVER, Profile.DEFAULT);
    assertTrue(Profile.SERVER_TEST.isTest());
    assertFalse(Profile.SERVER.isSystemSignature());
    assertTrue(Profile.SYSTEM_SIGNATURE.isSystemSignature());
  }

  @Test
  void capIsCountedWithBothEndsIncluded() {
    assertEquals(31_536_000L, Profile.SERVER.maxValidity().toSeconds());
    assertEquals(Duration.ofDays(730), Profile.SYSTEM_SIGNATURE_TEST.maxValidity());
    Instant notBefore = Instant.parse("2026-01-01T00:00:00Z");
    Instant lastAllowed = notBefore.plusSeconds(31_536_000L - 1);
    assertTrue(Profile.SERVER.permitsValidity(notBefore, lastAllowed));
    assertFalse(Profile.SERVER.permitsValidity(notBefore, lastAllowed.plusSeconds(1)));
    assertFalse(Profile.SERVER.permitsValidity(notBefore, notBefore.minusSeconds(1)));
  }
}
