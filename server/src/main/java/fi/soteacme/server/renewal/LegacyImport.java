package fi.soteacme.server.renewal;

import fi.soteacme.server.certificate.CertificateRepository;
import fi.soteacme.server.certificate.IssuerCertificates;
import fi.soteacme.server.certificate.Serials;
import fi.soteacme.server.issuance.CaStore;
import fi.soteacme.server.issuance.CsrChecker;
import fi.soteacme.server.issuance.IssuingCa;
import fi.soteacme.server.organisation.Organisations;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Certificates from the old manual process: recorded so that they have renewal information, can be
 * named in {@code replaces} and can be revoked. Each is attached to the organisation its subject's
 * serialNumber attribute names, which must be in the register; it keeps its serial, whatever its
 * length. The issuer recorded is the name of the CA held here that signed it, or {@code
 * external:<issuer DN>}: only in the first case can this server's CRL and OCSP speak for it.
 *
 * <p>A batch is imported whole or not at all; importing the same certificate again changes nothing.
 */
public final class LegacyImport {
  /** The stored profile of an imported certificate (it was issued under no ACME profile). */
  public static final String PROFILE = "legacy-import";

  /** The issuer prefix of a certificate signed by a CA whose key is not held here. */
  public static final String EXTERNAL = "external:";

  private static final int MAX_SERIAL_BYTES = 20;

  private final Pool pool;
  private final CertificateRepository certificates;
  private final Organisations organisations;
  private final CaStore cas;
  private final IssuerCertificates issuerCertificates;

  public LegacyImport(
      Pool pool,
      CertificateRepository certificates,
      Organisations organisations,
      CaStore cas,
      IssuerCertificates issuerCertificates) {
    this.pool = pool;
    this.certificates = certificates;
    this.organisations = organisations;
    this.cas = cas;
    this.issuerCertificates = issuerCertificates;
  }

  /**
   * Imports every certificate in {@code input}: one DER certificate, or PEM with one or more.
   *
   * @return one JSON object per certificate: serial (hex and decimal), organisation, issuer,
   *     certID, notAfter and status ({@code imported} or {@code alreadyImported})
   * @throws IllegalArgumentException (as a failed future) naming the certificate and the reason
   */
  public Future<List<JsonObject>> importCertificates(byte[] input) {
    List<X509Certificate> parsed = parse(input);
    return pool.withTransaction(
        tx -> {
          Future<List<JsonObject>> done = Future.succeededFuture(new ArrayList<>());
          for (X509Certificate cert : parsed) {
            done =
                done.compose(
                    list ->
                        importOne(tx, cert)
                            .map(
                                json -> {
                                  list.add(json);
                                  return list;
                                }));
          }
          return done;
        });
  }

  private Future<JsonObject> importOne(SqlClient tx, X509Certificate cert) {
    BigInteger serialNumber = cert.getSerialNumber();
    String hex = serialNumber.signum() > 0 ? Serials.toHex(Serials.toBytes(serialNumber)) : "?";
    byte[] serial = Serials.toBytes(serialNumber);
    if (serialNumber.signum() <= 0 || serial.length > MAX_SERIAL_BYTES) {
      throw refused(hex, "its serial is not a positive integer of at most 20 octets");
    }
    String oid = organisationOid(cert, hex);
    IssuingCa heldIssuer = heldIssuer(cert);
    String issuer =
        heldIssuer != null
            ? heldIssuer.name()
            : EXTERNAL + cert.getIssuerX500Principal().getName(X500Principal.RFC2253);
    byte[] aki = CertId.authorityKeyId(cert);
    if (aki == null) {
      throw refused(
          hex,
          "it has no authority key identifier, without which it has no RFC 9773 certID and no"
              + " renewal information");
    }
    byte[] der = encoded(cert);
    return organisations
        .find(oid)
        .compose(
            org -> {
              if (org.isEmpty()) {
                throw refused(
                    hex,
                    "its subject names organisation "
                        + oid
                        + ", which is not in the THL-SOTE or Kanta intermediary register");
              }
              return certificates.findBySerial(tx, serial, false);
            })
        .compose(
            existing -> {
              JsonObject json =
                  new JsonObject()
                      .put("serial", hex)
                      .put("serialDecimal", serialNumber.toString())
                      .put("organisation", oid)
                      .put("issuer", issuer)
                      .put("certID", new CertId(aki, serial).toString())
                      .put("notAfter", cert.getNotAfter().toInstant().toString());
              if (existing.isPresent()) {
                if (existing.get().der() != null && Arrays.equals(existing.get().der(), der)) {
                  return Future.succeededFuture(json.put("status", "alreadyImported"));
                }
                throw refused(hex, "another certificate with this serial is already recorded here");
              }
              return certificates
                  .insertImported(
                      tx,
                      serial,
                      issuer,
                      PROFILE,
                      tbs(cert, hex),
                      der,
                      // Its chain is then served as an issued certificate's: leaf and issuing CA.
                      heldIssuer == null ? null : issuerCertificates.id(heldIssuer),
                      cert.getNotBefore().toInstant(),
                      cert.getNotAfter().toInstant(),
                      CsrChecker.spkiSha256Hex(cert.getPublicKey().getEncoded()),
                      dnsNames(cert),
                      oid,
                      aki)
                  .map(id -> json.put("status", "imported"));
            });
  }

  /** PEM (one or more certificates) or one DER certificate. */
  static List<X509Certificate> parse(byte[] input) {
    if (input == null || input.length == 0) {
      throw new IllegalArgumentException("no certificate given: send PEM or DER");
    }
    String text = new String(input, StandardCharsets.ISO_8859_1);
    boolean pem = text.contains("-----BEGIN");
    if (pem && !text.contains("-----BEGIN CERTIFICATE-----")) {
      throw new IllegalArgumentException("the PEM input holds no CERTIFICATE block");
    }
    try {
      Collection<? extends java.security.cert.Certificate> found =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(input));
      if (found.isEmpty()) {
        throw new IllegalArgumentException("no certificate found in the input");
      }
      return found.stream().map(c -> (X509Certificate) c).toList();
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          "the input is not a certificate in PEM or DER: " + e.getMessage());
    }
  }

  private static String organisationOid(X509Certificate cert, String hex) {
    X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
    RDN[] rdns = subject.getRDNs(BCStyle.SERIALNUMBER);
    if (rdns.length != 1) {
      throw refused(
          hex,
          rdns.length == 0
              ? "its subject has no serialNumber attribute naming its organisation"
              : "its subject has more than one serialNumber attribute");
    }
    String oid = IETFUtils.valueToString(rdns[0].getFirst().getValue());
    if (!oid.matches("[0-2](\\.(0|[1-9][0-9]*))+")) {
      throw refused(hex, "its subject serialNumber \"" + oid + "\" is not an organisation OID");
    }
    return oid;
  }

  /** The CA held here whose key signed the certificate, or null. */
  private IssuingCa heldIssuer(X509Certificate cert) {
    for (IssuingCa ca : List.of(cas.production(), cas.test())) {
      if (!ca.certificate().getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
        continue;
      }
      try {
        cert.verify(ca.certificate().getPublicKey());
        return ca;
      } catch (GeneralSecurityException e) {
        // Same name, other key: not this CA.
      }
    }
    return null;
  }

  private static List<String> dnsNames(X509Certificate cert) {
    try {
      Collection<List<?>> names = cert.getSubjectAlternativeNames();
      if (names == null) {
        return List.of();
      }
      return names.stream()
          .filter(n -> Integer.valueOf(2).equals(n.get(0)))
          .map(n -> String.valueOf(n.get(1)))
          .toList();
    } catch (CertificateParsingException e) {
      return List.of();
    }
  }

  private static byte[] encoded(X509Certificate cert) {
    try {
      return cert.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalArgumentException("the certificate cannot be encoded: " + e.getMessage());
    }
  }

  private static byte[] tbs(X509Certificate cert, String hex) {
    try {
      return cert.getTBSCertificate();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw refused(hex, "its to-be-signed part cannot be read");
    }
  }

  private static IllegalArgumentException refused(String serialHex, String why) {
    return new IllegalArgumentException(
        "certificate " + serialHex + " is not imported (nothing in this batch is): " + why);
  }
}
