package fi.soteacme.server.mail;

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
 * acme4j sessions that trust a test server's local TLS root (as the package-private {@code
 * it.Acme4j} does; that one is not visible here).
 */
final class AcmeSessions {
  private AcmeSessions() {}

  static Session session(String directoryUrl, Path trustAnchor) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(trustAnchor)) {
      store.setCertificateEntry(
          "sote-acme-tls", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, trust.getTrustManagers(), null);
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
}
