package fi.soteacme.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class SerialNumberTest {
  private static final String LONG_HEX = "0100000168f0a805c366b43b5de968c691fb";
  private static final String LONG_DEC = "87112293252494463413683796322992020427259";

  @Test
  void shortSeedSerialReadsBothWays() {
    SerialNumber hex = SerialNumber.parse("0bf4eab0");
    assertEquals("200600240", hex.toDecimal());
    assertEquals("0bf4eab0", hex.toHex());
    assertEquals("0b:f4:ea:b0", hex.toColonHex());
    assertEquals(hex, SerialNumber.parse("200600240"));
  }

  @Test
  void longSeedSerialIsExact() {
    SerialNumber hex = SerialNumber.parse(LONG_HEX);
    assertEquals(LONG_DEC, hex.toDecimal());
    assertEquals(LONG_HEX, hex.toHex());
    assertEquals(hex, SerialNumber.parse(LONG_DEC));
    assertEquals(18, hex.toHex().length() / 2);
  }

  @Test
  void hexFormsAllParseToTheSameValue() {
    SerialNumber expected = SerialNumber.parse(LONG_HEX);
    assertEquals(expected, SerialNumber.parse(LONG_HEX.toUpperCase()));
    assertEquals(
        expected, SerialNumber.parse("01:00:00:01:68:F0:A8:05:C3:66:B4:3B:5D:E9:68:C6:91:FB"));
    assertEquals(expected, SerialNumber.parse("0x" + LONG_HEX));
    assertEquals(expected, SerialNumber.parse("000" + LONG_HEX));
    assertEquals(expected, SerialNumber.parseHex("100000168f0a805c366b43b5de968c691fb"));
  }

  @Test
  void digitsAloneAreDecimalUnlessForcedOrLeadingZero() {
    assertEquals(BigInteger.valueOf(12), SerialNumber.parse("12").value());
    assertEquals(BigInteger.valueOf(0x12), SerialNumber.parse("hex:12").value());
    assertEquals(BigInteger.valueOf(0x0012), SerialNumber.parse("0012").value());
    assertEquals(BigInteger.valueOf(12), SerialNumber.parse("dec:0012").value());
  }

  @Test
  void twentyBytesIsTheLimit() {
    String twenty = "ff".repeat(20);
    assertEquals(twenty, SerialNumber.parse(twenty).toHex());
    assertEquals(new BigInteger(twenty, 16).toString(), SerialNumber.parseHex(twenty).toDecimal());
    assertThrows(IllegalArgumentException.class, () -> SerialNumber.parse("01" + twenty));
    assertThrows(IllegalArgumentException.class, () -> SerialNumber.parse("12g4"));
    assertThrows(IllegalArgumentException.class, () -> SerialNumber.parse(""));
  }

  @Test
  void derContentAddsASignByteWhenTheTopBitIsSet() {
    assertArrayEquals(new byte[] {0, (byte) 0x80}, SerialNumber.parse("0x80").derContent());
    assertEquals("80", SerialNumber.parse("0x80").toHex());
    assertArrayEquals(
        new byte[] {0x0b, (byte) 0xf4, (byte) 0xea, (byte) 0xb0},
        SerialNumber.parse("0bf4eab0").derContent());
  }
}
