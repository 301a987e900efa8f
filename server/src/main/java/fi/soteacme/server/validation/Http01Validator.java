package fi.soteacme.server.validation;

import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * http-01 (RFC 8555 §8.3): GET {@code http://<name>/.well-known/acme-challenge/<token>} from the
 * name's own address; the body, trailing whitespace removed, must be the key authorization.
 *
 * <p>Redirects are followed by hand, at most {@value #MAX_REDIRECTS}, and only to http on the
 * configured HTTP port or https on the configured TLS port, to a DNS name (not an IP address), as
 * Boulder does. An https hop checks no certificate: the target may not have one yet.
 */
final class Http01Validator {
  static final String PATH_PREFIX = "/.well-known/acme-challenge/";
  static final int MAX_REDIRECTS = 10;
  static final int MAX_BODY_BYTES = 1024;
  private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);

  private final Resolver resolver;
  private final ValidationSettings settings;
  private final WebClient client;

  /** One hop: where a request goes; {@code toString()} is its URL. */
  private record Target(boolean https, String host, int port, String pathAndQuery) {
    URI uri() {
      return URI.create(toString());
    }

    @Override
    public String toString() {
      boolean defaultPort = port == (https ? 443 : 80);
      return (https ? "https://" : "http://")
          + host
          + (defaultPort ? "" : ":" + port)
          + pathAndQuery;
    }
  }

  /** The last hop's response and what it took to get there. */
  private record Fetched(Target target, String address, HttpResponse<Buffer> response) {
    String where(Target first) {
      return target
          + " ("
          + address
          + ")"
          + (target.equals(first) ? "" : ", redirected from " + first + ",");
    }
  }

  Http01Validator(Vertx vertx, Resolver resolver, ValidationSettings settings) {
    this.resolver = resolver;
    this.settings = settings;
    int millis = (int) settings.timeout().toMillis();
    this.client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setUserAgent("sote-acme validation (+RFC 8555 http-01)")
                .setFollowRedirects(false)
                .setKeepAlive(false)
                .setTrustAll(true)
                .setVerifyHost(false)
                .setForceSni(true)
                .setConnectTimeout(millis)
                .setSslHandshakeTimeout(millis)
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
                .setIdleTimeout(millis)
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
  }

  Future<Void> validate(String dnsName, String token, String keyAuthorization) {
    Target first = new Target(false, dnsName, settings.httpPort(), PATH_PREFIX + token);
    return fetch(first, 0).compose(fetched -> check(first, fetched, keyAuthorization));
  }

  void close() {
    client.close();
  }

  private Future<Fetched> fetch(Target target, int redirects) {
    return resolver
        .address(target.host())
        .compose(address -> get(target, address).map(r -> new Fetched(target, address, r)))
        .compose(
            fetched -> {
              if (!REDIRECT_STATUSES.contains(fetched.response().statusCode())) {
                return Future.succeededFuture(fetched);
              }
              if (redirects >= MAX_REDIRECTS) {
                return Future.failedFuture(
                    incorrect(
                        "Too many redirects: more than "
                            + MAX_REDIRECTS
                            + ", the last from "
                            + target));
              }
              return redirectTarget(fetched).compose(next -> fetch(next, redirects + 1));
            });
  }

  private Future<HttpResponse<Buffer>> get(Target target, String address) {
    String action = "fetching " + target + " (" + address + ")";
    return client
        .request(
            HttpMethod.GET,
            SocketAddress.inetSocketAddress(target.port(), address),
            target.port(),
            target.host(),
            target.pathAndQuery())
        .ssl(target.https())
        .putHeader(HttpHeaders.HOST.toString(), target.host())
        .followRedirects(false)
        .as(new PrefixBodyCodec(MAX_BODY_BYTES))
        .send()
        .timeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .recover(
            failure -> Future.failedFuture(Problems.network(failure, action, settings.timeout())));
  }

  private Future<Target> redirectTarget(Fetched fetched) {
    Target from = fetched.target();
    String location = fetched.response().getHeader(HttpHeaders.LOCATION.toString());
    String prefix = "Redirect from " + from + " (HTTP " + fetched.response().statusCode() + ") ";
    if (location == null || location.isBlank()) {
      return Future.failedFuture(incorrect(prefix + "has no Location header"));
    }
    URI uri;
    try {
      uri = from.uri().resolve(new URI(location.strip()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Future.failedFuture(
          incorrect(prefix + "to an invalid URL " + Problems.quote(location)));
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String to = "to " + Problems.quote(uri.toString());
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return Future.failedFuture(incorrect(prefix + to + ": only http and https are followed"));
    }
    boolean https = scheme.equals("https");
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return Future.failedFuture(incorrect(prefix + to + ": no host name in the URL"));
    }
    if (Resolver.isIpLiteral(uri.getHost())) {
      return Future.failedFuture(
          incorrect(prefix + to + ": only DNS names are followed, not IP addresses"));
    }
    int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
    int allowed = https ? settings.tlsPort() : settings.httpPort();
    if (port != allowed) {
      return Future.failedFuture(
          incorrect(
              prefix
                  + to
                  + ": port "
                  + port
                  + " is not followed; only http on port "
                  + settings.httpPort()
                  + " and https on port "
                  + settings.tlsPort()));
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return Future.succeededFuture(
        new Target(https, Resolver.canonical(uri.getHost()), port, path + query));
  }

  private static Future<Void> check(Target first, Fetched fetched, String keyAuthorization) {
    int status = fetched.response().statusCode();
    Buffer body = fetched.response().body();
    String received = body == null ? "" : body.toString(StandardCharsets.UTF_8).stripTrailing();
    if (status != 200) {
      return Future.failedFuture(
          incorrect(
              "Fetching "
                  + fetched.where(first)
                  + " returned HTTP "
                  + status
                  + " (body "
                  + Problems.quote(received)
                  + "); expected HTTP 200 with the key authorization "
                  + Problems.quote(keyAuthorization)));
    }
    if (!received.equals(keyAuthorization)) {
      return Future.failedFuture(
          incorrect(
              "The key authorization from "
                  + fetched.where(first)
                  + " does not match: expected "
                  + Problems.quote(keyAuthorization)
                  + ", received "
                  + Problems.quote(received)));
    }
    return Future.succeededFuture();
  }

  private static AcmeProblem incorrect(String detail) {
    return new AcmeProblem(ProblemType.INCORRECT_RESPONSE, detail);
  }
}
