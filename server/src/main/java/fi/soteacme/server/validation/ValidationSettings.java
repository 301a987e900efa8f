package fi.soteacme.server.validation;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how challenges are checked.
 *
 * @param httpPort the port http-01 fetches from, and the only port an {@code http} redirect may
 *     name (80 in production)
 * @param tlsPort the port tls-alpn-01 connects to, and the only port an {@code https} redirect may
 *     name (443 in production)
 * @param dnsServer the DNS server every lookup goes to, as {@code "ip:port"} ({@code "[::1]:53"}
 *     for IPv6), or {@code null} for the first {@code nameserver} of {@code /etc/resolv.conf} on
 *     port 53. It must be an IP literal: a name would need a lookup of its own.
 * @param hostOverrides domain suffix to IP literal: a name equal to the suffix or ending in {@code
 *     .<suffix>} resolves to that address without DNS (longest suffix wins). For local trials only;
 *     empty in production. Applies to A/AAAA lookups, not to dns-01's TXT lookups.
 * @param timeout the limit for each network step (one DNS query, one HTTP exchange, one TLS
 *     handshake)
 */
public record ValidationSettings(
    int httpPort,
    int tlsPort,
    String dnsServer,
    Map<String, String> hostOverrides,
    Duration timeout) {

  public static final int DEFAULT_HTTP_PORT = 80;
  public static final int DEFAULT_TLS_PORT = 443;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  public ValidationSettings {
    checkPort("httpPort", httpPort);
    checkPort("tlsPort", tlsPort);
    if (dnsServer != null) {
      NameServer.parse(dnsServer);
    }
    hostOverrides = normalise(Objects.requireNonNull(hostOverrides, "hostOverrides"));
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, not " + timeout);
    }
  }

  /** Production settings: ports 80 and 443, the system's DNS server, no overrides, 10 s. */
  public static ValidationSettings defaults() {
    return new ValidationSettings(
        DEFAULT_HTTP_PORT, DEFAULT_TLS_PORT, null, Map.of(), DEFAULT_TIMEOUT);
  }

  /** A copy with the HTTP port changed. */
  public ValidationSettings withHttpPort(int port) {
    return new ValidationSettings(port, tlsPort, dnsServer, hostOverrides, timeout);
  }

  /** A copy with the TLS port changed. */
  public ValidationSettings withTlsPort(int port) {
    return new ValidationSettings(httpPort, port, dnsServer, hostOverrides, timeout);
  }

  /** A copy with the DNS server changed. */
  public ValidationSettings withDnsServer(String server) {
    return new ValidationSettings(httpPort, tlsPort, server, hostOverrides, timeout);
  }

  /** A copy with the host overrides changed. */
  public ValidationSettings withHostOverrides(Map<String, String> overrides) {
    return new ValidationSettings(httpPort, tlsPort, dnsServer, overrides, timeout);
  }

  /** A copy with the timeout changed. */
  public ValidationSettings withTimeout(Duration limit) {
    return new ValidationSettings(httpPort, tlsPort, dnsServer, hostOverrides, limit);
  }

  private static void checkPort(String name, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(name + " must be 1..65535, not " + port);
    }
  }

  private static Map<String, String> normalise(Map<String, String> overrides) {
    Map<String, String> result = new LinkedHashMap<>();
    overrides.forEach(
        (suffix, address) -> {
          String key = Resolver.canonical(suffix.startsWith(".") ? suffix.substring(1) : suffix);
          if (key.isEmpty()) {
            throw new IllegalArgumentException("empty suffix in hostOverrides");
          }
          if (!Resolver.isIpLiteral(address)) {
            throw new IllegalArgumentException(
                "hostOverrides[" + suffix + "] must be an IP address, not " + address);
          }
          result.put(key.toLowerCase(Locale.ROOT), address);
        });
    return Map.copyOf(result);
  }
}
