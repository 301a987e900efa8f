package fi.soteacme.server.mail;

import fi.soteacme.server.issuance.CertificateIssuer;
import java.util.List;

/**
 * A claimed delivery: the outbox row with what the message needs of its certificate.
 *
 * @param attempts failed attempts before this one
 * @param der the leaf certificate
 * @param issuerDer the issuing CA certificate, null when that CA is not held here
 */
public record Delivery(
    long id,
    long certificateId,
    List<String> recipients,
    int attempts,
    byte[] serial,
    byte[] der,
    byte[] issuerDer,
    String profile,
    List<String> dnsNames,
    String organisationOid,
    Long orderId) {

  /** The chain as served at the certificate URL (leaf and issuing CA). */
  public String chainPem() {
    return CertificateIssuer.chainPem(der, issuerDer);
  }
}
