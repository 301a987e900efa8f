package fi.soteacme.client;

import fi.soteacme.client.connector.Json;
import fi.soteacme.client.connector.Jws;
import fi.soteacme.client.connector.Response;
import fi.soteacme.client.exception.AcmeException;
import java.net.URI;
import java.security.KeyPair;
import java.util.Objects;

/**
 * An account URL with its key pair in a session: everything needed to sign requests as the account.
 * Thread-safe; after a key rollover it signs with the new key.
 */
public final class Login {
  private final Session session;
  private final URI accountUrl;
  private volatile KeyPair keyPair;

  Login(Session session, URI accountUrl, KeyPair keyPair) {
    this.session = Objects.requireNonNull(session);
    this.accountUrl = Objects.requireNonNull(accountUrl);
    this.keyPair = Objects.requireNonNull(keyPair);
  }

  /**
   * Returns the session.
   *
   * @return the session
   */
  public Session session() {
    return session;
  }

  /**
   * Returns the account URL ({@code kid} of every request).
   *
   * @return the URL
   */
  public URI accountUrl() {
    return accountUrl;
  }

  /**
   * Returns the current account key pair.
   *
   * @return the key pair
   */
  public KeyPair keyPair() {
    return keyPair;
  }

  void keyPair(KeyPair newKeyPair) {
    this.keyPair = Objects.requireNonNull(newKeyPair);
  }

  /**
   * Returns the account as a resource (no request is sent; call {@link Account#fetch()}).
   *
   * @return the account
   */
  public Account account() {
    return new Account(this, null);
  }

  /**
   * Returns the key authorization for a challenge token (RFC 8555 §8.1): {@code token "."
   * base64url(thumbprint(accountKey))}.
   *
   * @param token the challenge token
   * @return the key authorization
   */
  public String keyAuthorization(String token) {
    return token + "." + Jws.thumbprint(keyPair.getPublic());
  }

  /**
   * Sends a signed POST as this account.
   *
   * @param url the resource URL
   * @param payload the payload
   * @return the response
   * @throws AcmeException on failure
   */
  public Response post(URI url, Json payload) throws AcmeException {
    return session
        .connector()
        .post(url, payload, keyPair, accountUrl, null, () -> session.directory().newNonce());
  }

  /**
   * Sends a POST-as-GET (RFC 8555 §6.3) as this account.
   *
   * @param url the resource URL
   * @param accept the {@code Accept} header, or {@code null} for JSON
   * @return the response
   * @throws AcmeException on failure
   */
  public Response postAsGet(URI url, String accept) throws AcmeException {
    return session
        .connector()
        .post(url, null, keyPair, accountUrl, accept, () -> session.directory().newNonce());
  }
}
