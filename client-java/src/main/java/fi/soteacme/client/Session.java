package fi.soteacme.client;

import fi.soteacme.client.connector.Connector;
import fi.soteacme.client.connector.Response;
import fi.soteacme.client.exception.AcmeException;
import fi.soteacme.client.exception.AcmeProtocolException;
import fi.soteacme.client.util.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A connection to one ACME server: its directory, the nonce pool, the TLS trust and the threads
 * that poll. Thread-safe; one session serves any number of accounts. Close it to stop its polling
 * threads.
 *
 * <pre>{@code
 * try (Session session = Session.builder(URI.create("https://acme.example/directory")).build()) {
 *   Account account = new AccountBuilder().keyPair(keyPair).agreeToTermsOfService().create(session);
 * }
 * }</pre>
 */
public final class Session implements AutoCloseable {
  private final URI directoryUrl;
  private final Connector connector;
  private final Clock clock;
  private final Duration defaultPollInterval;
  private final ScheduledExecutorService scheduler;
  private final java.util.Set<java.util.concurrent.CompletableFuture<?>> pendingWaits =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile Directory directory;

  private Session(Builder b) throws AcmeException {
    this.directoryUrl = b.directoryUrl;
    this.clock = b.clock;
    this.defaultPollInterval = b.pollInterval;
    HttpClient.Builder http =
        HttpClient.newBuilder()
            .connectTimeout(b.timeout)
            .followRedirects(HttpClient.Redirect.NEVER);
    if (!b.trustAnchors.isEmpty()) {
      http.sslContext(sslContext(b.trustAnchors));
    }
    this.connector = new Connector(b.httpClientWrapper.apply(http.build()), clock, b.timeout);
    AtomicInteger threads = new AtomicInteger();
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            2,
            r -> {
              Thread t = new Thread(r, "sote-acme-poll-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    this.scheduler = executor;
  }

  /**
   * Starts a session for a directory URL.
   *
   * @param directoryUrl the server's directory
   * @return a builder
   */
  public static Builder builder(URI directoryUrl) {
    return new Builder(directoryUrl);
  }

  private static SSLContext sslContext(List<X509Certificate> anchors) throws AcmeException {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (X509Certificate anchor : anchors) {
        store.setCertificateEntry("anchor-" + i++, anchor);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new AcmeException("Cannot set up the TLS trust anchors: " + e.getMessage(), e);
    }
  }

  /**
   * Returns the directory URL.
   *
   * @return the URL the session was built with
   */
  public URI directoryUrl() {
    return directoryUrl;
  }

  /**
   * Returns the directory, fetching it on first use and caching it for the session's life.
   *
   * @return the directory
   * @throws AcmeException if it cannot be fetched
   */
  public Directory directory() throws AcmeException {
    Directory d = directory;
    if (d == null) {
      synchronized (this) {
        d = directory;
        if (d == null) {
          d = new Directory(connector.get(directoryUrl).json());
          directory = d;
        }
      }
    }
    return d;
  }

  /**
   * Logs in with an existing account.
   *
   * @param accountUrl the account URL
   * @param keyPair the account key pair
   * @return the login
   */
  public Login login(URI accountUrl, KeyPair keyPair) {
    return new Login(this, accountUrl, keyPair);
  }

  /**
   * Fetches the renewal information of a certificate (RFC 9773, unauthenticated GET).
   *
   * @param certificate the certificate (must carry an authority key identifier)
   * @return the suggested renewal window
   * @throws AcmeException if the server has no ARI or refuses
   */
  public RenewalInfo renewalInfo(X509Certificate certificate) throws AcmeException {
    URI base =
        directory()
            .renewalInfo()
            .orElseThrow(() -> new AcmeProtocolException("The server does not offer renewalInfo"));
    String id = RenewalInfo.certId(certificate);
    String b = base.toString();
    URI url = URI.create(b.endsWith("/") ? b + id : b + "/" + id);
    Response response = connector.get(url);
    return RenewalInfo.of(response.json(), response.retryAfter().orElse(null));
  }

  /**
   * Returns the HTTP plumbing; for the resource classes.
   *
   * @return the connector
   */
  public Connector connector() {
    return connector;
  }

  /**
   * Returns the clock of this session.
   *
   * @return the clock
   */
  public Clock clock() {
    return clock;
  }

  /**
   * Returns the poll interval used when the server sends no {@code Retry-After}.
   *
   * @return the first interval; it grows with each poll
   */
  public Duration defaultPollInterval() {
    return defaultPollInterval;
  }

  /**
   * Returns the scheduler on which waits poll; its threads do the polling I/O.
   *
   * @return the scheduler
   */
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /**
   * Registers a wait so that {@link #close()} can fail it instead of leaving it hanging.
   *
   * @param future the wait
   */
  void track(java.util.concurrent.CompletableFuture<?> future) {
    pendingWaits.add(future);
    future.whenComplete((r, e) -> pendingWaits.remove(future));
    if (scheduler.isShutdown()) {
      future.completeExceptionally(new AcmeException("The session is closed"));
    }
  }

  /** Stops the polling threads; pending waits fail with an {@link AcmeException}. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    for (java.util.concurrent.CompletableFuture<?> f : List.copyOf(pendingWaits)) {
      f.completeExceptionally(new AcmeException("The session was closed during the wait"));
    }
  }

  /** Configures a {@link Session}. */
  public static final class Builder {
    private final URI directoryUrl;
    private final List<X509Certificate> trustAnchors = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private Duration timeout = Duration.ofSeconds(30);
    private Duration pollInterval = Duration.ofSeconds(1);
    private UnaryOperator<HttpClient> httpClientWrapper = UnaryOperator.identity();

    private Builder(URI directoryUrl) {
      this.directoryUrl = Objects.requireNonNull(directoryUrl, "directoryUrl");
    }

    /**
     * Trusts exactly these certificates for the server's TLS, instead of the JDK's trust store.
     *
     * @param anchors the trust anchors
     * @return this builder
     */
    public Builder trustAnchors(Collection<X509Certificate> anchors) {
      trustAnchors.addAll(anchors);
      return this;
    }

    /**
     * Trusts exactly the certificates of a PEM file for the server's TLS.
     *
     * @param pemFile a file of one or more PEM certificates
     * @return this builder
     * @throws IOException if the file cannot be read or holds no certificate
     */
    public Builder trustAnchors(Path pemFile) throws IOException {
      List<X509Certificate> certs = Pem.readCertificates(pemFile);
      if (certs.isEmpty()) {
        throw new IOException("No certificate in " + pemFile);
      }
      return trustAnchors(certs);
    }

    /**
     * Sets the clock that dates responses (for tests).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /**
     * Sets the connect and request timeout.
     *
     * @param timeout the timeout of one HTTP exchange
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout);
      return this;
    }

    /**
     * Sets the first poll interval used when the server sends no {@code Retry-After}.
     *
     * @param interval the interval
     * @return this builder
     */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = Objects.requireNonNull(interval);
      return this;
    }

    /**
     * Wraps the HTTP client that every request of the session goes through, e.g. to count requests
     * or to send them to another process of the same server (the load generator's {@code
     * --also-connect}). The wrapper is given the client built with the session's TLS trust and
     * timeout.
     *
     * @param wrapper returns the client to use instead of the one it is given
     * @return this builder
     */
    public Builder httpClientWrapper(UnaryOperator<HttpClient> wrapper) {
      this.httpClientWrapper = Objects.requireNonNull(wrapper);
      return this;
    }

    /**
     * Creates the session; no request is sent yet.
     *
     * @return the session
     * @throws AcmeException if the TLS trust cannot be set up
     */
    public Session build() throws AcmeException {
      return new Session(this);
    }
  }
}
