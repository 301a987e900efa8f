package fi.soteacme.server.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fi.soteacme.server.problem.ProblemType;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checks made before any network step; the DNS server configured here does not exist. */
@ExtendWith(VertxExtension.class)
class ChallengeValidatorTest {
  private static final String KEY_AUTHORIZATION =
      "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.nP1qzpXGymHBrUEepNY9HCsQk7K8KhOypzEt62jcerQ";

  private ChallengeValidator validator;

  @BeforeEach
  void start(Vertx vertx) {
    validator =
        new ChallengeValidator(
            vertx,
            new ValidationSettings(
                Expect.closedPort(),
                Expect.closedPort(),
                "127.0.0.1:" + Expect.closedPort(),
                Map.of(),
                Duration.ofSeconds(1)));
  }

  @AfterEach
  void stop() {
    validator.close().await();
  }

  @Test
  void dns01TxtValueIsUnpaddedBase64UrlOfSha256() {
    // python3: base64.urlsafe_b64encode(hashlib.sha256(ka.encode()).digest()).rstrip(b"=")
    assertEquals(
        "NGwKoXBgCT8JhEa0bK7AwfSqHyu_ZWeugV07fLGIVq0",
        ChallengeValidator.dns01TxtValue(KEY_AUTHORIZATION));
  }

  @Test
  void rejectsAnUnknownChallengeType(VertxTestContext context) {
    Expect.problem(
        context,
        validator.validate("sote-register-01", "example.fi", "token", KEY_AUTHORIZATION),
        ProblemType.MALFORMED,
        "Unknown challenge type \"sote-register-01\"",
        "supported: http-01, dns-01, tls-alpn-01");
  }

  @ParameterizedTest
  @ValueSource(strings = {"192.0.2.1", "::1", "[2001:db8::1]"})
  void rejectsIpAddresses(String address, VertxTestContext context) {
    Expect.problem(
        context,
        validator.validate("http-01", address, "token", KEY_AUTHORIZATION),
        ProblemType.MALFORMED,
        "is an IP address");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http-01", "tls-alpn-01"})
  void acceptsWildcardsOnlyForDns01(String type, VertxTestContext context) {
    Expect.problem(
        context,
        validator.validate(type, "*.example.fi", "token", KEY_AUTHORIZATION),
        ProblemType.MALFORMED,
        "can only be validated with dns-01");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../../etc/passwd", "a b", "tok=en", ""})
  void rejectsATokenThatIsNotBase64Url(String token, VertxTestContext context) {
    Expect.problem(
        context,
        validator.validate("http-01", "example.fi", token, KEY_AUTHORIZATION),
        ProblemType.MALFORMED,
        "is not base64url");
  }

  @Test
  void rejectsAMissingKeyAuthorization(VertxTestContext context) {
    Expect.problem(
        context,
        validator.validate("dns-01", "example.fi", "token", ""),
        ProblemType.MALFORMED,
        "No key authorization");
  }
}
