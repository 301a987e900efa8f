package fi.soteacme.client.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.client.util.KeyPairs;
import fi.soteacme.client.util.KeyType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

class JwsTest {
  private static final URI NEW_ACCOUNT = URI.create("https://acme.test/new-account");
  private static final byte[] MAC_KEY =
      "a-32-byte-long-mac-key-for-tests".getBytes(StandardCharsets.US_ASCII);

  private static Json header(Json flattened) throws Exception {
    return Json.parse(
        new String(
            Base64.getUrlDecoder().decode(flattened.requireString("protected")),
            StandardCharsets.UTF_8));
  }

  private static JsonWebSignature compact(Json flattened, String payloadOverride) throws Exception {
    JsonWebSignature jws = new JsonWebSignature();
    jws.setCompactSerialization(
        flattened.requireString("protected")
            + "."
            + (payloadOverride == null ? flattened.requireString("payload") : payloadOverride)
            + "."
            + flattened.requireString("signature"));
    return jws;
  }

  @Test
  void externalAccountBindingIsHs256OverTheAccountJwk() throws Exception {
    KeyPair account = KeyPairs.generate(KeyType.EC_P256);
    Json eab = Jws.externalAccountBinding(NEW_ACCOUNT, account.getPublic(), "kid-1", MAC_KEY);

    Json header = header(eab);
    assertEquals("HS256", header.requireString("alg"));
    assertEquals("kid-1", header.requireString("kid"));
    assertEquals(NEW_ACCOUNT.toString(), header.requireString("url"));
    assertFalse(header.has("nonce"), "RFC 8555 §7.3.4: the inner JWS has no nonce");

    JsonWebSignature jws = compact(eab, null);
    jws.setKey(new HmacKey(MAC_KEY));
    assertTrue(jws.verifySignature());
    PublicJsonWebKey payloadKey = PublicJsonWebKey.Factory.newPublicJwk(jws.getPayload());
    assertEquals(account.getPublic(), payloadKey.getPublicKey());

    JsonWebSignature forged = compact(eab, null);
    forged.setKey(
        new HmacKey("another-32-byte-long-mac-key-xxx".getBytes(StandardCharsets.US_ASCII)));
    assertFalse(forged.verifySignature());
  }

  @Test
  void requestWithKidOrJwkSignsTheUrlAndNonce() throws Exception {
    KeyPair key = KeyPairs.generate(KeyType.RSA_2048);
    URI kid = URI.create("https://acme.test/acct/1");
    Json signed = Jws.sign(NEW_ACCOUNT, "nonce-1", Json.empty(), key, kid);
    Json header = header(signed);
    assertEquals("RS256", header.requireString("alg"));
    assertEquals("nonce-1", header.requireString("nonce"));
    assertEquals(kid.toString(), header.requireString("kid"));
    assertFalse(header.has("jwk"));
    JsonWebSignature jws = compact(signed, null);
    jws.setKey(key.getPublic());
    assertTrue(jws.verifySignature());

    Json withJwk = Jws.sign(NEW_ACCOUNT, "nonce-2", null, KeyPairs.generate(KeyType.EC_P384), null);
    assertEquals("ES384", header(withJwk).requireString("alg"));
    assertTrue(header(withJwk).has("jwk"));
    assertEquals("", withJwk.requireString("payload"), "POST-as-GET has an empty payload");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
    "secp256r1, ES256",
    "secp384r1, ES384",
    "secp521r1, ES512"
  })
  void ecdsaSignaturesVerifyWithJose4j(String curve, String alg) throws Exception {
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
    g.initialize(new java.security.spec.ECGenParameterSpec(curve));
    KeyPair key = g.generateKeyPair();
    URI kid = URI.create("https://acme.test/acct/7");
    Json payload = Json.builder().put("csr", "MIIB").build();
    Json signed = Jws.sign(NEW_ACCOUNT, "nonce-3", payload, key, kid);
    Json header = header(signed);
    assertEquals(alg, header.requireString("alg"));
    assertEquals("nonce-3", header.requireString("nonce"));
    assertEquals(NEW_ACCOUNT.toString(), header.requireString("url"));
    assertEquals(kid.toString(), header.requireString("kid"));
    JsonWebSignature jws = compact(signed, null);
    jws.setKey(key.getPublic());
    assertTrue(jws.verifySignature());
    assertEquals(payload, Json.parse(jws.getPayload()));
    JsonWebSignature tampered = compact(signed, "e30");
    tampered.setKey(key.getPublic());
    assertFalse(tampered.verifySignature(), "the signature covers the payload");

    Json withJwk = Jws.sign(NEW_ACCOUNT, "nonce-4", null, key, null);
    assertEquals(
        key.getPublic(),
        PublicJsonWebKey.Factory.newPublicJwk(
                header(withJwk).object("jwk").orElseThrow().toString())
            .getPublicKey());
    JsonWebSignature withJwkJws = compact(withJwk, null);
    withJwkJws.setKey(key.getPublic());
    assertTrue(withJwkJws.verifySignature());
  }

  @Test
  void keyChangeInnerJwsIsSignedByTheNewKeyAndNamesTheOldOne() throws Exception {
    KeyPair oldKey = KeyPairs.generate(KeyType.EC_P256);
    KeyPair newKey = KeyPairs.generate(KeyType.EC_P256);
    URI keyChange = URI.create("https://acme.test/key-change");
    URI account = URI.create("https://acme.test/acct/1");
    Json inner = Jws.keyChange(keyChange, account, oldKey.getPublic(), newKey);
    Json header = header(inner);
    assertFalse(header.has("nonce"));
    assertEquals(keyChange.toString(), header.requireString("url"));
    JsonWebSignature jws = compact(inner, null);
    jws.setKey(newKey.getPublic());
    assertTrue(jws.verifySignature());
    Json payload = Json.parse(jws.getPayload());
    assertEquals(account.toString(), payload.requireString("account"));
    assertEquals(
        oldKey.getPublic(),
        PublicJsonWebKey.Factory.newPublicJwk(payload.object("oldKey").orElseThrow().toString())
            .getPublicKey());
  }

  @Test
  void thumbprintMatchesRfc7638Example() throws Exception {
    // RFC 7638 §3.1 example key and its thumbprint.
    String jwk =
        "{\"kty\":\"RSA\",\"n\":\"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw\",\"e\":\"AQAB\",\"alg\":\"RS256\",\"kid\":\"2011-04-29\"}";
    assertEquals(
        "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
        Jws.thumbprint(PublicJsonWebKey.Factory.newPublicJwk(jwk).getPublicKey()));
  }
}
