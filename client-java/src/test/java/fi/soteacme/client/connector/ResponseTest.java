package fi.soteacme.client.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.client.Problem;
import fi.soteacme.client.exception.AcmeRateLimitedException;
import fi.soteacme.client.exception.AcmeServerException;
import fi.soteacme.client.exception.AcmeUnauthorizedException;
import fi.soteacme.client.exception.AcmeUserActionRequiredException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponseTest {
  private static final URI REQUEST = URI.create("https://acme.test/acme/new-order");
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static HttpHeaders headers(Map<String, List<String>> map) {
    return HttpHeaders.of(map, (a, b) -> true);
  }

  @Test
  void retryAfterReadsSecondsAndHttpDates() {
    Response seconds =
        new Response(
            REQUEST, 200, headers(Map.of("Retry-After", List.of("120"))), new byte[0], NOW);
    assertEquals(NOW.plusSeconds(120), seconds.retryAfter().orElseThrow());
    Response date =
        new Response(
            REQUEST,
            200,
            headers(Map.of("Retry-After", List.of("Thu, 01 Jan 2026 06:00:00 GMT"))),
            new byte[0],
            NOW);
    assertEquals(Instant.parse("2026-01-01T06:00:00Z"), date.retryAfter().orElseThrow());
  }

  @Test
  void linksAreFoundByRelationAndResolved() {
    Response r =
        new Response(
            REQUEST,
            200,
            headers(
                Map.of(
                    "Link",
                    List.of(
                        "</directory>;rel=\"index\", <https://acme.test/cert/1/1>;rel=\"alternate\"",
                        "<https://acme.test/tos>; rel=terms-of-service"))),
            new byte[0],
            NOW);
    assertEquals(List.of(URI.create("https://acme.test/directory")), r.links("index"));
    assertEquals(List.of(URI.create("https://acme.test/cert/1/1")), r.links("alternate"));
    assertEquals(List.of(URI.create("https://acme.test/tos")), r.links("terms-of-service"));
  }

  @Test
  void problemsMapToTheExceptionThatCarriesTheirData() throws Exception {
    AcmeServerException rate =
        ProblemMapping.toException(
            Problem.of(
                Json.parse(
                    "{\"type\":\"urn:ietf:params:acme:error:rateLimited\",\"detail\":\"slow down\"}")),
            headers(
                Map.of(
                    "Retry-After",
                    List.of("60"),
                    "Link",
                    List.of("<https://acme.test/docs>;rel=\"help\""))),
            REQUEST,
            NOW);
    AcmeRateLimitedException limited = assertInstanceOf(AcmeRateLimitedException.class, rate);
    assertEquals(NOW.plusSeconds(60), limited.retryAfter().orElseThrow());
    assertEquals(List.of(URI.create("https://acme.test/docs")), limited.documents());

    AcmeServerException action =
        ProblemMapping.toException(
            Problem.of(
                Json.parse(
                    "{\"type\":\"urn:ietf:params:acme:error:userActionRequired\",\"instance\":\"https://acme.test/agree\"}")),
            headers(Map.of("Link", List.of("<https://acme.test/tos2>;rel=\"terms-of-service\""))),
            REQUEST,
            NOW);
    AcmeUserActionRequiredException user =
        assertInstanceOf(AcmeUserActionRequiredException.class, action);
    assertEquals(URI.create("https://acme.test/agree"), user.instance().orElseThrow());
    assertEquals(URI.create("https://acme.test/tos2"), user.termsOfService().orElseThrow());

    AcmeServerException unauthorized =
        ProblemMapping.toException(
            Problem.of(
                Json.parse(
                    "{\"type\":\"urn:ietf:params:acme:error:malformed\",\"subproblems\":[{\"type\":\"urn:ietf:params:acme:error:unauthorized\",\"identifier\":{\"type\":\"sote-org\",\"value\":\"1.2.246.10.1.10.0\"}}]}")),
            headers(Map.of()),
            REQUEST,
            NOW);
    assertEquals(AcmeServerException.class, unauthorized.getClass());
    assertTrue(unauthorized.problem().is("malformed"));
    assertEquals("sote-org", unauthorized.problem().subproblems().get(0).identifier().type());
    assertInstanceOf(
        AcmeUnauthorizedException.class,
        ProblemMapping.toException(
            Problem.of(Json.parse("{\"type\":\"urn:ietf:params:acme:error:unauthorized\"}")),
            headers(Map.of()),
            REQUEST,
            NOW));
  }
}
