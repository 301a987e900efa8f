package fi.soteacme.server.renewal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CertIdTest {
  private static final HexFormat HEX = HexFormat.of();

  /** RFC 9773 §4.1's example: AKI 69:88:5B:...:C8:D4, serial DER content 00:87:65:43:21. */
  @Test
  void readsAndWritesTheRfcExample() {
    CertId id = CertId.parse("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE");
    assertArrayEquals(
        HEX.parseHex("69885b6b87464041e1b37b847ba0ae2cde01c8d4"), id.authorityKeyId());
    assertArrayEquals(HEX.parseHex("87654321"), id.serial());
    assertEquals("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE", id.toString());
  }

  @Test
  void legacyShortSerialsKeepTheirLength() throws Exception {
    var cert = LegacyTestdata.certificate("county-0bf4eab0.pem");
    CertId id = CertId.of(cert);
    assertArrayEquals(HEX.parseHex("0bf4eab0"), id.serial());
    assertTrue(id.toString().endsWith(".C_TqsA"), id.toString());
    assertEquals(id, CertId.parse(id.toString()));

    // Top bit set: the DER content, and so the certID, keeps the leading zero octet.
    CertId high = CertId.of(LegacyTestdata.certificate("county-unit-9c2d71.pem"));
    assertArrayEquals(HEX.parseHex("9c2d71"), high.serial());
    assertTrue(high.toString().endsWith(".AJwtcQ"), high.toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "aYhba4dGQEHhs3uEe6CuLN4ByNQ",
        "aYhba4dGQEHhs3uEe6CuLN4ByNQ.",
        ".AIdlQyE",
        "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE.AA",
        "aYhba4dGQEHhs3uEe6CuLN4ByNQ=.AIdlQyE=",
        "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdl+yE",
        "aYhba4dGQEHhs3uEe6CuLN4ByNQ.A",
        // negative (87 65 43 21 without its zero octet), zero, non-minimal
        "aYhba4dGQEHhs3uEe6CuLN4ByNQ.h2VDIQ",
        "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AA",
        "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AAF2",
        // 22 octets of serial
        "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ"
      })
  void malformedCertIdsAreMalformed(String text) {
    AcmeProblem e = assertThrows(AcmeProblem.class, () -> CertId.parse(text));
    assertEquals(ProblemType.MALFORMED, e.type());
  }

  @Test
  void twentyOctetSerialsWithTheirSignOctetAreAccepted() {
    byte[] serial = new byte[20];
    java.util.Arrays.fill(serial, (byte) 0xff);
    CertId id = new CertId(new byte[] {1, 2, 3}, serial);
    assertEquals(id, CertId.parse(id.toString()));
  }
}
