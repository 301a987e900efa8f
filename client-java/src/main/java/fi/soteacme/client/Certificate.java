package fi.soteacme.client;

import fi.soteacme.client.connector.Connector;
import fi.soteacme.client.connector.Json;
import fi.soteacme.client.exception.AcmeException;
import fi.soteacme.client.exception.AcmeProtocolException;
import fi.soteacme.client.util.Pem;
import java.net.URI;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/** An issued certificate's URL (RFC 8555 §7.4.2): download and revocation. */
public final class Certificate {
  private static final String CERTIFICATE = "certificate";
  private static final String REASON = "reason";

  private final Login login;
  private final URI location;

  /**
   * Wraps a certificate URL.
   *
   * @param login the account that ordered it
   * @param location the certificate URL
   */
  public Certificate(Login login, URI location) {
    this.login = Objects.requireNonNull(login);
    this.location = Objects.requireNonNull(location);
  }

  /**
   * Returns the certificate URL.
   *
   * @return the URL
   */
  public URI location() {
    return location;
  }

  /**
   * Downloads the chain as PEM ({@code application/pem-certificate-chain}).
   *
   * @return the PEM text, leaf first
   * @throws AcmeException on failure
   */
  public String downloadPem() throws AcmeException {
    return login.postAsGet(location, Connector.PEM_CHAIN).text();
  }

  /**
   * Downloads and parses the chain.
   *
   * @return the certificates, leaf first
   * @throws AcmeException on failure, or if the body is no PEM chain
   */
  public List<X509Certificate> download() throws AcmeException {
    String pem = downloadPem();
    try {
      List<X509Certificate> chain = Pem.parseCertificates(pem);
      if (chain.isEmpty()) {
        throw new AcmeProtocolException("No certificate in the response from " + location);
      }
      return chain;
    } catch (java.io.IOException e) {
      throw new AcmeProtocolException("Malformed certificate chain from " + location, e);
    }
  }

  /**
   * Downloads the leaf alone in DER ({@code Accept: application/pkix-cert}, sote-acme).
   *
   * @return the DER bytes
   * @throws AcmeException on failure
   */
  public byte[] downloadDer() throws AcmeException {
    return login.postAsGet(location, Connector.PKIX_CERT).body();
  }

  /**
   * Revokes a certificate with its own key (RFC 8555 §7.6), no account needed.
   *
   * @param session the session
   * @param certificate the certificate
   * @param certificateKeyPair the certificate's key pair
   * @param reason the reason, or {@code null} to send none
   * @throws AcmeException on failure
   */
  public static void revoke(
      Session session,
      X509Certificate certificate,
      KeyPair certificateKeyPair,
      RevocationReason reason)
      throws AcmeException {
    URI url = session.directory().revokeCert();
    session
        .connector()
        .post(
            url,
            revocationPayload(certificate, reason),
            certificateKeyPair,
            null,
            null,
            () -> session.directory().newNonce());
  }

  static Json revocationPayload(X509Certificate certificate, RevocationReason reason)
      throws AcmeException {
    try {
      return Json.builder()
          .put(
              CERTIFICATE,
              Base64.getUrlEncoder().withoutPadding().encodeToString(certificate.getEncoded()))
          .put(REASON, reason == null ? null : reason.code())
          .build();
    } catch (CertificateEncodingException e) {
      throw new AcmeException("Cannot encode the certificate", e);
    }
  }
}
