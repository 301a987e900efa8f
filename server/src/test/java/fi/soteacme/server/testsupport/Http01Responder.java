package fi.soteacme.server.testsupport;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An http-01 responder for tests: a Vert.x HTTP server on 127.0.0.1 serving {@code
 * /.well-known/acme-challenge/<token>} from a map, as a client's web server would. Anything else is
 * 404, except paths given a {@linkplain #redirect redirect}.
 *
 * <p>{@link #start()} and {@link #close()} wait for the server: call them from a test thread, not
 * from an event loop.
 *
 * <pre>{@code
 * try (Http01Responder http = new Http01Responder(vertx).start()) {
 *   http.put(token, keyAuthorization);
 *   settings = ValidationSettings.defaults().withHttpPort(http.port());
 * }
 * }</pre>
 */
public final class Http01Responder implements AutoCloseable {
  public static final String PATH_PREFIX = "/.well-known/acme-challenge/";

  private record Redirect(int status, String location) {}

  private final Vertx vertx;
  private final int requestedPort;
  private final Map<String, String> contents = new ConcurrentHashMap<>();
  private final Map<String, Redirect> redirects = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile String lastHostHeader;
  private HttpServer server;

  /** A responder on an ephemeral port. */
  public Http01Responder(Vertx vertx) {
    this(vertx, 0);
  }

  /** A responder on {@code port} (0: ephemeral). */
  public Http01Responder(Vertx vertx, int port) {
    this.vertx = vertx;
    this.requestedPort = port;
  }

  /** Listens on 127.0.0.1 and waits until it does; returns this. */
  public Http01Responder start() {
    server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(requestedPort))
            .requestHandler(this::handle)
            .listen()
            .await();
    return this;
  }

  public int port() {
    return server.actualPort();
  }

  /** Serves {@code content} at {@code /.well-known/acme-challenge/<token>}. */
  public Http01Responder put(String token, String content) {
    contents.put(PATH_PREFIX + token, content);
    return this;
  }

  public Http01Responder remove(String token) {
    contents.remove(PATH_PREFIX + token);
    return this;
  }

  /**
   * Answers requests for {@code path} (e.g. {@code /.well-known/acme-challenge/x}) with a redirect.
   */
  public Http01Responder redirect(String path, int status, String location) {
    redirects.put(path, new Redirect(status, location));
    return this;
  }

  /** Requests received so far. */
  public int requestCount() {
    return requests.get();
  }

  /** The Host header of the last request, or {@code null} before any. */
  public String lastHostHeader() {
    return lastHostHeader;
  }

  @Override
  public void close() {
    if (server == null) {
      return;
    }
    Future<Void> closing = server.close();
    if (!Context.isOnEventLoopThread()) {
      closing.await();
    }
  }

  private void handle(HttpServerRequest request) {
    requests.incrementAndGet();
    lastHostHeader = request.getHeader("Host");
    String path = request.path();
    Redirect redirect = redirects.get(path);
    if (redirect != null) {
      request
          .response()
          .setStatusCode(redirect.status())
          .putHeader("Location", redirect.location())
          .end();
      return;
    }
    String content = contents.get(path);
    if (content == null) {
      request.response().setStatusCode(404).end("no challenge at " + path);
      return;
    }
    request.response().putHeader("Content-Type", "application/octet-stream").end(content);
  }
}
