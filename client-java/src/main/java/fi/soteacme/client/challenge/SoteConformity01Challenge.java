package fi.soteacme.client.challenge;

import fi.soteacme.client.Login;
import fi.soteacme.client.connector.Json;
import fi.soteacme.client.exception.AcmeException;
import fi.soteacme.client.exception.AcmeProtocolException;
import java.util.Base64;
import java.util.Objects;

/**
 * sote-conformity-01 (sote-acme): a private organisation's system signature order carries the
 * system's certificate of conformity (a PDF). It stays {@code processing} until an operator
 * approves or rejects it; a rejection's detail is the operator's reason.
 */
public final class SoteConformity01Challenge extends Challenge {
  /** The type name. */
  public static final String TYPE = "sote-conformity-01";

  private static final String SYSTEM_NAME = "systemName";
  private static final String DOCUMENT = "document";
  private static final String DOCUMENT_NAME = "documentName";

  private volatile Json submission = Json.empty();

  /**
   * Creates the challenge from its JSON object.
   *
   * @param login the account
   * @param json the challenge object
   * @throws AcmeProtocolException if it has no URL
   */
  public SoteConformity01Challenge(Login login, Json json) throws AcmeProtocolException {
    super(login, json);
  }

  /**
   * Submits the certificate of conformity for review.
   *
   * @param systemName the system's name, as in the CSR's CN
   * @param document the certificate of conformity (PDF bytes)
   * @param documentName the file name, e.g. {@code conformity.pdf}
   * @throws AcmeException on failure
   */
  public void submit(String systemName, byte[] document, String documentName) throws AcmeException {
    this.submission = payload(systemName, document, documentName);
    trigger();
  }

  /**
   * Names the system of an approval the CA already remembers for this organisation, without a
   * document: later orders for an approved system (renewals) need no new review. The challenge
   * becomes {@code valid} at once; without such an approval the CA answers {@code malformed}.
   *
   * @param systemName the system's name, as approved before and as in the CSR's CN
   * @throws AcmeException on failure ({@code malformed} if nothing was approved for the name)
   */
  public void submit(String systemName) throws AcmeException {
    this.submission = Json.builder().put(SYSTEM_NAME, Objects.requireNonNull(systemName)).build();
    trigger();
  }

  /**
   * Returns the submission payload.
   *
   * @param systemName the system's name
   * @param document the PDF bytes
   * @param documentName the file name
   * @return {@code {systemName, document (base64url), documentName}}
   */
  public static Json payload(String systemName, byte[] document, String documentName) {
    return Json.builder()
        .put(SYSTEM_NAME, Objects.requireNonNull(systemName))
        .put(DOCUMENT, Base64.getUrlEncoder().withoutPadding().encodeToString(document))
        .put(DOCUMENT_NAME, Objects.requireNonNull(documentName))
        .build();
  }

  @Override
  protected Json responsePayload() {
    return submission;
  }
}
