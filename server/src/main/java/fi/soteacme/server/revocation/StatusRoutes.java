package fi.soteacme.server.revocation;

import fi.soteacme.server.issuance.IssuanceSettings;
import fi.soteacme.server.issuance.IssuingCa;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;

/**
 * The route table of the plain-HTTP status listener: the CRL and the issuing CA certificate of each
 * CA at the paths of the URLs that certificates name, and the OCSP responder (RFC 6960 Appendix A:
 * GET with the base64 request in the path, POST with the DER body).
 */
public final class StatusRoutes {
  /** A CRL is cached for at most this long, so that a revocation reaches caches soon. */
  static final Duration CRL_MAX_AGE = Duration.ofMinutes(1);

  private static final String OCSP_REQUEST = "application/ocsp-request";
  private static final String OCSP_RESPONSE = "application/ocsp-response";

  private final IssuanceSettings urls;
  private final List<IssuingCa> cas;
  private final CrlService crls;
  private final OcspService ocsp;
  private final Clock clock;

  public StatusRoutes(
      IssuanceSettings urls, List<IssuingCa> cas, CrlService crls, OcspService ocsp, Clock clock) {
    this.urls = urls;
    this.cas = List.copyOf(cas);
    this.crls = crls;
    this.ocsp = ocsp;
    this.clock = clock;
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    for (IssuingCa ca : cas) {
      router.get(path(urls.crlUrl(ca.name()))).handler(ctx -> crl(ctx, ca));
      router.get(path(urls.caIssuersUrl(ca.name()))).handler(ctx -> caCertificate(ctx, ca));
    }
    String ocspPath = path(urls.ocspUrl());
    String prefix = ocspPath.endsWith("/") ? ocspPath : ocspPath + "/";
    router
        .post(ocspPath)
        .handler(BodyHandler.create().setBodyLimit(64 * 1024))
        .handler(this::ocspPost);
    router.get(prefix + "*").handler(ctx -> ocspGet(ctx, prefix));
    return router;
  }

  private void crl(RoutingContext ctx, IssuingCa ca) {
    crls.latest(ca.name())
        .onSuccess(
            latest -> {
              if (latest.isEmpty()) {
                ctx.response().setStatusCode(503).putHeader("Retry-After", "10").end();
                return;
              }
              CrlService.Published crl = latest.get();
              String etag = "\"" + ca.name() + "-" + crl.number() + "\"";
              long untilNext = Duration.between(clock.instant(), crl.nextUpdate()).toSeconds();
              long maxAge = Math.max(0, Math.min(untilNext, CRL_MAX_AGE.toSeconds()));
              ctx.response()
                  .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=" + maxAge)
                  .putHeader(HttpHeaders.ETAG, etag)
                  .putHeader(
                      HttpHeaders.LAST_MODIFIED,
                      DateTimeFormatter.RFC_1123_DATE_TIME.format(
                          crl.thisUpdate().atOffset(ZoneOffset.UTC)))
                  .putHeader(
                      HttpHeaders.EXPIRES,
                      DateTimeFormatter.RFC_1123_DATE_TIME.format(
                          clock.instant().plusSeconds(maxAge).atOffset(ZoneOffset.UTC)));
              if (etag.equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
                ctx.response().setStatusCode(304).end();
                return;
              }
              ctx.response()
                  .putHeader(HttpHeaders.CONTENT_TYPE, "application/pkix-crl")
                  .end(Buffer.buffer(crl.der()));
            })
        .onFailure(ctx::fail);
  }

  private void caCertificate(RoutingContext ctx, IssuingCa ca) {
    try {
      ctx.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/pkix-cert")
          .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=86400")
          .end(Buffer.buffer(ca.certificate().getEncoded()));
    } catch (CertificateEncodingException e) {
      ctx.fail(e);
    }
  }

  private void ocspPost(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null || !type.toLowerCase().startsWith(OCSP_REQUEST)) {
      ctx.response().setStatusCode(415).end();
      return;
    }
    respond(ctx, ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
  }

  private void ocspGet(RoutingContext ctx, String prefix) {
    String raw = ctx.request().path();
    byte[] request;
    try {
      // The path is the url-encoding of the base64 (RFC 6960 Appendix A.1); '+' stays '+'.
      String b64 =
          URLDecoder.decode(
              raw.substring(prefix.length()).replace("+", "%2B"), StandardCharsets.US_ASCII);
      request =
          b64.indexOf('-') >= 0 || b64.indexOf('_') >= 0
              ? Base64.getUrlDecoder().decode(b64)
              : Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      request = new byte[0];
    }
    respond(ctx, request);
  }

  private void respond(RoutingContext ctx, byte[] request) {
    ocsp.answer(request)
        .onSuccess(
            der ->
                ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, OCSP_RESPONSE)
                    // Answers are signed from the database as it is now: caches revalidate.
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                    .end(Buffer.buffer(der)))
        .onFailure(ctx::fail);
  }

  private static String path(String url) {
    String path = URI.create(url).getRawPath();
    return path == null || path.isEmpty() ? "/" : path;
  }
}
