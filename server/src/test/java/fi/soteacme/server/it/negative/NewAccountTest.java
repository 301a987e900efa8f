package fi.soteacme.server.it.negative;

import static fi.soteacme.server.it.negative.RawAcme.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fi.soteacme.server.eab.EabService;
import fi.soteacme.server.it.TestServers;
import fi.soteacme.server.it.negative.RawAcme.Account;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.Security;
import java.util.Base64;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 8555 §7.3 newAccount: External Account Binding (§7.3.4), contacts, terms, lookups. */
class NewAccountTest {
  private static TestServers servers;
  private static RawAcme acme;

  @BeforeAll
  static void start() throws Exception {
    Security.addProvider(new BouncyCastleProvider());
    servers = TestServers.get();
    acme = RawAcme.of(servers);
  }

  private static HttpResponse<String> newAccount(KeyPair keys, JsonObject payload)
      throws Exception {
    return acme.postJwk(keys, "ES256", acme.url("newAccount"), payload);
  }

  private static KeyPair keys() throws Exception {
    return RawAcme.ecKeys("secp256r1");
  }

  @Test
  void withoutEab() throws Exception {
    assertProblem(
        newAccount(keys(), RawAcme.accountPayload(null)),
        400,
        "externalAccountRequired",
        "externalAccountBinding");
  }

  @Test
  void eabKidUnknown() throws Exception {
    KeyPair keys = keys();
    EabService.Credential real = servers.server.createEabCredential();
    JsonObject eab = acme.eab("no-such-kid", real.hmacKey(), "HS256", keys);
    assertProblem(
        newAccount(keys, RawAcme.accountPayload(eab)), 403, "unauthorized", "no-such-kid");
  }

  @Test
  void eabReused() throws Exception {
    EabService.Credential credential = servers.server.createEabCredential();
    KeyPair first = keys();
    HttpResponse<String> created =
        newAccount(first, RawAcme.accountPayload(acme.eab(credential, first)));
    assertEquals(201, created.statusCode(), created.body());
    KeyPair second = keys();
    assertProblem(
        newAccount(second, RawAcme.accountPayload(acme.eab(credential, second))),
        403,
        "unauthorized",
        "already been used");
  }

  @Test
  void eabWithWrongMac() throws Exception {
    KeyPair keys = keys();
    EabService.Credential credential = servers.server.createEabCredential();
    byte[] wrong = new byte[32];
    String wrongKey = Base64.getUrlEncoder().withoutPadding().encodeToString(wrong);
    JsonObject eab = acme.eab(credential.kid(), wrongKey, "HS256", keys);
    assertProblem(newAccount(keys, RawAcme.accountPayload(eab)), 400, "malformed", "signature");
    // The failed attempt did not use up the credential.
    HttpResponse<String> retried =
        newAccount(keys, RawAcme.accountPayload(acme.eab(credential, keys)));
    assertEquals(201, retried.statusCode(), retried.body());
  }

  @Test
  void eabOverAnotherKey() throws Exception {
    KeyPair keys = keys();
    JsonObject eab = acme.eab(servers.server.createEabCredential(), keys());
    assertProblem(newAccount(keys, RawAcme.accountPayload(eab)), 403, "unauthorized", "public key");
  }

  @ParameterizedTest
  @ValueSource(strings = {"HS384", "HS512"})
  void eabStrongerMacAccepted(String alg) throws Exception {
    KeyPair keys = keys();
    EabService.Credential credential = servers.server.createEabCredential();
    JsonObject eab = acme.eab(credential.kid(), credential.hmacKey(), alg, keys);
    HttpResponse<String> r = newAccount(keys, RawAcme.accountPayload(eab));
    assertEquals(201, r.statusCode(), r.body());
  }

  @Test
  void eabWithSignatureAlgorithmInsteadOfMac() throws Exception {
    KeyPair keys = keys();
    EabService.Credential credential = servers.server.createEabCredential();
    JsonObject eab =
        RawAcme.jws(
            new JsonObject()
                .put("alg", "ES256")
                .put("kid", credential.kid())
                .put("url", acme.url("newAccount")),
            RawAcme.jwkJson(keys).encode(),
            "ES256",
            keys.getPrivate());
    assertProblem(
        newAccount(keys, RawAcme.accountPayload(eab)), 400, "badSignatureAlgorithm", "ES256");
  }

  @ParameterizedTest
  @CsvSource({
    "tel:+358401234567, unsupportedContact, tel:",
    "https://example.test/contact, unsupportedContact, mailto",
    "mailto:not-an-address, invalidContact, not-an-address",
    "'mailto:a@example.test,b@example.test', invalidContact, one address",
    "mailto:ops@example.test?subject=x, invalidContact, header"
  })
  void badContact(String contact, String type, String fragment) throws Exception {
    KeyPair keys = keys();
    JsonObject payload =
        RawAcme.accountPayload(acme.eab(servers.server.createEabCredential(), keys));
    payload.put("contact", new JsonArray().add(contact));
    assertProblem(newAccount(keys, payload), 400, type, fragment);
  }

  @Test
  void termsNotAgreed() throws Exception {
    KeyPair keys = keys();
    JsonObject payload =
        RawAcme.accountPayload(acme.eab(servers.server.createEabCredential(), keys));
    payload.remove("termsOfServiceAgreed");
    assertProblem(newAccount(keys, payload), 400, "malformed", "termsOfServiceAgreed");
    payload.put("termsOfServiceAgreed", false);
    assertProblem(newAccount(keys, payload), 400, "malformed", "termsOfServiceAgreed");
  }

  @Test
  void onlyReturnExistingForUnknownKey() throws Exception {
    assertProblem(
        newAccount(keys(), new JsonObject().put("onlyReturnExisting", true)),
        400,
        "accountDoesNotExist");
  }

  @Test
  void existingKeyReturnsTheSameAccount() throws Exception {
    Account account = acme.register(servers);
    HttpResponse<String> again =
        newAccount(
            account.keys(),
            RawAcme.accountPayload(acme.eab(servers.server.createEabCredential(), account.keys())));
    assertEquals(200, again.statusCode(), again.body());
    assertEquals(account.url(), again.headers().firstValue("Location").orElseThrow());
    HttpResponse<String> lookup =
        newAccount(account.keys(), new JsonObject().put("onlyReturnExisting", true));
    assertEquals(200, lookup.statusCode(), lookup.body());
    assertEquals(account.url(), lookup.headers().firstValue("Location").orElseThrow());
  }

  @Test
  void eabExpired() throws Exception {
    EabService.Credential credential = servers.server.createEabCredential();
    try (java.sql.Connection db = servers.postgres.getPostgresDatabase().getConnection();
        java.sql.PreparedStatement q =
            db.prepareStatement(
                "update eab_credential set expires_at = now() - interval '1 minute'"
                    + " where kid = ?")) {
      q.setString(1, credential.kid());
      assertEquals(1, q.executeUpdate());
    }
    KeyPair keys = keys();
    assertProblem(
        newAccount(keys, RawAcme.accountPayload(acme.eab(credential, keys))),
        403,
        "unauthorized",
        "expired");
  }

  @Test
  void eabWithNonce() throws Exception {
    KeyPair keys = keys();
    EabService.Credential credential = servers.server.createEabCredential();
    JsonObject eab =
        RawAcme.jws(
            new JsonObject()
                .put("alg", "HS256")
                .put("kid", credential.kid())
                .put("url", acme.url("newAccount"))
                .put("nonce", acme.nonce()),
            RawAcme.jwkJson(keys).encode(),
            "HS256",
            new javax.crypto.spec.SecretKeySpec(
                Base64.getUrlDecoder().decode(credential.hmacKey()), "HmacSHA256"));
    assertProblem(newAccount(keys, RawAcme.accountPayload(eab)), 400, "malformed", "nonce");
  }

  @Test
  void eabForAnotherUrl() throws Exception {
    KeyPair keys = keys();
    EabService.Credential credential = servers.server.createEabCredential();
    JsonObject eab =
        RawAcme.jws(
            new JsonObject()
                .put("alg", "HS256")
                .put("kid", credential.kid())
                .put("url", acme.url("newOrder")),
            RawAcme.jwkJson(keys).encode(),
            "HS256",
            new javax.crypto.spec.SecretKeySpec(
                Base64.getUrlDecoder().decode(credential.hmacKey()), "HmacSHA256"));
    assertProblem(newAccount(keys, RawAcme.accountPayload(eab)), 403, "unauthorized", "url");
  }

  @Test
  void eabThatIsNotAJws() throws Exception {
    KeyPair keys = keys();
    JsonObject payload = RawAcme.accountPayload(null).put("externalAccountBinding", "kid:key");
    assertProblem(newAccount(keys, payload), 400, "malformed", "externalAccountBinding");
  }

  @Test
  void eabConcurrentUseCreatesOneAccount() throws Exception {
    EabService.Credential credential = servers.server.createEabCredential();
    java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> sent =
        new java.util.ArrayList<>();
    java.util.List<java.net.http.HttpRequest> requests = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      KeyPair keys = keys();
      JsonObject jws =
          RawAcme.jws(
              acme.jwkHeader(keys, "ES256", acme.url("newAccount"), acme.nonce()),
              RawAcme.accountPayload(acme.eab(credential, keys)).encode(),
              "ES256",
              keys.getPrivate());
      requests.add(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(acme.url("newAccount")))
              .header("Content-Type", RawAcme.JOSE)
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString(jws.encode()))
              .build());
    }
    for (var request : requests) {
      sent.add(acme.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }
    int created = 0;
    for (var f : sent) {
      HttpResponse<String> r = f.join();
      if (r.statusCode() == 201) {
        created++;
      } else {
        assertProblem(r, 403, "unauthorized", "already been used");
      }
    }
    assertEquals(1, created, "one EAB credential creates one account");
  }
}
