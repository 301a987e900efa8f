package fi.soteacme.client;

import fi.soteacme.client.connector.Json;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code meta} object of the directory (RFC 8555 §7.1.1, draft-ietf-acme-profiles).
 *
 * @param json the whole {@code meta} object
 */
public record Metadata(Json json) {
  private static final String TERMS_OF_SERVICE = "termsOfService";
  private static final String WEBSITE = "website";
  private static final String CAA_IDENTITIES = "caaIdentities";
  private static final String EXTERNAL_ACCOUNT_REQUIRED = "externalAccountRequired";
  private static final String PROFILES = "profiles";

  /**
   * Returns the current terms of service.
   *
   * @return the URL, if the server has terms
   */
  public Optional<URI> termsOfService() {
    return json.uri(TERMS_OF_SERVICE);
  }

  /**
   * Returns the CA's web site.
   *
   * @return the URL, if given
   */
  public Optional<URI> website() {
    return json.uri(WEBSITE);
  }

  /**
   * Returns the CAA issuer domains of the CA.
   *
   * @return the names, empty if not given
   */
  public List<String> caaIdentities() {
    return json.strings(CAA_IDENTITIES);
  }

  /**
   * Tells whether newAccount needs an External Account Binding (true on sote-acme).
   *
   * @return {@code true} if required
   */
  public boolean externalAccountRequired() {
    return json.bool(EXTERNAL_ACCOUNT_REQUIRED).orElse(false);
  }

  /**
   * Returns the certificate profiles the server offers, with their descriptions.
   *
   * @return profile name to description, empty if the server has no profiles
   */
  public Map<String, String> profiles() {
    Map<String, String> out = new LinkedHashMap<>();
    json.object(PROFILES)
        .ifPresent(
            p -> {
              for (String name : p.keys()) {
                out.put(name, p.string(name).orElse(""));
              }
            });
    return out;
  }
}
