package fi.soteacme.server.it.negative;

import static fi.soteacme.server.it.negative.RawAcme.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fi.soteacme.server.it.TestServers;
import fi.soteacme.server.it.negative.RawAcme.Account;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 8555 §7.3.5 keyChange: each check of the inner JWS broken on its own. */
class KeyChangeTest {
  private static TestServers servers;
  private static RawAcme acme;

  @BeforeAll
  static void start() throws Exception {
    Security.addProvider(new BouncyCastleProvider());
    servers = TestServers.get();
    acme = RawAcme.of(servers);
  }

  private static JsonObject innerHeader(KeyPair newKeys) {
    return new JsonObject()
        .put("alg", "ES256")
        .put("url", acme.url("keyChange"))
        .put("jwk", RawAcme.jwkJson(newKeys));
  }

  private static JsonObject innerPayload(Account account) {
    return new JsonObject()
        .put("account", account.url())
        .put("oldKey", RawAcme.jwkJson(account.keys()));
  }

  private static HttpResponse<String> keyChange(Account account, JsonObject inner)
      throws Exception {
    return acme.postKid(account, acme.url("keyChange"), inner);
  }

  private static JsonObject inner(JsonObject header, JsonObject payload, KeyPair signer) {
    return RawAcme.jws(header, payload.encode(), "ES256", signer.getPrivate());
  }

  @Test
  void innerWithKid() throws Exception {
    Account account = acme.register(servers);
    KeyPair next = RawAcme.ecKeys("secp256r1");
    JsonObject header = innerHeader(next).put("kid", account.url());
    assertProblem(
        keyChange(account, inner(header, innerPayload(account), next)), 400, "malformed", "kid");
  }

  @Test
  void innerWithoutJwk() throws Exception {
    Account account = acme.register(servers);
    KeyPair next = RawAcme.ecKeys("secp256r1");
    JsonObject header = innerHeader(next);
    header.remove("jwk");
    assertProblem(
        keyChange(account, inner(header, innerPayload(account), next)), 400, "malformed", "jwk");
  }

  @Test
  void innerUrlDiffers() throws Exception {
    Account account = acme.register(servers);
    KeyPair next = RawAcme.ecKeys("secp256r1");
    JsonObject header = innerHeader(next).put("url", acme.url("newOrder"));
    assertProblem(
        keyChange(account, inner(header, innerPayload(account), next)), 400, "malformed", "url");
  }

  @Test
  void innerNotSignedByTheNewKey() throws Exception {
    Account account = acme.register(servers);
    KeyPair next = RawAcme.ecKeys("secp256r1");
    assertProblem(
        keyChange(account, inner(innerHeader(next), innerPayload(account), account.keys())),
        400,
        "malformed",
        "signature");
  }

  @Test
  void innerAccountIsAnother() throws Exception {
    Account account = acme.register(servers);
    Account other = acme.register(servers);
    KeyPair next = RawAcme.ecKeys("secp256r1");
    JsonObject payload = innerPayload(account).put("account", other.url());
    assertProblem(
        keyChange(account, inner(innerHeader(next), payload, next)),
        403,
        "unauthorized",
        "account");
  }

  @Test
  void innerOldKeyIsNotTheAccountKey() throws Exception {
    Account account = acme.register(servers);
    KeyPair next = RawAcme.ecKeys("secp256r1");
    JsonObject payload =
        innerPayload(account).put("oldKey", RawAcme.jwkJson(RawAcme.ecKeys("secp256r1")));
    assertProblem(
        keyChange(account, inner(innerHeader(next), payload, next)), 403, "unauthorized", "oldKey");
  }

  @Test
  void newKeyIsTheCurrentKey() throws Exception {
    Account account = acme.register(servers);
    assertProblem(
        keyChange(
            account, inner(innerHeader(account.keys()), innerPayload(account), account.keys())),
        400,
        "malformed",
        "current key");
  }

  @Test
  void newKeyIsTooWeak() throws Exception {
    Account account = acme.register(servers);
    KeyPair weak = RawAcme.rsaKeys(1024);
    JsonObject header = innerHeader(weak).put("alg", "RS256");
    JsonObject inner =
        RawAcme.jws(header, innerPayload(account).encode(), "RS256", weak.getPrivate());
    assertProblem(keyChange(account, inner), 400, "badPublicKey", "2048");
  }

  @Test
  void newKeyBelongsToAnotherAccount() throws Exception {
    Account account = acme.register(servers);
    Account other = acme.register(servers);
    HttpResponse<String> r =
        keyChange(account, inner(innerHeader(other.keys()), innerPayload(account), other.keys()));
    assertProblem(r, 409, "malformed", "another account");
    assertEquals(other.url(), r.headers().firstValue("Location").orElse(null));
    assertEquals(200, acme.postKid(account, account.url(), null).statusCode());
  }

  @Test
  void withoutPayload() throws Exception {
    Account account = acme.register(servers);
    assertProblem(
        acme.postKid(account, acme.url("keyChange"), null), 400, "malformed", "inner JWS");
  }
}
