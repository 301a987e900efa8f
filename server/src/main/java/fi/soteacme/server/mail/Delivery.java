package fi.soteacme.server.mail;

import java.util.List;

/**
 * A claimed delivery: the outbox row with what the message needs of its certificate.
 *
 * @param attempts failed attempts before this one
 * @param der the leaf certificate
 * @param chainPem the chain as served at the certificate URL (leaf and issuing CA)
 */
public record Delivery(
    long id,
    long certificateId,
    List<String> recipients,
    int attempts,
    byte[] serial,
    byte[] der,
    String chainPem,
    String profile,
    List<String> dnsNames,
    String organisationOid,
    Long orderId) {}
