package fi.soteacme.server.validation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The DNS server all validation lookups go to: an IP literal and a port. */
record NameServer(String host, int port) {

  static final int DNS_PORT = 53;
  static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");

  NameServer {
    if (!Resolver.isIpLiteral(host)) {
      throw new IllegalArgumentException("DNS server must be an IP address, not " + host);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("DNS server port must be 1..65535, not " + port);
    }
  }

  /** Parses {@code "ip:port"}, {@code "[ipv6]:port"}, or a bare IP (port 53). */
  static NameServer parse(String text) {
    String hostPart;
    String portPart = null;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("DNS server " + text + ": missing ']'");
      }
      hostPart = text.substring(1, close);
      String rest = text.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("DNS server " + text + ": expected ':' after ']'");
        }
        portPart = rest.substring(1);
      }
    } else if (text.indexOf(':') != text.lastIndexOf(':')) {
      hostPart = text; // a bare IPv6 address
    } else {
      int colon = text.indexOf(':');
      hostPart = colon < 0 ? text : text.substring(0, colon);
      portPart = colon < 0 ? null : text.substring(colon + 1);
    }
    int port;
    try {
      port = portPart == null ? DNS_PORT : Integer.parseInt(portPart);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("DNS server " + text + ": bad port " + portPart, e);
    }
    return new NameServer(hostPart, port);
  }

  /** The first {@code nameserver} line of a resolv.conf text, on port 53. */
  static Optional<NameServer> fromResolvConf(String text) {
    return text.lines()
        .map(String::strip)
        .filter(line -> line.startsWith("nameserver"))
        .map(line -> line.substring("nameserver".length()).strip().split("[\\s#;]", 2)[0])
        .map(address -> address.replaceFirst("%.*$", "")) // drop an IPv6 zone id
        .filter(Resolver::isIpLiteral)
        .map(address -> new NameServer(address, DNS_PORT))
        .findFirst();
  }

  /**
   * The system's DNS server. Reads a small local file: call this at start-up, not on an event loop.
   */
  static NameServer system() {
    try {
      return fromResolvConf(Files.readString(RESOLV_CONF))
          .orElseThrow(() -> new IllegalStateException("no nameserver in " + RESOLV_CONF));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOLV_CONF, e);
    }
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
