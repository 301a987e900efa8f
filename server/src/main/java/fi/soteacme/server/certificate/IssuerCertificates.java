package fi.soteacme.server.certificate;

import fi.soteacme.server.issuance.IssuingCa;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.security.cert.CertificateEncodingException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The issuer_certificate rows of the issuing CAs held here, registered once at start: a signed
 * certificate stores its CA's id, and its chain is composed from the two when read.
 */
public final class IssuerCertificates {
  private final Map<String, Long> idByCa;

  private IssuerCertificates(Map<String, Long> idByCa) {
    this.idByCa = Map.copyOf(idByCa);
  }

  /** Registers every CA's certificate (see {@link CertificateRepository#registerIssuer}). */
  public static Future<IssuerCertificates> register(
      SqlClient db, CertificateRepository certificates, List<IssuingCa> cas) {
    Map<String, Long> ids = new HashMap<>();
    Future<Void> done = Future.succeededFuture();
    for (IssuingCa ca : cas) {
      done =
          done.compose(
              v ->
                  certificates
                      .registerIssuer(db, encoded(ca))
                      .map(
                          id -> {
                            ids.put(ca.name(), id);
                            return null;
                          }));
    }
    return done.map(v -> new IssuerCertificates(ids));
  }

  /** The id of the CA's certificate. */
  public long id(IssuingCa ca) {
    Long id = idByCa.get(ca.name());
    if (id == null) {
      throw new IllegalStateException("the " + ca.name() + " CA's certificate is not registered");
    }
    return id;
  }

  private static byte[] encoded(IssuingCa ca) {
    try {
      return ca.certificate().getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
