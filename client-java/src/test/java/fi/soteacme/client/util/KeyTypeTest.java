package fi.soteacme.client.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fi.soteacme.client.RevocationReason;
import org.junit.jupiter.api.Test;

class KeyTypeTest {
  @Test
  void keyTypesParseByLabelAndCommonAliases() {
    for (KeyType t : KeyType.values()) {
      assertEquals(t, KeyType.parse(t.label()));
    }
    assertEquals(KeyType.EC_P256, KeyType.parse("ECDSA"));
    assertEquals(KeyType.EC_P384, KeyType.parse("secp384r1"));
    assertEquals(KeyType.RSA_2048, KeyType.parse("rsa"));
    assertThrows(IllegalArgumentException.class, () -> KeyType.parse("rsa1024"));
  }

  @Test
  void revocationReasonsParseByCodeAndCertbotName() {
    assertEquals(RevocationReason.KEY_COMPROMISE, RevocationReason.parse("keycompromise"));
    assertEquals(RevocationReason.KEY_COMPROMISE, RevocationReason.parse("1"));
    assertEquals(
        RevocationReason.CESSATION_OF_OPERATION, RevocationReason.parse("cessation-of-operation"));
    assertEquals(5, RevocationReason.CESSATION_OF_OPERATION.code());
    // certificateHold (6) is refused by the CA and cannot be asked for.
    assertThrows(IllegalArgumentException.class, () -> RevocationReason.parse("6"));
  }
}
