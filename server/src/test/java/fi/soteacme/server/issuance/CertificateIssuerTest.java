package fi.soteacme.server.issuance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateIssuerTest {
  private static final KeyPair RSA = TestPki.rsa(2048);
  private static final KeyPair EC = TestPki.ec("secp256r1");
  private static final Subject SERVER_SUBJECT =
      new Subject(
          "example.test",
          "Esimerkin kaupunki",
          "Esimerkin terveysasema",
          "1.2.246.10.2048198.10.0");
  private static final Subject SYSTEM_SUBJECT =
      new Subject(
          "Todistuspalvelu_testi", "Kansaneläkelaitos", "Kanta", "1.2.246.556.12002.21.10000");

  @TempDir Path temp;

  private final CertificateIssuer issuer = new CertificateIssuer(IssuanceSettings.defaults());

  @Test
  void everyProfileChainsToItsOwnRootOnly() throws Exception {
    CaStore store = TestPki.caStore();
    for (Profile profile : Profile.values()) {
      X509Certificate cert =
          CertificateIssuer.parse(issue(profile, EC, TestPki.now(), Duration.ofDays(90)));
      IssuingCa ca = store.forProfile(profile);
      IssuingCa other = profile.isTest() ? store.production() : store.test();
      cert.verify(ca.certificate().getPublicKey());
      assertThrows(
          GeneralSecurityException.class, () -> cert.verify(other.certificate().getPublicKey()));
      assertEquals(ca.certificate().getSubjectX500Principal(), cert.getIssuerX500Principal());
      Path leaf = write("leaf.pem", CertificateIssuer.toPem(cert.getEncoded()));
      TestPki.run(
          "openssl", "verify", "-CAfile", root(ca), "-untrusted", issuing(ca), leaf.toString());
      int exit =
          TestPki.exitCode(
              List.of(
                  "openssl",
                  "verify",
                  "-CAfile",
                  root(other),
                  "-untrusted",
                  issuing(ca),
                  leaf.toString()));
      assertNotEquals(0, exit, profile + " must not chain to the other root");
      exit =
          TestPki.exitCode(
              List.of(
                  "openssl",
                  "verify",
                  "-CAfile",
                  root(other),
                  "-untrusted",
                  issuing(other),
                  leaf.toString()));
      assertNotEquals(0, exit, profile + " must not chain to the other hierarchy");
    }
  }

  @Test
  void serverCertificateAsOpensslSeesIt() throws Exception {
    byte[] der = issue(Profile.SERVER, RSA, TestPki.now(), Duration.ofDays(30));
    String text = opensslText(der);
    assertTrue(text.contains("Digital Signature, Key Encipherment"), text);
    assertTrue(text.contains("TLS Web Server Authentication, TLS Web Client Authentication"), text);
    assertTrue(text.contains("Policy: 2.999.1.1"), text);
    assertTrue(text.contains("DNS:example.test, DNS:www.example.test"), text);
    assertTrue(text.contains("URI:http://localhost:8080/crl/production.crl"), text);
    assertTrue(text.contains("OCSP - URI:http://localhost:8080/ocsp"), text);
    assertTrue(text.contains("CA Issuers - URI:http://localhost:8080/ca/production.cer"), text);
    assertTrue(text.contains("X509v3 Basic Constraints: critical"), text);
    assertTrue(text.contains("X509v3 Key Usage: critical"), text);
    assertTrue(text.contains("Signature Algorithm: sha512WithRSAEncryption"), text);
    assertTrue(text.contains("X509v3 Subject Key Identifier"), text);
    assertTrue(text.contains("X509v3 Authority Key Identifier"), text);
    assertTrue(text.contains("Subject: C = FI, O = Esimerkin kaupunki"), text);

    String ec = opensslText(issue(Profile.SERVER_TEST, EC, TestPki.now(), Duration.ofDays(30)));
    assertTrue(ec.contains("X509v3 Key Usage: critical\n                Digital Signature\n"), ec);
    assertTrue(ec.contains("URI:http://localhost:8080/crl/test.crl"), ec);
  }

  @Test
  void systemSignatureCertificateAsOpensslSeesIt() throws Exception {
    String text =
        opensslText(issue(Profile.SYSTEM_SIGNATURE, EC, TestPki.now(), Duration.ofDays(730)));
    assertTrue(text.contains("Digital Signature, Non Repudiation"), text);
    assertTrue(
        text.contains("X509v3 Extended Key Usage: \n                1.3.6.1.5.5.7.3.36")
            || text.contains("Document Signing"),
        text);
    assertFalse(text.contains("TLS Web"), text);
    assertFalse(text.contains("Subject Alternative Name"), text);
    assertTrue(text.contains("CN = Todistuspalvelu_testi"), text);

    CertificateIssuer noEku =
        new CertificateIssuer(
            new IssuanceSettings(
                List.of("1.2.246.517.1.10.10.2", "0.4.0.2042.1.7"),
                "http://c/{ca}.crl",
                "http://o",
                "http://i/{ca}.cer",
                true));
    IssuingCa ca = TestPki.caStore().production();
    Instant now = TestPki.now();
    byte[] der =
        noEku.sign(
            ca,
            noEku.toBeSigned(
                ca, request(Profile.SYSTEM_SIGNATURE, EC, now, now.plus(Duration.ofDays(1)))));
    String plain = opensslText(der);
    assertFalse(plain.contains("Extended Key Usage"), plain);
    assertTrue(plain.contains("Policy: 1.2.246.517.1.10.10.2"), plain);
    assertTrue(plain.contains("Policy: 0.4.0.2042.1.7"), plain);
  }

  @Test
  void strictDerBasicConstraintsAndSubjectEncoding() throws Exception {
    byte[] der = issue(Profile.SERVER, EC, TestPki.now(), Duration.ofDays(1));
    X509Certificate cert = CertificateIssuer.parse(der);
    byte[] value = ASN1OctetString.getInstance(cert.getExtensionValue("2.5.29.19")).getOctets();
    assertArrayEquals(new byte[] {0x30, 0x00}, value);
    assertTrue(cert.getCriticalExtensionOIDs().contains("2.5.29.19"));
    assertEquals(-1, cert.getBasicConstraints());

    X500Name subject = Certificate.getInstance(der).getSubject();
    RDN[] rdns = subject.getRDNs();
    assertEquals(
        List.of(BCStyle.C, BCStyle.O, BCStyle.OU, BCStyle.SERIALNUMBER, BCStyle.CN),
        java.util.Arrays.stream(rdns).map(r -> r.getFirst().getType()).toList());
    assertTrue(rdns[0].getFirst().getValue() instanceof DERPrintableString);
    assertTrue(rdns[1].getFirst().getValue() instanceof DERUTF8String);
    assertTrue(rdns[2].getFirst().getValue() instanceof DERUTF8String);
    assertTrue(rdns[3].getFirst().getValue() instanceof DERPrintableString);
    assertTrue(rdns[4].getFirst().getValue() instanceof DERUTF8String);
    // the DER re-encodes to itself: nothing non-canonical
    assertArrayEquals(der, ASN1Primitive.fromByteArray(der).getEncoded("DER"));
  }

  @Test
  void signNeedsOnlyTheStoredTbsAndKeepsItUnchanged() throws Exception {
    IssuingCa ca = TestPki.caStore().production();
    Instant now = TestPki.now();
    CertificateRequest request = request(Profile.SERVER, RSA, now, now.plus(Duration.ofDays(10)));
    byte[] tbs = issuer.toBeSigned(ca, request);
    byte[] stored = tbs.clone();
    X509Certificate cert =
        CertificateIssuer.parse(
            new CertificateIssuer(IssuanceSettings.defaults()).sign(ca, stored));
    assertArrayEquals(tbs, cert.getTBSCertificate());
    assertEquals(request.serial(), cert.getSerialNumber());
    assertEquals(18, cert.getSerialNumber().toByteArray().length);
    assertEquals(now, cert.getNotBefore().toInstant());
    assertArrayEquals(RSA.getPublic().getEncoded(), cert.getPublicKey().getEncoded());
    assertThrows(IllegalArgumentException.class, () -> issuer.sign(TestPki.caStore().test(), tbs));
  }

  @Test
  void validityCapBoundary() throws Exception {
    IssuingCa ca = TestPki.caStore().production();
    Instant notBefore = TestPki.now();
    Instant lastSecond = notBefore.plusSeconds(31_536_000L - 1);
    X509Certificate cert =
        CertificateIssuer.parse(
            issuer.sign(
                ca, issuer.toBeSigned(ca, request(Profile.SERVER, EC, notBefore, lastSecond))));
    assertEquals(
        31_536_000L,
        Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant())
            .plusSeconds(1)
            .toSeconds());
    AcmeProblem tooLong =
        assertThrows(
            AcmeProblem.class,
            () ->
                issuer.toBeSigned(
                    ca, request(Profile.SERVER, EC, notBefore, lastSecond.plusSeconds(1))));
    assertEquals(ProblemType.MALFORMED, tooLong.type());
    assertTrue(tooLong.detail().contains("365 days"), tooLong.detail());
    // system signature: 730 days
    issuer.toBeSigned(
        ca,
        request(
            Profile.SYSTEM_SIGNATURE,
            EC,
            notBefore,
            notBefore.plus(Duration.ofDays(730)).minusSeconds(1)));
    assertThrows(
        AcmeProblem.class,
        () ->
            issuer.toBeSigned(
                ca,
                request(
                    Profile.SYSTEM_SIGNATURE,
                    EC,
                    notBefore,
                    notBefore.plus(Duration.ofDays(730)))));
  }

  @Test
  void refusesOverlongSubjectFieldsNamingThem() {
    IssuingCa ca = TestPki.caStore().production();
    Instant now = TestPki.now();
    Subject longOrg = new Subject("example.test", "O".repeat(65), null, "1.2.246.10.2048198.10.0");
    AcmeProblem problem =
        assertThrows(
            AcmeProblem.class,
            () ->
                issuer.toBeSigned(
                    ca,
                    new CertificateRequest(
                        TestPki.serial(),
                        Profile.SERVER,
                        longOrg,
                        List.of("example.test"),
                        EC.getPublic().getEncoded(),
                        now,
                        now.plusSeconds(60))));
    assertEquals(ProblemType.MALFORMED, problem.type());
    assertTrue(problem.detail().contains("organisation name (O)"), problem.detail());
    assertEquals(
        64,
        new Subject("a".repeat(64), null, null, null)
            .toX500Name()
            .getRDNs(BCStyle.CN)[0]
            .getFirst()
            .getValue()
            .toString()
            .length());
  }

  @Test
  void ecCaSignsWithEcdsaSha384AndUsesGeneralizedTimeFrom2050() throws Exception {
    KeyPair rootKeys = TestPki.ec("secp384r1");
    KeyPair issuingKeys = TestPki.ec("secp384r1");
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    Instant end = Instant.parse("2060-01-01T00:00:00Z");
    X509Certificate root =
        CaCertificates.root(new X500Name("CN=EC TEST Root"), rootKeys, start, end);
    X509Certificate issuing =
        CaCertificates.intermediate(
            new X500Name("CN=EC TEST Issuing"),
            issuingKeys.getPublic(),
            root,
            rootKeys.getPrivate(),
            start,
            end);
    IssuingCa ca = new IssuingCa("test", issuing, issuingKeys.getPrivate(), root);
    Instant notBefore = Instant.parse("2049-12-01T00:00:00Z");
    Instant notAfter = Instant.parse("2050-01-31T00:00:00Z");
    byte[] der =
        issuer.sign(
            ca, issuer.toBeSigned(ca, request(Profile.SERVER_TEST, RSA, notBefore, notAfter)));
    X509Certificate cert = CertificateIssuer.parse(der);
    assertEquals("SHA384withECDSA", cert.getSigAlgName());
    cert.verify(issuing.getPublicKey());
    ASN1Sequence validity =
        ASN1Sequence.getInstance(
                        org.bouncycastle.asn1.x509.TBSCertificate.getInstance(
                                cert.getTBSCertificate())
                            .toASN1Primitive())
                    .getObjectAt(4)
                instanceof ASN1Sequence s
            ? s
            : null;
    assertEquals(
        0x17, validity.getObjectAt(0).toASN1Primitive().getEncoded()[0], "UTCTime before 2050");
    assertEquals(
        0x18,
        validity.getObjectAt(1).toASN1Primitive().getEncoded()[0],
        "GeneralizedTime from 2050");
    assertEquals(notAfter, cert.getNotAfter().toInstant());
  }

  private byte[] issue(Profile profile, KeyPair keys, Instant notBefore, Duration validity) {
    IssuingCa ca = TestPki.caStore().forProfile(profile);
    CertificateRequest request =
        request(profile, keys, notBefore, notBefore.plus(validity).minusSeconds(1));
    return issuer.sign(ca, issuer.toBeSigned(ca, request));
  }

  private static CertificateRequest request(
      Profile profile, KeyPair keys, Instant notBefore, Instant notAfter) {
    boolean system = profile.isSystemSignature();
    return new CertificateRequest(
        TestPki.serial(),
        profile,
        system ? SYSTEM_SUBJECT : SERVER_SUBJECT,
        system ? List.of() : List.of("example.test", "www.example.test"),
        keys.getPublic().getEncoded(),
        notBefore,
        notAfter);
  }

  private String opensslText(byte[] der) throws Exception {
    Path file = temp.resolve("cert-" + new BigInteger(1, der).hashCode() + ".der");
    Files.write(file, der);
    return TestPki.run(
        "openssl", "x509", "-inform", "DER", "-noout", "-text", "-in", file.toString());
  }

  private Path write(String name, String content) throws Exception {
    Path file = temp.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  private static String root(IssuingCa ca) {
    return TestPki.caDir().resolve(ca.name() + "-root.pem").toString();
  }

  private static String issuing(IssuingCa ca) {
    return TestPki.caDir().resolve(ca.name() + "-issuing.pem").toString();
  }
}
