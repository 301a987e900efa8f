package fi.soteacme.client.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import fi.soteacme.client.Identifier;
import fi.soteacme.client.challenge.Http01Challenge;
import fi.soteacme.client.challenge.TokenChallenge;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** http-01 with its own HTTP listener (certbot's {@code --standalone}). */
final class Http01StandaloneSolver implements ChallengeSolver {
  private final Map<String, String> responses = new ConcurrentHashMap<>();
  private final HttpServer server;

  /**
   * Starts listening.
   *
   * @param address the address to bind, or {@code null} for every interface
   * @param port the port (80 in production; the CA always connects to 80)
   */
  Http01StandaloneSolver(String address, int port) throws IOException {
    InetSocketAddress bind =
        address == null || address.isBlank()
            ? new InetSocketAddress(port)
            : new InetSocketAddress(InetAddress.getByName(address), port);
    server = HttpServer.create(bind, 16);
    server.createContext(Http01Challenge.PATH_PREFIX, this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String token = path.substring(Http01Challenge.PATH_PREFIX.length());
      String body = responses.get(token);
      if (body == null || !ex.getRequestMethod().equals("GET")) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
      ex.getResponseHeaders().add("Content-Type", "text/plain");
      ex.sendResponseHeaders(200, bytes.length);
      ex.getResponseBody().write(bytes);
    }
  }

  @Override
  public String challengeType() {
    return Http01Challenge.TYPE;
  }

  @Override
  public void present(Identifier identifier, TokenChallenge challenge) throws Exception {
    responses.put(challenge.token(), challenge.keyAuthorization());
  }

  @Override
  public void cleanup(Identifier identifier, TokenChallenge challenge) {
    try {
      responses.remove(challenge.token());
    } catch (Exception e) {
      // a challenge without a token was never presented
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
