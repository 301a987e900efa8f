package fi.soteacme.client.it;

import static fi.soteacme.client.it.SoteAcmeFixture.COUNTY;
import static fi.soteacme.client.it.SoteAcmeFixture.COUNTY_NAME;
import static fi.soteacme.client.it.SoteAcmeFixture.PRIVATE;
import static fi.soteacme.client.it.SoteAcmeFixture.PRIVATE_NAME;
import static fi.soteacme.client.it.SoteAcmeFixture.SCHOOL;
import static fi.soteacme.client.it.SoteAcmeFixture.SCHOOL_NAME;
import static fi.soteacme.client.it.SoteAcmeFixture.WAIT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.client.Account;
import fi.soteacme.client.AccountBuilder;
import fi.soteacme.client.Authorization;
import fi.soteacme.client.Certificate;
import fi.soteacme.client.Identifier;
import fi.soteacme.client.Order;
import fi.soteacme.client.RenewalInfo;
import fi.soteacme.client.RevocationReason;
import fi.soteacme.client.SerialNumber;
import fi.soteacme.client.Session;
import fi.soteacme.client.Status;
import fi.soteacme.client.challenge.SoteConformity01Challenge;
import fi.soteacme.client.exception.AcmeServerException;
import fi.soteacme.client.exception.AcmeUnauthorizedException;
import fi.soteacme.client.util.Csrs;
import fi.soteacme.client.util.KeyPairs;
import fi.soteacme.client.util.KeyType;
import fi.soteacme.client.util.Pem;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The library ({@code fi.soteacme.client}) against the real sote-acme server: EAB registration, the
 * four profiles, conformity review through the operator API, revocation, serials, linking a second
 * organisation, and ARI renewal with {@code replaces} once the server offers renewalInfo.
 */
class LibraryAgainstServerTest {
  private static SoteAcmeFixture ca;
  private static Session session;

  @BeforeAll
  static void start() throws Exception {
    ca = SoteAcmeFixture.get();
    session = ca.session();
  }

  @AfterAll
  static void stop() {
    if (session != null) {
      session.close();
    }
  }

  static Account register(String oid, String role) throws Exception {
    SoteAcmeFixture.Invitation eab = ca.invite(oid, role);
    return new AccountBuilder()
        .keyPair(KeyPairs.generate(KeyType.EC_P256))
        .addEmail(role + "@example.test")
        .agreeToTermsOfService()
        .externalAccountBinding(eab.kid(), eab.hmacKey())
        .create(session);
  }

  static String rdn(X509Certificate cert, ASN1ObjectIdentifier type) throws Exception {
    X500Name name = new JcaX509CertificateHolder(cert).getSubject();
    RDN[] rdns = name.getRDNs(type);
    return rdns.length == 0 ? null : IETFUtils.valueToString(rdns[0].getFirst().getValue());
  }

  static void assertSubject(X509Certificate cert, String o, String ou, String oid, String cn)
      throws Exception {
    assertEquals("FI", rdn(cert, BCStyle.C));
    assertEquals(o, rdn(cert, BCStyle.O));
    assertEquals(ou, rdn(cert, BCStyle.OU));
    assertEquals(oid, rdn(cert, BCStyle.SERIALNUMBER));
    assertEquals(cn, rdn(cert, BCStyle.CN));
  }

  /** Leaf, issuing CA, root: each signed by the next, the last by the expected root. */
  static void assertChainsTo(
      List<X509Certificate> chain, X509Certificate root, X509Certificate other) throws Exception {
    assertTrue(chain.size() >= 2, "leaf and issuing CA: " + chain.size());
    for (int i = 0; i + 1 < chain.size(); i++) {
      chain.get(i).verify(chain.get(i + 1).getPublicKey());
    }
    X509Certificate issuing = chain.get(1);
    issuing.verify(root.getPublicKey());
    assertThrows(Exception.class, () -> issuing.verify(other.getPublicKey()));
  }

  /** Orders server certificates for dns names, solved with http-01 on loopback. */
  static Order orderServer(Account account, String profile, String org, String... names)
      throws Exception {
    var builder = account.newOrder().domains(names).profile(profile);
    if (org != null) {
      builder.organisation(org);
    }
    Order order = builder.create();
    assertEquals(profile, order.profile().orElseThrow());
    ca.authorize(order);
    KeyPair key = KeyPairs.generate(KeyType.RSA_2048);
    order.finalizeOrder(Csrs.server(key, List.of(names)));
    assertEquals(Status.VALID, order.waitForStatus(Set.of(Status.VALID), WAIT));
    return order;
  }

  /** Orders a system signature certificate for an organisation that needs no review. */
  static Order orderSystem(Account account, String profile, String oid, String system)
      throws Exception {
    Order order = account.newOrder().identifier(Identifier.soteOrg(oid)).profile(profile).create();
    assertEquals(oid, order.organisation().orElseThrow());
    assertEquals(List.of(Identifier.soteOrg(oid)), order.identifiers());
    ca.authorize(order);
    order.finalizeOrder(Csrs.systemSignature(KeyPairs.generate(KeyType.EC_P256), system));
    assertEquals(Status.VALID, order.waitForStatus(Set.of(Status.VALID), WAIT));
    return order;
  }

  @Test
  void directoryRequiresEabAndListsTheFourProfiles() throws Exception {
    var meta = session.directory().meta();
    assertTrue(meta.externalAccountRequired());
    assertTrue(
        meta.profiles()
            .keySet()
            .containsAll(
                Set.of(
                    "sote-server",
                    "sote-server-test",
                    "sote-system-signature",
                    "sote-system-signature-test")));
    AcmeServerException noEab =
        assertThrows(
            AcmeServerException.class,
            () ->
                new AccountBuilder()
                    .keyPair(KeyPairs.generate(KeyType.EC_P256))
                    .agreeToTermsOfService()
                    .create(session));
    assertTrue(noEab.problem().is("externalAccountRequired"), noEab.problem().toString());
  }

  @Test
  void serverProfileInPemAndDerWithTheRegistersSubject() throws Exception {
    Account account = register(COUNTY, "member");
    assertEquals(Status.VALID, account.status());
    Order order = orderServer(account, "sote-server", null, "www.county.test", "api.county.test");
    assertEquals(COUNTY, order.organisation().orElseThrow());
    Certificate certificate = order.certificate().orElseThrow();

    List<X509Certificate> chain = certificate.download();
    X509Certificate leaf = chain.get(0);
    assertSubject(leaf, COUNTY_NAME, COUNTY_NAME, COUNTY, "www.county.test");
    assertTrue(leaf.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"));
    assertEquals(
        Set.of(List.of(2, "www.county.test"), List.of(2, "api.county.test")),
        Set.copyOf(leaf.getSubjectAlternativeNames()));
    assertChainsTo(chain, ca.server.cas().production().root(), ca.server.cas().test().root());
    assertFalse(chain.get(1).getSubjectX500Principal().getName().contains("TEST"));

    byte[] der = certificate.downloadDer();
    assertArrayEquals(leaf.getEncoded(), der);
    assertEquals(leaf, Pem.parseDer(der));
    assertEquals(
        certificate.downloadPem().strip(), Pem.certificates(chain).strip(), "PEM round trip");
  }

  @Test
  void serverTestProfileChainsToTheTestRoot() throws Exception {
    Account account = register(COUNTY, "partner");
    Order order = orderServer(account, "sote-server-test", COUNTY, "t.county.test");
    List<X509Certificate> chain = order.certificate().orElseThrow().download();
    assertSubject(chain.get(0), COUNTY_NAME, COUNTY_NAME, COUNTY, "t.county.test");
    assertTrue(chain.get(1).getSubjectX500Principal().getName().contains("TEST"));
    assertChainsTo(chain, ca.server.cas().test().root(), ca.server.cas().production().root());
    byte[] der = order.certificate().orElseThrow().downloadDer();
    assertArrayEquals(chain.get(0).getEncoded(), der);
  }

  @Test
  void systemSignatureProfilesForThePublicCounty() throws Exception {
    Account account = register(COUNTY, "member");
    for (String profile : List.of("sote-system-signature", "sote-system-signature-test")) {
      String system = "Potilastietojarjestelma " + profile.length() + " " + System.nanoTime();
      Order order = orderSystem(account, profile, COUNTY, system);
      Certificate certificate = order.certificate().orElseThrow();
      List<X509Certificate> chain = certificate.download();
      X509Certificate leaf = chain.get(0);
      assertSubject(leaf, COUNTY_NAME, COUNTY_NAME, COUNTY, system);
      assertEquals(List.of("1.3.6.1.5.5.7.3.36"), leaf.getExtendedKeyUsage());
      assertTrue(leaf.getKeyUsage()[1], "nonRepudiation");
      assertEquals(null, leaf.getSubjectAlternativeNames());
      boolean test = profile.endsWith("-test");
      X509Certificate root =
          test ? ca.server.cas().test().root() : ca.server.cas().production().root();
      X509Certificate other =
          test ? ca.server.cas().production().root() : ca.server.cas().test().root();
      assertChainsTo(chain, root, other);
      assertArrayEquals(leaf.getEncoded(), certificate.downloadDer());
    }
  }

  @Test
  void partnerMayNotOrderSystemSignature() throws Exception {
    Account partner = register(COUNTY, "partner");
    AcmeUnauthorizedException e =
        assertThrows(
            AcmeUnauthorizedException.class,
            () ->
                partner.newOrder().organisation(COUNTY).profile("sote-system-signature").create());
    assertTrue(e.problem().is("unauthorized"));
  }

  @Test
  void conformityReviewApprovedThroughTheOperatorApi() throws Exception {
    Account member = register(PRIVATE, "member");
    String system = "Hoitokertomus " + System.nanoTime();
    Order order = member.newOrder().organisation(PRIVATE).profile("sote-system-signature").create();
    assertEquals(Status.PENDING, order.status());
    Authorization authz = order.fetchAuthorizations().get(0);
    SoteConformity01Challenge conformity =
        authz.challenge(SoteConformity01Challenge.class).orElseThrow();
    assertEquals(Status.PENDING, conformity.status());

    byte[] pdf =
        "%PDF-1.4\n% vaatimustenmukaisuustodistus\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    conformity.submit(system, pdf, "vaatimustenmukaisuus.pdf");
    conformity.fetch();
    assertEquals(Status.PROCESSING, conformity.status());
    order.fetch();
    Instant deadline = order.processingDeadline().orElseThrow();
    assertTrue(deadline.isAfter(Instant.now()), deadline.toString());

    long review = ca.reviewOf(system);
    var document = ca.adminSend("GET", "/admin/reviews/" + review + "/document", null);
    assertEquals(200, document.statusCode());
    assertTrue(document.body().startsWith("%PDF-1.4"), "the operator sees the submitted PDF");
    ca.approve(review);

    assertEquals(Status.READY, order.waitForStatus(Set.of(Status.READY), WAIT));
    order.finalizeOrder(Csrs.systemSignature(KeyPairs.generate(KeyType.EC_P256), system));
    assertEquals(Status.VALID, order.waitForStatus(Set.of(Status.VALID), WAIT));
    X509Certificate leaf = order.certificate().orElseThrow().download().get(0);
    assertSubject(leaf, PRIVATE_NAME, PRIVATE_NAME, PRIVATE, system);
    assertEquals(List.of("1.3.6.1.5.5.7.3.36"), leaf.getExtendedKeyUsage());

    // The approval is remembered: the next order (a renewal) names the system, without a document.
    Order again = member.newOrder().organisation(PRIVATE).profile("sote-system-signature").create();
    SoteConformity01Challenge next =
        again.fetchAuthorizations().get(0).challenge(SoteConformity01Challenge.class).orElseThrow();
    next.submit(system);
    assertEquals(Status.READY, again.waitForStatus(Set.of(Status.READY), WAIT));
    again.finalizeOrder(Csrs.systemSignature(KeyPairs.generate(KeyType.EC_P256), system));
    assertEquals(Status.VALID, again.waitForStatus(Set.of(Status.VALID), WAIT));

    // A system without an approval cannot skip the document.
    Order unknown =
        member.newOrder().organisation(PRIVATE).profile("sote-system-signature-test").create();
    SoteConformity01Challenge missing =
        unknown
            .fetchAuthorizations()
            .get(0)
            .challenge(SoteConformity01Challenge.class)
            .orElseThrow();
    AcmeServerException noDocument =
        assertThrows(AcmeServerException.class, () -> missing.submit("Never reviewed"));
    assertTrue(noDocument.problem().is("malformed"), noDocument.problem().toString());
  }

  @Test
  void revokeByAccountWithReasonThenAlreadyRevoked() throws Exception {
    Account account = register(COUNTY, "member");
    X509Certificate leaf =
        orderServer(account, "sote-server", null, "revoked.county.test")
            .certificate()
            .orElseThrow()
            .download()
            .get(0);
    account.revoke(leaf, RevocationReason.SUPERSEDED);
    AcmeServerException again =
        assertThrows(
            AcmeServerException.class,
            () -> account.revoke(leaf, RevocationReason.CESSATION_OF_OPERATION));
    assertEquals(AcmeServerException.class, again.getClass(), "no special subclass");
    assertTrue(again.problem().is("alreadyRevoked"), again.problem().toString());
    assertEquals("urn:ietf:params:acme:error:alreadyRevoked", again.problem().type().toString());
  }

  @Test
  void serialsOfIssuedCertificatesBothWays() throws Exception {
    Account account = register(COUNTY, "member");
    X509Certificate leaf =
        orderServer(account, "sote-server-test", null, "serial.county.test")
            .certificate()
            .orElseThrow()
            .download()
            .get(0);
    SerialNumber serial = SerialNumber.of(leaf);
    assertEquals(leaf.getSerialNumber(), serial.value());
    // 18 bytes: 0x01, the instance id (0), the issue time in ms, 9 random bytes.
    String hex = serial.toHex();
    assertEquals(36, hex.length(), hex);
    assertTrue(hex.startsWith("010000"), hex);
    long issuedMs = Long.parseLong(hex.substring(6, 18), 16);
    long notBeforeMs = leaf.getNotBefore().getTime();
    assertTrue(Math.abs(issuedMs - notBeforeMs) < 24 * 3600_000L, hex);

    assertEquals(serial, SerialNumber.parseHex(hex));
    assertEquals(serial, SerialNumber.parseHex(serial.toColonHex()));
    assertEquals(serial, SerialNumber.parseHex(hex.toUpperCase()));
    assertEquals(serial, SerialNumber.parseDecimal(serial.toDecimal()));
    assertEquals(serial, SerialNumber.parse(serial.toDecimal()));
    assertEquals(serial, SerialNumber.parse(serial.toColonHex()));
    assertEquals(leaf.getSerialNumber().toString(), serial.toDecimal());
    assertEquals(new BigInteger(hex, 16), serial.value());
    assertArrayEquals(new BigInteger(1, serial.derContent()).toByteArray(), serial.derContent());
  }

  @Test
  void serialsOfTheSeedExamples() {
    SerialNumber short1 = SerialNumber.parseHex("0bf4eab0");
    assertEquals("200600240", short1.toDecimal());
    assertEquals(short1, SerialNumber.parseDecimal("200600240"));
    assertEquals("0bf4eab0", short1.toHex());

    String longHex = "0100000168f0a805c366b43b5de968c691fb";
    String longDec = "87112293252494463413683796322992020427259";
    SerialNumber long1 = SerialNumber.parseHex(longHex);
    assertEquals(longDec, long1.toDecimal());
    assertEquals(long1, SerialNumber.parseDecimal(longDec));
    assertEquals(longHex, long1.toHex());
    assertEquals(
        long1, SerialNumber.parseHex("01:00:00:01:68:F0:A8:05:C3:66:B4:3B:5D:E9:68:C6:91:FB"));
  }

  @Test
  void linkSecondOrganisationThenOrderForEither() throws Exception {
    Account partner = register(COUNTY, "partner");
    SoteAcmeFixture.Invitation second = ca.invite(SCHOOL, "partner");
    partner.link(second.kid(), second.hmacKey());
    assertEquals(Status.VALID, partner.status());

    AcmeServerException ambiguous =
        assertThrows(
            AcmeServerException.class, () -> partner.newOrder().domains("a.hosting.test").create());
    assertTrue(ambiguous.problem().is("malformed"), ambiguous.problem().toString());

    Order forSchool = orderServer(partner, "sote-server", SCHOOL, "school.hosting.test");
    assertEquals(SCHOOL, forSchool.organisation().orElseThrow());
    assertSubject(
        forSchool.certificate().orElseThrow().download().get(0),
        SCHOOL_NAME,
        SCHOOL_NAME,
        SCHOOL,
        "school.hosting.test");
    Order forCounty = orderServer(partner, "sote-server", COUNTY, "county.hosting.test");
    assertEquals(COUNTY, forCounty.organisation().orElseThrow());

    // The credential is single use.
    Account other = register(COUNTY, "member");
    AcmeServerException used =
        assertThrows(AcmeServerException.class, () -> other.link(second.kid(), second.hmacKey()));
    assertInstanceOf(AcmeServerException.class, used);
  }

  @Test
  void challengesTriggeredTogetherStillMakeTheOrderReady() throws Exception {
    // As certbot and the command do: present and trigger every name first, then wait.
    Account account = register(COUNTY, "member");
    for (int round = 0; round < 3; round++) {
      List<String> names = new java.util.ArrayList<>();
      for (int i = 0; i < 6; i++) {
        names.add("n" + i + ".r" + round + ".together.county.test");
      }
      Order order = account.newOrder().domains(names).create();
      List<Authorization> authzs = order.fetchAuthorizations();
      for (Authorization authz : authzs) {
        var http =
            authz.challenge(fi.soteacme.client.challenge.Http01Challenge.class).orElseThrow();
        ca.putHttp01(http.token(), http.content());
      }
      for (Authorization authz : authzs) {
        authz.challenge(fi.soteacme.client.challenge.Http01Challenge.class).orElseThrow().trigger();
      }
      for (Authorization authz : authzs) {
        assertEquals(Status.VALID, authz.waitForStatus(Set.of(Status.VALID), WAIT));
      }
      assertEquals(
          Status.READY,
          order.waitForStatus(Set.of(Status.READY), Duration.ofSeconds(10)),
          "round " + round);
    }
  }

  @Test
  void accountLookUpUpdateRolloverAndDeactivate() throws Exception {
    SoteAcmeFixture.Invitation eab = ca.invite(COUNTY, "member");
    KeyPair key = KeyPairs.generate(KeyType.EC_P256);
    Account account =
        new AccountBuilder()
            .keyPair(key)
            .addEmail("first@example.test")
            .agreeToTermsOfService()
            .externalAccountBinding(eab.kid(), eab.hmacKey())
            .create(session);
    assertEquals(List.of(URI.create("mailto:first@example.test")), account.contacts());

    Account found = new AccountBuilder().keyPair(key).onlyExisting().create(session);
    assertEquals(account.location(), found.location());

    account.updateContacts(List.of(URI.create("mailto:second@example.test")));
    Account fetched = session.login(account.location(), key).account();
    fetched.fetch();
    assertEquals(List.of(URI.create("mailto:second@example.test")), fetched.contacts());

    KeyPair next = KeyPairs.generate(KeyType.EC_P384);
    account.changeKey(next);
    assertEquals(
        account.location(),
        new AccountBuilder().keyPair(next).onlyExisting().create(session).location());
    AcmeServerException oldKey =
        assertThrows(
            AcmeServerException.class,
            () -> new AccountBuilder().keyPair(key).onlyExisting().create(session));
    assertTrue(oldKey.problem().is("accountDoesNotExist"), oldKey.problem().toString());

    account.deactivate();
    assertEquals(Status.DEACTIVATED, account.status());
    AcmeUnauthorizedException gone =
        assertThrows(
            AcmeUnauthorizedException.class,
            () -> account.newOrder().domains("gone.county.test").create());
    assertTrue(gone.problem().is("unauthorized"));
  }

  @Test
  void revokeWithTheCertificateKeyForKeyCompromiseBlocksTheKey() throws Exception {
    Account account = register(COUNTY, "member");
    Order order = account.newOrder().domains("compromised.county.test").create();
    ca.authorize(order);
    KeyPair key = KeyPairs.generate(KeyType.EC_P256);
    order.finalizeOrder(Csrs.server(key, List.of("compromised.county.test")));
    assertEquals(Status.VALID, order.waitForStatus(Set.of(Status.VALID), WAIT));
    X509Certificate leaf = order.certificate().orElseThrow().download().get(0);

    Certificate.revoke(session, leaf, key, RevocationReason.KEY_COMPROMISE);
    AcmeServerException twice =
        assertThrows(
            AcmeServerException.class,
            () -> Certificate.revoke(session, leaf, key, RevocationReason.KEY_COMPROMISE));
    assertTrue(twice.problem().is("alreadyRevoked"), twice.problem().toString());

    Order reuse = account.newOrder().domains("compromised.county.test").create();
    ca.authorize(reuse);
    AcmeServerException blocked =
        assertThrows(
            AcmeServerException.class,
            () -> reuse.finalizeOrder(Csrs.server(key, List.of("compromised.county.test"))));
    assertTrue(blocked.problem().is("badPublicKey"), blocked.problem().toString());
  }

  @Test
  void validityRequestsAreHonouredInsideTheCapOnly() throws Exception {
    Account account = register(COUNTY, "member");
    Instant notAfter = Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);
    Order order = account.newOrder().domains("short.county.test").notAfter(notAfter).create();
    ca.authorize(order);
    order.finalizeOrder(
        Csrs.server(KeyPairs.generate(KeyType.RSA_2048), List.of("short.county.test")));
    assertEquals(Status.VALID, order.waitForStatus(Set.of(Status.VALID), WAIT));
    X509Certificate leaf = order.certificate().orElseThrow().download().get(0);
    assertEquals(notAfter, leaf.getNotAfter().toInstant());

    AcmeServerException tooLong =
        assertThrows(
            AcmeServerException.class,
            () ->
                account
                    .newOrder()
                    .domains("long.county.test")
                    .notAfter(Instant.now().plus(Duration.ofDays(400)))
                    .create());
    assertTrue(tooLong.problem().is("malformed"), tooLong.problem().toString());
    AcmeServerException unknownProfile =
        assertThrows(
            AcmeServerException.class,
            () -> account.newOrder().domains("p.county.test").profile("no-such").create());
    assertTrue(unknownProfile.problem().is("invalidProfile"), unknownProfile.problem().toString());
  }

  @Test
  void renewalThroughAriWithReplaces() throws Exception {
    Assumptions.assumeTrue(
        session.directory().renewalInfo().isPresent(),
        "the server's directory has no renewalInfo yet (RFC 9773 is being built)");
    Account account = register(COUNTY, "member");
    X509Certificate old =
        orderServer(account, "sote-server", null, "ari.county.test")
            .certificate()
            .orElseThrow()
            .download()
            .get(0);
    RenewalInfo info = session.renewalInfo(old);
    assertTrue(info.windowStart().isBefore(info.windowEnd()));
    assertTrue(info.windowEnd().isBefore(old.getNotAfter().toInstant()));

    Order renewal = account.newOrder().domains("ari.county.test").replaces(old).create();
    assertEquals(RenewalInfo.certId(old), renewal.replaces().orElseThrow());
    ca.authorize(renewal);
    renewal.finalizeOrder(
        Csrs.server(KeyPairs.generate(KeyType.RSA_2048), List.of("ari.county.test")));
    assertEquals(Status.VALID, renewal.waitForStatus(Set.of(Status.VALID), WAIT));

    AcmeServerException twice =
        assertThrows(
            AcmeServerException.class,
            () -> account.newOrder().domains("ari.county.test").replaces(old).create());
    assertTrue(twice.problem().is("alreadyReplaced"), twice.problem().toString());
  }
}
