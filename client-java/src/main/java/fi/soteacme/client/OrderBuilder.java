package fi.soteacme.client;

import fi.soteacme.client.connector.Json;
import fi.soteacme.client.connector.Response;
import fi.soteacme.client.exception.AcmeException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Builds a newOrder request (RFC 8555 §7.4, draft-ietf-acme-profiles, RFC 9773 {@code replaces},
 * sote-acme {@code sote-org} identifiers).
 *
 * <pre>{@code
 * Order order = account.newOrder()
 *     .domains("ap.example.fi")
 *     .organisation("1.2.246.10.2048198.10.0")
 *     .profile("sote-server")
 *     .create();
 * }</pre>
 */
public final class OrderBuilder {
  static final String IDENTIFIERS = "identifiers";
  static final String NOT_BEFORE = "notBefore";
  static final String NOT_AFTER = "notAfter";
  static final String PROFILE = "profile";
  static final String REPLACES = "replaces";

  private final Login login;
  private final List<Identifier> identifiers = new ArrayList<>();
  private Instant notBefore;
  private Instant notAfter;
  private String profile;
  private String replaces;

  OrderBuilder(Login login) {
    this.login = login;
  }

  /**
   * Adds DNS names.
   *
   * @param names the names
   * @return this builder
   */
  public OrderBuilder domains(String... names) {
    return domains(List.of(names));
  }

  /**
   * Adds DNS names.
   *
   * @param names the names
   * @return this builder
   */
  public OrderBuilder domains(Collection<String> names) {
    names.forEach(n -> identifiers.add(Identifier.dns(n)));
    return this;
  }

  /**
   * Names the organisation the certificate is for (a {@code sote-org} identifier).
   *
   * @param oid the organisation's OID in the register
   * @return this builder
   */
  public OrderBuilder organisation(String oid) {
    identifiers.add(Identifier.soteOrg(oid));
    return this;
  }

  /**
   * Adds an identifier of any type.
   *
   * @param identifier the identifier
   * @return this builder
   */
  public OrderBuilder identifier(Identifier identifier) {
    identifiers.add(Objects.requireNonNull(identifier));
    return this;
  }

  /**
   * Asks for a certificate profile.
   *
   * @param profile a name from the directory's {@code meta.profiles}
   * @return this builder
   */
  public OrderBuilder profile(String profile) {
    this.profile = profile;
    return this;
  }

  /**
   * Asks for a start of validity.
   *
   * @param notBefore the requested notBefore
   * @return this builder
   */
  public OrderBuilder notBefore(Instant notBefore) {
    this.notBefore = notBefore;
    return this;
  }

  /**
   * Asks for an end of validity.
   *
   * @param notAfter the requested notAfter
   * @return this builder
   */
  public OrderBuilder notAfter(Instant notAfter) {
    this.notAfter = notAfter;
    return this;
  }

  /**
   * Marks the order as the renewal of a certificate (RFC 9773 §5).
   *
   * @param certificate the certificate to replace
   * @return this builder
   */
  public OrderBuilder replaces(X509Certificate certificate) {
    return replaces(RenewalInfo.certId(certificate));
  }

  /**
   * Marks the order as the renewal of a certificate (RFC 9773 §5).
   *
   * @param certId the ARI certificate identifier of the certificate to replace
   * @return this builder
   */
  public OrderBuilder replaces(String certId) {
    this.replaces = certId;
    return this;
  }

  /**
   * Returns the request payload.
   *
   * @return the newOrder payload
   */
  public Json payload() {
    if (identifiers.isEmpty()) {
      throw new IllegalStateException("An order needs at least one identifier");
    }
    return Json.builder()
        .put(IDENTIFIERS, identifiers.stream().map(Identifier::toJson).toList())
        .put(NOT_BEFORE, notBefore)
        .put(NOT_AFTER, notAfter)
        .put(PROFILE, profile)
        .put(REPLACES, replaces)
        .build();
  }

  /**
   * Sends newOrder.
   *
   * @return the order
   * @throws AcmeException on failure
   */
  public Order create() throws AcmeException {
    Json payload = payload();
    Response response = login.post(login.session().directory().newOrder(), payload);
    Order order = new Order(login, response.requireLocation(), null);
    order.update(response);
    return order;
  }
}
