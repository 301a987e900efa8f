package fi.soteacme.server.account;

import fi.soteacme.server.customer.CustomerRepository;
import fi.soteacme.server.customer.Role;
import fi.soteacme.server.eab.ExternalAccountBinding;
import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import fi.soteacme.server.web.jws.AcmeRequest;
import fi.soteacme.server.web.jws.FlattenedJws;
import fi.soteacme.server.web.jws.Jwk;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Optional;
import org.jose4j.jwk.PublicJsonWebKey;

/** The rules of RFC 8555 §7.3: creating, finding, updating, deactivating accounts, key change. */
public final class AccountService {
  private final Pool pool;
  private final AccountRepository accounts;
  private final ExternalAccountBinding eab;
  private final CustomerRepository customers;

  /** A newAccount outcome: the account and whether it was created by this request. */
  public record Outcome(Account account, boolean created) {}

  public AccountService(
      Pool pool,
      AccountRepository accounts,
      ExternalAccountBinding eab,
      CustomerRepository customers) {
    this.pool = pool;
    this.accounts = accounts;
    this.eab = eab;
    this.customers = customers;
  }

  /** RFC 8555 §7.3 and §7.3.1 (onlyReturnExisting), with External Account Binding required. */
  public Future<Outcome> newAccount(AcmeRequest req) {
    JsonObject payload = req.payloadOrEmpty();
    String thumbprint = Jwk.thumbprint(req.jwk());
    return accounts
        .findByThumbprint(pool, thumbprint)
        .compose(
            existing -> {
              if (existing.isPresent()) {
                return Future.succeededFuture(new Outcome(existing.get(), false));
              }
              if (Boolean.TRUE.equals(payload.getValue("onlyReturnExisting"))) {
                throw new AcmeProblem(
                    ProblemType.ACCOUNT_DOES_NOT_EXIST, "no account exists for this key");
              }
              return create(req, payload, thumbprint);
            });
  }

  private Future<Outcome> create(AcmeRequest req, JsonObject payload, String thumbprint) {
    List<String> contact = ContactPolicy.check(payload.getValue("contact"));
    if (!Boolean.TRUE.equals(payload.getValue("termsOfServiceAgreed"))) {
      throw AcmeProblem.malformed(
          "set \"termsOfServiceAgreed\": true to accept the terms of service in the directory");
    }
    ExternalAccountBinding.Binding binding =
        ExternalAccountBinding.parse(payload, req.url(), req.jwk());
    return pool.withTransaction(
            tx ->
                accounts
                    .insert(tx, Jwk.toJson(req.jwk()), thumbprint, contact, true)
                    .compose(
                        id -> {
                          if (id.isEmpty()) {
                            // Another request created the account for this key meanwhile.
                            return Future.succeededFuture(Optional.<Long>empty());
                          }
                          return bind(tx, binding, id.get()).map(v -> id);
                        }))
        .compose(
            id ->
                id.isPresent()
                    ? accounts.findById(pool, id.get()).map(a -> new Outcome(a.orElseThrow(), true))
                    : accounts
                        .findByThumbprint(pool, thumbprint)
                        .map(a -> new Outcome(a.orElseThrow(), false)));
  }

  /**
   * Consumes the credential and, when it is an invitation, links the account to the inviting
   * customer account in the invited role.
   */
  private Future<Void> bind(
      io.vertx.sqlclient.SqlClient tx, ExternalAccountBinding.Binding binding, long accountId) {
    return eab.consume(tx, binding, accountId)
        .compose(
            cred ->
                cred.customerAccountId() == null
                    ? Future.succeededFuture()
                    : customers.link(
                        tx,
                        cred.customerAccountId(),
                        accountId,
                        Role.of(cred.role()),
                        cred.kid(),
                        cred.email()));
  }

  /** RFC 8555 §7.3.2 update and §7.3.6 deactivation; POST-as-GET reads. */
  public Future<Account> update(AcmeRequest req, long accountId) {
    Account account = req.account();
    if (account.id() != accountId) {
      throw AcmeProblem.unauthorized("the request is signed by another account than " + accountId);
    }
    if (req.isPostAsGet()) {
      return Future.succeededFuture(account);
    }
    JsonObject payload = req.payload();
    Object status = payload.getValue("status");
    if (status != null && !"deactivated".equals(status) && !"valid".equals(status)) {
      throw AcmeProblem.malformed("an account's status can only be set to \"deactivated\"");
    }
    List<String> contact =
        payload.containsKey("contact") ? ContactPolicy.check(payload.getValue("contact")) : null;
    // kanta-extension.md: another EAB posted to the account URL links a further customer account.
    ExternalAccountBinding.Binding binding =
        payload.containsKey("externalAccountBinding")
            ? ExternalAccountBinding.parse(payload, req.url(), account.key())
            : null;
    return pool.withTransaction(
            tx -> {
              Future<Void> f = Future.succeededFuture();
              if (contact != null) {
                f = f.compose(v -> accounts.updateContact(tx, accountId, contact));
              }
              if (Boolean.TRUE.equals(payload.getValue("termsOfServiceAgreed"))) {
                f = f.compose(v -> accounts.agreeToTerms(tx, accountId));
              }
              if (binding != null) {
                f = f.compose(v -> bind(tx, binding, accountId));
              }
              if ("deactivated".equals(status)) {
                f = f.compose(v -> accounts.deactivate(tx, accountId));
              }
              return f;
            })
        .compose(v -> accounts.findById(pool, accountId))
        .map(Optional::orElseThrow);
  }

  /** RFC 8555 §7.3.5, every check it lists. */
  public Future<Account> keyChange(AcmeRequest req, String accountUrl, String accountUrlPrefix) {
    Account account = req.account();
    if (req.isPostAsGet()) {
      throw AcmeProblem.malformed("keyChange needs a payload: the inner JWS");
    }
    FlattenedJws inner = FlattenedJws.parse(req.payload(), "the inner keyChange JWS");
    inner.algorithm(FlattenedJws.ALGORITHMS);
    if (!(inner.header().getValue("jwk") instanceof JsonObject jwkJson)) {
      throw AcmeProblem.malformed("the inner keyChange JWS must carry the new key as \"jwk\"");
    }
    if (inner.header().containsKey("kid")) {
      throw AcmeProblem.malformed("the inner keyChange JWS must not carry \"kid\"");
    }
    if (!req.url().equals(inner.header().getValue("url"))) {
      throw AcmeProblem.malformed(
          "the inner keyChange JWS must have the same \"url\" as the outer");
    }
    PublicJsonWebKey newKey = Jwk.acceptable(Jwk.parse(jwkJson.encode()));
    inner.verify(newKey.getPublicKey(), FlattenedJws.ALGORITHMS, "the inner keyChange JWS");
    JsonObject body = inner.payloadJson();
    if (body == null) {
      throw AcmeProblem.malformed(
          "the inner keyChange payload must name \"account\" and \"oldKey\"");
    }
    if (!accountUrl.equals(body.getValue("account"))) {
      throw AcmeProblem.unauthorized(
          "the inner keyChange \"account\" must be the outer \"kid\", " + accountUrl);
    }
    if (!(body.getValue("oldKey") instanceof JsonObject oldKeyJson)
        || !Jwk.thumbprint(Jwk.parse(oldKeyJson.encode())).equals(account.keyThumbprint())) {
      throw AcmeProblem.unauthorized(
          "the inner keyChange \"oldKey\" is not the account's current key");
    }
    String newThumbprint = Jwk.thumbprint(newKey);
    if (newThumbprint.equals(account.keyThumbprint())) {
      throw AcmeProblem.malformed("the new key is the account's current key");
    }
    return accounts
        .changeKey(pool, account.id(), Jwk.toJson(newKey), newThumbprint)
        .compose(
            changed -> {
              if (changed) {
                return accounts.findById(pool, account.id()).map(Optional::orElseThrow);
              }
              return accounts
                  .findByThumbprint(pool, newThumbprint)
                  .map(
                      other -> {
                        throw new AcmeProblem(
                                ProblemType.CONFLICT,
                                "the new key already belongs to another account")
                            .withLocation(accountUrlPrefix + other.map(Account::id).orElse(-1L));
                      });
            });
  }
}
