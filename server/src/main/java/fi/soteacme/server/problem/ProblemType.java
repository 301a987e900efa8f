package fi.soteacme.server.problem;

/**
 * Every problem type the server emits (RFC 8555 §6.7, RFC 9773, draft-ietf-acme-profiles), each
 * with the one HTTP status it is sent with.
 */
public enum ProblemType {
  ACCOUNT_DOES_NOT_EXIST("accountDoesNotExist", 400),
  ALREADY_REPLACED("alreadyReplaced", 409),
  ALREADY_REVOKED("alreadyRevoked", 400),
  BAD_CSR("badCSR", 400),
  BAD_NONCE("badNonce", 400),
  BAD_PUBLIC_KEY("badPublicKey", 400),
  BAD_REVOCATION_REASON("badRevocationReason", 400),
  BAD_SIGNATURE_ALGORITHM("badSignatureAlgorithm", 400),
  CAA("caa", 403),
  COMPOUND("compound", 403),
  CONNECTION("connection", 400),
  DNS("dns", 400),
  EXTERNAL_ACCOUNT_REQUIRED("externalAccountRequired", 400),
  INCORRECT_RESPONSE("incorrectResponse", 400),
  INVALID_CONTACT("invalidContact", 400),
  INVALID_PROFILE("invalidProfile", 400),
  MALFORMED("malformed", 400),
  ORDER_NOT_READY("orderNotReady", 403),
  RATE_LIMITED("rateLimited", 429),
  REJECTED_IDENTIFIER("rejectedIdentifier", 400),
  SERVER_INTERNAL("serverInternal", 500),
  TLS("tls", 400),
  UNAUTHORIZED("unauthorized", 403),
  UNSUPPORTED_CONTACT("unsupportedContact", 400),
  UNSUPPORTED_IDENTIFIER("unsupportedIdentifier", 400),
  USER_ACTION_REQUIRED("userActionRequired", 403),
  /** Not an RFC type: a resource that does not exist (or that the requester may not see). */
  NOT_FOUND("malformed", 404),
  /**
   * Not an RFC type: a key already used by another account (RFC 8555 §7.3.5), sent with Location.
   */
  CONFLICT("malformed", 409),
  /** Not an RFC type: an HTTP method the resource does not allow. */
  METHOD_NOT_ALLOWED("malformed", 405),
  /** Not an RFC type: a request body of a content type the resource does not take. */
  UNSUPPORTED_MEDIA_TYPE("malformed", 415);

  private static final String PREFIX = "urn:ietf:params:acme:error:";

  private final String name;
  private final int httpStatus;

  ProblemType(String name, int httpStatus) {
    this.name = name;
    this.httpStatus = httpStatus;
  }

  /** The full type URN, e.g. {@code urn:ietf:params:acme:error:badNonce}. */
  public String urn() {
    return PREFIX + name;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
