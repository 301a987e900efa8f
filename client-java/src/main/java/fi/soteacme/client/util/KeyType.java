package fi.soteacme.client.util;

import java.util.Locale;

/** The key types sote-acme accepts in certificates (and that work as account keys). */
public enum KeyType {
  /** RSA, 2048 bits. */
  RSA_2048("rsa2048"),
  /** RSA, 3072 bits. */
  RSA_3072("rsa3072"),
  /** RSA, 4096 bits. */
  RSA_4096("rsa4096"),
  /** EC on NIST P-256 (secp256r1). */
  EC_P256("ec256"),
  /** EC on NIST P-384 (secp384r1). */
  EC_P384("ec384");

  private final String label;

  KeyType(String label) {
    this.label = label;
  }

  /**
   * Returns the short name used on the command line and in configuration.
   *
   * @return e.g. {@code rsa2048} or {@code ec256}
   */
  public String label() {
    return label;
  }

  /**
   * Parses a short name ({@code rsa2048}, {@code rsa3072}, {@code rsa4096}, {@code ec256}, {@code
   * ec384}; also {@code rsa} = rsa2048, {@code ecdsa} / {@code p256} = ec256, {@code p384}).
   *
   * @param text the name
   * @return the key type
   * @throws IllegalArgumentException if unknown
   */
  public static KeyType parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    return switch (t) {
      case "rsa", "rsa2048" -> RSA_2048;
      case "rsa3072" -> RSA_3072;
      case "rsa4096" -> RSA_4096;
      case "ec", "ecdsa", "ec256", "p256", "secp256r1" -> EC_P256;
      case "ec384", "p384", "secp384r1" -> EC_P384;
      default ->
          throw new IllegalArgumentException(
              "Unknown key type '" + text + "'; use rsa2048, rsa3072, rsa4096, ec256 or ec384");
    };
  }
}
