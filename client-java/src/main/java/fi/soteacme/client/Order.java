package fi.soteacme.client;

import fi.soteacme.client.connector.Json;
import fi.soteacme.client.exception.AcmeException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** An order (RFC 8555 §7.1.3), with the sote-acme {@code organisation} extension field. */
public final class Order extends AcmeResource {
  private static final String EXPIRES = "expires";
  private static final String AUTHORIZATIONS = "authorizations";
  private static final String FINALIZE = "finalize";
  private static final String CERTIFICATE = "certificate";
  private static final String ERROR = "error";
  private static final String ORGANISATION = "organisation";
  private static final String PROCESSING_DEADLINE = "processingDeadline";
  private static final String CSR = "csr";

  /**
   * Wraps an order URL; call {@link #fetch()} to read it.
   *
   * @param login the account that owns the order
   * @param location the order URL
   * @param json its last known state, or {@code null}
   */
  public Order(Login login, URI location, Json json) {
    super(login, location, json);
  }

  /**
   * Returns the identifiers, exactly as the client sent them.
   *
   * @return the identifiers
   */
  public List<Identifier> identifiers() {
    List<Identifier> out = new ArrayList<>();
    for (Json j : json().objects(OrderBuilder.IDENTIFIERS)) {
      Identifier.of(j).ifPresent(out::add);
    }
    return out;
  }

  /**
   * Returns when a pending order expires.
   *
   * @return the instant, if given
   */
  public Optional<Instant> expires() {
    return json().instant(EXPIRES);
  }

  /**
   * Returns the requested start of validity.
   *
   * @return the instant, if given
   */
  public Optional<Instant> notBefore() {
    return json().instant(OrderBuilder.NOT_BEFORE);
  }

  /**
   * Returns the requested end of validity.
   *
   * @return the instant, if given
   */
  public Optional<Instant> notAfter() {
    return json().instant(OrderBuilder.NOT_AFTER);
  }

  /**
   * Returns the certificate profile.
   *
   * @return the profile name, if the server reports one
   */
  public Optional<String> profile() {
    return json().string(OrderBuilder.PROFILE);
  }

  /**
   * Returns the ARI identifier of the certificate this order replaces.
   *
   * @return the certID, if the order is a renewal
   */
  public Optional<String> replaces() {
    return json().string(OrderBuilder.REPLACES);
  }

  /**
   * Returns the organisation of the order (sote-acme extension).
   *
   * @return the organisation's OID, if the server is sote-acme
   */
  public Optional<String> organisation() {
    return json().string(ORGANISATION);
  }

  /**
   * Returns the deadline an operator has for a review (sote-acme extension).
   *
   * @return the instant, if the order waits for a conformity review
   */
  public Optional<Instant> processingDeadline() {
    return json().instant(PROCESSING_DEADLINE);
  }

  /**
   * Returns why the order failed.
   *
   * @return the problem, if the order is invalid
   */
  public Optional<Problem> error() {
    return json().object(ERROR).map(Problem::of);
  }

  /**
   * Returns the authorization URLs.
   *
   * @return the URLs
   */
  public List<URI> authorizationUrls() {
    return json().uris(AUTHORIZATIONS);
  }

  /**
   * Returns the finalize URL.
   *
   * @return the URL, if given
   */
  public Optional<URI> finalizeUrl() {
    return json().uri(FINALIZE);
  }

  /**
   * Returns the issued certificate.
   *
   * @return the certificate resource, once the order is valid
   */
  public Optional<Certificate> certificate() {
    return json().uri(CERTIFICATE).map(url -> new Certificate(login(), url));
  }

  /**
   * Fetches every authorization of the order.
   *
   * @return the authorizations, fetched
   * @throws AcmeException on failure
   */
  public List<Authorization> fetchAuthorizations() throws AcmeException {
    List<Authorization> out = new ArrayList<>();
    for (URI url : authorizationUrls()) {
      Authorization authz = new Authorization(login(), url, null);
      authz.fetch();
      out.add(authz);
    }
    return out;
  }

  /**
   * Finalizes the order with a CSR (RFC 8555 §7.4); then wait for {@link Status#VALID}.
   *
   * @param csrDer the PKCS #10 request, DER encoded
   * @throws AcmeException on failure ({@code badCSR}, {@code orderNotReady}, ...)
   */
  public void finalizeOrder(byte[] csrDer) throws AcmeException {
    URI url =
        finalizeUrl()
            .orElseThrow(
                () ->
                    new fi.soteacme.client.exception.AcmeProtocolException(
                        "Order " + location() + " has no finalize URL"));
    String csr = Base64.getUrlEncoder().withoutPadding().encodeToString(csrDer);
    update(login().post(url, Json.builder().put(CSR, csr).build()));
  }
}
