package fi.soteacme.client.connector;

import fi.soteacme.client.Problem;
import fi.soteacme.client.exception.AcmeException;
import fi.soteacme.client.exception.AcmeNetworkException;
import fi.soteacme.client.exception.AcmeProtocolException;
import fi.soteacme.client.exception.AcmeServerException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP plumbing of a session: unauthenticated GETs, signed POSTs, the nonce pool, and turning
 * error responses into exceptions. Thread-safe. Applications use {@link fi.soteacme.client.Session}
 * and the resource classes instead.
 */
public final class Connector {
  /** Media type of a signed request body. */
  public static final String JOSE_JSON = "application/jose+json";

  /** Media type of a PEM certificate chain. */
  public static final String PEM_CHAIN = "application/pem-certificate-chain";

  /** Media type of one DER certificate. */
  public static final String PKIX_CERT = "application/pkix-cert";

  private static final Logger LOG = LoggerFactory.getLogger(Connector.class);
  private static final int MAX_POOLED_NONCES = 16;
  private static final String USER_AGENT = "sote-acme-client/0.1 java.net.http";

  /** Where the connector gets a fresh nonce when the pool is empty. */
  @FunctionalInterface
  public interface NonceUrl {
    /**
     * Returns the newNonce URL of the directory.
     *
     * @return the URL
     * @throws AcmeException if the directory cannot be read
     */
    URI get() throws AcmeException;
  }

  private final HttpClient http;
  private final Clock clock;
  private final Duration timeout;
  private final Deque<String> nonces = new ConcurrentLinkedDeque<>();

  /**
   * Creates a connector.
   *
   * @param http the HTTP client (carrying the TLS trust configuration)
   * @param clock the clock that dates responses
   * @param timeout the timeout of one request
   */
  public Connector(HttpClient http, Clock clock, Duration timeout) {
    this.http = http;
    this.clock = clock;
    this.timeout = timeout;
  }

  /**
   * Sends an unauthenticated GET (the directory, renewalInfo).
   *
   * @param url the URL
   * @return the successful response
   * @throws AcmeException on a network failure or an error response
   */
  public Response get(URI url) throws AcmeException {
    HttpRequest request = base(url).GET().header("Accept", "application/json").build();
    return checked(send(request));
  }

  /**
   * Sends a signed POST (RFC 8555 §6.2), with a nonce from the pool, retrying once on {@code
   * badNonce} (§6.5).
   *
   * @param url the URL
   * @param payload the payload, or {@code null} for POST-as-GET
   * @param keyPair the signing key
   * @param kid the account URL, or {@code null} to embed the public key
   * @param accept the {@code Accept} header, or {@code null} for JSON
   * @param nonceUrl where to get a nonce if none is pooled
   * @return the successful response
   * @throws AcmeException on a network failure or an error response
   */
  public Response post(
      URI url, Json payload, KeyPair keyPair, URI kid, String accept, NonceUrl nonceUrl)
      throws AcmeException {
    for (int attempt = 1; ; attempt++) {
      String nonce = takeNonce(nonceUrl);
      Json body = Jws.sign(url, nonce, payload, keyPair, kid);
      HttpRequest request =
          base(url)
              .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
              .header("Content-Type", JOSE_JSON)
              .header("Accept", accept == null ? "application/json" : accept)
              .build();
      try {
        return checked(send(request));
      } catch (AcmeServerException e) {
        if (attempt == 1 && e.problem().is("badNonce")) {
          LOG.debug("badNonce from {}, retrying once with a fresh nonce", url);
          continue;
        }
        throw e;
      }
    }
  }

  private String takeNonce(NonceUrl nonceUrl) throws AcmeException {
    String pooled = nonces.pollFirst();
    if (pooled != null) {
      return pooled;
    }
    URI url = nonceUrl.get();
    HttpRequest request = base(url).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
    Response response = checked(send(request));
    String nonce = nonces.pollFirst();
    if (nonce == null) {
      throw new AcmeProtocolException(
          "No Replay-Nonce from " + url + ", status " + response.status());
    }
    return nonce;
  }

  private HttpRequest.Builder base(URI url) {
    return HttpRequest.newBuilder(url)
        .timeout(timeout)
        .header("User-Agent", USER_AGENT)
        .header("Accept-Language", "en");
  }

  private Response send(HttpRequest request) throws AcmeException {
    try {
      HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      Response response =
          new Response(request.uri(), r.statusCode(), r.headers(), r.body(), clock.instant());
      response.nonce().ifPresent(this::pool);
      return response;
    } catch (IOException e) {
      throw new AcmeNetworkException(request.method() + " " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AcmeException("Interrupted during " + request.method() + " " + request.uri(), e);
    }
  }

  private void pool(String nonce) {
    nonces.addFirst(nonce);
    while (nonces.size() > MAX_POOLED_NONCES) {
      nonces.pollLast();
    }
  }

  private Response checked(Response response) throws AcmeException {
    if (response.status() < 400) {
      return response;
    }
    String type = response.contentType().orElse("");
    if (type.equals("application/problem+json") || type.equals("application/json")) {
      Problem problem;
      try {
        problem = Problem.of(response.json());
      } catch (AcmeProtocolException e) {
        throw new AcmeProtocolException(
            "HTTP "
                + response.status()
                + " from "
                + response.requestUri()
                + ": "
                + response.text());
      }
      throw ProblemMapping.toException(
          problem, response.headers(), response.requestUri(), response.receivedAt());
    }
    throw new AcmeProtocolException(
        "HTTP "
            + response.status()
            + " from "
            + response.requestUri()
            + " without a problem document");
  }
}
