package fi.soteacme.server.validation;

import fi.soteacme.server.problem.ProblemType;
import fi.soteacme.server.testsupport.TestDnsServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class Dns01ValidatorTest {
  private static final String NAME = "example.test";
  private static final String RECORD = "_acme-challenge.example.test";
  private static final String KEY_AUTHORIZATION =
      "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.nP1qzpXGymHBrUEepNY9HCsQk7K8KhOypzEt62jcerQ";
  private static final String EXPECTED = ChallengeValidator.dns01TxtValue(KEY_AUTHORIZATION);

  private Vertx vertx;
  private TestDnsServer dns;
  private ChallengeValidator validator;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    dns = new TestDnsServer().start();
    validator = validatorAsking(dns.address(), Duration.ofSeconds(5));
  }

  private ChallengeValidator validatorAsking(String dnsServer, Duration timeout) {
    return new ChallengeValidator(
        vertx, new ValidationSettings(80, 443, dnsServer, Map.of(), timeout));
  }

  @AfterEach
  void stop() {
    validator.close().await();
    dns.close();
  }

  @Test
  void passesWhenATxtRecordHoldsTheDigest(VertxTestContext context) {
    dns.addTxt(RECORD, EXPECTED);
    validator
        .validate("dns-01", NAME, "unused", KEY_AUTHORIZATION)
        .onComplete(context.succeedingThenComplete());
  }

  @Test
  void passesWhenOneOfSeveralRecordsHoldsTheDigest(VertxTestContext context) {
    dns.addTxt(RECORD, "left over from last time").addTxt(RECORD, EXPECTED);
    validator
        .validate("dns-01", NAME, "unused", KEY_AUTHORIZATION)
        .onComplete(context.succeedingThenComplete());
  }

  @Test
  void looksUpAWildcardAtItsBaseName(VertxTestContext context) {
    dns.addTxt(RECORD, EXPECTED);
    validator
        .validate("dns-01", "*." + NAME, "unused", KEY_AUTHORIZATION)
        .onComplete(context.succeedingThenComplete());
  }

  @Test
  void followsACnameToADelegatedZone(VertxTestContext context) {
    dns.putCname(RECORD, "example-test.acme.delegated.test")
        .addTxt("example-test.acme.delegated.test", EXPECTED);
    validator
        .validate("dns-01", NAME, "unused", KEY_AUTHORIZATION)
        .onComplete(context.succeedingThenComplete());
  }

  @Test
  void failsOnAWrongValueListingWhatWasFound(VertxTestContext context) {
    dns.addTxt(RECORD, "stale-value").addTxt(RECORD, "another");
    Expect.problem(
        context,
        validator.validate("dns-01", NAME, "unused", KEY_AUTHORIZATION),
        ProblemType.INCORRECT_RESPONSE,
        RECORD,
        "expected \"" + EXPECTED + "\"",
        "found \"stale-value\", \"another\"");
  }

  @Test
  void failsWhenTheNameHasNoTxtRecord(VertxTestContext context) {
    Expect.problem(
        context,
        validator.validate("dns-01", NAME, "unused", KEY_AUTHORIZATION),
        ProblemType.INCORRECT_RESPONSE,
        "No TXT record found at " + RECORD,
        EXPECTED);
  }

  @Test
  void failsWithADnsProblemOnNxdomain(VertxTestContext context) {
    dns.defaultAddress(null);
    Expect.problem(
        context,
        validator.validate("dns-01", NAME, "unused", KEY_AUTHORIZATION),
        ProblemType.DNS,
        "NXDOMAIN looking up TXT for " + RECORD);
  }

  @Test
  void failsWithADnsProblemWhenTheServerDoesNotAnswer(VertxTestContext context) {
    validator.close().await();
    validator = validatorAsking("127.0.0.1:" + Expect.closedPort(), Duration.ofMillis(500));
    Expect.problem(
        context,
        validator.validate("dns-01", NAME, "unused", KEY_AUTHORIZATION),
        ProblemType.DNS,
        "looking up TXT for " + RECORD);
  }
}
