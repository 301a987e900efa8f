package fi.soteacme.client;

import fi.soteacme.client.connector.Json;
import fi.soteacme.client.connector.Jws;
import fi.soteacme.client.connector.Response;
import fi.soteacme.client.exception.AcmeException;
import java.net.URI;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Creates an account, or finds the existing one of a key (RFC 8555 §7.3).
 *
 * <pre>{@code
 * Account account = new AccountBuilder()
 *     .keyPair(keyPair)
 *     .addEmail("admin@example.fi")
 *     .agreeToTermsOfService()
 *     .externalAccountBinding(kid, hmacKeyBase64Url)
 *     .create(session);
 * }</pre>
 */
public final class AccountBuilder {
  static final String CONTACT = "contact";
  static final String TERMS_OF_SERVICE_AGREED = "termsOfServiceAgreed";
  static final String ONLY_RETURN_EXISTING = "onlyReturnExisting";
  static final String EXTERNAL_ACCOUNT_BINDING = "externalAccountBinding";

  private final List<URI> contacts = new ArrayList<>();
  private KeyPair keyPair;
  private boolean termsOfServiceAgreed;
  private boolean onlyExisting;
  private String eabKid;
  private byte[] eabMacKey;

  /** Creates an empty builder. */
  public AccountBuilder() {}

  /**
   * Sets the account key pair.
   *
   * @param keyPair the key pair (RSA or EC)
   * @return this builder
   */
  public AccountBuilder keyPair(KeyPair keyPair) {
    this.keyPair = Objects.requireNonNull(keyPair);
    return this;
  }

  /**
   * Adds a contact URI.
   *
   * @param contact e.g. {@code mailto:admin@example.fi}
   * @return this builder
   */
  public AccountBuilder addContact(URI contact) {
    contacts.add(Objects.requireNonNull(contact));
    return this;
  }

  /**
   * Adds an e-mail contact.
   *
   * @param email the address, without {@code mailto:}
   * @return this builder
   */
  public AccountBuilder addEmail(String email) {
    return addContact(URI.create("mailto:" + email.trim()));
  }

  /**
   * Agrees to the server's terms of service.
   *
   * @return this builder
   */
  public AccountBuilder agreeToTermsOfService() {
    this.termsOfServiceAgreed = true;
    return this;
  }

  /**
   * Only looks up the existing account of the key; the server creates none ({@code
   * onlyReturnExisting}).
   *
   * @return this builder
   */
  public AccountBuilder onlyExisting() {
    this.onlyExisting = true;
    return this;
  }

  /**
   * Binds the new account to an external account (RFC 8555 §7.3.4) with an HS256 MAC.
   *
   * @param kid the key identifier the CA gave
   * @param macKeyBase64Url the MAC key the CA gave, base64url encoded
   * @return this builder
   */
  public AccountBuilder externalAccountBinding(String kid, String macKeyBase64Url) {
    return externalAccountBinding(kid, decodeMacKey(macKeyBase64Url));
  }

  /**
   * Binds the new account to an external account (RFC 8555 §7.3.4) with an HS256 MAC.
   *
   * @param kid the key identifier the CA gave
   * @param macKey the MAC key
   * @return this builder
   */
  public AccountBuilder externalAccountBinding(String kid, byte[] macKey) {
    this.eabKid = Objects.requireNonNull(kid);
    this.eabMacKey = macKey.clone();
    return this;
  }

  static byte[] decodeMacKey(String macKeyBase64Url) {
    // Some CAs hand out padded or standard base64; both decode to the same key.
    String s = macKeyBase64Url.trim().replace('+', '-').replace('/', '_').replace("=", "");
    return Base64.getUrlDecoder().decode(s);
  }

  /**
   * Sends newAccount.
   *
   * @param session the session
   * @return the account, created or existing
   * @throws AcmeException on failure ({@code accountDoesNotExist} with {@link #onlyExisting()},
   *     {@code externalAccountRequired} without a binding on sote-acme)
   */
  public Account create(Session session) throws AcmeException {
    Objects.requireNonNull(keyPair, "keyPair is required");
    URI url = session.directory().newAccount();
    Json.Builder payload = Json.builder();
    if (!contacts.isEmpty()) {
      payload.put(CONTACT, contacts);
    }
    if (termsOfServiceAgreed) {
      payload.put(TERMS_OF_SERVICE_AGREED, true);
    }
    if (onlyExisting) {
      payload.put(ONLY_RETURN_EXISTING, true);
    }
    if (eabKid != null) {
      payload.put(
          EXTERNAL_ACCOUNT_BINDING,
          Jws.externalAccountBinding(url, keyPair.getPublic(), eabKid, eabMacKey));
    }
    Response response =
        session
            .connector()
            .post(url, payload.build(), keyPair, null, null, () -> session.directory().newNonce());
    Login login = session.login(response.requireLocation(), keyPair);
    Account account = new Account(login, null);
    account.update(response);
    return account;
  }
}
