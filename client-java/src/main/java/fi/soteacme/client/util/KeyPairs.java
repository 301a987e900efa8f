package fi.soteacme.client.util;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Optional;

/** Generates and describes key pairs. */
public final class KeyPairs {
  private KeyPairs() {}

  /**
   * Generates a key pair with the JDK's providers and a strong random source.
   *
   * @param type the key type
   * @return a new key pair
   */
  public static KeyPair generate(KeyType type) {
    try {
      KeyPairGenerator generator;
      switch (type) {
        case RSA_2048, RSA_3072, RSA_4096 -> {
          int bits = Integer.parseInt(type.label().substring(3));
          generator = KeyPairGenerator.getInstance("RSA");
          generator.initialize(
              new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4), new SecureRandom());
        }
        case EC_P256, EC_P384 -> {
          generator = KeyPairGenerator.getInstance("EC");
          String curve = type == KeyType.EC_P256 ? "secp256r1" : "secp384r1";
          generator.initialize(new ECGenParameterSpec(curve), new SecureRandom());
        }
        default -> throw new IllegalArgumentException("Unsupported key type " + type);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot generate a " + type.label() + " key", e);
    }
  }

  /**
   * Tells which supported type a key pair is.
   *
   * @param keyPair the key pair
   * @return the type, or empty if it is none of the supported ones
   */
  public static Optional<KeyType> typeOf(KeyPair keyPair) {
    if (keyPair.getPublic() instanceof RSAPublicKey rsa) {
      return switch (rsa.getModulus().bitLength()) {
        case 2048 -> Optional.of(KeyType.RSA_2048);
        case 3072 -> Optional.of(KeyType.RSA_3072);
        case 4096 -> Optional.of(KeyType.RSA_4096);
        default -> Optional.empty();
      };
    }
    if (keyPair.getPublic() instanceof ECPublicKey ec) {
      return switch (ec.getParams().getCurve().getField().getFieldSize()) {
        case 256 -> Optional.of(KeyType.EC_P256);
        case 384 -> Optional.of(KeyType.EC_P384);
        default -> Optional.empty();
      };
    }
    return Optional.empty();
  }

  /**
   * Returns the JCA signature algorithm to sign with a key: SHA256withRSA, SHA256withECDSA for
   * P-256, SHA384withECDSA for P-384.
   *
   * @param keyPair the key pair
   * @return the algorithm name
   */
  public static String signatureAlgorithm(KeyPair keyPair) {
    if (keyPair.getPublic() instanceof ECPublicKey ec) {
      return ec.getParams().getCurve().getField().getFieldSize() > 256
          ? "SHA384withECDSA"
          : "SHA256withECDSA";
    }
    return "SHA256withRSA";
  }
}
