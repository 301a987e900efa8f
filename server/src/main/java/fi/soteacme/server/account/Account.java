package fi.soteacme.server.account;

import fi.soteacme.server.customer.AccountLink;
import java.util.List;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * An ACME account (RFC 8555 §7.1.2) as stored, with the organisations' customer accounts it acts
 * for at the time it was read ({@code links}, read in the same statement: every request of an
 * account needs them, and a removed link ends access with the next request).
 */
public record Account(
    long id,
    PublicJsonWebKey key,
    String keyThumbprint,
    AccountStatus status,
    List<String> contact,
    boolean termsAgreed,
    List<AccountLink> links) {

  /** RFC 8555 §7.1.6, account objects. */
  public enum AccountStatus {
    VALID,
    DEACTIVATED,
    REVOKED;

    public String wire() {
      return name().toLowerCase();
    }
  }
}
