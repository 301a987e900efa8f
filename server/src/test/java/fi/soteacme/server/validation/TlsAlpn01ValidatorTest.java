package fi.soteacme.server.validation;

import fi.soteacme.server.problem.ProblemType;
import fi.soteacme.server.testsupport.TestDnsServer;
import fi.soteacme.server.testsupport.TlsAlpn01Certificates;
import fi.soteacme.server.testsupport.TlsAlpn01Responder;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class TlsAlpn01ValidatorTest {
  private static final String NAME = "tls.example.test";
  private static final String KEY_AUTHORIZATION =
      "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.nP1qzpXGymHBrUEepNY9HCsQk7K8KhOypzEt62jcerQ";
  private static final String DIGEST_HEX =
      HexFormat.of().formatHex(TlsAlpn01Certificates.sha256(KEY_AUTHORIZATION));

  private Vertx vertx;
  private TestDnsServer dns;
  private TlsAlpn01Responder tls;
  private ChallengeValidator validator;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    dns = new TestDnsServer().start();
    tls = new TlsAlpn01Responder().start();
    validator = validatorFor(tls.port());
  }

  private ChallengeValidator validatorFor(int tlsPort) {
    return new ChallengeValidator(
        vertx,
        new ValidationSettings(
            Expect.closedPort(), tlsPort, dns.address(), Map.of(), Duration.ofSeconds(5)));
  }

  @AfterEach
  void stop() {
    validator.close().await();
    tls.close();
    dns.close();
  }

  @Test
  void passesWithTheRfc8737Certificate(VertxTestContext context) {
    tls.put(NAME, KEY_AUTHORIZATION);
    validator
        .validate("tls-alpn-01", NAME, "unused", KEY_AUTHORIZATION)
        .onComplete(context.succeedingThenComplete());
  }

  @Test
  void choosesTheCertificateBySni(VertxTestContext context) {
    tls.put("other.example.test", "some.other-key-authorization").put(NAME, KEY_AUTHORIZATION);
    validator
        .validate("tls-alpn-01", NAME, "unused", KEY_AUTHORIZATION)
        .onComplete(context.succeedingThenComplete());
  }

  @Test
  void failsWhenTheSanIsAnotherName(VertxTestContext context) {
    tls.putCertificate(
        NAME,
        TlsAlpn01Certificates.create(
            List.of("other.example.test"),
            TlsAlpn01Certificates.acmeIdentifierValue(KEY_AUTHORIZATION),
            true));
    Expect.problem(
        context,
        validator.validate("tls-alpn-01", NAME, "unused", KEY_AUTHORIZATION),
        ProblemType.INCORRECT_RESPONSE,
        "DNS:other.example.test",
        "expected exactly one entry, DNS:" + NAME);
  }

  @Test
  void failsWhenThereIsMoreThanOneSan(VertxTestContext context) {
    tls.putCertificate(
        NAME,
        TlsAlpn01Certificates.create(
            List.of(NAME, "www." + NAME),
            TlsAlpn01Certificates.acmeIdentifierValue(KEY_AUTHORIZATION),
            true));
    Expect.problem(
        context,
        validator.validate("tls-alpn-01", NAME, "unused", KEY_AUTHORIZATION),
        ProblemType.INCORRECT_RESPONSE,
        "\"DNS:www." + NAME + "\"",
        "expected exactly one entry");
  }

  @Test
  void failsWithoutTheAcmeIdentifierExtension(VertxTestContext context) {
    tls.putCertificate(NAME, TlsAlpn01Certificates.create(List.of(NAME), null, true));
    Expect.problem(
        context,
        validator.validate("tls-alpn-01", NAME, "unused", KEY_AUTHORIZATION),
        ProblemType.INCORRECT_RESPONSE,
        "no acmeIdentifier extension (1.3.6.1.5.5.7.1.31)",
        DIGEST_HEX);
  }

  @Test
  void failsWhenTheAcmeIdentifierIsNotCritical(VertxTestContext context) {
    tls.putCertificate(
        NAME,
        TlsAlpn01Certificates.create(
            List.of(NAME), TlsAlpn01Certificates.acmeIdentifierValue(KEY_AUTHORIZATION), false));
    Expect.problem(
        context,
        validator.validate("tls-alpn-01", NAME, "unused", KEY_AUTHORIZATION),
        ProblemType.INCORRECT_RESPONSE,
        "not critical");
  }

  @Test
  void failsOnTheDigestOfAnotherKeyAuthorization(VertxTestContext context) {
    tls.put(NAME, "stale.key-authorization");
    Expect.problem(
        context,
        validator.validate("tls-alpn-01", NAME, "unused", KEY_AUTHORIZATION),
        ProblemType.INCORRECT_RESPONSE,
        "holding "
            + HexFormat.of().formatHex(TlsAlpn01Certificates.sha256("stale.key-authorization")),
        "expected the SHA-256 of the key authorization, " + DIGEST_HEX);
  }

  @Test
  void failsWhenTheDigestIsNotWrappedInAnOctetString(VertxTestContext context) {
    tls.putCertificate(
        NAME,
        TlsAlpn01Certificates.create(
            List.of(NAME), TlsAlpn01Certificates.sha256(KEY_AUTHORIZATION), true));
    Expect.problem(
        context,
        validator.validate("tls-alpn-01", NAME, "unused", KEY_AUTHORIZATION),
        ProblemType.INCORRECT_RESPONSE,
        "acmeIdentifier extension holding",
        DIGEST_HEX);
  }

  @Test
  void failsWhenTheServerIgnoresAlpn(VertxTestContext context) {
    tls.applicationProtocols().put(NAME, KEY_AUTHORIZATION);
    Expect.problem(
        context,
        validator.validate("tls-alpn-01", NAME, "unused", KEY_AUTHORIZATION),
        ProblemType.TLS,
        "did not negotiate the ALPN protocol acme-tls/1 (negotiated: none)",
        "127.0.0.1:" + tls.port());
  }

  @Test
  void failsWhenTheServerSpeaksOnlyAnotherProtocol(VertxTestContext context) {
    tls.applicationProtocols("h2", "http/1.1").put(NAME, KEY_AUTHORIZATION);
    Expect.problem(
        context,
        validator.validate("tls-alpn-01", NAME, "unused", KEY_AUTHORIZATION),
        ProblemType.TLS,
        "TLS error while connecting to 127.0.0.1:" + tls.port() + " (SNI " + NAME + ")",
        "no_application_protocol");
  }

  @Test
  void failsWhenTheServerHasNoCertificateForTheName(VertxTestContext context) {
    tls.put("other.example.test", KEY_AUTHORIZATION);
    Expect.problem(
        context,
        validator.validate("tls-alpn-01", NAME, "unused", KEY_AUTHORIZATION),
        ProblemType.TLS,
        "TLS error while connecting to");
  }

  @Test
  void failsWhenTheConnectionIsRefused(VertxTestContext context) {
    validator.close().await();
    int port = Expect.closedPort();
    validator = validatorFor(port);
    Expect.problem(
        context,
        validator.validate("tls-alpn-01", NAME, "unused", KEY_AUTHORIZATION),
        ProblemType.CONNECTION,
        "Connection refused while connecting to 127.0.0.1:" + port);
  }

  @Test
  void failsWhenTheNameHasNoAddress(VertxTestContext context) {
    dns.defaultAddress(null);
    Expect.problem(
        context,
        validator.validate("tls-alpn-01", NAME, "unused", KEY_AUTHORIZATION),
        ProblemType.DNS,
        "no A or AAAA record for " + NAME);
  }
}
