package fi.soteacme.server.certificate;

import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.revocation.RevocationService;
import fi.soteacme.server.web.Reply;
import fi.soteacme.server.web.jws.AcmeRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import java.util.Map;

/** RFC 8555 §7.4.2 certificate download and §7.6 revokeCert. */
public final class CertificateHandler {
  public static final String PEM_CHAIN = "application/pem-certificate-chain";
  public static final String PKIX_CERT = "application/pkix-cert";

  private final Pool pool;
  private final CertificateRepository certificates;
  private final RevocationService revocation;

  public CertificateHandler(
      Pool pool, CertificateRepository certificates, RevocationService revocation) {
    this.pool = pool;
    this.certificates = certificates;
    this.revocation = revocation;
  }

  /** GET: the PEM chain, or the DER leaf with {@code Accept: application/pkix-cert}. */
  public Future<Reply> download(String serialHex, String accept) {
    return certificates
        .findBySerial(pool, Serials.fromHex(serialHex), false)
        .map(
            found -> {
              var cert =
                  found
                      .filter(c -> c.der() != null)
                      .orElseThrow(
                          () -> AcmeProblem.notFound("no certificate with serial " + serialHex));
              if (accept != null && accept.contains(PKIX_CERT)) {
                return Reply.body(200, Buffer.buffer(cert.der()), PKIX_CERT);
              }
              return Reply.body(200, Buffer.buffer(cert.chainPem()), PEM_CHAIN);
            });
  }

  /**
   * POST-as-GET of the certificate URL: the PEM chain, or the DER leaf when the request's {@code
   * Accept} asks for {@code application/pkix-cert}.
   */
  public Future<Reply> certificate(AcmeRequest req, Map<String, String> params, String accept) {
    if (!req.isPostAsGet()) {
      throw AcmeProblem.malformed("the certificate URL takes POST-as-GET (an empty payload)");
    }
    return download(params.get("serial"), accept);
  }

  public Future<Reply> revoke(AcmeRequest req, Map<String, String> params) {
    return revocation.revoke(req).map(v -> Reply.empty(200));
  }
}
