package fi.soteacme.server.it.interop;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * acme4j sessions and plain HTTP clients that trust exactly one TLS root, as a client configured
 * with the server's {@code tls/ca.pem} would. (The {@code it} package's helper is package-private.)
 */
final class TrustingAcme4j {
  private TrustingAcme4j() {}

  static Session session(String directoryUrl, Path trustAnchor) throws Exception {
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

  static HttpClient httpClient(Path trustAnchor) throws Exception {
    return HttpClient.newBuilder().sslContext(sslContext(trustAnchor)).build();
  }

  private static SSLContext sslContext(Path trustAnchor) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(trustAnchor)) {
      store.setCertificateEntry(
          "sote-acme-tls", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
