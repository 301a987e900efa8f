package fi.soteacme.server.mail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import fi.soteacme.server.SoteAcmeServer;
import fi.soteacme.server.certificate.Serials;
import fi.soteacme.server.it.AdminClient;
import fi.soteacme.server.it.TestServers;
import io.vertx.core.json.JsonObject;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * Certificates e-mailed on issuance, through a real SMTP server (GreenMail on loopback): issued
 * with acme4j by a server configured for it, read back and parsed; retried while the SMTP server is
 * down; sent once by two server processes on one database.
 */
class MailDeliveryTest {
  static final String ORGANISATION = "1.2.246.10.98124035.10.0";
  static final String ORGANISATION_NAME = "Lumikankaan koulukoti";
  static final String TECHNICAL_CONTACT = "tekninen@koulukoti.test";
  static final String ORDERER = "tilaaja@koulukoti.test";
  static final Duration WAIT = Duration.ofSeconds(45);

  private static TestServers servers;

  @BeforeAll
  static void start() throws Exception {
    java.security.Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
    servers = TestServers.get();
    loadSoteRegister();
    HttpResponse<String> created =
        new AdminClient(servers.server)
            .send(
                "POST",
                "/admin/customers",
                new JsonObject()
                    .put("organisation", ORGANISATION)
                    .put("representative", "Testi Edustaja")
                    .put("technicalContact", TECHNICAL_CONTACT));
    assertTrue(
        created.statusCode() == 201 || created.body().contains("already has a customer account"),
        created.body());
  }

  @Test
  void issuedCertificateIsMailedWithChainAndLeafToAccountAndTechnicalContact() throws Exception {
    GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());
    smtp.start();
    try (SoteAcmeServer server = startWithSmtp("mail-happy", smtp.getSmtp().getPort())) {
      Issued issued = issue(server, "www.koulukoti.test");

      List<MimeMessage> received = awaitMessages(smtp, issued, 2);
      MimeMessage message = received.get(0);
      assertEquals(
          Set.of(ORDERER, TECHNICAL_CONTACT),
          addresses(message.getRecipients(Message.RecipientType.TO)));
      assertEquals("sote-acme@ca.test", addresses(message.getFrom()).iterator().next());
      assertEquals(
          "Service certificate www.koulukoti.test (serial " + issued.serialHex() + ")",
          message.getSubject());

      MimeMultipart parts = (MimeMultipart) message.getContent();
      String body = text(parts);
      assertTrue(body.contains(ORGANISATION), body);
      assertTrue(body.contains(ORGANISATION_NAME), body);
      assertTrue(body.contains("sote-server"), body);
      assertTrue(body.contains(issued.serialHex()), body);
      assertTrue(body.contains(issued.leaf().getSerialNumber().toString()), body);
      assertTrue(body.contains(issued.leaf().getNotAfter().toInstant().toString()), body);
      assertTrue(body.contains(server.config().url("/acme/cert/" + issued.serialHex())), body);

      BodyPart der = part(parts, "www.koulukoti.test.der");
      assertTrue(der.isMimeType("application/pkix-cert"), der.getContentType());
      assertArrayEquals(issued.leaf().getEncoded(), bytes(der));

      BodyPart pem = part(parts, "www.koulukoti.test.pem");
      assertTrue(pem.isMimeType("application/pem-certificate-chain"), pem.getContentType());
      List<X509Certificate> chain = new ArrayList<>();
      try (InputStream in = pem.getInputStream()) {
        CertificateFactory.getInstance("X.509")
            .generateCertificates(in)
            .forEach(c -> chain.add((X509Certificate) c));
      }
      assertEquals(2, chain.size());
      assertEquals(issued.leaf(), chain.get(0));
      assertEquals(issued.leaf().getIssuerX500Principal(), chain.get(1).getSubjectX500Principal());
      issued.leaf().verify(chain.get(1).getPublicKey());
    } finally {
      smtp.stop();
    }
  }

  @Test
  void failedDeliveryIsRetriedUntilTheSmtpServerIsUpWhileTheCertificateIsAlreadyIssued()
      throws Exception {
    int port = freePort();
    GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
    try (SoteAcmeServer server = startWithSmtp("mail-retry", port)) {
      // The order is valid and the certificate downloadable while nothing can be sent.
      Issued issued = issue(server, "retry.koulukoti.test");
      await(
          () -> {
            Row row = row(issued);
            return row != null && row.attempts() >= 1;
          });
      Row failed = row(issued);
      assertNull(failed.sentAt());
      assertNotNull(failed.lastError());
      assertTrue(failed.nextAttemptAt().isAfter(Instant.now().minusSeconds(1)));

      smtp.start();
      awaitMessages(smtp, issued, 2);
      await(() -> row(issued).sentAt() != null);
      assertTrue(row(issued).attempts() >= 1);
    } finally {
      smtp.stop();
    }
  }

  @Test
  void twoServersOnOneDatabaseDeliverEachCertificateOnce() throws Exception {
    // Issued by a server without SMTP: recorded, not sent, until the two servers below start.
    List<Issued> issued = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      issued.add(issue(servers.server, "once" + i + ".koulukoti.test"));
    }
    for (Issued certificate : issued) {
      Row queued = row(certificate);
      assertNotNull(queued);
      assertNull(queued.sentAt());
      assertEquals(0, queued.attempts());
    }

    GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());
    smtp.start();
    int port = smtp.getSmtp().getPort();
    CompletableFuture<SoteAcmeServer> first = startAsync("mail-once-1", port);
    CompletableFuture<SoteAcmeServer> second = startAsync("mail-once-2", port);
    try (SoteAcmeServer a = first.get();
        SoteAcmeServer b = second.get()) {
      await(() -> issued.stream().allMatch(c -> row(c).sentAt() != null));
      // Both workers poll again meanwhile: nothing may be sent a second time.
      Thread.sleep(DeliveryWorker.POLL.toMillis() + 1000);
      for (Issued certificate : issued) {
        assertEquals(2, messages(smtp, certificate).size(), certificate.serialHex());
        assertEquals(0, row(certificate).attempts());
      }
    } finally {
      smtp.stop();
    }
  }

  // ---- fixture

  record Issued(X509Certificate leaf, String serialHex) {}

  record Row(int attempts, Instant nextAttemptAt, Instant sentAt, String lastError) {}

  /**
   * The organisation's entry as the testdata extract of the THL-SOTE register has it. Written
   * directly: RegisterImporter's load fails on this base ("expected number of parameters = [2] but
   * the actual number is [16]"), and the fixture loads no register.
   */
  private static void loadSoteRegister() throws Exception {
    try (Connection c = servers.postgres.getPostgresDatabase().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "insert into register_entry (oid, source, long_name, abbreviation, business_id,"
                    + " sector, status, begin_date) values (?, 'sote', ?, ?, '9812403-5', '1',"
                    + " 'ACTIVE', '2019-01-01T00:00:00+02:00') on conflict (oid) do nothing")) {
      s.setString(1, ORGANISATION);
      s.setString(2, ORGANISATION_NAME);
      s.setString(3, "Lumikankaan koulukoti");
      s.executeUpdate();
    }
  }

  private static SoteAcmeServer startWithSmtp(String name, int port) throws Exception {
    return servers.start(
        servers.dataDir.resolve(name),
        json ->
            json.put(
                "smtp",
                new JsonObject()
                    .put("host", "127.0.0.1")
                    .put("port", port)
                    .put("from", "sote-acme@ca.test")
                    .put("starttls", "NONE")
                    .put("retryMinSeconds", 1)
                    .put("retryMaxSeconds", 2)));
  }

  private static CompletableFuture<SoteAcmeServer> startAsync(String name, int port) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return startWithSmtp(name, port);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** A certificate of the organisation, ordered by a member account whose contact is ORDERER. */
  private static Issued issue(SoteAcmeServer server, String domain) throws Exception {
    AdminClient admin = new AdminClient(servers.server);
    JsonObject eab =
        admin.post(
            "/admin/customers/" + ORGANISATION + "/invitations",
            new JsonObject().put("role", "member").put("email", ORDERER));
    Session session =
        fi.soteacme.server.it.Acme4j.session(server.directoryUrl(), server.trustAnchor());
    Account account =
        new AccountBuilder()
            .agreeToTermsOfService()
            .addEmail(ORDERER)
            .addEmail(TECHNICAL_CONTACT.toUpperCase(java.util.Locale.ROOT))
            .withKeyIdentifier(eab.getString("kid"), eab.getString("hmacKey"))
            .useKeyPair(KeyPairUtils.createECKeyPair("secp256r1"))
            .create(session);
    Order order = account.newOrder().domains(domain).create();
    for (Authorization auth : order.getAuthorizations()) {
      Http01Challenge challenge = auth.findChallenge(Http01Challenge.class).orElseThrow();
      servers.http01.put(challenge.getToken(), challenge.getAuthorization());
      challenge.trigger();
      assertEquals(Status.VALID, challenge.waitForCompletion(Duration.ofSeconds(30)));
    }
    assertEquals(Status.READY, order.waitUntilReady(Duration.ofSeconds(30)));
    order.execute(KeyPairUtils.createECKeyPair("secp256r1"));
    assertEquals(Status.VALID, order.waitForCompletion(Duration.ofSeconds(30)));
    X509Certificate leaf = order.getCertificate().getCertificate();
    assertEquals(ORGANISATION, order.getJSON().get("organisation").asString());
    return new Issued(leaf, Serials.toHex(Serials.toBytes(leaf.getSerialNumber())));
  }

  private static List<MimeMessage> awaitMessages(GreenMail smtp, Issued issued, int count)
      throws Exception {
    await(() -> messages(smtp, issued).size() >= count);
    return messages(smtp, issued);
  }

  /** The messages (one per recipient) about this certificate. */
  private static List<MimeMessage> messages(GreenMail smtp, Issued issued) {
    return Arrays.stream(smtp.getReceivedMessages())
        .filter(
            m -> {
              try {
                return m.getSubject().contains("(serial " + issued.serialHex() + ")");
              } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }

  private static Row row(Issued issued) {
    try (Connection c = servers.postgres.getPostgresDatabase().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select d.attempts, d.next_attempt_at, d.sent_at, d.last_error"
                    + " from mail_delivery d join certificate c on c.id = d.certificate_id"
                    + " where c.serial = ?")) {
      s.setBytes(1, Serials.toBytes(issued.leaf().getSerialNumber()));
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return null;
        }
        return new Row(
            r.getInt(1),
            r.getTimestamp(2).toInstant(),
            r.getTimestamp(3) == null ? null : r.getTimestamp(3).toInstant(),
            r.getString(4));
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + WAIT);
      }
      Thread.sleep(200);
    }
  }

  private static Set<String> addresses(jakarta.mail.Address[] addresses) {
    return Arrays.stream(addresses)
        .map(a -> ((InternetAddress) a).getAddress().toLowerCase(java.util.Locale.ROOT))
        .collect(Collectors.toSet());
  }

  private static BodyPart part(MimeMultipart parts, String fileName) throws Exception {
    for (int i = 0; i < parts.getCount(); i++) {
      if (fileName.equals(parts.getBodyPart(i).getFileName())) {
        return parts.getBodyPart(i);
      }
    }
    throw new AssertionError("no attachment " + fileName);
  }

  private static String text(MimeMultipart parts) throws Exception {
    for (int i = 0; i < parts.getCount(); i++) {
      if (parts.getBodyPart(i).isMimeType("text/plain")) {
        return String.valueOf(parts.getBodyPart(i).getContent());
      }
    }
    throw new AssertionError("no text part");
  }

  private static byte[] bytes(BodyPart part) throws Exception {
    try (InputStream in = part.getInputStream()) {
      return in.readAllBytes();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
