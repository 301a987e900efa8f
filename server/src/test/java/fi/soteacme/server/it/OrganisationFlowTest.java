package fi.soteacme.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URL;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Identifier;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.RevocationReason;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.connector.Connection;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.toolbox.JSONBuilder;
import org.shredzone.acme4j.toolbox.JoseUtils;
import org.shredzone.acme4j.util.CSRBuilder;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * The organisation extension through the ACME API, with acme4j: who may order what for which
 * organisation, the subject from the register, conformity review, and isolation between
 * organisations.
 */
class OrganisationFlowTest {
  static final String COUNTY = "1.2.246.10.98123462.10.0";
  static final String COUNTY_UNIT = "1.2.246.10.98123462.10.2";
  static final String EXPIRED = "1.2.246.10.98123462.10.9";
  static final String PHARMACY = "1.2.246.10.9715328.10.0";
  static final String PRIVATE = "1.2.246.10.98123729.10.0";
  static final String NOT_BEGUN = "1.2.246.10.98123948.10.0";

  private static TestServers servers;
  private static Session session;
  private static AdminClient admin;

  @BeforeAll
  static void start() throws Exception {
    java.security.Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
    servers = TestServers.get();
    session = Acme4j.session(servers.server.directoryUrl(), servers.server.trustAnchor());
    admin = new AdminClient(servers.server);
  }

  static Account register(String oid, String role) throws Exception {
    JsonObject eab = admin.invite(oid, role);
    Login login =
        new AccountBuilder()
            .agreeToTermsOfService()
            .addEmail(role + "@example.test")
            .withKeyIdentifier(eab.getString("kid"), eab.getString("hmacKey"))
            .useKeyPair(KeyPairUtils.createECKeyPair("secp256r1"))
            .createLogin(session);
    LOGINS.put(login.getAccount().getLocation().toString(), login);
    return login.getAccount();
  }

  /** The login of an account (acme4j keeps it protected): its URL with its key. */
  static Login login(Account account) {
    return LOGINS.get(account.getLocation().toString());
  }

  private static final java.util.Map<String, Login> LOGINS =
      new java.util.concurrent.ConcurrentHashMap<>();

  static void solveHttp01(Order order) throws Exception {
    for (Authorization auth : order.getAuthorizations()) {
      if (auth.getStatus() == Status.VALID) {
        continue;
      }
      Http01Challenge challenge = auth.findChallenge(Http01Challenge.class).orElseThrow();
      servers.http01.put(challenge.getToken(), challenge.getAuthorization());
      challenge.trigger();
      assertEquals(Status.VALID, challenge.waitForCompletion(Duration.ofSeconds(30)));
    }
    assertEquals(Status.READY, order.waitUntilReady(Duration.ofSeconds(30)));
  }

  static String rdn(X509Certificate cert, org.bouncycastle.asn1.ASN1ObjectIdentifier type)
      throws Exception {
    X500Name name = new JcaX509CertificateHolder(cert).getSubject();
    RDN[] rdns = name.getRDNs(type);
    return rdns.length == 0 ? null : rdns[0].getFirst().getValue().toString();
  }

  static String type(AcmeServerException e) {
    return e.getType().toString().replace("urn:ietf:params:acme:error:", "");
  }

  @Test
  void memberGetsServerCertificateWithSubjectFromRegisterNotFromCsr() throws Exception {
    Account member = register(COUNTY_UNIT, "member");
    Order order = member.newOrder().domains("access.county-unit.test").create();
    assertEquals(COUNTY_UNIT, order.getJSON().get("organisation").asString());
    solveHttp01(order);

    KeyPair key = KeyPairUtils.createKeyPair(2048);
    CSRBuilder csr = new CSRBuilder();
    csr.addDomain("access.county-unit.test");
    csr.setOrganization("Some Other Organisation");
    csr.setOrganizationalUnit("Forged Unit");
    csr.sign(key);
    order.execute(csr.getEncoded());
    assertEquals(Status.VALID, order.waitForCompletion(Duration.ofSeconds(30)));

    X509Certificate cert = order.getCertificate().getCertificate();
    assertEquals("FI", rdn(cert, BCStyle.C));
    assertEquals("Järvilaakson hyvinvointialue", rdn(cert, BCStyle.O));
    assertEquals("Järvilaakson keskussairaala, yhteispäivystys", rdn(cert, BCStyle.OU));
    assertEquals(COUNTY_UNIT, rdn(cert, BCStyle.SERIALNUMBER));
    assertEquals("access.county-unit.test", rdn(cert, BCStyle.CN));
    assertTrue(cert.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"));
    assertTrue(cert.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2"));
  }

  @Test
  void partnerMayNotOrderSystemSignature() throws Exception {
    Account partner = register(PHARMACY, "partner");
    AcmeServerException e =
        assertThrows(
            AcmeServerException.class,
            () ->
                partner
                    .newOrder()
                    .identifier(new Identifier("sote-org", PHARMACY))
                    .profile("sote-system-signature")
                    .create());
    assertEquals("unauthorized", type(e));
    assertTrue(e.getMessage().contains("technical partner"), e.getMessage());
  }

  @Test
  void accountOfOneOrganisationGetsNothingOfAnother() throws Exception {
    Account pharmacy = register(PHARMACY, "member");
    AcmeServerException e =
        assertThrows(
            AcmeServerException.class,
            () ->
                pharmacy
                    .newOrder()
                    .identifier(new Identifier("sote-org", COUNTY))
                    .domain("x.county.test")
                    .create());
    assertEquals("unauthorized", type(e));
    assertEquals(
        "sote-org", e.getProblem().getSubProblems().get(0).getIdentifier().orElseThrow().getType());

    // Another organisation's order is invisible, and its certificate cannot be revoked.
    Account county = register(COUNTY, "member");
    Order order = county.newOrder().domains("www.county.test").create();
    solveHttp01(order);
    order.execute(KeyPairUtils.createKeyPair(2048));
    order.waitForCompletion(Duration.ofSeconds(30));
    Login pharmacyLogin = login(pharmacy);
    AcmeServerException hidden =
        assertThrows(
            AcmeServerException.class, () -> pharmacyLogin.bindOrder(order.getLocation()).fetch());
    assertEquals("malformed", type(hidden));
    Certificate countyCert = pharmacyLogin.bindCertificate(order.getCertificate().getLocation());
    AcmeServerException revoke =
        assertThrows(
            AcmeServerException.class, () -> countyCert.revoke(RevocationReason.UNSPECIFIED));
    assertEquals("unauthorized", type(revoke));
  }

  @Test
  void unknownExpiredAndNotYetValidOrganisationsGetNothing() throws Exception {
    Account county = register(COUNTY, "member");
    for (String oid : List.of("1.2.246.10.11111111.10.0", EXPIRED, NOT_BEGUN)) {
      AcmeServerException e =
          assertThrows(
              AcmeServerException.class,
              () ->
                  county
                      .newOrder()
                      .identifier(new Identifier("sote-org", oid))
                      .domain("y.county.test")
                      .create());
      assertEquals("rejectedIdentifier", type(e), oid);
      assertEquals(
          oid, e.getProblem().getSubProblems().get(0).getIdentifier().orElseThrow().getValue());
    }
  }

  @Test
  void removedPartnerCanDoNothingMore() throws Exception {
    JsonObject eab = admin.invite(PHARMACY, "partner");
    Account partner =
        new AccountBuilder()
            .agreeToTermsOfService()
            .withKeyIdentifier(eab.getString("kid"), eab.getString("hmacKey"))
            .useKeyPair(KeyPairUtils.createECKeyPair("secp256r1"))
            .createLogin(session)
            .getAccount();
    Order order = partner.newOrder().domains("api.pharmacy.test").create();
    solveHttp01(order);
    order.execute(KeyPairUtils.createKeyPair(2048));
    assertEquals(Status.VALID, order.waitForCompletion(Duration.ofSeconds(30)));
    Certificate cert = order.getCertificate();

    assertEquals(
        200,
        admin
            .send(
                "DELETE", "/admin/customers/" + PHARMACY + "/members/" + eab.getString("kid"), null)
            .statusCode());

    AcmeServerException newOrder =
        assertThrows(
            AcmeServerException.class,
            () -> partner.newOrder().domains("api.pharmacy.test").create());
    assertEquals("unauthorized", type(newOrder));
    AcmeServerException read = assertThrows(AcmeServerException.class, order::fetch);
    assertEquals("malformed", type(read));
    AcmeServerException revoke =
        assertThrows(AcmeServerException.class, () -> cert.revoke(RevocationReason.KEY_COMPROMISE));
    assertEquals("unauthorized", type(revoke));
  }

  @Test
  void oneHostingKeyServesSeveralOrganisations() throws Exception {
    Account partner = register(COUNTY, "partner");
    // Link the same account to a second customer account with another EAB, posted to its URL.
    JsonObject eab = admin.invite(PHARMACY, "partner");
    URL accountUrl = partner.getLocation();
    Login login = login(partner);
    try (Connection conn = session.connect()) {
      JSONBuilder claims = new JSONBuilder();
      claims.put(
          "externalAccountBinding",
          JoseUtils.createExternalAccountBinding(
              eab.getString("kid"),
              login.getKeyPair().getPublic(),
              new SecretKeySpec(
                  Base64.getUrlDecoder().decode(eab.getString("hmacKey")), "HmacSHA256"),
              "HS256",
              accountUrl));
      conn.sendSignedRequest(accountUrl, claims, login);
    }
    AcmeServerException ambiguous =
        assertThrows(
            AcmeServerException.class, () -> partner.newOrder().domains("a.hosting.test").create());
    assertEquals("malformed", type(ambiguous));

    Order forPharmacy =
        partner
            .newOrder()
            .identifier(new Identifier("sote-org", PHARMACY))
            .domain("a.hosting.test")
            .create();
    assertEquals(PHARMACY, forPharmacy.getJSON().get("organisation").asString());
    Order forCounty =
        partner
            .newOrder()
            .identifier(new Identifier("sote-org", COUNTY))
            .domain("b.hosting.test")
            .create();
    assertEquals(COUNTY, forCounty.getJSON().get("organisation").asString());
    // The standard client sees exactly the identifiers it sent.
    assertEquals(2, forCounty.getIdentifiers().size());
  }

  @Test
  void privateSystemSignatureWaitsForConformityReviewThenRemembersIt() throws Exception {
    Account member = register(PRIVATE, "member");
    String system = "Hoitokertomus " + System.nanoTime();
    Order order =
        member
            .newOrder()
            .identifier(new Identifier("sote-org", PRIVATE))
            .profile("sote-system-signature")
            .create();
    assertEquals(Status.PENDING, order.getStatus());
    Authorization auth = order.getAuthorizations().get(0);
    Challenge conformity = auth.findChallenge("sote-conformity-01").orElseThrow();

    byte[] pdf = "%PDF-1.4\n% conformity certificate\n%%EOF\n".getBytes();
    post(
        member,
        conformity.getLocation(),
        new JSONBuilder()
            .put("systemName", system)
            .put("document", Base64.getUrlEncoder().withoutPadding().encodeToString(pdf))
            .put("documentName", "vaatimustenmukaisuus.pdf"));
    conformity.fetch();
    assertEquals(Status.PROCESSING, conformity.getStatus());
    order.fetch();
    assertNotNull(order.getJSON().get("processingDeadline").asString());

    JsonArray queue = admin.getArray("/admin/reviews");
    JsonObject entry =
        queue.stream()
            .map(JsonObject.class::cast)
            .filter(o -> system.equals(o.getString("systemName")))
            .findFirst()
            .orElseThrow();
    assertFalse(entry.getBoolean("overdue"));
    admin.post("/admin/reviews/" + entry.getLong("challenge") + "/approve", new JsonObject());

    assertEquals(Status.READY, order.waitUntilReady(Duration.ofSeconds(10)));
    order.execute(systemCsr(system, KeyPairUtils.createECKeyPair("secp256r1")));
    assertEquals(Status.VALID, order.waitForCompletion(Duration.ofSeconds(30)));
    X509Certificate cert = order.getCertificate().getCertificate();
    assertEquals(system, rdn(cert, BCStyle.CN));
    assertEquals(List.of("1.3.6.1.5.5.7.3.36"), cert.getExtendedKeyUsage());
    assertTrue(cert.getKeyUsage()[1], "nonRepudiation");

    // The approval is remembered for this organisation and system: no new review.
    Order again =
        member
            .newOrder()
            .identifier(new Identifier("sote-org", PRIVATE))
            .profile("sote-system-signature")
            .create();
    Challenge next =
        again.getAuthorizations().get(0).findChallenge("sote-conformity-01").orElseThrow();
    post(member, next.getLocation(), new JSONBuilder().put("systemName", system));
    assertEquals(Status.READY, again.waitUntilReady(Duration.ofSeconds(10)));
  }

  @Test
  void rejectedConformityInvalidatesTheOrderWithTheReason() throws Exception {
    Account member = register(PRIVATE, "member");
    String system = "Rejected system " + System.nanoTime();
    Order order =
        member
            .newOrder()
            .identifier(new Identifier("sote-org", PRIVATE))
            .profile("sote-system-signature-test")
            .create();
    Challenge conformity =
        order.getAuthorizations().get(0).findChallenge("sote-conformity-01").orElseThrow();
    post(
        member,
        conformity.getLocation(),
        new JSONBuilder()
            .put("systemName", system)
            .put("document", Base64.getUrlEncoder().encodeToString("%PDF-1.7 x".getBytes()))
            .put("documentName", "c.pdf"));
    long id =
        admin.getArray("/admin/reviews").stream()
            .map(JsonObject.class::cast)
            .filter(o -> system.equals(o.getString("systemName")))
            .findFirst()
            .orElseThrow()
            .getLong("challenge");
    admin.post(
        "/admin/reviews/" + id + "/reject",
        new JsonObject().put("reason", "the document has expired"));
    order.fetch();
    assertEquals(Status.INVALID, order.getStatus());
    assertTrue(
        order
            .getError()
            .orElseThrow()
            .getDetail()
            .orElseThrow()
            .contains("the document has expired"));
  }

  @Test
  void testProfileChainsToTheTestRootOnly() throws Exception {
    Account member = register(COUNTY, "member");
    Order order = member.newOrder().domains("t.county.test").profile("sote-server-test").create();
    solveHttp01(order);
    order.execute(KeyPairUtils.createKeyPair(2048));
    assertEquals(Status.VALID, order.waitForCompletion(Duration.ofSeconds(30)));
    List<X509Certificate> chain = order.getCertificate().getCertificateChain();
    assertTrue(chain.get(1).getSubjectX500Principal().getName().contains("TEST"));
    X509Certificate testRoot = servers.server.cas().test().root();
    chain.get(1).verify(testRoot.getPublicKey());
    X509Certificate productionRoot = servers.server.cas().production().root();
    assertThrows(Exception.class, () -> chain.get(1).verify(productionRoot.getPublicKey()));
  }

  /** A CSR that names a system only (CN), as system signature orders send it. */
  static byte[] systemCsr(String systemName, KeyPair key) throws Exception {
    var builder =
        new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
            new X500Name("CN=" + systemName), key.getPublic());
    var signer =
        new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
            .build(key.getPrivate());
    return builder.build(signer).getEncoded();
  }

  @Test
  void intermediaryGetsSystemSignatureInItsOwnName() throws Exception {
    String intermediary = "1.2.246.10.98200157.10.0";
    Account member = register(intermediary, "member");
    Order order =
        member
            .newOrder()
            .identifier(new Identifier("sote-org", intermediary))
            .profile("sote-system-signature-test")
            .create();
    // An intermediary is not a private social or health care provider: no conformity review.
    assertEquals(Status.READY, order.getStatus());
    order.execute(
        systemCsr("Kantasilta välityspalvelu", KeyPairUtils.createECKeyPair("secp256r1")));
    assertEquals(Status.VALID, order.waitForCompletion(Duration.ofSeconds(30)));
    X509Certificate cert = order.getCertificate().getCertificate();
    assertEquals("Kanta-välittäjä", rdn(cert, BCStyle.OU));
    assertEquals("Kantasilta Oy", rdn(cert, BCStyle.O));
    assertEquals(intermediary, rdn(cert, BCStyle.SERIALNUMBER));
  }

  @Test
  void anOrderWaitingForReviewLapsesAfterSixMonths() throws Exception {
    Account member = register(PRIVATE, "member");
    Order order =
        member
            .newOrder()
            .identifier(new Identifier("sote-org", PRIVATE))
            .profile("sote-system-signature")
            .create();
    java.time.Instant expires = order.getExpires().orElseThrow();
    long days = Duration.between(java.time.Instant.now(), expires).toDays();
    assertTrue(days >= 180 && days <= 185, "expires in about 6 months: " + expires);
    // Six months pass (the clock is the database's: move the order's end into the past).
    try (var db = servers.postgres.getPostgresDatabase().getConnection();
        var st =
            db.prepareStatement(
                "update orders set created_at = created_at - interval '6 months',"
                    + " expires_at = now() - interval '1 minute' where id = ?")) {
      String path = order.getLocation().getPath();
      st.setLong(1, Long.parseLong(path.substring(path.lastIndexOf('/') + 1)));
      assertEquals(1, st.executeUpdate());
    }
    order.fetch();
    assertEquals(Status.INVALID, order.getStatus());
    assertTrue(order.getError().orElseThrow().getDetail().orElseThrow().contains("lapsed"));
  }

  private static void post(Account account, URL url, JSONBuilder claims) throws Exception {
    try (Connection conn = session.connect()) {
      conn.sendSignedRequest(url, claims, login(account));
    }
  }
}
