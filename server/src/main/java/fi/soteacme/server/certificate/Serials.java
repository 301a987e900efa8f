package fi.soteacme.server.certificate;

import fi.soteacme.server.problem.AcmeProblem;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;

/** Serial numbers as stored: the unsigned big-endian magnitude, any length up to 20 bytes. */
public final class Serials {
  private Serials() {}

  public static byte[] toBytes(BigInteger serial) {
    byte[] raw = serial.toByteArray();
    return raw.length > 1 && raw[0] == 0 ? Arrays.copyOfRange(raw, 1, raw.length) : raw;
  }

  public static String toHex(byte[] serial) {
    return HexFormat.of().formatHex(serial);
  }

  /** Parses the hex of a certificate URL; anything else is no resource. */
  public static byte[] fromHex(String hex) {
    try {
      if (hex.isEmpty() || hex.length() > 42) {
        throw new IllegalArgumentException();
      }
      return toBytes(new BigInteger(hex, 16));
    } catch (IllegalArgumentException e) {
      throw AcmeProblem.notFound("no certificate with serial " + hex);
    }
  }
}
