package fi.soteacme.server.authz;

import fi.soteacme.server.challenge.Challenge;
import fi.soteacme.server.identifier.Identifier;
import fi.soteacme.server.status.AuthorizationStatus;
import java.time.Instant;
import java.util.List;

/**
 * An RFC 8555 §7.1.4 authorization as stored, with its challenges and the organisation of the
 * orders that use it (one, by construction; null for an authorization of no organisation's order).
 */
public record Authorization(
    long id,
    long accountId,
    Identifier identifier,
    boolean wildcard,
    AuthorizationStatus storedStatus,
    Instant expires,
    List<Challenge> challenges,
    String organisationOid) {

  /** The status a client sees: a pending or valid authorization past its expiry is expired. */
  public AuthorizationStatus status(Instant now) {
    if ((storedStatus == AuthorizationStatus.PENDING || storedStatus == AuthorizationStatus.VALID)
        && expires.isBefore(now)) {
      return AuthorizationStatus.EXPIRED;
    }
    return storedStatus;
  }
}
