package fi.soteacme.client.cli.bench;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The HTTP client of one simulated client: sends each request to the next of several TCP endpoints
 * in turn (the URL, and so the JWS {@code url}, stays the server's public one; only where the
 * connection goes changes), and counts every exchange in a {@link Traffic}. With one endpoint it
 * only counts.
 *
 * <p>Two processes of one server behind one public URL are reached this way without a load
 * balancer: {@code --server https://localhost:8443/directory --also-connect localhost:9443} sends
 * the first request of client 0 to 8443, the second to 9443, the third to 8443 again, and so on
 * (client 1 starts at 9443), so that every nonce of a response of one process is used at the other.
 * The TLS certificate must be valid for the endpoint's host name (the same certificate on both, for
 * the same name, is what a shared public URL needs anyway).
 */
final class RoutingHttpClient extends HttpClient {
  private final HttpClient delegate;
  private final String home;
  private final List<String> endpoints;
  private final Traffic traffic;
  private final AtomicInteger next;

  /**
   * @param delegate the session's own client (TLS trust, timeouts)
   * @param home the {@code host:port} of the directory URL: requests to it are routed
   * @param endpoints the {@code host:port}s to alternate between, {@code home} first
   * @param traffic where each exchange is counted, by endpoint
   * @param first the index of the endpoint of the first request (the client's number, so that
   *     clients start on different processes: a flow has a fixed number of requests, and with a
   *     common start each step of every flow would always go to the same process)
   */
  RoutingHttpClient(
      HttpClient delegate, String home, List<String> endpoints, Traffic traffic, int first) {
    this.delegate = delegate;
    this.next = new AtomicInteger(first);
    this.home = home;
    this.endpoints = List.copyOf(endpoints);
    this.traffic = traffic;
  }

  /** {@code host:port} of a URL, with the scheme's default port when it has none. */
  static String authority(URI url) {
    int port = url.getPort();
    if (port < 0) {
      port = "http".equalsIgnoreCase(url.getScheme()) ? 80 : 443;
    }
    return url.getHost() + ":" + port;
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    String endpoint = pick(request);
    HttpResponse<T> response;
    try {
      response = delegate.send(route(request, endpoint), handler);
    } catch (IOException | RuntimeException e) {
      traffic.failed(endpoint, request.method());
      throw e;
    }
    record(endpoint, request, response);
    return response;
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    return sendAsync(request, handler, null);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request,
      HttpResponse.BodyHandler<T> handler,
      HttpResponse.PushPromiseHandler<T> push) {
    String endpoint = pick(request);
    return delegate
        .sendAsync(route(request, endpoint), handler, push)
        .whenComplete(
            (response, failure) -> {
              if (failure != null) {
                traffic.failed(endpoint, request.method());
              } else {
                record(endpoint, request, response);
              }
            });
  }

  private String pick(HttpRequest request) {
    String own = authority(request.uri());
    if (!own.equals(home)) {
      return own;
    }
    return endpoints.get(Math.floorMod(next.getAndIncrement(), endpoints.size()));
  }

  private static HttpRequest route(HttpRequest request, String endpoint) {
    URI url = request.uri();
    if (authority(url).equals(endpoint)) {
      return request;
    }
    String query = url.getRawQuery() == null ? "" : "?" + url.getRawQuery();
    URI routed = URI.create(url.getScheme() + "://" + endpoint + url.getRawPath() + query);
    return HttpRequest.newBuilder(request, (name, value) -> true).uri(routed).build();
  }

  private void record(String endpoint, HttpRequest request, HttpResponse<?> response) {
    traffic.answered(endpoint, request.method(), response.statusCode(), isBadNonce(response));
  }

  /**
   * Whether the response is a badNonce problem; the library retries those once on its own, so they
   * are counted here, where the load generator can still see them.
   */
  private static boolean isBadNonce(HttpResponse<?> response) {
    if (response.statusCode() != 400 || !(response.body() instanceof byte[] body)) {
      return false;
    }
    Optional<String> type = response.headers().firstValue("Content-Type");
    return type.isPresent()
        && type.get().startsWith("application/problem+json")
        && new String(body, StandardCharsets.UTF_8).contains("urn:ietf:params:acme:error:badNonce");
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }
}
