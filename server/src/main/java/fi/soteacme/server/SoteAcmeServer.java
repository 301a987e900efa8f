package fi.soteacme.server;

import fi.soteacme.server.account.AccountHandler;
import fi.soteacme.server.account.AccountRepository;
import fi.soteacme.server.account.AccountService;
import fi.soteacme.server.admin.AdminRoutes;
import fi.soteacme.server.admin.CustomerAdmin;
import fi.soteacme.server.authz.AuthorizationHandler;
import fi.soteacme.server.authz.AuthorizationRepository;
import fi.soteacme.server.certificate.CertificateHandler;
import fi.soteacme.server.certificate.CertificateRepository;
import fi.soteacme.server.certificate.CertificateService;
import fi.soteacme.server.certificate.IssuerCertificates;
import fi.soteacme.server.challenge.ChallengeHandler;
import fi.soteacme.server.challenge.ChallengeService;
import fi.soteacme.server.config.ServerConfig;
import fi.soteacme.server.customer.CustomerRepository;
import fi.soteacme.server.customer.OrganisationAccess;
import fi.soteacme.server.db.Database;
import fi.soteacme.server.directory.DirectoryHandler;
import fi.soteacme.server.eab.EabRepository;
import fi.soteacme.server.eab.EabService;
import fi.soteacme.server.eab.ExternalAccountBinding;
import fi.soteacme.server.identifier.IdentifierPolicy;
import fi.soteacme.server.issuance.CaSource;
import fi.soteacme.server.issuance.CaStore;
import fi.soteacme.server.issuance.CertificateIssuer;
import fi.soteacme.server.issuance.IssuanceSettings;
import fi.soteacme.server.issuance.IssuingCa;
import fi.soteacme.server.issuance.SerialNumberGenerator;
import fi.soteacme.server.issuance.TlsHierarchy;
import fi.soteacme.server.mail.DeliveryRepository;
import fi.soteacme.server.mail.DeliveryService;
import fi.soteacme.server.mail.DeliveryWorker;
import fi.soteacme.server.nonce.NonceService;
import fi.soteacme.server.order.OrderHandler;
import fi.soteacme.server.order.OrderRepository;
import fi.soteacme.server.order.OrderService;
import fi.soteacme.server.organisation.Organisations;
import fi.soteacme.server.organisation.RegisterAdminHandler;
import fi.soteacme.server.organisation.RegisterImporter;
import fi.soteacme.server.organisation.RegisterRepository;
import fi.soteacme.server.organisation.RegisterSchedule;
import fi.soteacme.server.renewal.LegacyImport;
import fi.soteacme.server.renewal.RenewalAdmin;
import fi.soteacme.server.renewal.RenewalHandler;
import fi.soteacme.server.renewal.RenewalRepository;
import fi.soteacme.server.renewal.RenewalService;
import fi.soteacme.server.review.ConformityService;
import fi.soteacme.server.revocation.BlockedKeys;
import fi.soteacme.server.revocation.CrlService;
import fi.soteacme.server.revocation.OcspResponderCertificates;
import fi.soteacme.server.revocation.OcspService;
import fi.soteacme.server.revocation.RevocationService;
import fi.soteacme.server.revocation.StatusRoutes;
import fi.soteacme.server.validation.ChallengeValidator;
import fi.soteacme.server.web.AcmeRoutes;
import fi.soteacme.server.web.jws.JwsVerifier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sote-acme as a library: starts a complete server from a {@link ServerConfig} (embedded or given
 * PostgreSQL), so that integration tests can run it inside JUnit as they run Pebble. Use port 0 for
 * ephemeral ports; {@link #directoryUrl()} and {@link #trustAnchor()} say where it is.
 *
 * <pre>{@code
 * JsonObject options = new JsonObject().put("dataDir", dir.toString())
 *     .put("listen", new JsonObject().put("host", "127.0.0.1").put("port", 0))
 *     .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0))
 *     .put("status", new JsonObject().put("host", "127.0.0.1").put("port", 0));
 * try (SoteAcmeServer ca = SoteAcmeServer.start(ServerConfig.from(options, Map.of(), true))) {
 *   String directory = ca.directoryUrl();
 *   EabService.Credential eab = ca.createEabCredential();
 * }
 * }</pre>
 */
public final class SoteAcmeServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SoteAcmeServer.class);

  private final ServerConfig config;
  private final Database database;
  private final Vertx vertx;
  private final Pool pool;
  private final Path trustAnchor;
  private final String adminToken;
  private final EabService eab;
  private final CaStore cas;
  private final Long demoCustomerAccount;
  private final Organisations organisations;
  private final DeliveryWorker deliveryWorker;

  private SoteAcmeServer(
      ServerConfig config,
      Database database,
      Vertx vertx,
      Pool pool,
      Path trustAnchor,
      String adminToken,
      EabService eab,
      CaStore cas,
      Long demoCustomerAccount,
      Organisations organisations,
      DeliveryWorker deliveryWorker) {
    this.demoCustomerAccount = demoCustomerAccount;
    this.deliveryWorker = deliveryWorker;
    this.config = config;
    this.database = database;
    this.vertx = vertx;
    this.pool = pool;
    this.trustAnchor = trustAnchor;
    this.adminToken = adminToken;
    this.eab = eab;
    this.cas = cas;
    this.organisations = organisations;
  }

  /** Starts the server and returns when it accepts requests. Blocking. */
  public static SoteAcmeServer start(ServerConfig requested) throws Exception {
    Files.createDirectories(requested.dataDir());
    Database database = Database.open(requested);
    CaStore cas = loadCas(requested);
    TlsFiles tls = tlsFiles(requested);
    String adminToken = adminToken(requested.dataDir().resolve("admin-token"));

    Vertx vertx = Vertx.vertx();
    Pool pool = database.pool(vertx, requested.database().poolSize());
    Clock clock = Clock.systemUTC();
    // Used nonces are written without waiting for the WAL flush (see NonceService). Every account
    // request reads its account through this pool too (in the statement that records the nonce),
    // so it is as large as the main one.
    Pool noncePool =
        database.pool(vertx, requested.database().poolSize(), Map.of("synchronous_commit", "off"));
    NonceService nonces = await(NonceService.load(noncePool, requested.nonceLifetime(), clock));

    Router routers = new Router();
    HttpServer acme =
        listenOnEveryCore(
            vertx,
            new HttpServerOptions()
                .setSsl(true)
                .setSslEngineOptions(tlsEngine())
                .setKeyCertOptions(
                    new PemKeyCertOptions()
                        .setCertPath(tls.certificate().toString())
                        .setKeyPath(tls.key().toString()))
                .setCompressionSupported(false),
            req -> dispatch(routers.acme, req),
            requested.listen().port(),
            requested.listen().host());
    HttpServer admin =
        await(
            vertx
                .createHttpServer()
                .requestHandler(req -> dispatch(routers.admin, req))
                .listen(requested.admin().port(), requested.admin().host()));
    HttpServer status =
        listenOnEveryCore(
            vertx,
            new HttpServerOptions(),
            req -> dispatch(routers.status, req),
            requested.status().port(),
            requested.status().host());
    // An ephemeral port's default public URL names the port found; a configured one is kept (two
    // processes behind one name, bench/two-process.sh).
    boolean defaultUrl = requested.publicUrl().equals("https://localhost:0");
    ServerConfig config =
        (requested.listen().port() == 0 && defaultUrl
                ? requested.withPorts(
                    acme.actualPort(), admin.actualPort(), "https://localhost:" + acme.actualPort())
                : requested.withPorts(acme.actualPort(), admin.actualPort(), requested.publicUrl()))
            .withStatusPort(status.actualPort());

    AccountRepository accounts = new AccountRepository();
    CustomerRepository customers = new CustomerRepository();
    RegisterRepository registerRepository = new RegisterRepository();
    Organisations organisations = new Organisations(pool, registerRepository);
    RegisterImporter registerImporter =
        new RegisterImporter(vertx, pool, registerRepository, WebClient.create(vertx), clock);
    OrganisationAccess access = new OrganisationAccess(organisations);
    OrderRepository orders = new OrderRepository();
    AuthorizationRepository authorizations = new AuthorizationRepository();
    CertificateRepository certificates = new CertificateRepository();
    EabRepository eabRepository = new EabRepository();
    EabService eab = new EabService(pool, eabRepository, config.eabLifetime(), clock);

    ServerConfig.Issuance iss = config.issuance();
    ConformityService conformity = new ConformityService(pool, authorizations, orders, clock);
    IssuanceSettings issuanceSettings =
        new IssuanceSettings(
            iss.policyOids(),
            iss.crlUrl(),
            iss.ocspUrl(),
            iss.caIssuersUrl(),
            iss.omitSystemSignatureEku());
    List<IssuingCa> issuingCas = List.of(cas.production(), cas.test());
    // Stored once, referenced by every certificate they sign (and by imported ones they signed):
    // the chain served is composed from the two.
    IssuerCertificates issuerCertificates =
        await(IssuerCertificates.register(pool, certificates, issuingCas));
    ServerConfig.Status statusConfig = config.status();
    CrlService crls =
        new CrlService(
            vertx, pool, issuingCas, statusConfig.crlValidity(), statusConfig.crlRefresh(), clock);
    OcspResponderCertificates responders =
        new OcspResponderCertificates(vertx, pool, issuingCas, clock);
    await(responders.renew());
    await(crls.refreshDue());
    RevocationService revocations = new RevocationService(pool, certificates, access, crls);
    routers.status =
        new StatusRoutes(
                issuanceSettings,
                issuingCas,
                crls,
                new OcspService(
                    vertx, pool, issuingCas, responders, statusConfig.ocspValidity(), clock),
                clock)
            .router(vertx);

    DeliveryRepository deliveryRepository = new DeliveryRepository();
    DeliveryWorker deliveryWorker =
        new DeliveryWorker(vertx, pool, deliveryRepository, config.smtp(), config::url);
    CertificateService certificateService =
        new CertificateService(
            vertx,
            pool,
            certificates,
            orders,
            cas,
            issuerCertificates,
            new CertificateIssuer(issuanceSettings),
            new SerialNumberGenerator(iss.instanceId(), new SecureRandom()),
            conformity,
            new DeliveryService(deliveryRepository, deliveryWorker::kick),
            clock,
            new BlockedKeys());
    ChallengeService challenges =
        new ChallengeService(
            pool,
            authorizations,
            orders,
            accounts,
            new ChallengeValidator(
                vertx,
                Validation.settings(config.validation()),
                config.validation().allowInternalAddresses()),
            config.validation(),
            access,
            clock);
    challenges.conformity(conformity);
    RenewalService renewals = new RenewalService(pool, new RenewalRepository(), cas);
    OrderService orderService =
        new OrderService(
            pool,
            orders,
            authorizations,
            new IdentifierPolicy(config.identifiers()),
            certificateService,
            access,
            renewals,
            clock);

    AccountService accountService =
        new AccountService(pool, accounts, new ExternalAccountBinding(eabRepository), customers);

    routers.acme =
        new AcmeRoutes(config, new JwsVerifier(config, nonces, accounts), nonces)
            .router(
                vertx,
                new AcmeRoutes.Handlers(
                    new DirectoryHandler(config),
                    new AccountHandler(config, accountService, orders, pool),
                    new OrderHandler(config, orderService, clock),
                    new AuthorizationHandler(config, pool, authorizations, orders, access, clock),
                    new ChallengeHandler(config, challenges),
                    new CertificateHandler(pool, certificates, revocations),
                    new RenewalHandler(renewals)));

    RegisterSchedule registerSchedule =
        new RegisterSchedule(vertx, registerImporter, organisations);
    ServerConfig.Register reg = config.register();
    if (reg.loadTestdata()) {
      await(registerSchedule.loadTestdataIfEmpty());
    }
    registerSchedule.start(reg.url(), reg.intermediariesUrl(), reg.syncMinutes());

    Long demo = await(demoCustomerAccount(pool, customers, config.demoOrganisation()));
    routers.admin =
        new AdminRoutes(
                adminToken,
                eab,
                new CustomerAdmin(pool, customers, organisations, eab, conformity),
                new RegisterAdminHandler(registerImporter),
                revocations,
                new RenewalAdmin(
                    renewals,
                    new LegacyImport(pool, certificates, organisations, cas, issuerCertificates)),
                demo)
            .router(vertx);

    int recovered = await(certificateService.recover(0));
    if (recovered > 0) {
      log.info("finished {} certificate(s) recorded before the last stop", recovered);
    }
    vertx.setPeriodic(
        60_000,
        id ->
            certificateService
                .recover(120)
                .onFailure(e -> log.warn("finishing unsigned certificates failed", e)));
    vertx.setPeriodic(
        30_000,
        id ->
            challenges
                .resumeStuck()
                .onFailure(e -> log.warn("resuming stuck validations failed", e)));
    vertx.setPeriodic(
        60_000, id -> crls.refreshDue().onFailure(e -> log.warn("refreshing the CRLs failed", e)));
    vertx.setPeriodic(
        6 * 3600_000,
        id ->
            responders
                .renew()
                .onFailure(e -> log.warn("renewing the OCSP responder certificates failed", e)));
    vertx.setPeriodic(
        600_000, id -> nonces.prune().onFailure(e -> log.warn("pruning used nonces failed", e)));
    deliveryWorker.start();

    return new SoteAcmeServer(
        config,
        database,
        vertx,
        pool,
        tls.ca(),
        adminToken,
        eab,
        cas,
        demo,
        organisations,
        deliveryWorker);
  }

  /** The embedded default's sample customer account (created once), or null. */
  private static Future<Long> demoCustomerAccount(
      Pool pool, CustomerRepository customers, String oid) {
    if (oid == null) {
      return Future.succeededFuture(null);
    }
    return customers
        .insert(pool, oid, "sote-acme embedded default", "ops@example.test")
        .compose(v -> customers.findByOrganisation(pool, oid))
        .map(c -> c.orElseThrow().id());
  }

  /** The directory URL, e.g. {@code https://localhost:8443/directory}. */
  public String directoryUrl() {
    return config.url("/directory");
  }

  /** The port the ACME listener is bound to (the public URL may name another, behind a proxy). */
  public int acmePort() {
    return config.listen().port();
  }

  /** PEM file of the root that the server's TLS certificate chains to. */
  public Path trustAnchor() {
    return trustAnchor;
  }

  /** The configuration in effect, with the ports actually bound. */
  public ServerConfig config() {
    return config;
  }

  /** Base URL of the operator API. */
  public String adminUrl() {
    return "http://" + config.admin().host() + ":" + config.admin().port();
  }

  /** The operator API's bearer token. */
  public String adminToken() {
    return adminToken;
  }

  /** Base URL of the plain-HTTP status listener (CRLs, OCSP), on the address it listens on. */
  public String statusUrl() {
    String host = config.status().host().equals("0.0.0.0") ? "127.0.0.1" : config.status().host();
    return "http://" + host + ":" + config.status().port();
  }

  /** The issuing CAs (their roots are in dataDir/ca when generated). */
  public CaStore cas() {
    return cas;
  }

  /** The register copy (both registers), for tests that check what the server sees. */
  public Organisations organisations() {
    return organisations;
  }

  /**
   * A new single-use EAB credential, as {@code admin eab-create} prints it: a member invitation of
   * the demo organisation's customer account where one is configured. Blocking.
   */
  public EabService.Credential createEabCredential() throws Exception {
    return await(
        demoCustomerAccount == null
            ? eab.create()
            : eab.create(demoCustomerAccount, "member", null));
  }

  @Override
  public void close() throws Exception {
    await(deliveryWorker.stop());
    await(pool.close());
    await(vertx.close());
    database.close();
  }

  /**
   * Listens with one HTTP server per core on the same port: Vert.x hands the connections to them in
   * turn, each server on its own event loop, so that TLS, JWS checks and JSON of the ACME and
   * status listeners use every core (one server would run them all on one event loop). The request
   * handlers keep no state of their own. Returns the first server (the port bound).
   *
   * <p>Vert.x shares a port only between servers that ask for the same number, so for port 0 a free
   * port is chosen first (again if another process takes it in between).
   */
  private static HttpServer listenOnEveryCore(
      Vertx vertx,
      HttpServerOptions options,
      io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> handler,
      int port,
      String host)
      throws Exception {
    for (int attempt = 1; ; attempt++) {
      int bind = port != 0 ? port : freePort(host);
      HttpServer first;
      try {
        first = await(vertx.createHttpServer(options).requestHandler(handler).listen(bind, host));
      } catch (java.util.concurrent.ExecutionException e) {
        if (port == 0 && attempt < 5 && e.getCause() instanceof java.net.BindException) {
          continue;
        }
        throw e;
      }
      for (int i = 1; i < Runtime.getRuntime().availableProcessors(); i++) {
        // From outside Vert.x, every server gets a new context on the next event loop.
        await(vertx.createHttpServer(options).requestHandler(handler).listen(bind, host));
      }
      return first;
    }
  }

  /**
   * BoringSSL (netty-tcnative) where its native library loads, else the JDK's TLS: with the JDK's
   * engine, TLS is about half of the CPU of a small ACME request (JFR under wrk).
   */
  private static io.vertx.core.net.SSLEngineOptions tlsEngine() {
    if (io.vertx.core.net.OpenSSLEngineOptions.isAvailable()) {
      return new io.vertx.core.net.OpenSSLEngineOptions();
    }
    log.info("TLS through the JDK (BoringSSL is not available on this platform)");
    return new io.vertx.core.net.JdkSSLEngineOptions();
  }

  private static int freePort(String host) throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
      socket.bind(new java.net.InetSocketAddress(host, 0));
      return socket.getLocalPort();
    }
  }

  /**
   * Hands a request to its router; one that arrives while the server is still starting (the sockets
   * are bound before the routes exist, to learn ephemeral ports) gets 503 and Retry-After.
   */
  private static void dispatch(
      io.vertx.ext.web.Router router, io.vertx.core.http.HttpServerRequest req) {
    if (router != null) {
      router.handle(req);
      return;
    }
    req.response()
        .setStatusCode(503)
        .putHeader("Retry-After", "1")
        .putHeader("Content-Type", "application/problem+json")
        .end(
            new io.vertx.core.json.JsonObject()
                .put("type", "urn:ietf:params:acme:error:serverInternal")
                .put("detail", "the server is starting; try again in a second")
                .put("status", 503)
                .encode());
  }

  private static final class Router {
    volatile io.vertx.ext.web.Router acme;
    volatile io.vertx.ext.web.Router admin;
    volatile io.vertx.ext.web.Router status;
  }

  record TlsFiles(Path ca, Path certificate, Path key) {}

  private static CaStore loadCas(ServerConfig config) throws Exception {
    if (config.productionCa().configured() || config.testCa().configured()) {
      return CaStore.load(source(config.productionCa()), source(config.testCa()));
    }
    return CaStore.loadOrGenerate(config.dataDir().resolve("ca"));
  }

  private static CaSource source(ServerConfig.CaFiles files) {
    if (!files.configured()) {
      throw new IllegalArgumentException(
          "configure both the production and the test CA, or neither (to generate both)");
    }
    return files.pkcs12() != null
        ? CaSource.pkcs12(
            Path.of(files.pkcs12()),
            files.password() == null ? new char[0] : files.password().toCharArray(),
            null)
        : CaSource.pem(Path.of(files.chainPem()), Path.of(files.keyPem()));
  }

  private static TlsFiles tlsFiles(ServerConfig config) throws Exception {
    ServerConfig.Listen listen = config.listen();
    if (listen.tlsCertificate() != null) {
      return new TlsFiles(
          Path.of(listen.tlsCertificate()),
          Path.of(listen.tlsCertificate()),
          Path.of(listen.tlsKey()));
    }
    var local = TlsHierarchy.loadOrGenerate(config.dataDir().resolve("tls"));
    return new TlsFiles(
        local.caCertificate(), local.serverCertificateChain(), local.serverPrivateKey());
  }

  private static String adminToken(Path file) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file).trim();
    }
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, token + "\n", StandardOpenOption.TRUNCATE_EXISTING);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return token;
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
