package fi.soteacme.server.issuance;

import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;

/**
 * What the operator configures about issued certificates. In URL templates, {@code {ca}} stands for
 * the issuing CA's name ({@code production} or {@code test}).
 *
 * @param policyOids the certificatePolicies OIDs; the default {@code 2.999.1.1} lies in the
 *     ITU-T/ISO example arc (X.660) and means nothing: production sets the CA's own policy OID
 * @param crlUrlTemplate the CRL distribution point, e.g. {@code http://ca.example/crl/{ca}.crl}
 * @param ocspUrl the OCSP responder URL (AIA id-ad-ocsp)
 * @param caIssuersUrlTemplate where the issuing CA certificate is published (AIA id-ad-caIssuers)
 * @param omitSystemSignatureEku leave the documentSigning EKU out of system signature certificates,
 *     for relying parties that cannot take it (the agency's older certificates have no EKU)
 */
public record IssuanceSettings(
    List<String> policyOids,
    String crlUrlTemplate,
    String ocspUrl,
    String caIssuersUrlTemplate,
    boolean omitSystemSignatureEku) {

  /** The neutral default policy OID; see {@link #policyOids()}. */
  public static final String EXAMPLE_POLICY_OID = "2.999.1.1";

  public IssuanceSettings {
    policyOids = List.copyOf(policyOids);
    if (policyOids.isEmpty()) {
      throw new IllegalArgumentException("at least one certificate policy OID is required");
    }
    policyOids.forEach(ASN1ObjectIdentifier::new); // throws on a malformed OID
    Objects.requireNonNull(crlUrlTemplate, "crlUrlTemplate");
    Objects.requireNonNull(ocspUrl, "ocspUrl");
    Objects.requireNonNull(caIssuersUrlTemplate, "caIssuersUrlTemplate");
  }

  /** {@link #defaults(String)} for {@code http://localhost:8080}, the embedded default. */
  public static IssuanceSettings defaults() {
    return defaults("http://localhost:8080");
  }

  /**
   * Settings for a server at {@code baseUrl} (no trailing slash), e.g. {@code
   * http://localhost:8080}.
   */
  public static IssuanceSettings defaults(String baseUrl) {
    return new IssuanceSettings(
        List.of(EXAMPLE_POLICY_OID),
        baseUrl + "/crl/{ca}.crl",
        baseUrl + "/ocsp",
        baseUrl + "/ca/{ca}.cer",
        false);
  }

  /** The CRL URL for the named CA. */
  public String crlUrl(String caName) {
    return crlUrlTemplate.replace("{ca}", caName);
  }

  /** The caIssuers URL for the named CA. */
  public String caIssuersUrl(String caName) {
    return caIssuersUrlTemplate.replace("{ca}", caName);
  }
}
