package fi.soteacme.client;

import fi.soteacme.client.connector.Json;
import fi.soteacme.client.connector.Jws;
import fi.soteacme.client.exception.AcmeException;
import java.net.URI;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;

/** An ACME account (RFC 8555 §7.1.2), with the sote-acme organisation linking. */
public final class Account extends AcmeResource {
  private static final String ORDERS = "orders";
  private static final String STATUS = "status";

  Account(Login login, Json json) {
    super(login, login.accountUrl(), json);
  }

  /**
   * Returns the contacts.
   *
   * @return the contact URIs of the last fetched state
   */
  public List<URI> contacts() {
    return json().uris(AccountBuilder.CONTACT);
  }

  /**
   * Tells whether the terms of service were agreed to.
   *
   * @return the flag, if the server returns it
   */
  public Optional<Boolean> termsOfServiceAgreed() {
    return json().bool(AccountBuilder.TERMS_OF_SERVICE_AGREED);
  }

  /**
   * Returns the URL of the account's orders list.
   *
   * @return the URL, if the server gives one
   */
  public Optional<URI> ordersUrl() {
    return json().uri(ORDERS);
  }

  /**
   * Replaces the contacts (RFC 8555 §7.3.2).
   *
   * @param contacts the new contact URIs (empty removes all)
   * @throws AcmeException on failure
   */
  public void updateContacts(List<URI> contacts) throws AcmeException {
    update(login().post(location(), Json.builder().put(AccountBuilder.CONTACT, contacts).build()));
  }

  /**
   * Deactivates the account for good (RFC 8555 §7.3.6).
   *
   * @throws AcmeException on failure
   */
  public void deactivate() throws AcmeException {
    update(
        login()
            .post(location(), Json.builder().put(STATUS, Status.DEACTIVATED.wireName()).build()));
  }

  /**
   * Rolls the account over to a new key (RFC 8555 §7.3.5). On success the login signs with the new
   * key from then on.
   *
   * @param newKeyPair the new key pair; must differ from the current one
   * @throws AcmeException on failure ({@code conflict} if the new key has an account already)
   */
  public void changeKey(KeyPair newKeyPair) throws AcmeException {
    Login login = login();
    URI keyChange = login.session().directory().keyChange();
    Json inner = Jws.keyChange(keyChange, location(), login.keyPair().getPublic(), newKeyPair);
    login.post(keyChange, inner);
    login.keyPair(newKeyPair);
  }

  /**
   * Links this account to a further organisation's customer account (sote-acme extension): POSTs an
   * External Account Binding of the invitation, over this account's key, to the account URL.
   *
   * @param eabKid the key identifier of the invitation
   * @param macKeyBase64Url the MAC key of the invitation, base64url encoded
   * @throws AcmeException on failure (the credential is used, expired or unknown)
   */
  public void link(String eabKid, String macKeyBase64Url) throws AcmeException {
    Login login = login();
    Json eab =
        Jws.externalAccountBinding(
            location(),
            login.keyPair().getPublic(),
            eabKid,
            AccountBuilder.decodeMacKey(macKeyBase64Url));
    update(
        login.post(
            location(), Json.builder().put(AccountBuilder.EXTERNAL_ACCOUNT_BINDING, eab).build()));
  }

  /**
   * Starts a new order for this account.
   *
   * @return an order builder
   */
  public OrderBuilder newOrder() {
    return new OrderBuilder(login());
  }

  /**
   * Revokes a certificate as this account (RFC 8555 §7.6).
   *
   * @param certificate the certificate
   * @param reason the reason, or {@code null} to send none
   * @throws AcmeException on failure ({@code alreadyRevoked}, {@code badRevocationReason}, ...)
   */
  public void revoke(java.security.cert.X509Certificate certificate, RevocationReason reason)
      throws AcmeException {
    Login login = login();
    login.post(
        login.session().directory().revokeCert(),
        Certificate.revocationPayload(certificate, reason));
  }
}
