package fi.soteacme.client.challenge;

import fi.soteacme.client.Identifier;
import fi.soteacme.client.Login;
import fi.soteacme.client.connector.Json;
import fi.soteacme.client.exception.AcmeException;
import fi.soteacme.client.exception.AcmeProtocolException;
import java.util.Base64;

/**
 * dns-01 (RFC 8555 §8.4): publish a TXT record {@code _acme-challenge.<domain>} holding
 * base64url(SHA-256(key authorization)).
 */
public final class Dns01Challenge extends TokenChallenge {
  /** The type name. */
  public static final String TYPE = "dns-01";

  /**
   * Creates the challenge from its JSON object.
   *
   * @param login the account
   * @param json the challenge object
   * @throws AcmeProtocolException if it has no URL
   */
  public Dns01Challenge(Login login, Json json) throws AcmeProtocolException {
    super(login, json);
  }

  /**
   * Returns the record name for an identifier; a wildcard's {@code *.} is dropped.
   *
   * @param identifier the DNS identifier of the authorization
   * @return {@code _acme-challenge.<domain>}
   */
  public static String recordName(Identifier identifier) {
    String name = identifier.value();
    if (name.startsWith("*.")) {
      name = name.substring(2);
    }
    return "_acme-challenge." + name;
  }

  /**
   * Returns the TXT record value.
   *
   * @return base64url of the SHA-256 digest of the key authorization
   * @throws AcmeException if the token is missing or unsafe
   */
  public String digest() throws AcmeException {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(keyAuthorization()));
  }
}
