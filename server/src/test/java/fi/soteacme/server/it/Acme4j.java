package fi.soteacme.server.it;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/** acme4j sessions that trust the server's local TLS root, as a client configured for it would. */
public final class Acme4j {
  private Acme4j() {}

  public static Session session(String directoryUrl, Path trustAnchor) throws Exception {
    SSLContext ssl = sslContext(trustAnchor);
    return new Session(
        URI.create(directoryUrl),
        new GenericAcmeProvider() {
          @Override
          public HttpClient createHttpClient(NetworkSettings settings) {
            return HttpClient.newBuilder()
                .sslContext(ssl)
                .connectTimeout(settings.getTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
          }
        });
  }

  /** An HTTP client that trusts the server's TLS root. */
  public static HttpClient httpClient(Path trustAnchor) throws Exception {
    return HttpClient.newBuilder().sslContext(sslContext(trustAnchor)).build();
  }

  public static SSLContext sslContext(Path trustAnchor) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(trustAnchor)) {
      X509Certificate root =
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      store.setCertificateEntry("sote-acme-tls", root);
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
