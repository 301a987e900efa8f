package fi.soteacme.client.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PemTest {
  @Test
  void privateKeysRoundTripWithTheirPublicKey() throws Exception {
    for (KeyType type : List.of(KeyType.RSA_2048, KeyType.EC_P256, KeyType.EC_P384)) {
      KeyPair key = KeyPairs.generate(type);
      KeyPair read = Pem.parseKeyPair(Pem.privateKey(key.getPrivate()));
      assertEquals(key.getPublic(), read.getPublic(), type.label());
      assertEquals(key.getPrivate(), read.getPrivate(), type.label());
    }
  }

  @Test
  void certificateChainsRoundTripInOrder() throws Exception {
    var a =
        SelfSignedCertificates.server(
            KeyPairs.generate(KeyType.EC_P256), List.of("a.test"), List.of(), Duration.ofDays(1));
    var b =
        SelfSignedCertificates.server(
            KeyPairs.generate(KeyType.EC_P256),
            List.of(),
            List.of("127.0.0.1"),
            Duration.ofDays(1));
    String pem = Pem.certificates(List.of(a, b));
    assertEquals(List.of(a, b), Pem.parseCertificates(pem));
    assertEquals(a, Pem.parseDer(a.getEncoded()));
  }

  @Test
  void textWithoutKeyIsRefused() {
    assertThrows(IOException.class, () -> Pem.parseKeyPair("no key here"));
  }
}
