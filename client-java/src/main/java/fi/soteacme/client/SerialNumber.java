package fi.soteacme.client;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A certificate serial number of up to 20 bytes (RFC 5280 §4.1.2.2), held exactly. sote-acme shows
 * serials in hex; people and old paperwork may give them in decimal. Both parse and print.
 *
 * <p>{@link #parse(String)} reads hex when the text says so: a {@code 0x} or {@code hex:} prefix,
 * colons, a letter {@code a-f}, or a leading zero (decimal numbers are not written with one).
 * Digits alone are decimal; {@code dec:} forces decimal, {@link #parseHex} and {@link
 * #parseDecimal} take no guess.
 */
public final class SerialNumber implements Comparable<SerialNumber> {
  /** The longest serial RFC 5280 allows, in bytes. */
  public static final int MAX_BYTES = 20;

  private final BigInteger value;

  private SerialNumber(BigInteger value) {
    if (value.signum() < 0) {
      throw new IllegalArgumentException("A serial number is not negative: " + value);
    }
    if (value.bitLength() > MAX_BYTES * 8) {
      throw new IllegalArgumentException(
          "A serial number has at most " + MAX_BYTES + " bytes: " + value.toString(16));
    }
    this.value = value;
  }

  /**
   * Wraps a value.
   *
   * @param value a non-negative value of at most 20 bytes
   * @return the serial
   */
  public static SerialNumber of(BigInteger value) {
    return new SerialNumber(Objects.requireNonNull(value));
  }

  /**
   * Returns a certificate's serial.
   *
   * @param certificate the certificate
   * @return its serial
   */
  public static SerialNumber of(X509Certificate certificate) {
    return of(certificate.getSerialNumber());
  }

  /**
   * Parses hex or decimal, guessing as the class description says.
   *
   * @param text the serial
   * @return the serial
   * @throws IllegalArgumentException if the text is no serial
   */
  public static SerialNumber parse(String text) {
    String t = text.trim();
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.startsWith("dec:")) {
      return parseDecimal(t.substring(4));
    }
    if (lower.startsWith("hex:")) {
      return parseHex(t.substring(4));
    }
    if (lower.startsWith("0x")
        || lower.indexOf(':') >= 0
        || lower.chars().anyMatch(c -> c >= 'a' && c <= 'f')
        || (lower.length() > 1 && lower.charAt(0) == '0')) {
      return parseHex(t);
    }
    return parseDecimal(t);
  }

  /**
   * Parses hex: any case, with or without colons (or spaces) between bytes, with or without {@code
   * 0x}, leading zeros allowed.
   *
   * @param text the hex serial
   * @return the serial
   * @throws IllegalArgumentException if the text is not hex
   */
  public static SerialNumber parseHex(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("0x")) {
      t = t.substring(2);
    }
    t = t.replace(":", "").replace(" ", "");
    if (t.isEmpty() || !t.matches("[0-9a-f]+")) {
      throw new IllegalArgumentException("Not a hex serial number: '" + text + "'");
    }
    return of(new BigInteger(t, 16));
  }

  /**
   * Parses decimal digits.
   *
   * @param text the decimal serial
   * @return the serial
   * @throws IllegalArgumentException if the text is not decimal
   */
  public static SerialNumber parseDecimal(String text) {
    String t = text.trim();
    if (!t.matches("[0-9]+")) {
      throw new IllegalArgumentException("Not a decimal serial number: '" + text + "'");
    }
    return of(new BigInteger(t));
  }

  /**
   * Returns the value.
   *
   * @return the serial as an integer
   */
  public BigInteger value() {
    return value;
  }

  /**
   * Returns lower-case hex of the whole bytes, as sote-acme shows serials ({@code 0bf4eab0}).
   *
   * @return an even number of hex digits
   */
  public String toHex() {
    return HexFormat.of().formatHex(unsignedBytes());
  }

  /**
   * Returns hex with colons between bytes, as OpenSSL prints ({@code 0b:f4:ea:b0}).
   *
   * @return colon-separated hex bytes
   */
  public String toColonHex() {
    return HexFormat.ofDelimiter(":").formatHex(unsignedBytes());
  }

  /**
   * Returns the decimal form.
   *
   * @return decimal digits
   */
  public String toDecimal() {
    return value.toString();
  }

  /**
   * Returns the content octets of the DER INTEGER (two's complement, minimal, a leading zero byte
   * when the top bit is set), as RFC 9773 certIDs use them.
   *
   * @return the bytes
   */
  public byte[] derContent() {
    return value.toByteArray();
  }

  private byte[] unsignedBytes() {
    byte[] b = value.toByteArray();
    if (b.length > 1 && b[0] == 0) {
      return java.util.Arrays.copyOfRange(b, 1, b.length);
    }
    return b;
  }

  @Override
  public int compareTo(SerialNumber other) {
    return value.compareTo(other.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SerialNumber other && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  /**
   * Returns the hex form.
   *
   * @return {@link #toHex()}
   */
  @Override
  public String toString() {
    return toHex();
  }
}
