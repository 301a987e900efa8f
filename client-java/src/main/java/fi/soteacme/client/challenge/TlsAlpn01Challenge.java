package fi.soteacme.client.challenge;

import fi.soteacme.client.Identifier;
import fi.soteacme.client.Login;
import fi.soteacme.client.connector.Json;
import fi.soteacme.client.exception.AcmeException;
import fi.soteacme.client.exception.AcmeProtocolException;
import fi.soteacme.client.util.SelfSignedCertificates;
import java.security.KeyPair;
import java.security.cert.X509Certificate;

/**
 * tls-alpn-01 (RFC 8737): answer a TLS handshake with ALPN {@code acme-tls/1} with a self-signed
 * certificate for the name that carries the critical acmeIdentifier extension.
 */
public final class TlsAlpn01Challenge extends TokenChallenge {
  /** The type name. */
  public static final String TYPE = "tls-alpn-01";

  /** The ALPN protocol name the validation handshake offers. */
  public static final String ACME_TLS_PROTOCOL = "acme-tls/1";

  /**
   * Creates the challenge from its JSON object.
   *
   * @param login the account
   * @param json the challenge object
   * @throws AcmeProtocolException if it has no URL
   */
  public TlsAlpn01Challenge(Login login, Json json) throws AcmeProtocolException {
    super(login, json);
  }

  /**
   * Returns the value of the acmeIdentifier extension.
   *
   * @return the SHA-256 digest of the key authorization
   * @throws AcmeException if the token is missing or unsafe
   */
  public byte[] acmeValidation() throws AcmeException {
    return sha256(keyAuthorization());
  }

  /**
   * Creates the validation certificate.
   *
   * @param keyPair a key pair for the certificate (any, not the account key)
   * @param identifier the DNS identifier being validated
   * @return the self-signed certificate
   * @throws AcmeException if the token is missing or the certificate cannot be built
   */
  public X509Certificate createCertificate(KeyPair keyPair, Identifier identifier)
      throws AcmeException {
    return SelfSignedCertificates.tlsAlpn01(keyPair, identifier.value(), acmeValidation());
  }
}
