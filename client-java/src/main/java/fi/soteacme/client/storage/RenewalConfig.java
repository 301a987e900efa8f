package fi.soteacme.client.storage;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The renewal configuration of one certificate ({@code renewal/<name>.conf}, Java properties): how
 * it was ordered, how to renew it, and the renewal schedule chosen so far.
 */
public final class RenewalConfig {
  /** The ACME directory URL. */
  public static final String SERVER = "server";

  /** A PEM file of trust anchors for the server's TLS. */
  public static final String CA_BUNDLE = "ca-bundle";

  /** The account URL. */
  public static final String ACCOUNT = "account";

  /** Comma-separated DNS names. */
  public static final String DOMAINS = "domains";

  /** The organisation's OID ({@code sote-org}). */
  public static final String ORG = "org";

  /** The certificate profile. */
  public static final String PROFILE = "profile";

  /** The key type of new keys. */
  public static final String KEY_TYPE = "key-type";

  /** The system name of system signature certificates. */
  public static final String SYSTEM_NAME = "system-name";

  /**
   * The challenge solver: {@code standalone}, {@code webroot}, {@code tls-alpn}, {@code dns-hook}.
   */
  public static final String AUTHENTICATOR = "authenticator";

  /** The port of the standalone http-01 listener. */
  public static final String HTTP01_PORT = "http-01-port";

  /** The address of the standalone http-01 listener. */
  public static final String HTTP01_ADDRESS = "http-01-address";

  /** The webroot directory. */
  public static final String WEBROOT_PATH = "webroot-path";

  /** The port of the standalone tls-alpn-01 listener. */
  public static final String TLS_ALPN01_PORT = "tls-alpn-01-port";

  /** The dns-01 hook command. */
  public static final String DNS_HOOK = "dns-hook";

  /** Seconds to wait after the dns-01 hook. */
  public static final String DNS_PROPAGATION_SECONDS = "dns-propagation-seconds";

  /** The deploy hook command. */
  public static final String DEPLOY_HOOK = "deploy-hook";

  /** The renewal time chosen inside the ARI window. */
  public static final String ARI_RENEWAL_TIME = "ari.renewal-time";

  /** Start of the last ARI window seen. */
  public static final String ARI_WINDOW_START = "ari.window-start";

  /** End of the last ARI window seen. */
  public static final String ARI_WINDOW_END = "ari.window-end";

  /** When to ask renewalInfo again. */
  public static final String ARI_NEXT_CHECK = "ari.next-check";

  /** Consecutive failed renewal attempts. */
  public static final String FAILURES = "failures";

  /** The earliest time of the next attempt after a failure. */
  public static final String NEXT_ATTEMPT = "next-attempt";

  private final Properties properties = new Properties();

  /** Creates an empty configuration. */
  public RenewalConfig() {}

  /**
   * Reads a configuration file.
   *
   * @param file the file
   * @return the configuration
   * @throws IOException if unreadable
   */
  public static RenewalConfig load(Path file) throws IOException {
    RenewalConfig config = new RenewalConfig();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      config.properties.load(r);
    }
    return config;
  }

  /**
   * Writes the configuration atomically (0600: it names the account).
   *
   * @param file the file
   * @throws IOException if writing fails
   */
  public void save(Path file) throws IOException {
    StringWriter w = new StringWriter();
    w.write("# sote-acme renewal configuration; edit with care\n");
    for (var e : new TreeMap<>(properties).entrySet()) {
      Properties one = new Properties();
      one.setProperty((String) e.getKey(), (String) e.getValue());
      StringWriter line = new StringWriter();
      one.store(line, null);
      line.toString().lines().filter(l -> !l.startsWith("#")).forEach(l -> w.write(l + "\n"));
    }
    AtomicFiles.write(file, w.toString(), AtomicFiles.PRIVATE);
  }

  /**
   * Returns a value.
   *
   * @param key the key
   * @return the value, if set and not blank
   */
  public Optional<String> get(String key) {
    return Optional.ofNullable(properties.getProperty(key)).filter(v -> !v.isBlank());
  }

  /**
   * Sets or (with {@code null}) removes a value.
   *
   * @param key the key
   * @param value the value, or {@code null}
   * @return this configuration
   */
  public RenewalConfig set(String key, Object value) {
    if (value == null) {
      properties.remove(key);
    } else {
      properties.setProperty(key, value.toString());
    }
    return this;
  }

  /**
   * Returns a timestamp value.
   *
   * @param key the key
   * @return the instant, if set and valid
   */
  public Optional<Instant> instant(String key) {
    return get(key)
        .flatMap(
            v -> {
              try {
                return Optional.of(Instant.parse(v));
              } catch (RuntimeException e) {
                return Optional.empty();
              }
            });
  }

  /**
   * Returns an integer value.
   *
   * @param key the key
   * @return the value, if set and valid
   */
  public Optional<Integer> integer(String key) {
    return get(key)
        .flatMap(
            v -> {
              try {
                return Optional.of(Integer.parseInt(v.trim()));
              } catch (NumberFormatException e) {
                return Optional.empty();
              }
            });
  }

  /**
   * Returns the DNS names.
   *
   * @return the names, empty if none
   */
  public List<String> domains() {
    return get(DOMAINS)
        .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(List.of());
  }
}
