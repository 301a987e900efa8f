package fi.soteacme.server.testsupport;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * An authoritative DNS server for tests, on 127.0.0.1 over UDP and TCP (same port), built on
 * dnsjava's message parsing and rendering.
 *
 * <p>A and AAAA queries get the addresses {@linkplain #putAddress put} for the name, or else the
 * {@linkplain #defaultAddress default address} (127.0.0.1 unless changed; an IPv4 default answers
 * only A, an IPv6 one only AAAA). TXT queries get the values {@linkplain #addTxt added} for the
 * name. CNAMEs are answered and chased within this server's data. A name with nothing configured is
 * NXDOMAIN when there is no default address; otherwise a query without records is NOERROR with an
 * empty answer. TTLs are 0.
 *
 * <pre>{@code
 * try (TestDnsServer dns = new TestDnsServer().start()) {
 *   dns.addTxt("_acme-challenge.example.test", ChallengeValidator.dns01TxtValue(keyAuthorization));
 *   settings = ValidationSettings.defaults().withDnsServer(dns.address());
 * }
 * }</pre>
 */
public final class TestDnsServer implements AutoCloseable {
  private static final InetAddress LOOPBACK = loopback();
  private static final int MAX_CNAME_HOPS = 8;
  private static final int UDP_LIMIT = 512;

  private final int requestedPort;
  private final Map<Name, List<InetAddress>> addresses = new HashMap<>();
  private final Map<Name, Name> cnames = new HashMap<>();
  private final Map<Name, List<String>> txts = new HashMap<>();
  private final AtomicInteger queries = new AtomicInteger();
  private InetAddress defaultAddress = LOOPBACK;
  private DatagramSocket udp;
  private ServerSocket tcp;
  private volatile boolean closed;

  /** A server on an ephemeral port. */
  public TestDnsServer() {
    this(0);
  }

  /** A server on {@code port} (0: ephemeral). */
  public TestDnsServer(int port) {
    this.requestedPort = port;
  }

  /** Binds UDP and TCP on 127.0.0.1 and starts answering; returns this. */
  public synchronized TestDnsServer start() {
    if (udp != null) {
      throw new IllegalStateException("already started");
    }
    IOException last = null;
    for (int attempt = 0; attempt < 10; attempt++) {
      DatagramSocket datagrams = null;
      try {
        datagrams = new DatagramSocket(new InetSocketAddress(LOOPBACK, requestedPort));
        ServerSocket stream = new ServerSocket();
        stream.bind(new InetSocketAddress(LOOPBACK, datagrams.getLocalPort()));
        udp = datagrams;
        tcp = stream;
        daemon("test-dns-udp-" + port(), this::serveUdp).start();
        daemon("test-dns-tcp-" + port(), this::serveTcp).start();
        return this;
      } catch (IOException e) {
        last = e;
        if (datagrams != null) {
          datagrams.close();
        }
        if (!(e instanceof BindException) || requestedPort != 0) {
          break;
        }
      }
    }
    throw new UncheckedIOException("cannot bind the test DNS server", last);
  }

  public int port() {
    return udp.getLocalPort();
  }

  /** {@code "127.0.0.1:<port>"}, the form {@code ValidationSettings.dnsServer} takes. */
  public String address() {
    return LOOPBACK.getHostAddress() + ":" + port();
  }

  /** How many queries were answered so far. */
  public int queryCount() {
    return queries.get();
  }

  /** The address for names without their own, or {@code null} for none (NXDOMAIN instead). */
  public synchronized TestDnsServer defaultAddress(String ipOrNull) {
    defaultAddress = ipOrNull == null ? null : ip(ipOrNull);
    return this;
  }

  /** Adds an A (IPv4 literal) or AAAA (IPv6 literal) record for {@code name}. */
  public synchronized TestDnsServer putAddress(String name, String ip) {
    addresses.computeIfAbsent(name(name), n -> new ArrayList<>()).add(ip(ip));
    return this;
  }

  public synchronized TestDnsServer removeAddresses(String name) {
    addresses.remove(name(name));
    return this;
  }

  public synchronized TestDnsServer putCname(String name, String target) {
    cnames.put(name(name), name(target));
    return this;
  }

  public synchronized TestDnsServer addTxt(String name, String value) {
    txts.computeIfAbsent(name(name), n -> new ArrayList<>()).add(value);
    return this;
  }

  public synchronized TestDnsServer clearTxt(String name) {
    txts.remove(name(name));
    return this;
  }

  @Override
  public void close() {
    closed = true;
    if (udp != null) {
      udp.close();
    }
    if (tcp != null) {
      try {
        tcp.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  /** The wire-format answer to a wire-format query, or {@code null} to drop an unparseable one. */
  byte[] respond(byte[] query, int limit) {
    Message request;
    try {
      request = new Message(query);
    } catch (IOException e) {
      return null;
    }
    queries.incrementAndGet();
    Message response = answer(request);
    OPTRecord opt = request.getOPT();
    return response.toWire(opt == null ? limit : Math.max(limit, opt.getPayloadSize()));
  }

  private synchronized Message answer(Message request) {
    Message response = new Message(request.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.AA);
    if (request.getHeader().getFlag(Flags.RD)) {
      response.getHeader().setFlag(Flags.RD);
    }
    response.getHeader().setOpcode(request.getHeader().getOpcode());
    Record question = request.getQuestion();
    if (question == null) {
      response.getHeader().setRcode(Rcode.FORMERR);
      return response;
    }
    response.addRecord(question, Section.QUESTION);
    if (request.getHeader().getOpcode() != Opcode.QUERY) {
      response.getHeader().setRcode(Rcode.NOTIMP);
      return response;
    }
    int type = question.getType();
    Name owner = question.getName();
    for (int hop = 0; cnames.containsKey(owner) && hop < MAX_CNAME_HOPS; hop++) {
      Name target = cnames.get(owner);
      response.addRecord(new CNAMERecord(owner, DClass.IN, 0, target), Section.ANSWER);
      if (type == Type.CNAME) {
        return response;
      }
      owner = target;
    }
    List<Record> records = records(owner, type);
    records.forEach(r -> response.addRecord(r, Section.ANSWER));
    if (response.getSection(Section.ANSWER).isEmpty() && !exists(owner)) {
      response.getHeader().setRcode(Rcode.NXDOMAIN);
    }
    return response;
  }

  private List<Record> records(Name owner, int type) {
    List<Record> result = new ArrayList<>();
    if (type == Type.A || type == Type.AAAA) {
      List<InetAddress> own = addresses.get(owner);
      List<InetAddress> candidates =
          own != null ? own : defaultAddress == null ? List.of() : List.of(defaultAddress);
      for (InetAddress address : candidates) {
        if (type == Type.A && address instanceof Inet4Address) {
          result.add(new ARecord(owner, DClass.IN, 0, address));
        } else if (type == Type.AAAA && !(address instanceof Inet4Address)) {
          result.add(new AAAARecord(owner, DClass.IN, 0, address));
        }
      }
    } else if (type == Type.TXT) {
      for (String value : txts.getOrDefault(owner, List.of())) {
        result.add(new TXTRecord(owner, DClass.IN, 0, value));
      }
    }
    return result;
  }

  private boolean exists(Name owner) {
    return defaultAddress != null
        || addresses.containsKey(owner)
        || cnames.containsKey(owner)
        || txts.containsKey(owner);
  }

  private void serveUdp() {
    byte[] buffer = new byte[65535];
    while (!closed) {
      try {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        udp.receive(packet);
        byte[] reply =
            respond(Arrays.copyOfRange(packet.getData(), 0, packet.getLength()), UDP_LIMIT);
        if (reply != null) {
          udp.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
        }
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void serveTcp() {
    while (!closed) {
      try {
        Socket connection = tcp.accept();
        daemon("test-dns-tcp-conn", () -> serveTcpConnection(connection)).start();
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void serveTcpConnection(Socket connection) {
    try (connection;
        DataInputStream in = new DataInputStream(connection.getInputStream());
        DataOutputStream out = new DataOutputStream(connection.getOutputStream())) {
      connection.setSoTimeout(30_000);
      while (!closed) {
        byte[] query = new byte[in.readUnsignedShort()];
        in.readFully(query);
        byte[] reply = respond(query, 65535);
        if (reply == null) {
          return;
        }
        out.writeShort(reply.length);
        out.write(reply);
        out.flush();
      }
    } catch (EOFException | SocketException e) {
      // the client is done
    } catch (IOException e) {
      // a test server: drop the connection
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    return thread;
  }

  private static Name name(String name) {
    try {
      return Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a DNS name: " + name, e);
    }
  }

  private static InetAddress ip(String literal) {
    int family = literal.contains(":") ? Address.IPv6 : Address.IPv4;
    try {
      return Address.getByAddress(literal, family);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + literal, e);
    }
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
