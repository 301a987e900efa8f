package fi.soteacme.client.challenge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.client.Identifier;
import fi.soteacme.client.Login;
import fi.soteacme.client.Session;
import fi.soteacme.client.connector.Json;
import fi.soteacme.client.connector.Jws;
import fi.soteacme.client.exception.AcmeProtocolException;
import fi.soteacme.client.util.KeyPairs;
import fi.soteacme.client.util.KeyType;
import fi.soteacme.client.util.SelfSignedCertificates;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChallengeTest {
  private static final String TOKEN = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";

  private Session session;
  private KeyPair accountKey;
  private Login login;

  @BeforeEach
  void setUp() throws Exception {
    session = Session.builder(URI.create("https://acme.test/dir")).build();
    accountKey = KeyPairs.generate(KeyType.EC_P256);
    login = session.login(URI.create("https://acme.test/acct/1"), accountKey);
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  private Json challenge(String type) {
    return Json.builder()
        .put("type", type)
        .put("url", "https://acme.test/chall/" + type)
        .put("status", "pending")
        .put("token", TOKEN)
        .build();
  }

  private String expectedKeyAuthorization() {
    return TOKEN + "." + Jws.thumbprint(accountKey.getPublic());
  }

  @Test
  void http01ServesTheKeyAuthorizationUnderTheWellKnownPath() throws Exception {
    Http01Challenge http =
        assertInstanceOf(
            Http01Challenge.class, Challenges.of(login, challenge("http-01")).orElseThrow());
    assertEquals("/.well-known/acme-challenge/" + TOKEN, http.path());
    assertEquals(expectedKeyAuthorization(), http.content());
  }

  @Test
  void dns01PublishesTheDigestOfTheKeyAuthorization() throws Exception {
    Dns01Challenge dns =
        assertInstanceOf(
            Dns01Challenge.class, Challenges.of(login, challenge("dns-01")).orElseThrow());
    byte[] digest =
        MessageDigest.getInstance("SHA-256")
            .digest(expectedKeyAuthorization().getBytes(StandardCharsets.UTF_8));
    assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(digest), dns.digest());
    assertEquals(
        "_acme-challenge.ap.example.fi",
        Dns01Challenge.recordName(Identifier.dns("ap.example.fi")));
    assertEquals(
        "_acme-challenge.example.fi", Dns01Challenge.recordName(Identifier.dns("*.example.fi")));
  }

  @Test
  void tlsAlpn01CertificateCarriesTheCriticalAcmeIdentifier() throws Exception {
    TlsAlpn01Challenge alpn =
        assertInstanceOf(
            TlsAlpn01Challenge.class, Challenges.of(login, challenge("tls-alpn-01")).orElseThrow());
    X509Certificate cert =
        alpn.createCertificate(KeyPairs.generate(KeyType.EC_P256), Identifier.dns("ap.example.fi"));
    assertTrue(
        cert.getCriticalExtensionOIDs().contains(SelfSignedCertificates.ACME_IDENTIFIER.getId()));
    byte[] ext = cert.getExtensionValue(SelfSignedCertificates.ACME_IDENTIFIER.getId());
    byte[] inner =
        ASN1OctetString.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getOctets();
    byte[] digest =
        MessageDigest.getInstance("SHA-256")
            .digest(expectedKeyAuthorization().getBytes(StandardCharsets.UTF_8));
    assertArrayEquals(digest, inner);
    assertEquals(
        List.of(List.of(2, "ap.example.fi")), List.copyOf(cert.getSubjectAlternativeNames()));
  }

  @Test
  void unsafeTokensAreRefused() {
    Json bad =
        Json.builder()
            .put("type", "http-01")
            .put("url", "https://acme.test/chall/x")
            .put("token", "../../etc/passwd")
            .build();
    Http01Challenge http = (Http01Challenge) Challenges.of(login, bad).orElseThrow();
    assertThrows(AcmeProtocolException.class, http::path);
  }

  @Test
  void soteChallengesAreTypedAndConformityPayloadIsBase64Url() throws Exception {
    assertInstanceOf(
        SoteRegister01Challenge.class,
        Challenges.of(login, challenge("sote-register-01")).orElseThrow());
    assertInstanceOf(
        SoteConformity01Challenge.class,
        Challenges.of(login, challenge("sote-conformity-01")).orElseThrow());
    byte[] pdf = {'%', 'P', 'D', 'F', '-', (byte) 0xfb, (byte) 0xff};
    Json payload =
        SoteConformity01Challenge.payload(
            "Potilastietojarjestelma", pdf, "vaatimustenmukaisuus.pdf");
    assertEquals("Potilastietojarjestelma", payload.requireString("systemName"));
    assertEquals("vaatimustenmukaisuus.pdf", payload.requireString("documentName"));
    assertEquals("JVBERi37_w", payload.requireString("document"));
    assertEquals(
        Challenge.class, Challenges.of(login, challenge("future-01")).orElseThrow().getClass());
  }
}
