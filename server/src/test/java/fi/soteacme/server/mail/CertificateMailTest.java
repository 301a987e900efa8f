package fi.soteacme.server.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CertificateMailTest {

  @Test
  void fileNameKeepsDnsNames() {
    assertEquals("www.county.test", CertificateMail.fileName("www.county.test"));
  }

  @Test
  void fileNameOfWildcard() {
    assertEquals("wildcard.county.test", CertificateMail.fileName("*.county.test"));
  }

  @Test
  void fileNameOfSystemNameDropsAccentsAndSeparators() {
    assertEquals(
        "Potilastietojarjestelma_Hameenlinna_2",
        CertificateMail.fileName("Potilastietojärjestelmä Hämeenlinna/2"));
  }

  @Test
  void fileNameNeverEscapesTheFolderOrVanishes() {
    assertEquals("etc_passwd", CertificateMail.fileName("../etc/passwd"));
    assertEquals("certificate", CertificateMail.fileName("/// "));
    assertEquals("certificate", CertificateMail.fileName(null));
    assertEquals(64, CertificateMail.fileName("a".repeat(100)).length());
  }
}
