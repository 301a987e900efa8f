package fi.soteacme.server.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import fi.soteacme.server.testsupport.Http01Responder;
import fi.soteacme.server.testsupport.TestDnsServer;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Production validation never connects to the CA's own network: loopback and private are refused.
 */
class InternalAddressTest {
  private static final String KEY_AUTHORIZATION = "token-abc.thumbprint-xyz";

  private Vertx vertx;
  private TestDnsServer dns;
  private Http01Responder http;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    dns = new TestDnsServer().start(); // answers 127.0.0.1 for every name
    http = new Http01Responder(vertx).start().put("token-abc", KEY_AUTHORIZATION);
  }

  @AfterEach
  void stop() {
    http.close();
    dns.close();
    vertx.close().await();
  }

  private ChallengeValidator validator(boolean allowInternal) {
    return new ChallengeValidator(
        vertx,
        new ValidationSettings(http.port(), 443, dns.address(), Map.of(), Duration.ofSeconds(5)),
        allowInternal);
  }

  @Test
  void refusedInProduction() {
    Throwable failure =
        validator(false)
            .validate("http-01", "www.example.test", "token-abc", KEY_AUTHORIZATION)
            .toCompletionStage()
            .toCompletableFuture()
            .handle((v, e) -> e)
            .join();
    AcmeProblem problem = (AcmeProblem) (failure.getCause() != null ? failure.getCause() : failure);
    assertEquals(ProblemType.DNS, problem.type());
    assertTrue(problem.detail().contains("127.0.0.1"), problem.detail());
    assertEquals(0, http.requestCount());
  }

  @Test
  void allowedForLocalTrials() {
    validator(true)
        .validate("http-01", "www.example.test", "token-abc", KEY_AUTHORIZATION)
        .toCompletionStage()
        .toCompletableFuture()
        .join();
    assertEquals(1, http.requestCount());
  }
}
