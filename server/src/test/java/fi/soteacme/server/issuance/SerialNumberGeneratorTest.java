package fi.soteacme.server.issuance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SerialNumberGeneratorTest {
  private static final BigInteger SEED_NEW =
      new BigInteger("87112293252494463413683796322992020427259");
  private static final String SEED_NEW_HEX = "0100000168f0a805c366b43b5de968c691fb";

  @Test
  void newSerialHasTheEighteenByteFormat() {
    Instant now = Instant.parse("2026-03-04T05:06:07.891Z");
    SerialNumberGenerator generator = new SerialNumberGenerator(0x1234, new SecureRandom());
    BigInteger serial = generator.next(now);
    byte[] bytes = serial.toByteArray();
    assertEquals(18, bytes.length);
    assertEquals(0x01, bytes[0]);
    assertEquals(0x12, bytes[1]);
    assertEquals(0x34, bytes[2]);
    assertEquals(Optional.of(now), SerialNumberGenerator.embeddedTime(serial));
    assertEquals(Optional.of(0x1234), SerialNumberGenerator.embeddedInstanceId(serial));
    assertEquals(36, SerialNumberGenerator.toHex(serial).length());
    assertNotEquals(serial, generator.next(now));
  }

  @Test
  void alwaysEighteenBytesEvenWithZeroRandomness() {
    SecureRandom zeros =
        new SecureRandom() {
          @Override
          public void nextBytes(byte[] bytes) {
            java.util.Arrays.fill(bytes, (byte) 0);
          }
        };
    BigInteger serial = new SerialNumberGenerator(0, zeros).next(Instant.EPOCH);
    assertEquals(18, (serial.bitLength() + 7) / 8);
    assertEquals("01" + "00".repeat(17), SerialNumberGenerator.toHex(serial));
  }

  @Test
  void seedExamples() {
    assertEquals(BigInteger.valueOf(200600240), SerialNumberGenerator.parseHex("0bf4eab0"));
    assertEquals("0bf4eab0", SerialNumberGenerator.toHex(BigInteger.valueOf(200600240)));
    assertEquals(SEED_NEW, SerialNumberGenerator.parseHex(SEED_NEW_HEX));
    assertEquals(SEED_NEW_HEX, SerialNumberGenerator.toHex(SEED_NEW));
    assertEquals(
        Optional.of(Instant.parse("2019-02-15T10:16:09.923Z")),
        SerialNumberGenerator.embeddedTime(SEED_NEW));
    assertEquals(
        Optional.empty(), SerialNumberGenerator.embeddedTime(BigInteger.valueOf(200600240)));
  }

  @Test
  void parseAcceptsHexAndDecimalForms() {
    BigInteger old = BigInteger.valueOf(200600240);
    assertEquals(old, SerialNumberGenerator.parse("0bf4eab0"));
    assertEquals(old, SerialNumberGenerator.parse("0B:F4:EA:B0"));
    assertEquals(old, SerialNumberGenerator.parse("0x0bf4eab0"));
    assertEquals(old, SerialNumberGenerator.parse("000BF4EAB0"));
    assertEquals(old, SerialNumberGenerator.parse("200600240"));
    assertEquals(old, SerialNumberGenerator.parseDecimal("0200600240"));
    assertEquals(SEED_NEW, SerialNumberGenerator.parse(SEED_NEW.toString()));
    assertEquals(
        SEED_NEW,
        SerialNumberGenerator.parse("01:00:00:01:68:f0:a8:05:c3:66:b4:3b:5d:e9:68:c6:91:fb"));
    // digits only: decimal for parse(), hex when asked for hex
    assertEquals(BigInteger.valueOf(12), SerialNumberGenerator.parse("12"));
    assertEquals(BigInteger.valueOf(0x12), SerialNumberGenerator.parseHex("12"));
  }

  @Test
  void parseRefusesNonsense() {
    for (String bad :
        new String[] {"", "  ", "0", "-5", "0x", "xyz", "0b::f4", "0bf:4eab0", "1".repeat(200)}) {
      assertThrows(IllegalArgumentException.class, () -> SerialNumberGenerator.parse(bad), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> SerialNumberGenerator.parseDecimal("0bf4"));
    assertThrows(
        IllegalArgumentException.class, () -> new SerialNumberGenerator(70000, new SecureRandom()));
  }
}
