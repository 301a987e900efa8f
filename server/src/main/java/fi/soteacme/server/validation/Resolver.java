package fi.soteacme.server.validation;

import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import io.netty.util.NetUtil;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.dns.DnsClient;
import io.vertx.core.dns.DnsClientOptions;
import io.vertx.core.dns.DnsException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every DNS lookup validation makes: the address to connect to (http-01, tls-alpn-01) and TXT
 * records (dns-01), all asked of the one configured server. Follows CNAME chains itself, because
 * Vert.x's {@link DnsClient} keeps only the answers owned by the name asked.
 */
final class Resolver {
  private static final Logger LOG = LoggerFactory.getLogger(Resolver.class);
  static final int MAX_CNAME_HOPS = 8;

  /** What one lookup found: the records, or why there were none. */
  record Answer(List<String> records, String error) {
    static Answer of(List<String> records) {
      return new Answer(List.copyOf(records), null);
    }

    static Answer failed(String error) {
      return new Answer(List.of(), error);
    }
  }

  private enum Type {
    A(DnsClient::resolveA),
    AAAA(DnsClient::resolveAAAA),
    TXT(DnsClient::resolveTXT);

    final BiFunction<DnsClient, String, Future<List<String>>> query;

    Type(BiFunction<DnsClient, String, Future<List<String>>> query) {
      this.query = query;
    }
  }

  private final DnsClient dns;
  private final NameServer server;
  private final Map<String, String> overrides;
  private final Duration timeout;
  private final boolean allowInternal;

  Resolver(Vertx vertx, ValidationSettings settings) {
    this(vertx, settings, true);
  }

  /** Reads /etc/resolv.conf when no server is configured: construct at start-up. */
  Resolver(Vertx vertx, ValidationSettings settings, boolean allowInternal) {
    this.allowInternal = allowInternal;
    this.server =
        settings.dnsServer() == null ? NameServer.system() : NameServer.parse(settings.dnsServer());
    this.overrides = settings.hostOverrides();
    this.timeout = settings.timeout();
    this.dns =
        vertx.createDnsClient(
            new DnsClientOptions()
                .setHost(server.host())
                .setPort(server.port())
                .setQueryTimeout(timeout.toMillis())
                .setRecursionDesired(true));
  }

  /**
   * The address to connect to for {@code name}: its first A record, or failing that its first AAAA
   * record, or the matching host override. Fails with a {@code dns} problem when there is none.
   */
  Future<String> address(String name) {
    return anyAddress(name).compose(address -> checkPublic(name, address));
  }

  /** Refuses addresses outside the public Internet unless internal ones are allowed. */
  private Future<String> checkPublic(String name, String address) {
    if (allowInternal) {
      return Future.succeededFuture(address);
    }
    java.net.InetAddress ip;
    try {
      ip = java.net.InetAddress.getByName(address); // an IP literal: no lookup happens
    } catch (java.net.UnknownHostException e) {
      return Future.failedFuture(
          new AcmeProblem(ProblemType.DNS, name + " resolved to an unusable address " + address));
    }
    boolean uniqueLocalV6 = ip.getAddress().length == 16 && (ip.getAddress()[0] & 0xfe) == 0xfc;
    if (ip.isLoopbackAddress()
        || ip.isSiteLocalAddress()
        || ip.isLinkLocalAddress()
        || ip.isAnyLocalAddress()
        || ip.isMulticastAddress()
        || uniqueLocalV6) {
      return Future.failedFuture(
          new AcmeProblem(
              ProblemType.DNS,
              name
                  + " resolves to "
                  + address
                  + ", a loopback, private or link-local address; validation connects only to"
                  + " public addresses"));
    }
    return Future.succeededFuture(address);
  }

  private Future<String> anyAddress(String name) {
    String canonical = canonical(name);
    String override = override(canonical);
    if (override != null) {
      return Future.succeededFuture(override);
    }
    return lookup(canonical, Type.A)
        .compose(
            a ->
                !a.records().isEmpty()
                    ? Future.succeededFuture(a.records().get(0))
                    : lookup(canonical, Type.AAAA)
                        .compose(
                            aaaa ->
                                !aaaa.records().isEmpty()
                                    ? Future.succeededFuture(aaaa.records().get(0))
                                    : Future.failedFuture(noAddress(canonical, a, aaaa))));
  }

  /** The TXT records at {@code name} (empty when it has none); fails on NXDOMAIN and DNS errors. */
  Future<List<String>> txt(String name) {
    String canonical = canonical(name);
    return lookup(canonical, Type.TXT)
        .compose(
            answer ->
                answer.error() == null
                    ? Future.succeededFuture(answer.records())
                    : Future.failedFuture(
                        new AcmeProblem(
                            ProblemType.DNS,
                            "DNS problem: "
                                + answer.error()
                                + " looking up TXT for "
                                + canonical)));
  }

  Future<Void> close() {
    return dns.close();
  }

  private Future<Answer> lookup(String name, Type type) {
    return lookup(name, type, 0);
  }

  /** Never fails: a DNS error becomes an {@link Answer} saying what it was. */
  private Future<Answer> lookup(String name, Type type, int hops) {
    return type.query
        .apply(dns, name)
        .compose(
            records ->
                records.isEmpty()
                    ? followCname(name, type, hops)
                    : Future.succeededFuture(Answer.of(records)))
        .recover(failure -> Future.succeededFuture(Answer.failed(describe(failure))));
  }

  private Future<Answer> followCname(String name, Type type, int hops) {
    return dns.resolveCNAME(name)
        .compose(
            targets -> {
              if (targets.isEmpty()) {
                return Future.succeededFuture(Answer.of(List.of()));
              }
              if (hops >= MAX_CNAME_HOPS) {
                return Future.succeededFuture(
                    Answer.failed("CNAME chain longer than " + MAX_CNAME_HOPS));
              }
              return lookup(canonical(targets.get(0)), type, hops + 1);
            });
  }

  private String describe(Throwable failure) {
    LOG.debug("DNS lookup via {} failed", server, failure);
    if (failure instanceof DnsException dnsFailure) {
      return dnsFailure.code().name();
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (message.contains("timed out") || t instanceof java.util.concurrent.TimeoutException) {
        return "query timed out after " + Problems.seconds(timeout);
      }
    }
    return "query failed (" + failure.getMessage() + ")";
  }

  private static AcmeProblem noAddress(String name, Answer a, Answer aaaa) {
    if (a.error() == null && aaaa.error() == null) {
      return new AcmeProblem(ProblemType.DNS, "DNS problem: no A or AAAA record for " + name);
    }
    if ("NXDOMAIN".equals(a.error()) && "NXDOMAIN".equals(aaaa.error())) {
      return new AcmeProblem(
          ProblemType.DNS, "DNS problem: NXDOMAIN, no A or AAAA record for " + name);
    }
    return new AcmeProblem(
        ProblemType.DNS,
        "DNS problem: no A or AAAA record for "
            + name
            + " (A: "
            + (a.error() == null ? "none" : a.error())
            + "; AAAA: "
            + (aaaa.error() == null ? "none" : aaaa.error())
            + ")");
  }

  private String override(String name) {
    String best = null;
    for (String suffix : overrides.keySet()) {
      if ((name.equals(suffix) || name.endsWith("." + suffix))
          && (best == null || suffix.length() > best.length())) {
        best = suffix;
      }
    }
    return best == null ? null : overrides.get(best);
  }

  /** Lower case, without a trailing dot. */
  static String canonical(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  /** An IPv4 or IPv6 address (the latter optionally in brackets), recognised without any lookup. */
  static boolean isIpLiteral(String text) {
    if (text == null || text.isEmpty()) {
      return false;
    }
    String bare =
        text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    return NetUtil.isValidIpV4Address(bare) || NetUtil.isValidIpV6Address(bare);
  }
}
