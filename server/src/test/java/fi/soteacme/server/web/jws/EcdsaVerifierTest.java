package fi.soteacme.server.web.jws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The lightweight ECDSA path agrees with the JDK's signatures, for every curve JWS names. */
class EcdsaVerifierTest {
  private static final String INPUT = "eyJhbGciOiJFUzI1NiJ9.eyJmb28iOiJiYXIifQ";

  @ParameterizedTest
  @CsvSource({
    "secp256r1, ES256, SHA256withECDSAinP1363Format, SHA256withECDSA",
    "secp384r1, ES384, SHA384withECDSAinP1363Format, SHA384withECDSA",
    "secp521r1, ES512, SHA512withECDSAinP1363Format, SHA512withECDSA"
  })
  void agreesWithTheJdk(String curve, String alg, String rawSig, String derSig) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    KeyPair kp = g.generateKeyPair();
    ECPublicKey pub = (ECPublicKey) kp.getPublic();
    assertEquals(alg, EcdsaVerifier.algorithmOf(pub));

    byte[] signature = sign(kp, rawSig, INPUT);
    assertTrue(EcdsaVerifier.verify(pub, INPUT, signature));
    assertFalse(EcdsaVerifier.verify(pub, INPUT + "x", signature), "other input");
    byte[] flipped = signature.clone();
    flipped[flipped.length / 3] ^= 1;
    assertFalse(EcdsaVerifier.verify(pub, INPUT, flipped), "changed signature");
    assertFalse(EcdsaVerifier.verify(pub, INPUT, sign(kp, derSig, INPUT)), "DER, not R || S");
    assertFalse(EcdsaVerifier.verify(pub, INPUT, new byte[signature.length]), "r = s = 0");

    KeyPair other = g.generateKeyPair();
    assertFalse(
        EcdsaVerifier.verify((ECPublicKey) other.getPublic(), INPUT, signature), "other key");
  }

  private static byte[] sign(KeyPair kp, String algorithm, String input) throws Exception {
    Signature s = Signature.getInstance(algorithm);
    s.initSign(kp.getPrivate());
    s.update(input.getBytes(StandardCharsets.US_ASCII));
    return s.sign();
  }
}
