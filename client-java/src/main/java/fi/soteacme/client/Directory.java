package fi.soteacme.client;

import fi.soteacme.client.connector.Json;
import fi.soteacme.client.exception.AcmeProtocolException;
import java.net.URI;
import java.util.Optional;

/**
 * The directory of an ACME server (RFC 8555 §7.1.1): the URLs of its resources.
 *
 * @param json the whole directory object
 */
public record Directory(Json json) {
  private static final String NEW_NONCE = "newNonce";
  private static final String NEW_ACCOUNT = "newAccount";
  private static final String NEW_ORDER = "newOrder";
  private static final String REVOKE_CERT = "revokeCert";
  private static final String KEY_CHANGE = "keyChange";
  private static final String RENEWAL_INFO = "renewalInfo";
  private static final String META = "meta";

  /**
   * Returns the newNonce URL.
   *
   * @return the URL
   * @throws AcmeProtocolException if the directory lacks it
   */
  public URI newNonce() throws AcmeProtocolException {
    return json.requireUri(NEW_NONCE);
  }

  /**
   * Returns the newAccount URL.
   *
   * @return the URL
   * @throws AcmeProtocolException if the directory lacks it
   */
  public URI newAccount() throws AcmeProtocolException {
    return json.requireUri(NEW_ACCOUNT);
  }

  /**
   * Returns the newOrder URL.
   *
   * @return the URL
   * @throws AcmeProtocolException if the directory lacks it
   */
  public URI newOrder() throws AcmeProtocolException {
    return json.requireUri(NEW_ORDER);
  }

  /**
   * Returns the revokeCert URL.
   *
   * @return the URL
   * @throws AcmeProtocolException if the directory lacks it
   */
  public URI revokeCert() throws AcmeProtocolException {
    return json.requireUri(REVOKE_CERT);
  }

  /**
   * Returns the keyChange URL.
   *
   * @return the URL
   * @throws AcmeProtocolException if the directory lacks it
   */
  public URI keyChange() throws AcmeProtocolException {
    return json.requireUri(KEY_CHANGE);
  }

  /**
   * Returns the renewalInfo base URL (RFC 9773).
   *
   * @return the URL, if the server supports ARI
   */
  public Optional<URI> renewalInfo() {
    return json.uri(RENEWAL_INFO);
  }

  /**
   * Returns the metadata.
   *
   * @return the {@code meta} object, empty if absent
   */
  public Metadata meta() {
    return new Metadata(json.object(META).orElse(Json.empty()));
  }
}
