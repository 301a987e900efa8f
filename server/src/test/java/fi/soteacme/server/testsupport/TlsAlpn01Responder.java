package fi.soteacme.server.testsupport;

import fi.soteacme.server.testsupport.TlsAlpn01Certificates.Credential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A tls-alpn-01 responder for tests (RFC 8737): a JDK TLS server on 127.0.0.1 that offers ALPN
 * {@code acme-tls/1} and presents, chosen by SNI, a self-signed certificate with the name as its
 * only SAN and a critical acmeIdentifier extension. A name without a certificate fails the
 * handshake.
 *
 * <p>A plain {@link SSLServerSocket} with a key manager choosing by SNI, because Vert.x caches one
 * TLS context per server name and so would keep serving a stale certificate after a {@link #put}.
 *
 * <pre>{@code
 * try (TlsAlpn01Responder tls = new TlsAlpn01Responder().start()) {
 *   tls.put("example.test", keyAuthorization);
 *   settings = ValidationSettings.defaults().withTlsPort(tls.port());
 * }
 * }</pre>
 */
public final class TlsAlpn01Responder implements AutoCloseable {
  public static final String ACME_TLS_1 = "acme-tls/1";

  private final int requestedPort;
  private final Map<String, Credential> credentials = new ConcurrentHashMap<>();
  private final AtomicInteger handshakes = new AtomicInteger();
  private volatile String[] applicationProtocols = {ACME_TLS_1};
  private volatile boolean closed;
  private SSLServerSocket server;

  /** A responder on an ephemeral port. */
  public TlsAlpn01Responder() {
    this(0);
  }

  /** A responder on {@code port} (0: ephemeral). */
  public TlsAlpn01Responder(int port) {
    this.requestedPort = port;
  }

  /** Listens on 127.0.0.1 and starts accepting; returns this. */
  public synchronized TlsAlpn01Responder start() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {new SniKeyManager()}, null, null);
      server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
      server.bind(new InetSocketAddress(loopback(), requestedPort));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the tls-alpn-01 responder", e);
    }
    Thread acceptor = new Thread(this::accept, "tls-alpn-01-responder-" + port());
    acceptor.setDaemon(true);
    acceptor.start();
    return this;
  }

  public int port() {
    return server.getLocalPort();
  }

  /**
   * Presents the RFC 8737 certificate for {@code keyAuthorization} to clients asking for {@code
   * dnsName}.
   */
  public TlsAlpn01Responder put(String dnsName, String keyAuthorization) {
    return putCertificate(dnsName, TlsAlpn01Certificates.forChallenge(dnsName, keyAuthorization));
  }

  /** Presents {@code credential} to clients whose SNI is {@code sniName}, whatever it contains. */
  public TlsAlpn01Responder putCertificate(String sniName, Credential credential) {
    credentials.put(sniName.toLowerCase(Locale.ROOT), credential);
    return this;
  }

  public TlsAlpn01Responder remove(String dnsName) {
    credentials.remove(dnsName.toLowerCase(Locale.ROOT));
    return this;
  }

  /**
   * The ALPN protocols offered from the next connection on ({@code acme-tls/1} by default); none at
   * all makes a server that ignores ALPN.
   */
  public TlsAlpn01Responder applicationProtocols(String... protocols) {
    applicationProtocols = protocols.clone();
    return this;
  }

  /** Handshakes completed so far. */
  public int handshakeCount() {
    return handshakes.get();
  }

  @Override
  public void close() {
    closed = true;
    if (server != null) {
      try {
        server.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  private void accept() {
    while (!closed) {
      try {
        SSLSocket connection = (SSLSocket) server.accept();
        Thread handler = new Thread(() -> serve(connection), "tls-alpn-01-connection");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  /** Completes the handshake, then waits for the client to hang up (RFC 8737 §3). */
  private void serve(SSLSocket connection) {
    try (connection) {
      connection.setSoTimeout(30_000);
      SSLParameters parameters = connection.getSSLParameters();
      parameters.setApplicationProtocols(applicationProtocols);
      connection.setSSLParameters(parameters);
      connection.startHandshake();
      handshakes.incrementAndGet();
      while (connection.getInputStream().read() >= 0) {
        // discard anything the client sends
      }
    } catch (SSLException e) {
      // a failed handshake is what some tests ask for
    } catch (IOException e) {
      // the client went away
    }
  }

  /** Chooses the certificate by the client's SNI. */
  private final class SniKeyManager extends X509ExtendedKeyManager {
    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return socket instanceof SSLSocket ssl ? alias(keyType, ssl.getHandshakeSession()) : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return engine == null ? null : alias(keyType, engine.getHandshakeSession());
    }

    private String alias(String keyType, SSLSession session) {
      if (!(session instanceof ExtendedSSLSession extended)) {
        return null;
      }
      for (SNIServerName name : extended.getRequestedServerNames()) {
        if (name.getType() == StandardConstants.SNI_HOST_NAME) {
          String host = new SNIHostName(name.getEncoded()).getAsciiName().toLowerCase(Locale.ROOT);
          Credential credential = credentials.get(host);
          if (credential != null && keyType.startsWith(credential.key().getAlgorithm())) {
            return host;
          }
        }
      }
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      Credential credential = credentials.get(alias);
      return credential == null ? null : new X509Certificate[] {credential.certificate()};
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      Credential credential = credentials.get(alias);
      return credential == null ? null : credential.key();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return credentials.keySet().toArray(String[]::new);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }

  private static InetAddress loopback() throws UnknownHostException {
    return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
  }
}
