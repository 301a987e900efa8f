package fi.soteacme.server.issuance;

import static fi.soteacme.server.issuance.TestPki.csr;
import static fi.soteacme.server.issuance.TestPki.dns;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

class CsrCheckerTest {
  private static final KeyPair EC256 = TestPki.ec("secp256r1");
  private static final KeyPair ACCOUNT = TestPki.ec("secp256r1");
  private static final Set<String> ORDER = Set.of("example.test", "www.example.test");

  private final CsrChecker checker = new CsrChecker();

  @Test
  void acceptsMatchingServerCsr() throws Exception {
    byte[] der = csr(EC256, "CN=Example.TEST", dns("www.example.test"), dns("EXAMPLE.test"));
    CheckedCsr checked = checker.check(der, Profile.SERVER, ORDER, ACCOUNT.getPublic());
    assertEquals(List.of("example.test", "www.example.test"), checked.dnsNames());
    assertEquals("Example.TEST", checked.commonName());
    assertEquals(EC256.getPublic().getEncoded().length, checked.subjectPublicKeyInfo().length);
    assertTrue(KeyPolicy.sameKey(EC256.getPublic(), checked.publicKey()));
    byte[] spki = new PKCS10CertificationRequest(der).getSubjectPublicKeyInfo().getEncoded();
    assertArrayEquals(spki, checked.subjectPublicKeyInfo());
    assertEquals(HexFormat.of().formatHex(Pki.digest("SHA-256", spki)), checked.spkiSha256Hex());
    assertEquals(64, CsrChecker.spkiSha256Hex(spki).length());
  }

  @Test
  void acceptsEveryAllowedKey() {
    for (KeyPair keys : List.of(TestPki.rsa(2048), TestPki.rsa(3072), TestPki.ec("secp384r1"))) {
      CheckedCsr checked =
          checker.check(
              csr(keys, "", dns("example.test")),
              Profile.SERVER_TEST,
              Set.of("example.test"),
              ACCOUNT.getPublic());
      assertNull(checked.commonName());
    }
  }

  @Test
  void nonDnsCommonNameIsIgnoredForServerProfiles() {
    CheckedCsr checked =
        checker.check(
            csr(EC256, "CN=my server", dns("example.test")),
            Profile.SERVER,
            Set.of("example.test"),
            ACCOUNT.getPublic());
    assertEquals(List.of("example.test"), checked.dnsNames());
  }

  @Test
  void refusesGarbageAndBadSignature() {
    assertProblem(
        ProblemType.BAD_CSR,
        "not a DER PKCS#10",
        new byte[] {0x30, 0x03, 0x02, 0x01, 0x01},
        Profile.SERVER,
        ORDER);
    byte[] der = csr(EC256, "", dns("example.test"), dns("www.example.test"));
    byte[] tampered = der.clone();
    tampered[tampered.length - 5] ^= 0x01;
    assertProblem(
        ProblemType.BAD_CSR,
        "the CSR's signature does not verify",
        tampered,
        Profile.SERVER,
        ORDER);
  }

  @Test
  void refusesKeysOutsidePolicy() {
    assertProblem(
        ProblemType.BAD_PUBLIC_KEY,
        "RSA 1024-bit keys are not accepted; use RSA 2048, 3072 or 4096, or EC P-256/P-384",
        csr(TestPki.rsa(1024), "", dns("example.test")),
        Profile.SERVER,
        Set.of("example.test"));
    assertProblem(
        ProblemType.BAD_PUBLIC_KEY,
        "EC P-521 keys are not accepted",
        csr(TestPki.ec("secp521r1"), "", dns("example.test")),
        Profile.SERVER,
        Set.of("example.test"));
    assertProblem(
        ProblemType.BAD_PUBLIC_KEY,
        "Ed25519 keys are not accepted",
        csr(TestPki.ed25519(), "", dns("example.test")),
        Profile.SERVER,
        Set.of("example.test"));
  }

  @Test
  void refusesTheAccountKey() {
    AcmeProblem problem =
        assertThrows(
            AcmeProblem.class,
            () ->
                checker.check(
                    csr(EC256, "", dns("example.test")),
                    Profile.SERVER,
                    Set.of("example.test"),
                    EC256.getPublic()));
    assertEquals(ProblemType.BAD_CSR, problem.type());
    assertEquals("the certificate key must differ from the account key", problem.detail());
  }

  @Test
  void namesMustEqualTheOrder() {
    assertProblem(
        ProblemType.BAD_CSR,
        "CSR is missing www.example.test; CSR names other.test which the order does not",
        csr(EC256, "", dns("example.test"), dns("other.test")),
        Profile.SERVER,
        ORDER);
    assertProblem(
        ProblemType.BAD_CSR,
        "CSR is missing www.example.test",
        csr(EC256, "CN=example.test"),
        Profile.SERVER,
        ORDER);
    assertProblem(
        ProblemType.BAD_CSR,
        "CSR names cn.example.test which the order does not",
        csr(EC256, "CN=cn.example.test", dns("example.test"), dns("www.example.test")),
        Profile.SERVER,
        ORDER);
  }

  @Test
  void refusesOtherSubjectAltNameTypes() {
    assertProblem(
        ProblemType.BAD_CSR,
        "the CSR's subjectAltName names IP address 192.0.2.7; this CA certifies only dns names",
        csr(EC256, "", dns("example.test"), new GeneralName(GeneralName.iPAddress, "192.0.2.7")),
        Profile.SERVER,
        Set.of("example.test"));
    assertProblem(
        ProblemType.BAD_CSR,
        "e-mail address admin@example.test",
        csr(
            EC256,
            "",
            dns("example.test"),
            new GeneralName(GeneralName.rfc822Name, "admin@example.test")),
        Profile.SERVER,
        Set.of("example.test"));
  }

  @Test
  void systemSignatureTakesItsNameFromTheCommonName() {
    CheckedCsr checked =
        checker.check(
            csr(EC256, "CN=Todistuspalvelu_testi, O=ignored"),
            Profile.SYSTEM_SIGNATURE,
            Set.of(),
            ACCOUNT.getPublic());
    assertEquals("Todistuspalvelu_testi", checked.commonName());
    assertEquals(List.of(), checked.dnsNames());
    assertEquals(
        "Potilastietojärjestelmä 2.0",
        checker
            .check(
                csr(EC256, "CN=Potilastietojärjestelmä 2.0"),
                Profile.SYSTEM_SIGNATURE_TEST,
                Set.of(),
                ACCOUNT.getPublic())
            .commonName());
  }

  @Test
  void systemSignatureRefusals() {
    assertProblem(
        ProblemType.BAD_CSR,
        "must name the system in its subject common name",
        csr(EC256, "O=x"),
        Profile.SYSTEM_SIGNATURE,
        Set.of());
    assertProblem(
        ProblemType.BAD_CSR,
        "is 65 characters long; at most 64",
        TestPki.csrWithCommonName(EC256, "a".repeat(65)),
        Profile.SYSTEM_SIGNATURE,
        Set.of());
    assertProblem(
        ProblemType.BAD_CSR,
        "contains the character U+0024",
        csr(EC256, "CN=cost$"),
        Profile.SYSTEM_SIGNATURE,
        Set.of());
    assertProblem(
        ProblemType.BAD_CSR,
        "must carry no dns names; it names sys.example.test",
        csr(EC256, "CN=System", dns("sys.example.test")),
        Profile.SYSTEM_SIGNATURE,
        Set.of());
    checker.check(
        csr(EC256, "CN=" + "a".repeat(64)),
        Profile.SYSTEM_SIGNATURE,
        Set.of(),
        ACCOUNT.getPublic());
  }

  private void assertProblem(
      ProblemType type, String detailPart, byte[] der, Profile profile, Set<String> names) {
    PublicKey account = ACCOUNT.getPublic();
    AcmeProblem problem =
        assertThrows(AcmeProblem.class, () -> checker.check(der, profile, names, account));
    assertEquals(type, problem.type(), problem.detail());
    assertTrue(problem.detail().contains(detailPart), problem.detail());
  }
}
