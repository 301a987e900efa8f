package fi.soteacme.client.cli;

import fi.soteacme.client.challenge.Dns01Challenge;
import fi.soteacme.client.challenge.Http01Challenge;
import fi.soteacme.client.challenge.TlsAlpn01Challenge;
import fi.soteacme.client.storage.RenewalConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to prove DNS names, as given on the command line and remembered in the renewal configuration.
 *
 * @param authenticator {@code standalone}, {@code webroot}, {@code tls-alpn} or {@code dns-hook}
 * @param http01Address the address of the standalone http-01 listener, or {@code null} for all
 * @param http01Port the port of the standalone http-01 listener
 * @param webrootPath the document root for {@code webroot}
 * @param tlsAlpn01Port the port of the standalone tls-alpn-01 listener
 * @param dnsHook the dns-01 hook command
 * @param dnsPropagation the wait after the hook
 */
record SolverSettings(
    String authenticator,
    String http01Address,
    int http01Port,
    Path webrootPath,
    int tlsAlpn01Port,
    String dnsHook,
    Duration dnsPropagation) {

  static final String STANDALONE = "standalone";
  static final String WEBROOT = "webroot";
  static final String TLS_ALPN = "tls-alpn";
  static final String DNS_HOOK = "dns-hook";

  String challengeType() {
    return switch (authenticator) {
      case TLS_ALPN -> TlsAlpn01Challenge.TYPE;
      case DNS_HOOK -> Dns01Challenge.TYPE;
      default -> Http01Challenge.TYPE;
    };
  }

  ChallengeSolver open(Progress progress) throws Exception {
    return switch (authenticator) {
      case WEBROOT -> new WebrootSolver(webrootPath, progress);
      case TLS_ALPN -> new TlsAlpn01StandaloneSolver(http01Address, tlsAlpn01Port);
      case DNS_HOOK -> new DnsHookSolver(dnsHook, dnsPropagation, progress);
      default -> new Http01StandaloneSolver(http01Address, http01Port);
    };
  }

  void store(RenewalConfig config) {
    config
        .set(RenewalConfig.AUTHENTICATOR, authenticator)
        .set(RenewalConfig.HTTP01_ADDRESS, http01Address)
        .set(RenewalConfig.HTTP01_PORT, http01Port)
        .set(RenewalConfig.WEBROOT_PATH, webrootPath)
        .set(RenewalConfig.TLS_ALPN01_PORT, tlsAlpn01Port)
        .set(RenewalConfig.DNS_HOOK, dnsHook)
        .set(RenewalConfig.DNS_PROPAGATION_SECONDS, dnsPropagation.toSeconds());
  }

  static SolverSettings load(RenewalConfig config) {
    return new SolverSettings(
        config.get(RenewalConfig.AUTHENTICATOR).orElse(STANDALONE),
        config.get(RenewalConfig.HTTP01_ADDRESS).orElse(null),
        config.integer(RenewalConfig.HTTP01_PORT).orElse(80),
        config.get(RenewalConfig.WEBROOT_PATH).map(Path::of).orElse(null),
        config.integer(RenewalConfig.TLS_ALPN01_PORT).orElse(443),
        config.get(RenewalConfig.DNS_HOOK).orElse(null),
        Duration.ofSeconds(config.integer(RenewalConfig.DNS_PROPAGATION_SECONDS).orElse(60)));
  }
}
