package fi.soteacme.server.it.negative;

import static fi.soteacme.server.it.negative.RawAcme.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.it.TestServers;
import fi.soteacme.server.it.negative.RawAcme.Account;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 8555 §6.2-6.5: each rule of the request JWS broken on its own, against the real server. */
class JwsRulesTest {
  private static TestServers servers;
  private static RawAcme acme;
  private static Account account;

  @BeforeAll
  static void start() throws Exception {
    Security.addProvider(new BouncyCastleProvider());
    servers = TestServers.get();
    acme = RawAcme.of(servers);
    account = acme.register(servers);
  }

  /** A POST-as-GET of the account with the header changed by the test. */
  private static HttpResponse<String> readAccount(JsonObject header, String signAlg)
      throws Exception {
    return acme.postJose(
        account.url(), RawAcme.jws(header, null, signAlg, account.keys().getPrivate()));
  }

  private static JsonObject validHeader() throws Exception {
    return acme.kidHeader(account, account.url(), acme.nonce());
  }

  @Test
  void validRequestWorks() throws Exception {
    HttpResponse<String> r = readAccount(validHeader(), "ES256");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("valid", new JsonObject(r.body()).getString("status"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "HS256", "RS1", "ES256K", "PS256"})
  void signatureAlgorithmNotAccepted(String alg) throws Exception {
    JsonObject header = validHeader().put("alg", alg);
    JsonObject jws = RawAcme.jws(header, null, "ES256", account.keys().getPrivate());
    jws.put("signature", alg.equals("none") ? "" : jws.getString("signature"));
    JsonObject problem =
        assertProblem(acme.postJose(account.url(), jws), 400, "badSignatureAlgorithm", alg);
    JsonArray algorithms = problem.getJsonArray("algorithms");
    assertTrue(algorithms != null && algorithms.contains("ES256"), problem.encode());
    assertTrue(!algorithms.contains(alg), problem.encode());
  }

  @Test
  void urlOfAnotherResource() throws Exception {
    JsonObject header = validHeader().put("url", acme.url("newOrder"));
    assertProblem(readAccount(header, "ES256"), 403, "unauthorized", "url");
  }

  @Test
  void missingNonce() throws Exception {
    JsonObject header = validHeader();
    header.remove("nonce");
    assertNonceRefusedThenFreshOneWorks(readAccount(header, "ES256"));
  }

  @Test
  void garbageNonce() throws Exception {
    JsonObject header = validHeader().put("nonce", "bm90LWEtbm9uY2U");
    assertNonceRefusedThenFreshOneWorks(readAccount(header, "ES256"));
  }

  @Test
  void reusedNonce() throws Exception {
    JsonObject header = validHeader();
    HttpResponse<String> first = readAccount(header, "ES256");
    assertEquals(200, first.statusCode(), first.body());
    assertNonceRefusedThenFreshOneWorks(readAccount(header, "ES256"));
  }

  private static void assertNonceRefusedThenFreshOneWorks(HttpResponse<String> refused)
      throws Exception {
    assertProblem(refused, 400, "badNonce", "nonce");
    String fresh = refused.headers().firstValue("Replay-Nonce").orElseThrow();
    JsonObject header = acme.kidHeader(account, account.url(), fresh);
    HttpResponse<String> retried = readAccount(header, "ES256");
    assertEquals(200, retried.statusCode(), retried.body());
  }

  @Test
  void jwkOnKidResource() throws Exception {
    JsonObject header = acme.jwkHeader(account.keys(), "ES256", acme.url("newOrder"), acme.nonce());
    HttpResponse<String> r =
        acme.postJose(
            acme.url("newOrder"),
            RawAcme.jws(
                header,
                RawAcme.orderPayload("jwk.clinic-j.test").encode(),
                "ES256",
                account.keys().getPrivate()));
    assertProblem(r, 400, "malformed", "kid");
  }

  @Test
  void kidOnNewAccount() throws Exception {
    JsonObject header = acme.kidHeader(account, acme.url("newAccount"), acme.nonce());
    HttpResponse<String> r =
        acme.postJose(
            acme.url("newAccount"),
            RawAcme.jws(
                header,
                new JsonObject().put("onlyReturnExisting", true).encode(),
                "ES256",
                account.keys().getPrivate()));
    assertProblem(r, 400, "malformed", "jwk");
  }

  @Test
  void bothJwkAndKid() throws Exception {
    JsonObject header = validHeader().put("jwk", RawAcme.jwkJson(account.keys()));
    assertProblem(readAccount(header, "ES256"), 400, "malformed", "exactly one");
  }

  @Test
  void signatureThatDoesNotVerify() throws Exception {
    KeyPair other = RawAcme.ecKeys("secp256r1");
    HttpResponse<String> r =
        acme.postJose(account.url(), RawAcme.jws(validHeader(), null, "ES256", other.getPrivate()));
    assertProblem(r, 400, "malformed", "signature");
  }

  @Test
  void jwkSignatureThatDoesNotVerify() throws Exception {
    KeyPair claimed = RawAcme.ecKeys("secp256r1");
    KeyPair signer = RawAcme.ecKeys("secp256r1");
    String url = acme.url("newAccount");
    JsonObject header = acme.jwkHeader(claimed, "ES256", url, acme.nonce());
    HttpResponse<String> r =
        acme.postJose(
            url,
            RawAcme.jws(
                header,
                new JsonObject().put("onlyReturnExisting", true).encode(),
                "ES256",
                signer.getPrivate()));
    assertProblem(r, 400, "malformed", "signature");
  }

  @Test
  void unknownAccount() throws Exception {
    String unknown = account.url().replaceAll("/[0-9]+$", "/987654321");
    assertNotEquals(unknown, account.url());
    JsonObject header = validHeader().put("kid", unknown);
    HttpResponse<String> r =
        acme.postJose(
            acme.url("newOrder"),
            RawAcme.jws(
                header.put("url", acme.url("newOrder")),
                RawAcme.orderPayload("ghost.clinic-j.test").encode(),
                "ES256",
                account.keys().getPrivate()));
    assertProblem(r, 400, "accountDoesNotExist", "987654321");
  }

  @Test
  void deactivatedAccount() throws Exception {
    Account gone = acme.register(servers);
    HttpResponse<String> deactivated =
        acme.postKid(gone, gone.url(), new JsonObject().put("status", "deactivated"));
    assertEquals(200, deactivated.statusCode(), deactivated.body());
    assertEquals("deactivated", new JsonObject(deactivated.body()).getString("status"));
    assertProblem(acme.postKid(gone, gone.url(), null), 403, "unauthorized", "deactivated");
    assertProblem(acme.newOrder(gone, "after.clinic-j.test"), 403, "unauthorized", "deactivated");
  }

  @Test
  void rsa1024AccountKey() throws Exception {
    KeyPair weak = RawAcme.rsaKeys(1024);
    HttpResponse<String> r =
        acme.postJwk(
            weak,
            "RS256",
            acme.url("newAccount"),
            RawAcme.accountPayload(acme.eab(servers.server.createEabCredential(), weak)));
    assertProblem(r, 400, "badPublicKey", "2048");
  }

  @Test
  void ed25519AccountEndToEnd() throws Exception {
    Account ed = acme.register(servers, RawAcme.ed25519Keys(), "EdDSA");
    HttpResponse<String> r = acme.postKid(ed, ed.url(), null);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("valid", new JsonObject(r.body()).getString("status"), r.body());
    HttpResponse<String> order = acme.newOrder(ed, "ed.clinic-j.test");
    assertEquals(201, order.statusCode(), order.body());
  }

  @Test
  void es384AccountEndToEnd() throws Exception {
    Account p384 = acme.register(servers, RawAcme.ecKeys("secp384r1"), "ES384");
    HttpResponse<String> r = acme.postKid(p384, p384.url(), null);
    assertEquals(200, r.statusCode(), r.body());
    HttpResponse<String> order = acme.newOrder(p384, "p384.clinic-j.test");
    assertEquals(201, order.statusCode(), order.body());
  }

  @Test
  void sameNonceSentConcurrentlyWorksOnce() throws Exception {
    JsonObject jws = RawAcme.jws(validHeader(), null, account.alg(), account.keys().getPrivate());
    java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> sent =
        new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      sent.add(
          acme.http.sendAsync(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(account.url()))
                  .header("Content-Type", RawAcme.JOSE)
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString(jws.encode()))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    int ok = 0;
    for (var f : sent) {
      HttpResponse<String> r = f.join();
      if (r.statusCode() == 200) {
        ok++;
      } else {
        assertProblem(r, 400, "badNonce");
      }
    }
    assertEquals(1, ok, "a nonce must be accepted exactly once");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json at all",
        "[]",
        "{}",
        "{\"protected\": 1, \"payload\": \"\", \"signature\": \"\"}",
        "{\"protected\": \"%%%\", \"payload\": \"\", \"signature\": \"\"}",
        "{\"protected\": \"bm90IGpzb24\", \"payload\": \"\", \"signature\": \"\"}"
      })
  void bodyThatIsNotAFlattenedJws(String body) throws Exception {
    assertProblem(acme.post(account.url(), RawAcme.JOSE, body), 400, "malformed");
  }

  @Test
  void generalSerializationOrUnprotectedHeader() throws Exception {
    JsonObject jws = RawAcme.jws(validHeader(), null, "ES256", account.keys().getPrivate());
    JsonObject general =
        new JsonObject()
            .put("payload", jws.getString("payload"))
            .put(
                "signatures",
                new io.vertx.core.json.JsonArray()
                    .add(
                        new JsonObject()
                            .put("protected", jws.getString("protected"))
                            .put("signature", jws.getString("signature"))));
    assertProblem(acme.postJose(account.url(), general), 400, "malformed", "flattened");
    JsonObject unprotected = jws.copy().put("header", new JsonObject().put("kid", account.url()));
    assertProblem(acme.postJose(account.url(), unprotected), 400, "malformed", "flattened");
  }

  @Test
  void payloadThatIsNotAJsonObject() throws Exception {
    HttpResponse<String> r =
        acme.postJose(
            acme.url("newOrder"),
            RawAcme.jws(
                acme.kidHeader(account, acme.url("newOrder"), acme.nonce()),
                "[1, 2]",
                "ES256",
                account.keys().getPrivate()));
    assertProblem(r, 400, "malformed", "payload");
  }

  @Test
  void missingUrl() throws Exception {
    JsonObject header = validHeader();
    header.remove("url");
    assertProblem(readAccount(header, "ES256"), 400, "malformed", "url");
  }

  @Test
  void jwkWithPrivateKey() throws Exception {
    KeyPair keys = RawAcme.ecKeys("secp256r1");
    org.jose4j.jwk.PublicJsonWebKey full = RawAcme.jwk(keys);
    full.setPrivateKey(keys.getPrivate());
    JsonObject header =
        acme.jwkHeader(keys, "ES256", acme.url("newAccount"), acme.nonce())
            .put(
                "jwk",
                new JsonObject(
                    full.toJson(org.jose4j.jwk.JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE)));
    HttpResponse<String> r =
        acme.postJose(
            acme.url("newAccount"),
            RawAcme.jws(
                header,
                new JsonObject().put("onlyReturnExisting", true).encode(),
                "ES256",
                keys.getPrivate()));
    assertProblem(r, 400, "malformed", "private");
  }

  @Test
  void jwkThatIsNotAKey() throws Exception {
    KeyPair keys = RawAcme.ecKeys("secp256r1");
    for (Object jwk : new Object[] {"a string", new JsonObject().put("kty", "EC")}) {
      JsonObject header =
          acme.jwkHeader(keys, "ES256", acme.url("newAccount"), acme.nonce()).put("jwk", jwk);
      HttpResponse<String> r =
          acme.postJose(
              acme.url("newAccount"), RawAcme.jws(header, "{}", "ES256", keys.getPrivate()));
      assertProblem(r, 400, "malformed", "jwk");
    }
  }

  @Test
  void kidThatIsNotAnAccountUrl() throws Exception {
    JsonObject header = validHeader().put("kid", "https://elsewhere.test/acct/1");
    assertProblem(readAccount(header, "ES256"), 400, "accountDoesNotExist", "account URL");
  }

  @Test
  void bodyTooLarge() throws Exception {
    String big = "{\"protected\": \"" + "A".repeat(13 * 1024 * 1024) + "\"}";
    HttpResponse<String> r = acme.post(account.url(), RawAcme.JOSE, big);
    // Rendered as malformed with 400 (the renderer maps Vert.x's 413 to malformed).
    assertProblem(r, 400, "malformed", "too large");
  }

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "ES384", "ES512", "EdDSA"})
  void algorithmThatDoesNotMatchTheKey(String alg) throws Exception {
    // The account key is P-256; the signature is made for ES256 but labelled otherwise.
    JsonObject header = validHeader().put("alg", alg);
    assertProblem(readAccount(header, "ES256"), 400, "malformed", "signature");
  }
}
