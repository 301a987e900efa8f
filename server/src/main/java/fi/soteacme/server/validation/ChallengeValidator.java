package fi.soteacme.server.validation;

import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that a challenge of a {@code dns} identifier is satisfied: http-01 and dns-01 (RFC 8555
 * §8.3, §8.4) and tls-alpn-01 (RFC 8737). Every failure is an {@link AcmeProblem} whose detail says
 * what was asked of where, what was expected and what came back:
 *
 * <ul>
 *   <li>{@code malformed}: unknown challenge type, an IP address as the name, a wildcard for a
 *       challenge other than dns-01, a token that is not base64url;
 *   <li>{@code dns}: a DNS error, or no A/AAAA record for the name;
 *   <li>{@code connection}: refused, timed out, closed;
 *   <li>{@code tls}: a failed handshake, or acme-tls/1 not negotiated;
 *   <li>{@code incorrectResponse}: the server answered, but not as the challenge requires (a wrong
 *       body, any status but 200 including 404, a redirect that is not followed, a wrong or missing
 *       TXT record, a wrong tls-alpn-01 certificate). Boulder says {@code unauthorized} for some of
 *       these; one type for "the answer is wrong" is easier to act on.
 * </ul>
 *
 * <p>Every network step is limited by {@link ValidationSettings#timeout()}. Nothing here blocks:
 * call {@link #validate} from any thread, including an event loop.
 */
public final class ChallengeValidator {
  public static final String HTTP_01 = "http-01";
  public static final String DNS_01 = "dns-01";
  public static final String TLS_ALPN_01 = "tls-alpn-01";

  private static final Logger LOG = LoggerFactory.getLogger(ChallengeValidator.class);
  private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
  private static final List<String> TYPES = List.of(HTTP_01, DNS_01, TLS_ALPN_01);

  private final Resolver resolver;
  private final Http01Validator http01;
  private final Dns01Validator dns01;
  private final TlsAlpn01Validator tlsAlpn01;

  /**
   * Creates the clients validation uses. With no DNS server configured this reads {@code
   * /etc/resolv.conf}: construct at start-up, not on an event loop.
   */
  public ChallengeValidator(Vertx vertx, ValidationSettings settings) {
    this(vertx, settings, true);
  }

  /**
   * @param allowInternalAddresses whether validation may connect to loopback, private, link-local
   *     and other non-public addresses (local trials and tests); production refuses them, so that a
   *     name cannot point the CA at its own network
   */
  public ChallengeValidator(
      Vertx vertx, ValidationSettings settings, boolean allowInternalAddresses) {
    this.resolver = new Resolver(vertx, settings, allowInternalAddresses);
    this.http01 = new Http01Validator(vertx, resolver, settings);
    this.dns01 = new Dns01Validator(resolver);
    this.tlsAlpn01 = new TlsAlpn01Validator(vertx, resolver, settings);
  }

  /**
   * Succeeds when the challenge is satisfied, fails with an {@link AcmeProblem} when not.
   *
   * @param challengeType {@code http-01}, {@code dns-01} or {@code tls-alpn-01}
   * @param dnsName the identifier's value; {@code *.} prefixed only for dns-01
   * @param token the challenge token (used by http-01)
   * @param keyAuthorization {@code token + "." + base64url(JWK thumbprint)} (RFC 8555 §8.1)
   */
  public Future<Void> validate(
      String challengeType, String dnsName, String token, String keyAuthorization) {
    Future<Void> result;
    try {
      result = dispatch(challengeType, dnsName, token, keyAuthorization);
    } catch (AcmeProblem problem) {
      result = Future.failedFuture(problem);
    }
    return result.recover(
        failure -> {
          if (failure instanceof AcmeProblem problem) {
            LOG.debug("{} for {} failed: {}", challengeType, dnsName, problem.getMessage());
            return Future.failedFuture(problem);
          }
          LOG.warn("{} for {} failed unexpectedly", challengeType, dnsName, failure);
          return Future.failedFuture(
              new AcmeProblem(
                  ProblemType.SERVER_INTERNAL,
                  challengeType + " validation failed because of an internal error",
                  failure));
        });
  }

  /** Releases the DNS, HTTP and TLS clients. */
  public Future<Void> close() {
    http01.close();
    return Future.join(resolver.close(), tlsAlpn01.close()).mapEmpty();
  }

  /** The TXT record value dns-01 expects: base64url, unpadded, of SHA-256(key authorization). */
  public static String dns01TxtValue(String keyAuthorization) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(keyAuthorization));
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }

  private Future<Void> dispatch(
      String challengeType, String dnsName, String token, String keyAuthorization) {
    if (challengeType == null || !TYPES.contains(challengeType)) {
      throw AcmeProblem.malformed(
          "Unknown challenge type "
              + Problems.quote(String.valueOf(challengeType))
              + "; supported: "
              + String.join(", ", TYPES));
    }
    if (keyAuthorization == null || keyAuthorization.isEmpty()) {
      throw AcmeProblem.malformed("No key authorization for the " + challengeType + " challenge");
    }
    String name = checkedName(challengeType, dnsName);
    return switch (challengeType) {
      case HTTP_01 -> http01.validate(name, checkedToken(token), keyAuthorization);
      case DNS_01 -> dns01.validate(name, keyAuthorization);
      default -> tlsAlpn01.validate(name, keyAuthorization);
    };
  }

  private static String checkedName(String challengeType, String dnsName) {
    if (dnsName == null || dnsName.isBlank()) {
      throw AcmeProblem.malformed("No DNS name to validate");
    }
    String name = Resolver.canonical(dnsName.strip());
    if (Resolver.isIpLiteral(name)) {
      throw AcmeProblem.malformed(
          Problems.quote(dnsName) + " is an IP address; only DNS names are validated");
    }
    if (name.startsWith("*.") && !challengeType.equals(DNS_01)) {
      throw AcmeProblem.malformed(
          "The wildcard " + Problems.quote(dnsName) + " can only be validated with dns-01");
    }
    return name;
  }

  private static String checkedToken(String token) {
    if (token == null || !BASE64URL.matcher(token).matches()) {
      throw AcmeProblem.malformed(
          "The token " + Problems.quote(String.valueOf(token)) + " is not base64url");
    }
    return token;
  }
}
