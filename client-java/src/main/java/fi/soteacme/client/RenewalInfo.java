package fi.soteacme.client;

import fi.soteacme.client.connector.Json;
import fi.soteacme.client.exception.AcmeProtocolException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;

/**
 * The renewal information of a certificate (RFC 9773): the window in which the server suggests
 * renewing.
 *
 * @param windowStart start of the suggested window
 * @param windowEnd end of the suggested window
 * @param explanationUrl a page explaining the window, or {@code null}
 * @param retryAfter when to ask again, or {@code null} if the server did not say
 */
public record RenewalInfo(
    Instant windowStart, Instant windowEnd, URI explanationUrl, Instant retryAfter) {

  private static final String SUGGESTED_WINDOW = "suggestedWindow";
  private static final String START = "start";
  private static final String END = "end";
  private static final String EXPLANATION_URL = "explanationURL";

  /**
   * Reads a renewalInfo response.
   *
   * @param json the body
   * @param retryAfter the {@code Retry-After} of the response, or {@code null}
   * @return the renewal information
   * @throws AcmeProtocolException if the window is missing or inverted
   */
  public static RenewalInfo of(Json json, Instant retryAfter) throws AcmeProtocolException {
    Json window =
        json.object(SUGGESTED_WINDOW)
            .orElseThrow(() -> new AcmeProtocolException("No suggestedWindow in " + json));
    Instant start =
        window.instant(START).orElseThrow(() -> new AcmeProtocolException("No start in " + json));
    Instant end =
        window.instant(END).orElseThrow(() -> new AcmeProtocolException("No end in " + json));
    if (end.isBefore(start)) {
      throw new AcmeProtocolException("suggestedWindow ends before it starts: " + json);
    }
    return new RenewalInfo(start, end, json.uri(EXPLANATION_URL).orElse(null), retryAfter);
  }

  /**
   * Returns the explanation page.
   *
   * @return the URL, if given
   */
  public Optional<URI> explanation() {
    return Optional.ofNullable(explanationUrl);
  }

  /**
   * Picks a uniformly random instant in the window (RFC 9773 §4.2), so that clients spread out.
   *
   * @param random the random source
   * @return an instant in {@code [windowStart, windowEnd]}
   */
  public Instant randomTimeInWindow(RandomGenerator random) {
    long span = Duration.between(windowStart, windowEnd).toMillis();
    return span <= 0 ? windowStart : windowStart.plusMillis(random.nextLong(span + 1));
  }

  /**
   * Computes the ARI certificate identifier (RFC 9773 §4.1): base64url of the authority key
   * identifier's keyIdentifier, a dot, base64url of the serial number's DER content octets.
   *
   * @param certificate the certificate
   * @return the certID
   * @throws IllegalArgumentException if the certificate has no authority key identifier
   */
  public static String certId(X509Certificate certificate) {
    byte[] ext = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
    if (ext == null) {
      throw new IllegalArgumentException("The certificate has no authority key identifier");
    }
    AuthorityKeyIdentifier aki =
        AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets());
    byte[] keyId =
        aki.getKeyIdentifierObject() == null ? null : aki.getKeyIdentifierObject().getOctets();
    if (keyId == null) {
      throw new IllegalArgumentException("The authority key identifier has no keyIdentifier");
    }
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString(keyId)
        + "."
        + b64.encodeToString(SerialNumber.of(certificate).derContent());
  }
}
