package fi.soteacme.server.account;

import java.util.List;
import org.jose4j.jwk.PublicJsonWebKey;

/** An ACME account (RFC 8555 §7.1.2) as stored. */
public record Account(
    long id,
    PublicJsonWebKey key,
    String keyThumbprint,
    AccountStatus status,
    List<String> contact,
    boolean termsAgreed) {

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
