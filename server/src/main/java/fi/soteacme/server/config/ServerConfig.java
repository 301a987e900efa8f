package fi.soteacme.server.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the server can be configured with: one JSON file (see README "Production
 * configuration"), then environment variables {@code SOTE_ACME_*} over it. Without a file the
 * embedded default applies: embedded PostgreSQL, generated CAs and local TLS under {@link
 * #dataDir}.
 */
public record ServerConfig(
    Path dataDir,
    String publicUrl,
    Listen listen,
    Listen admin,
    Status status,
    Database database,
    CaFiles productionCa,
    CaFiles testCa,
    Issuance issuance,
    Validation validation,
    Identifiers identifiers,
    Directory directory,
    Duration eabLifetime,
    Duration nonceLifetime,
    int ordersPageSize,
    String demoOrganisation,
    Register register,
    Smtp smtp) {

  /**
   * A listening socket, with optional TLS files (PEM); without them the local hierarchy is used.
   */
  public record Listen(String host, int port, String tlsCertificate, String tlsKey) {}

  /**
   * The plain-HTTP listener for CRLs and OCSP (the URLs of {@link Issuance} must reach it), and how
   * long CRLs and OCSP answers are valid.
   *
   * @param crlRefresh a CRL is signed again when it is this old (and at once on revocation)
   */
  public record Status(
      String host, int port, Duration crlValidity, Duration crlRefresh, Duration ocspValidity) {}

  /** External PostgreSQL; a null url means embedded PostgreSQL with its data in dataDir/pg. */
  public record Database(String url, String user, String password, int poolSize) {
    public boolean embedded() {
      return url == null || url.isBlank();
    }

    @Override
    public String toString() {
      return "Database[url="
          + url
          + ", user="
          + user
          + ", password=***, poolSize="
          + poolSize
          + "]";
    }
  }

  /**
   * An existing CA: either a PEM chain (issuing first, root last) and key, or PKCS#12 with
   * password. All null means "generate into dataDir/ca".
   */
  public record CaFiles(String chainPem, String keyPem, String pkcs12, String password) {
    public boolean configured() {
      return chainPem != null || pkcs12 != null;
    }
  }

  /** What goes into every certificate besides the subject and key. */
  public record Issuance(
      int instanceId,
      List<String> policyOids,
      String crlUrl,
      String ocspUrl,
      String caIssuersUrl,
      boolean omitSystemSignatureEku) {}

  /** Where validation connects, and the documented switch for the test profiles. */
  public record Validation(
      int httpPort,
      int tlsPort,
      String dnsServer,
      Map<String, String> hostOverrides,
      boolean skipForTestProfiles,
      Duration timeout,
      boolean allowInternalAddresses) {}

  /** Identifier policy for dns names. */
  public record Identifiers(
      List<String> allowedSuffixes, List<String> refusedSuffixes, boolean allowTestTld) {}

  /**
   * Where the registers are synced from (a code service base URL, a conceptcodes URL, a file or a
   * directory; an intermediary file or URL), every {@code syncMinutes} (0 = only on operator
   * request). {@code loadTestdata} loads the testdata extract into an empty copy at start.
   */
  public record Register(
      String url, String intermediariesUrl, int syncMinutes, boolean loadTestdata) {}

  /** The directory's meta object. */
  public record Directory(String termsOfService, String website) {}

  /**
   * The SMTP server that certificates are e-mailed through. Without a host, deliveries are still
   * recorded but not sent (until a process with a host runs on the same database).
   */
  public record Smtp(
      String host,
      int port,
      String from,
      String username,
      String password,
      StartTls starttls,
      boolean ssl,
      Duration retryMin,
      Duration retryMax) {

    /** Whether STARTTLS is used: never, when offered, or required (else no mail is sent). */
    public enum StartTls {
      NONE,
      OPTIONAL,
      REQUIRED
    }

    public boolean enabled() {
      return host != null && !host.isBlank();
    }

    @Override
    public String toString() {
      // A record's own toString would print the password.
      return "Smtp[host=%s, port=%d, from=%s, username=%s, starttls=%s, ssl=%s]"
          .formatted(host, port, from, username, starttls, ssl);
    }
  }

  /** Reads the file (if any) and applies environment overrides. */
  public static ServerConfig load(Path file, Map<String, String> env) throws IOException {
    JsonObject json =
        file == null ? new JsonObject() : new JsonObject(Files.readString(file)).copy();
    return from(json, env, file == null);
  }

  /** The embedded default under dataDir, as the README's first command runs it. */
  public static ServerConfig embeddedDefault(Path dataDir) {
    return from(new JsonObject().put("dataDir", dataDir.toString()), Map.of(), true);
  }

  /** Builds a config from JSON; {@code embedded} turns on the local-trial conveniences. */
  public static ServerConfig from(JsonObject json, Map<String, String> env, boolean embedded) {
    Path dataDir =
        Path.of(env.getOrDefault("SOTE_ACME_DATA_DIR", json.getString("dataDir", "data")));
    JsonObject listen = json.getJsonObject("listen", new JsonObject());
    JsonObject admin = json.getJsonObject("admin", new JsonObject());
    JsonObject status = json.getJsonObject("status", new JsonObject());
    JsonObject db = json.getJsonObject("database", new JsonObject());
    JsonObject ca = json.getJsonObject("ca", new JsonObject());
    JsonObject iss = json.getJsonObject("issuance", new JsonObject());
    JsonObject val = json.getJsonObject("validation", new JsonObject());
    JsonObject ids = json.getJsonObject("identifiers", new JsonObject());
    JsonObject dir = json.getJsonObject("directory", new JsonObject());
    JsonObject reg = json.getJsonObject("register", new JsonObject());

    int port = intOf(env, "SOTE_ACME_PORT", listen.getInteger("port", 8443));
    int statusPort =
        intOf(
            env,
            "SOTE_ACME_STATUS_PORT",
            json.getJsonObject("status", new JsonObject()).getInteger("port", 8080));
    String host = env.getOrDefault("SOTE_ACME_HOST", listen.getString("host", "0.0.0.0"));
    String publicUrl =
        env.getOrDefault(
            "SOTE_ACME_PUBLIC_URL", json.getString("publicUrl", "https://localhost:" + port));
    String base = stripSlash(publicUrl);

    Map<String, String> overrides = new TreeMap<>();
    JsonObject jsonOverrides =
        val.getJsonObject(
            "hostOverrides",
            embedded ? new JsonObject().put("test", "127.0.0.1") : new JsonObject());
    jsonOverrides.forEach(e -> overrides.put(e.getKey(), String.valueOf(e.getValue())));

    return new ServerConfig(
        dataDir,
        base,
        new Listen(
            host,
            port,
            env.getOrDefault("SOTE_ACME_TLS_CERT", listen.getString("tlsCertificate")),
            env.getOrDefault("SOTE_ACME_TLS_KEY", listen.getString("tlsKey"))),
        new Listen(
            env.getOrDefault("SOTE_ACME_ADMIN_HOST", admin.getString("host", "127.0.0.1")),
            intOf(env, "SOTE_ACME_ADMIN_PORT", admin.getInteger("port", 8444)),
            null,
            null),
        new Status(
            env.getOrDefault("SOTE_ACME_STATUS_HOST", status.getString("host", "0.0.0.0")),
            statusPort,
            Duration.ofHours(status.getInteger("crlValidityHours", 24)),
            Duration.ofMinutes(status.getInteger("crlRefreshMinutes", 12 * 60)),
            Duration.ofMinutes(status.getInteger("ocspValidityMinutes", 60))),
        new Database(
            env.getOrDefault("SOTE_ACME_DB_URL", db.getString("url")),
            env.getOrDefault("SOTE_ACME_DB_USER", db.getString("user", "postgres")),
            env.getOrDefault("SOTE_ACME_DB_PASSWORD", db.getString("password", "postgres")),
            intOf(env, "SOTE_ACME_DB_POOL_SIZE", db.getInteger("poolSize", 16))),
        caFiles(ca.getJsonObject("production", new JsonObject()), env, "SOTE_ACME_CA_PRODUCTION"),
        caFiles(ca.getJsonObject("test", new JsonObject()), env, "SOTE_ACME_CA_TEST"),
        new Issuance(
            intOf(env, "SOTE_ACME_INSTANCE_ID", iss.getInteger("instanceId", 0)),
            strings(iss.getJsonArray("policyOids", new JsonArray().add("2.999.1.1"))),
            // Defaults: this server's own status listener, as a local trial reaches it.
            iss.getString("crlUrl", localStatus(statusPort) + "/crl/{ca}.crl"),
            iss.getString("ocspUrl", localStatus(statusPort) + "/ocsp"),
            iss.getString("caIssuersUrl", localStatus(statusPort) + "/ca/{ca}.cer"),
            iss.getBoolean("omitSystemSignatureEku", false)),
        new Validation(
            intOf(env, "SOTE_ACME_HTTP01_PORT", val.getInteger("httpPort", 80)),
            intOf(env, "SOTE_ACME_TLSALPN01_PORT", val.getInteger("tlsPort", 443)),
            env.getOrDefault("SOTE_ACME_DNS_SERVER", val.getString("dnsServer")),
            overrides,
            Boolean.parseBoolean(
                env.getOrDefault(
                    "SOTE_ACME_SKIP_VALIDATION_FOR_TEST_PROFILES",
                    String.valueOf(val.getBoolean("skipForTestProfiles", false)))),
            Duration.ofSeconds(val.getInteger("timeoutSeconds", 10)),
            val.getBoolean("allowInternalAddresses", embedded)),
        new Identifiers(
            strings(ids.getJsonArray("allowedSuffixes", new JsonArray())),
            strings(ids.getJsonArray("refusedSuffixes", new JsonArray())),
            ids.getBoolean("allowTestTld", embedded)),
        new Directory(
            // null: the terms this server serves itself at /terms (see DirectoryHandler)
            dir.getString("termsOfService"),
            dir.getString("website", "https://github.com/sote-acme")),
        Duration.ofDays(json.getInteger("eabLifetimeDays", 7)),
        Duration.ofMinutes(json.getInteger("nonceLifetimeMinutes", 60)),
        json.getInteger("ordersPageSize", 50),
        json.getString("demoOrganisation", embedded ? DEMO_ORGANISATION : null),
        register(reg, env, embedded),
        smtp(json.getJsonObject("smtp", new JsonObject()), env));
  }

  /**
   * The sample organisation (testdata) whose customer account the embedded default creates, so that
   * {@code admin eab-create} hands out credentials that can order at once.
   */
  public static final String DEMO_ORGANISATION = "1.2.246.10.98123462.10.0";

  /** Directory-relative URL: {@code url("/acme/new-order")}. */
  public String url(String path) {
    return publicUrl + path;
  }

  /** The same configuration with other listen ports and public URL (used for ephemeral ports). */
  public ServerConfig withPorts(int acmePort, int adminPort, String newPublicUrl) {
    return new ServerConfig(
        dataDir,
        stripSlash(newPublicUrl),
        new Listen(listen.host(), acmePort, listen.tlsCertificate(), listen.tlsKey()),
        new Listen(admin.host(), adminPort, null, null),
        status,
        database,
        productionCa,
        testCa,
        issuance,
        validation,
        identifiers,
        directory,
        eabLifetime,
        nonceLifetime,
        ordersPageSize,
        demoOrganisation,
        register,
        smtp);
  }

  private static String localStatus(int port) {
    return "http://localhost:" + port;
  }

  /**
   * The same configuration with another status listener port (used for an ephemeral port); the
   * certificate URLs that point at this listener by default follow it.
   */
  public ServerConfig withStatusPort(int port) {
    String from = localStatus(status.port()) + "/";
    String to = localStatus(port) + "/";
    Issuance moved =
        new Issuance(
            issuance.instanceId(),
            issuance.policyOids(),
            issuance.crlUrl().replace(from, to),
            issuance.ocspUrl().replace(from, to),
            issuance.caIssuersUrl().replace(from, to),
            issuance.omitSystemSignatureEku());
    return new ServerConfig(
        dataDir,
        publicUrl,
        listen,
        admin,
        new Status(
            status.host(), port, status.crlValidity(), status.crlRefresh(), status.ocspValidity()),
        database,
        productionCa,
        testCa,
        moved,
        validation,
        identifiers,
        directory,
        eabLifetime,
        nonceLifetime,
        ordersPageSize,
        demoOrganisation,
        register,
        smtp);
  }

  private static Register register(JsonObject reg, Map<String, String> env, boolean embedded) {
    String url = env.getOrDefault("SOTE_ACME_REGISTER_URL", reg.getString("url"));
    return new Register(
        url,
        env.getOrDefault(
            "SOTE_ACME_REGISTER_INTERMEDIARIES_URL", reg.getString("intermediariesUrl")),
        intOf(env, "SOTE_ACME_REGISTER_SYNC_MINUTES", reg.getInteger("syncMinutes", 0)),
        reg.getBoolean("loadTestdata", embedded && url == null));
  }

  private static Smtp smtp(JsonObject json, Map<String, String> env) {
    return new Smtp(
        env.getOrDefault("SOTE_ACME_SMTP_HOST", json.getString("host")),
        intOf(env, "SOTE_ACME_SMTP_PORT", json.getInteger("port", 25)),
        env.getOrDefault("SOTE_ACME_SMTP_FROM", json.getString("from")),
        env.getOrDefault("SOTE_ACME_SMTP_USERNAME", json.getString("username")),
        env.getOrDefault("SOTE_ACME_SMTP_PASSWORD", json.getString("password")),
        Smtp.StartTls.valueOf(
            env.getOrDefault("SOTE_ACME_SMTP_STARTTLS", json.getString("starttls", "OPTIONAL"))
                .trim()
                .toUpperCase(java.util.Locale.ROOT)),
        Boolean.parseBoolean(
            env.getOrDefault("SOTE_ACME_SMTP_SSL", String.valueOf(json.getBoolean("ssl", false)))),
        Duration.ofSeconds(json.getInteger("retryMinSeconds", 60)),
        Duration.ofSeconds(json.getInteger("retryMaxSeconds", 3600)));
  }

  private static CaFiles caFiles(JsonObject json, Map<String, String> env, String prefix) {
    return new CaFiles(
        env.getOrDefault(prefix + "_CHAIN", json.getString("chainPem")),
        env.getOrDefault(prefix + "_KEY", json.getString("keyPem")),
        env.getOrDefault(prefix + "_PKCS12", json.getString("pkcs12")),
        env.getOrDefault(prefix + "_PASSWORD", json.getString("password")));
  }

  private static int intOf(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    return value == null ? fallback : Integer.parseInt(value.trim());
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(String.valueOf(v)));
    return List.copyOf(out);
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
