package fi.soteacme.client.cli;

import fi.soteacme.client.Identifier;
import fi.soteacme.client.challenge.TlsAlpn01Challenge;
import fi.soteacme.client.challenge.TokenChallenge;
import fi.soteacme.client.util.KeyPairs;
import fi.soteacme.client.util.KeyType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.KeyPair;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * tls-alpn-01 with its own TLS listener (RFC 8737): answers a handshake that offers {@code
 * acme-tls/1} with the validation certificate of the name in SNI, then closes.
 */
final class TlsAlpn01StandaloneSolver implements ChallengeSolver {
  private record Entry(KeyPair keyPair, X509Certificate certificate) {}

  private final Map<String, Entry> certificates = new ConcurrentHashMap<>();
  private final SSLServerSocket socket;
  private final Thread acceptor;
  private final KeyPair keyPair = KeyPairs.generate(KeyType.EC_P256);

  TlsAlpn01StandaloneSolver(String address, int port) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(new KeyManager[] {new SniKeyManager()}, null, null);
    InetSocketAddress bind =
        address == null || address.isBlank()
            ? new InetSocketAddress(port)
            : new InetSocketAddress(InetAddress.getByName(address), port);
    socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
    socket.setReuseAddress(true);
    socket.bind(bind, 16);
    SSLParameters params = socket.getSSLParameters();
    params.setApplicationProtocols(new String[] {TlsAlpn01Challenge.ACME_TLS_PROTOCOL});
    params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
    socket.setSSLParameters(params);
    acceptor = new Thread(this::acceptLoop, "tls-alpn-01");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        SSLSocket client = (SSLSocket) socket.accept();
        Thread t =
            new Thread(
                () -> {
                  try (client) {
                    client.setSoTimeout(10_000);
                    client.startHandshake();
                  } catch (IOException e) {
                    // a validation handshake ends when the CA has seen the certificate
                  }
                },
                "tls-alpn-01-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
      }
    }
  }

  @Override
  public String challengeType() {
    return TlsAlpn01Challenge.TYPE;
  }

  @Override
  public void present(Identifier identifier, TokenChallenge challenge) throws Exception {
    X509Certificate cert = ((TlsAlpn01Challenge) challenge).createCertificate(keyPair, identifier);
    certificates.put(identifier.value(), new Entry(keyPair, cert));
  }

  @Override
  public void cleanup(Identifier identifier, TokenChallenge challenge) {
    certificates.remove(identifier.value());
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private final class SniKeyManager extends X509ExtendedKeyManager {
    private String alias(SSLSession handshake) {
      if (handshake instanceof ExtendedSSLSession ext) {
        for (SNIServerName name : ext.getRequestedServerNames()) {
          if (name instanceof SNIHostName host && certificates.containsKey(host.getAsciiName())) {
            return host.getAsciiName();
          }
        }
      }
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket s) {
      return s instanceof SSLSocket ssl && "EC".equalsIgnoreCase(keyType)
          ? alias(ssl.getHandshakeSession())
          : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return "EC".equalsIgnoreCase(keyType) ? alias(engine.getHandshakeSession()) : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      Entry e = certificates.get(alias);
      return e == null ? null : new X509Certificate[] {e.certificate()};
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      Entry e = certificates.get(alias);
      return e == null ? null : e.keyPair().getPrivate();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return List.copyOf(certificates.keySet()).toArray(new String[0]);
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
}
