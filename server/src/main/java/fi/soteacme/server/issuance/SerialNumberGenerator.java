package fi.soteacme.server.issuance;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Makes certificate serial numbers in the 18-byte format of this CA family: {@code 0x01}, 2 bytes
 * of issuer-instance id, 6 bytes of big-endian Unix milliseconds (the issue time), 9 bytes from a
 * CSPRNG (72 random bits). Also reads and prints serials, new and legacy, as hex or decimal.
 *
 * <p>Thread-safe when the {@link SecureRandom} is (the JDK's are).
 */
public final class SerialNumberGenerator {
  /** Length in bytes of every serial this class makes. */
  public static final int LENGTH = 18;

  private static final byte FORMAT_VERSION = 0x01;
  private static final int RANDOM_BYTES = 9;
  private static final long MAX_MILLIS = (1L << 48) - 1;
  private static final int MAX_INPUT_CHARS = 128;
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");
  private static final Pattern HEX_OCTET = Pattern.compile("[0-9a-fA-F]{1,2}");
  private static final Pattern DECIMAL = Pattern.compile("[0-9]+");
  private static final Pattern LOOKS_HEX = Pattern.compile(".*[a-fA-F:].*");

  private final int instanceId;
  private final SecureRandom random;

  /**
   * @param instanceId the issuer-instance id, 0..65535 (0 unless configured)
   * @param random the CSPRNG for the random part
   */
  public SerialNumberGenerator(int instanceId, SecureRandom random) {
    if (instanceId < 0 || instanceId > 0xFFFF) {
      throw new IllegalArgumentException("instance id must be 0..65535, was " + instanceId);
    }
    this.instanceId = instanceId;
    this.random = random;
  }

  /** A new serial for a certificate issued at {@code now}; always exactly 18 bytes, positive. */
  public BigInteger next(Instant now) {
    long millis = now.toEpochMilli();
    if (millis < 0 || millis > MAX_MILLIS) {
      throw new IllegalArgumentException("time does not fit 6 bytes of Unix milliseconds: " + now);
    }
    byte[] bytes = new byte[LENGTH];
    bytes[0] = FORMAT_VERSION;
    bytes[1] = (byte) (instanceId >>> 8);
    bytes[2] = (byte) instanceId;
    for (int i = 0; i < 6; i++) {
      bytes[3 + i] = (byte) (millis >>> (8 * (5 - i)));
    }
    byte[] randomPart = new byte[RANDOM_BYTES];
    random.nextBytes(randomPart);
    System.arraycopy(randomPart, 0, bytes, LENGTH - RANDOM_BYTES, RANDOM_BYTES);
    return new BigInteger(1, bytes);
  }

  /**
   * The issue time embedded in a serial of the 18-byte format; empty for any other serial (legacy
   * short serials).
   */
  public static Optional<Instant> embeddedTime(BigInteger serial) {
    if (serial.signum() <= 0 || (serial.bitLength() + 7) / 8 != LENGTH) {
      return Optional.empty();
    }
    byte[] bytes = serial.toByteArray(); // 18 bytes: the top byte is 0x01, so no sign byte
    if (bytes.length != LENGTH || bytes[0] != FORMAT_VERSION) {
      return Optional.empty();
    }
    long millis = 0;
    for (int i = 3; i < 9; i++) {
      millis = (millis << 8) | (bytes[i] & 0xFF);
    }
    return Optional.of(Instant.ofEpochMilli(millis));
  }

  /** The issuer-instance id of a serial of the 18-byte format; empty for any other serial. */
  public static Optional<Integer> embeddedInstanceId(BigInteger serial) {
    return embeddedTime(serial).map(t -> ((serial.shiftRight(8 * 15).intValue()) & 0xFFFF));
  }

  /** Lower-case hex, even length, no colons or prefix: {@code 0bf4eab0}. */
  public static String toHex(BigInteger serial) {
    requirePositive(serial);
    String hex = serial.toString(16);
    return hex.length() % 2 == 0 ? hex : "0" + hex;
  }

  /**
   * Reads a serial shown in hex or decimal. The input is hex when it has a {@code 0x} prefix, a
   * colon or a letter a-f (any case); otherwise, digits only, it is decimal. Use {@link #parseHex}
   * when a digits-only input is meant as hex (e.g. {@code 12345678} from a hex-only field).
   *
   * @throws IllegalArgumentException if the input is neither, or not a positive number
   */
  public static BigInteger parse(String text) {
    String s = checkLength(text).strip();
    if (s.startsWith("0x") || s.startsWith("0X") || LOOKS_HEX.matcher(s).matches()) {
      return parseHex(s);
    }
    return parseDecimal(s);
  }

  /**
   * Reads hex: any case, leading zeros allowed, an optional {@code 0x} prefix, optionally with
   * colons between octets ({@code 0b:f4:ea:b0}).
   */
  public static BigInteger parseHex(String text) {
    String s = checkLength(text).strip();
    if (s.startsWith("0x") || s.startsWith("0X")) {
      s = s.substring(2);
    }
    if (s.indexOf(':') >= 0) {
      for (String octet : s.split(":", -1)) {
        if (!HEX_OCTET.matcher(octet).matches()) {
          throw new IllegalArgumentException("not a hex serial number: " + text);
        }
      }
      s = s.replace(":", "");
    }
    if (!HEX.matcher(s).matches()) {
      throw new IllegalArgumentException("not a hex serial number: " + text);
    }
    return requirePositive(new BigInteger(s, 16));
  }

  /** Reads decimal digits (leading zeros allowed). */
  public static BigInteger parseDecimal(String text) {
    String s = checkLength(text).strip();
    if (!DECIMAL.matcher(s).matches()) {
      throw new IllegalArgumentException("not a decimal serial number: " + text);
    }
    return requirePositive(new BigInteger(s, 10));
  }

  private static String checkLength(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty serial number");
    }
    if (text.length() > MAX_INPUT_CHARS) {
      throw new IllegalArgumentException("serial number too long");
    }
    return text;
  }

  private static BigInteger requirePositive(BigInteger serial) {
    if (serial.signum() <= 0) {
      throw new IllegalArgumentException("a serial number is a positive integer, was " + serial);
    }
    return serial;
  }
}
