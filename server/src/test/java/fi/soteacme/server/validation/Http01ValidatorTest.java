package fi.soteacme.server.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fi.soteacme.server.problem.ProblemType;
import fi.soteacme.server.testsupport.Http01Responder;
import fi.soteacme.server.testsupport.TestDnsServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class Http01ValidatorTest {
  private static final String NAME = "www.example.test";
  private static final String TOKEN = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";
  private static final String KEY_AUTHORIZATION =
      TOKEN + ".nP1qzpXGymHBrUEepNY9HCsQk7K8KhOypzEt62jcerQ";
  private static final String URL = "/.well-known/acme-challenge/" + TOKEN;

  private Vertx vertx;
  private TestDnsServer dns;
  private Http01Responder http;
  private ValidationSettings settings;
  private ChallengeValidator validator;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    dns = new TestDnsServer().start();
    http = new Http01Responder(vertx).start();
    settings =
        new ValidationSettings(
            http.port(), Expect.closedPort(), dns.address(), Map.of(), Duration.ofSeconds(5));
    validator = new ChallengeValidator(vertx, settings);
  }

  @AfterEach
  void stop() {
    validator.close().await();
    http.close();
    dns.close();
  }

  private void use(ValidationSettings changed) {
    validator.close().await();
    settings = changed;
    validator = new ChallengeValidator(vertx, settings);
  }

  @Test
  void passesWhenTheBodyIsTheKeyAuthorization(VertxTestContext context) {
    http.put(TOKEN, KEY_AUTHORIZATION);
    validator
        .validate("http-01", NAME, TOKEN, KEY_AUTHORIZATION)
        .onComplete(
            context.succeeding(
                v ->
                    context.verify(
                        () -> {
                          assertEquals(NAME, http.lastHostHeader(), "Host header");
                          context.completeNow();
                        })));
  }

  @Test
  void ignoresTrailingWhitespace(VertxTestContext context) {
    http.put(TOKEN, KEY_AUTHORIZATION + " \r\n\t\n");
    validator
        .validate("http-01", NAME, TOKEN, KEY_AUTHORIZATION)
        .onComplete(context.succeedingThenComplete());
  }

  @Test
  void readsOnlyTheFirstKibibyte(VertxTestContext context) {
    http.put(TOKEN, KEY_AUTHORIZATION + "\n".repeat(100_000));
    validator
        .validate("http-01", NAME, TOKEN, KEY_AUTHORIZATION)
        .onComplete(context.succeedingThenComplete());
  }

  @Test
  void failsOnAWrongBodySayingWhatWasExpectedAndReceived(VertxTestContext context) {
    http.put(TOKEN, "hello from the default vhost");
    Expect.problem(
        context,
        validator.validate("http-01", NAME, TOKEN, KEY_AUTHORIZATION),
        ProblemType.INCORRECT_RESPONSE,
        "http://" + NAME + ":" + http.port() + URL,
        "127.0.0.1",
        "expected \"" + KEY_AUTHORIZATION + "\"",
        "received \"hello from the default vhost\"");
  }

  @Test
  void quotesALongWrongBodyTruncated(VertxTestContext context) {
    http.put(TOKEN, "x".repeat(5000));
    Expect.problem(
        context,
        validator.validate("http-01", NAME, TOKEN, KEY_AUTHORIZATION),
        ProblemType.INCORRECT_RESPONSE,
        "\"" + "x".repeat(100) + "\"... (1024 characters)");
  }

  @Test
  void failsOnNotFound(VertxTestContext context) {
    Expect.problem(
        context,
        validator.validate("http-01", NAME, TOKEN, KEY_AUTHORIZATION),
        ProblemType.INCORRECT_RESPONSE,
        "returned HTTP 404",
        "expected HTTP 200 with the key authorization \"" + KEY_AUTHORIZATION + "\"");
  }

  @Test
  void failsWhenTheConnectionIsRefused(VertxTestContext context) {
    use(settings.withHttpPort(Expect.closedPort()));
    Expect.problem(
        context,
        validator.validate("http-01", NAME, TOKEN, KEY_AUTHORIZATION),
        ProblemType.CONNECTION,
        "Connection refused",
        "http://" + NAME + ":" + settings.httpPort() + URL);
  }

  @Test
  void failsWhenTheServerNeverAnswers(VertxTestContext context) throws IOException {
    ServerSocket silent = new ServerSocket();
    silent.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0));
    use(settings.withHttpPort(silent.getLocalPort()).withTimeout(Duration.ofMillis(300)));
    Expect.problem(
        context,
        validator
            .validate("http-01", NAME, TOKEN, KEY_AUTHORIZATION)
            .eventually(
                () -> {
                  try {
                    silent.close();
                  } catch (IOException e) {
                    // closing anyway
                  }
                  return io.vertx.core.Future.succeededFuture();
                }),
        ProblemType.CONNECTION,
        "Timeout after 300 ms",
        URL);
  }

  @Test
  void failsWhenTheNameDoesNotExist(VertxTestContext context) {
    dns.defaultAddress(null);
    Expect.problem(
        context,
        validator.validate("http-01", NAME, TOKEN, KEY_AUTHORIZATION),
        ProblemType.DNS,
        "no A or AAAA record for " + NAME);
  }

  @Test
  void failsWhenTheNameHasNoAddressRecord(VertxTestContext context) {
    dns.defaultAddress(null).addTxt(NAME, "v=spf1 -all");
    Expect.problem(
        context,
        validator.validate("http-01", NAME, TOKEN, KEY_AUTHORIZATION),
        ProblemType.DNS,
        "no A or AAAA record for " + NAME);
  }

  @Test
  void usesHostOverridesWithoutAskingDns(VertxTestContext context) {
    dns.defaultAddress(null);
    use(settings.withHostOverrides(Map.of("test", "127.0.0.1")));
    http.put(TOKEN, KEY_AUTHORIZATION);
    validator
        .validate("http-01", NAME, TOKEN, KEY_AUTHORIZATION)
        .onComplete(
            context.succeeding(
                v ->
                    context.verify(
                        () -> {
                          assertEquals(0, dns.queryCount(), "DNS queries");
                          context.completeNow();
                        })));
  }

  @Test
  void followsRedirectsOnTheSamePortToAnotherNameAndPath(VertxTestContext context) {
    http.redirect(URL, 301, "http://other.example.test:" + http.port() + "/moved/" + TOKEN);
    http.redirect("/moved/" + TOKEN, 302, "/.well-known/acme-challenge/elsewhere?x=1");
    http.put("elsewhere", KEY_AUTHORIZATION);
    validator
        .validate("http-01", NAME, TOKEN, KEY_AUTHORIZATION)
        .onComplete(
            context.succeeding(
                v ->
                    context.verify(
                        () -> {
                          assertEquals(3, http.requestCount(), "requests");
                          assertEquals("other.example.test", http.lastHostHeader(), "Host");
                          context.completeNow();
                        })));
  }

  @Test
  void namesTheFinalUrlAndTheFirstWhenARedirectedBodyIsWrong(VertxTestContext context) {
    http.redirect(URL, 307, "/.well-known/acme-challenge/elsewhere");
    http.put("elsewhere", "stale");
    Expect.problem(
        context,
        validator.validate("http-01", NAME, TOKEN, KEY_AUTHORIZATION),
        ProblemType.INCORRECT_RESPONSE,
        "/.well-known/acme-challenge/elsewhere",
        "redirected from http://" + NAME + ":" + http.port() + URL,
        "received \"stale\"");
  }

  @Test
  void refusesARedirectToAnotherPort(VertxTestContext context) {
    http.redirect(URL, 302, "http://" + NAME + ":8080" + URL);
    Expect.problem(
        context,
        validator.validate("http-01", NAME, TOKEN, KEY_AUTHORIZATION),
        ProblemType.INCORRECT_RESPONSE,
        "port 8080 is not followed",
        "only http on port " + http.port());
  }

  @Test
  void refusesARedirectToAnIpAddress(VertxTestContext context) {
    http.redirect(URL, 302, "http://127.0.0.1:" + http.port() + URL);
    Expect.problem(
        context,
        validator.validate("http-01", NAME, TOKEN, KEY_AUTHORIZATION),
        ProblemType.INCORRECT_RESPONSE,
        "not IP addresses");
  }

  @Test
  void refusesARedirectToAnotherScheme(VertxTestContext context) {
    http.redirect(URL, 302, "ftp://" + NAME + URL);
    Expect.problem(
        context,
        validator.validate("http-01", NAME, TOKEN, KEY_AUTHORIZATION),
        ProblemType.INCORRECT_RESPONSE,
        "only http and https are followed");
  }

  @Test
  void stopsAfterTenRedirects(VertxTestContext context) {
    http.redirect(URL, 302, URL);
    Expect.problem(
        context,
        validator.validate("http-01", NAME, TOKEN, KEY_AUTHORIZATION),
        ProblemType.INCORRECT_RESPONSE,
        "Too many redirects: more than 10");
  }

  @Test
  void followsARedirectToHttpsOnTheTlsPortWithoutCheckingTheCertificate(VertxTestContext context) {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    HttpServer https =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setHost("127.0.0.1")
                    .setPort(0)
                    .setSsl(true)
                    .setKeyCertOptions(certificate.keyCertOptions()))
            .requestHandler(
                request ->
                    request
                        .response()
                        .end(request.path().equals(URL) ? KEY_AUTHORIZATION : "wrong path"))
            .listen()
            .await();
    use(settings.withTlsPort(https.actualPort()));
    http.redirect(URL, 302, "https://" + NAME + ":" + https.actualPort() + URL);
    validator
        .validate("http-01", NAME, TOKEN, KEY_AUTHORIZATION)
        .eventually(https::close)
        .onComplete(context.succeedingThenComplete());
  }
}
