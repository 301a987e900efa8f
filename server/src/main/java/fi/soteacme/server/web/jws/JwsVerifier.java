package fi.soteacme.server.web.jws;

import fi.soteacme.server.account.Account;
import fi.soteacme.server.account.AccountRepository;
import fi.soteacme.server.config.ServerConfig;
import fi.soteacme.server.nonce.NonceService;
import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * The one place where ACME requests are authenticated (RFC 8555 §6.2-6.5): content type, JWS form,
 * algorithm, {@code url}, {@code jwk}/{@code kid}, account status, signature, nonce.
 */
public final class JwsVerifier {
  /** Which key reference an endpoint takes (RFC 8555 §6.2). */
  public enum KeyRule {
    /** newAccount: the request carries the account key itself. */
    JWK,
    /** Every resource of an existing account. */
    KID,
    /** revokeCert: the certificate's key, or the account's. */
    JWK_OR_KID
  }

  private final ServerConfig config;
  private final NonceService nonces;
  private final AccountRepository accounts;
  private final String accountPrefix;

  public JwsVerifier(ServerConfig config, NonceService nonces, AccountRepository accounts) {
    this.config = config;
    this.nonces = nonces;
    this.accounts = accounts;
    this.accountPrefix = config.url("/acme/acct/");
  }

  /**
   * Verifies a POST. {@code requestUri} is the path and query the client sent; the JWS {@code url}
   * must equal the public URL of it.
   */
  public Future<AcmeRequest> verify(
      String contentType, Buffer body, String requestUri, KeyRule rule) {
    if (contentType == null
        || !contentType.split(";")[0].trim().equalsIgnoreCase("application/jose+json")) {
      return Future.failedFuture(
          new AcmeProblem(
              ProblemType.UNSUPPORTED_MEDIA_TYPE,
              "ACME requests must have Content-Type application/jose+json"));
    }
    FlattenedJws jws;
    String url = config.url(requestUri);
    try {
      JsonObject json;
      try {
        json = body == null ? null : new JsonObject(body);
      } catch (DecodeException | ClassCastException e) {
        throw AcmeProblem.malformed("the request body is not a JSON object");
      }
      jws = FlattenedJws.parse(json, "the request JWS");
      jws.algorithm(FlattenedJws.ALGORITHMS);
      checkUrl(jws, url);
      if (!(jws.header().getValue("nonce") instanceof String)) {
        throw new AcmeProblem(
            ProblemType.BAD_NONCE, "the protected header has no \"nonce\"; get one from newNonce");
      }
    } catch (AcmeProblem p) {
      return Future.failedFuture(p);
    }
    boolean hasJwk = jws.header().containsKey("jwk");
    boolean hasKid = jws.header().containsKey("kid");
    if (hasJwk == hasKid) {
      return Future.failedFuture(
          AcmeProblem.malformed(
              "the protected header must have exactly one of \"jwk\" and \"kid\""));
    }
    if (hasJwk && rule == KeyRule.KID) {
      return Future.failedFuture(
          AcmeProblem.malformed("this resource requires \"kid\" (the account URL), not \"jwk\""));
    }
    if (hasKid && rule == KeyRule.JWK) {
      return Future.failedFuture(
          AcmeProblem.malformed(
              "newAccount requires \"jwk\" (the account's public key), not \"kid\""));
    }
    String nonce = jws.header().getString("nonce");
    if (hasKid) {
      return byKid(jws, url, nonce);
    }
    // The nonce is used up in parallel with the key checks; a key or signature problem is
    // reported before a nonce problem.
    Future<Void> used = nonces.consume(nonce);
    return byJwk(jws, url).compose(req -> used.map(v -> req));
  }

  private Future<AcmeRequest> byJwk(FlattenedJws jws, String url) {
    try {
      Object raw = jws.header().getValue("jwk");
      if (!(raw instanceof JsonObject jwkJson)) {
        throw AcmeProblem.malformed("\"jwk\" must be a JSON object");
      }
      PublicJsonWebKey jwk = Jwk.acceptable(Jwk.parse(jwkJson.encode()));
      jws.verify(jwk.getPublicKey(), FlattenedJws.ALGORITHMS, "the request JWS");
      return Future.succeededFuture(new AcmeRequest(url, jws, jws.payloadJson(), jwk, null));
    } catch (AcmeProblem p) {
      return Future.failedFuture(p);
    }
  }

  private Future<AcmeRequest> byKid(FlattenedJws jws, String url, String nonce) {
    Object kid = jws.header().getValue("kid");
    long id;
    try {
      if (!(kid instanceof String s) || !s.startsWith(accountPrefix)) {
        throw new AcmeProblem(
            ProblemType.ACCOUNT_DOES_NOT_EXIST,
            "\"kid\" must be an account URL of this server (" + accountPrefix + "...)");
      }
      id = Long.parseLong(((String) kid).substring(accountPrefix.length()));
    } catch (NumberFormatException e) {
      return Future.failedFuture(
          new AcmeProblem(ProblemType.ACCOUNT_DOES_NOT_EXIST, "no account at " + kid));
    } catch (AcmeProblem p) {
      return Future.failedFuture(p);
    }
    OffsetDateTime nonceExpires;
    try {
      nonceExpires = nonces.check(nonce);
    } catch (AcmeProblem p) {
      return Future.failedFuture(p);
    }
    return accounts
        .findByIdUsingNonce(nonces.pool(), id, nonce, nonceExpires)
        .map(
            found -> {
              Account account =
                  found
                      .account()
                      .orElseThrow(
                          () ->
                              new AcmeProblem(
                                  ProblemType.ACCOUNT_DOES_NOT_EXIST, "no account at " + kid));
              if (account.status() != Account.AccountStatus.VALID) {
                throw AcmeProblem.unauthorized(
                    "the account is " + account.status().wire() + " and can no longer be used");
              }
              jws.verify(account.key().getPublicKey(), FlattenedJws.ALGORITHMS, "the request JWS");
              if (!found.nonceFresh()) {
                throw NonceService.used();
              }
              return new AcmeRequest(url, jws, jws.payloadJson(), null, account);
            });
  }

  private static void checkUrl(FlattenedJws jws, String url) {
    Object claimed = jws.header().getValue("url");
    if (!(claimed instanceof String s)) {
      throw AcmeProblem.malformed("the protected header has no \"url\"");
    }
    if (!s.equals(url)) {
      throw AcmeProblem.unauthorized(
          "the JWS \"url\" is " + s + " but the request was sent to " + url);
    }
  }
}
