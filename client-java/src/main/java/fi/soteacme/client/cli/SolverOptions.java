package fi.soteacme.client.cli;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How to prove DNS names; certbot's names where certbot has them. */
final class SolverOptions {
  @Option(
      names = "--standalone",
      description = "Answer http-01 with an own HTTP listener (default).")
  boolean standalone;

  @Option(
      names = {"-w", "--webroot-path"},
      description = "Answer http-01 by writing into this web server document root.")
  Path webrootPath;

  @Option(
      names = "--preferred-challenges",
      description = "http-01 (default), tls-alpn-01 or dns-01.")
  String preferredChallenges;

  @Option(
      names = "--http-01-port",
      defaultValue = "80",
      description = "Port of the http-01 listener (default ${DEFAULT-VALUE}).")
  int http01Port;

  @Option(
      names = "--http-01-address",
      description = "Address of the http-01 and tls-alpn-01 listeners (default: all).")
  String http01Address;

  @Option(
      names = "--tls-alpn-01-port",
      defaultValue = "443",
      description = "Port of the tls-alpn-01 listener (default ${DEFAULT-VALUE}).")
  int tlsAlpn01Port;

  @Option(
      names = "--dns-hook",
      description =
          "Command that adds (SOTE_ACME_ACTION=present) and removes (cleanup) the TXT record"
              + " SOTE_ACME_RECORD_NAME with value SOTE_ACME_VALIDATION; implies dns-01.")
  String dnsHook;

  @Option(
      names = "--dns-propagation-seconds",
      defaultValue = "60",
      description = "Seconds to wait after the DNS hook (default ${DEFAULT-VALUE}).")
  int dnsPropagationSeconds;

  SolverSettings settings() throws ExitCodes.UsageException {
    String preferred = preferredChallenges == null ? "" : preferredChallenges.trim();
    String authenticator;
    if (dnsHook != null || preferred.equals("dns-01") || preferred.equals("dns")) {
      if (dnsHook == null) {
        throw new ExitCodes.UsageException("dns-01 needs --dns-hook");
      }
      authenticator = SolverSettings.DNS_HOOK;
    } else if (preferred.equals("tls-alpn-01")) {
      authenticator = SolverSettings.TLS_ALPN;
    } else if (webrootPath != null) {
      authenticator = SolverSettings.WEBROOT;
    } else if (preferred.isEmpty() || preferred.equals("http-01") || preferred.equals("http")) {
      authenticator = SolverSettings.STANDALONE;
    } else {
      throw new ExitCodes.UsageException("Unknown challenge type " + preferred);
    }
    return new SolverSettings(
        authenticator,
        http01Address,
        http01Port,
        webrootPath == null ? null : webrootPath.toAbsolutePath(),
        tlsAlpn01Port,
        dnsHook,
        Duration.ofSeconds(dnsPropagationSeconds));
  }
}
