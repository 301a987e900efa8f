package fi.soteacme.server.web.jws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import org.junit.jupiter.api.Test;
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
    KeyPairGenerator g = generator(curve);
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

  @Test
  void aKeyUsedAgainAndAgainStillTellsGoodFromBadSignatures() throws Exception {
    // BouncyCastle widens a reused point's tables (and switches to fixed-point multiplication)
    // after a few uses: the kept key must give the same answers on its hundredth use as on its
    // first.
    KeyPairGenerator g = generator("secp256r1");
    KeyPair kp = g.generateKeyPair();
    ECPublicKey pub = (ECPublicKey) kp.getPublic();
    for (int i = 0; i < 100; i++) {
      String input = INPUT + i;
      byte[] signature = sign(kp, "SHA256withECDSAinP1363Format", input);
      assertTrue(EcdsaVerifier.verify(pub, input, signature), "use " + i);
      signature[i % signature.length] ^= 1;
      assertFalse(EcdsaVerifier.verify(pub, input, signature), "changed signature, use " + i);
    }
  }

  @Test
  void aPointOffTheCurveIsRefusedAndNotKept() throws Exception {
    KeyPairGenerator g = generator("secp256r1");
    KeyPair kp = g.generateKeyPair();
    ECPublicKey pub = (ECPublicKey) kp.getPublic();
    ECPoint off = new ECPoint(pub.getW().getAffineX(), pub.getW().getAffineY().add(BigInteger.ONE));
    ECPublicKey bad =
        (ECPublicKey)
            KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(off, pub.getParams()));
    byte[] signature = sign(kp, "SHA256withECDSAinP1363Format", INPUT);
    int kept = EcdsaVerifier.keptKeys();
    assertFalse(EcdsaVerifier.verify(bad, INPUT, signature));
    assertFalse(EcdsaVerifier.verify(bad, INPUT, signature), "asked again");
    assertEquals(kept, EcdsaVerifier.keptKeys());
  }

  @Test
  void keepsABoundedNumberOfKeys() throws Exception {
    KeyPairGenerator g = generator("secp256r1");
    for (int i = 0; i < EcdsaVerifier.RECENT_KEYS + 50; i++) {
      EcdsaVerifier.verify((ECPublicKey) g.generateKeyPair().getPublic(), INPUT, new byte[64]);
    }
    assertEquals(EcdsaVerifier.RECENT_KEYS, EcdsaVerifier.keptKeys());
  }

  private static KeyPairGenerator generator(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    return g;
  }

  private static byte[] sign(KeyPair kp, String algorithm, String input) throws Exception {
    Signature s = Signature.getInstance(algorithm);
    s.initSign(kp.getPrivate());
    s.update(input.getBytes(StandardCharsets.US_ASCII));
    return s.sign();
  }
}
