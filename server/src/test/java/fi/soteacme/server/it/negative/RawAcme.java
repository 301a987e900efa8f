package fi.soteacme.server.it.negative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.eab.EabService;
import fi.soteacme.server.it.Acme4j;
import fi.soteacme.server.it.TestServers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jca.ProviderContext;
import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignatureAlgorithm;
import org.jose4j.lang.HashUtil;
import org.shredzone.acme4j.util.CSRBuilder;

/**
 * A deliberately low-level ACME client for negative tests: every part of the flattened JWS (the
 * protected header, payload, signature) and of the HTTP request is under the test's control, so
 * each rule of RFC 8555 §6 can be broken one at a time against the real server.
 */
final class RawAcme {
  static final String PROBLEM = "application/problem+json";
  static final String JOSE = "application/jose+json";
  static final String ERROR = "urn:ietf:params:acme:error:";

  final HttpClient http;
  final String directoryUrl;
  final JsonObject directory;

  /** An ACME account the test holds the key of. */
  record Account(KeyPair keys, String alg, String url) {
    PublicJsonWebKey jwk() {
      return RawAcme.jwk(keys);
    }
  }

  RawAcme(String directoryUrl, Path trustAnchor) throws Exception {
    this.http =
        HttpClient.newBuilder()
            .sslContext(Acme4j.sslContext(trustAnchor))
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    this.directoryUrl = directoryUrl;
    this.directory = new JsonObject(get(directoryUrl).body());
  }

  static RawAcme of(TestServers servers) throws Exception {
    return new RawAcme(servers.server.directoryUrl(), servers.server.trustAnchor());
  }

  String url(String directoryKey) {
    return directory.getString(directoryKey);
  }

  // --- HTTP ---

  HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String url) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
  }

  HttpResponse<String> head(String url) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .build());
  }

  HttpResponse<String> post(String url, String contentType, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return send(b.build());
  }

  HttpResponse<String> postJose(String url, JsonObject jws) throws Exception {
    return post(url, JOSE, jws.encode());
  }

  String nonce() throws Exception {
    HttpResponse<String> r = head(url("newNonce"));
    return r.headers().firstValue("Replay-Nonce").orElseThrow();
  }

  // --- JWS ---

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String b64(String text) {
    return b64(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Signs {@code protected.payload} with the named jose4j algorithm. */
  static String sign(String alg, Key key, String protectedB64, String payloadB64) {
    try {
      JsonWebSignatureAlgorithm algorithm =
          AlgorithmFactoryFactory.getInstance().getJwsAlgorithmFactory().getAlgorithm(alg);
      byte[] input = (protectedB64 + "." + payloadB64).getBytes(StandardCharsets.US_ASCII);
      return b64(algorithm.sign(algorithm.prepareForSign(key, new ProviderContext()), input));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A flattened JWS with exactly this protected header; the payload is sent as given (null means
   * POST-as-GET, the empty string). Signed with {@code signAlg} and {@code key}.
   */
  static JsonObject jws(JsonObject header, String payload, String signAlg, Key key) {
    String prot = b64(header.encode());
    String pay = payload == null ? "" : b64(payload);
    return new JsonObject()
        .put("protected", prot)
        .put("payload", pay)
        .put("signature", sign(signAlg, key, prot, pay));
  }

  static PublicJsonWebKey jwk(KeyPair keys) {
    try {
      return PublicJsonWebKey.Factory.newPublicJwk(keys.getPublic());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonObject jwkJson(KeyPair keys) {
    return new JsonObject(jwk(keys).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
  }

  static String thumbprint(KeyPair keys) {
    return jwk(keys).calculateBase64urlEncodedThumbprint(HashUtil.SHA_256);
  }

  JsonObject jwkHeader(KeyPair keys, String alg, String url, String nonce) {
    JsonObject h = new JsonObject().put("alg", alg).put("url", url).put("jwk", jwkJson(keys));
    if (nonce != null) {
      h.put("nonce", nonce);
    }
    return h;
  }

  JsonObject kidHeader(Account account, String url, String nonce) {
    JsonObject h = new JsonObject().put("alg", account.alg()).put("url", url);
    h.put("kid", account.url());
    if (nonce != null) {
      h.put("nonce", nonce);
    }
    return h;
  }

  /** A correct request signed by the account (kid); payload null means POST-as-GET. */
  HttpResponse<String> postKid(Account account, String url, JsonObject payload) throws Exception {
    return postJose(
        url,
        jws(
            kidHeader(account, url, nonce()),
            payload == null ? null : payload.encode(),
            account.alg(),
            account.keys().getPrivate()));
  }

  /** A correct request signed with a jwk. */
  HttpResponse<String> postJwk(KeyPair keys, String alg, String url, JsonObject payload)
      throws Exception {
    return postJose(
        url,
        jws(
            jwkHeader(keys, alg, url, nonce()),
            payload == null ? null : payload.encode(),
            alg,
            keys.getPrivate()));
  }

  // --- accounts ---

  /** The externalAccountBinding JWS of RFC 8555 §7.3.4. */
  JsonObject eab(String kid, String hmacKeyB64, String macAlg, KeyPair accountKeys) {
    byte[] secret = Base64.getUrlDecoder().decode(hmacKeyB64);
    String jca = "Hmac" + macAlg.replace("HS", "SHA");
    return jws(
        new JsonObject().put("alg", macAlg).put("kid", kid).put("url", url("newAccount")),
        jwkJson(accountKeys).encode(),
        macAlg,
        new SecretKeySpec(secret, jca));
  }

  JsonObject eab(EabService.Credential credential, KeyPair accountKeys) {
    return eab(credential.kid(), credential.hmacKey(), "HS256", accountKeys);
  }

  static JsonObject accountPayload(JsonObject eab) {
    JsonObject p =
        new JsonObject()
            .put("termsOfServiceAgreed", true)
            .put("contact", new JsonArray().add("mailto:ops@example.test"));
    if (eab != null) {
      p.put("externalAccountBinding", eab);
    }
    return p;
  }

  /** Registers a new account with a fresh EAB credential and checks that it was created. */
  Account register(TestServers servers, KeyPair keys, String alg) throws Exception {
    JsonObject payload = accountPayload(eab(servers.server.createEabCredential(), keys));
    HttpResponse<String> r = postJwk(keys, alg, url("newAccount"), payload);
    assertEquals(201, r.statusCode(), r.body());
    return new Account(keys, alg, r.headers().firstValue("Location").orElseThrow());
  }

  Account register(TestServers servers) throws Exception {
    return register(servers, ecKeys("secp256r1"), "ES256");
  }

  /** Registers a member of another organisation's customer account (invited by the operator). */
  Account registerIn(TestServers servers, String organisationOid) throws Exception {
    JsonObject invitation =
        new fi.soteacme.server.it.AdminClient(servers.server).invite(organisationOid, "member");
    KeyPair keys = ecKeys("secp256r1");
    JsonObject payload =
        accountPayload(
            eab(invitation.getString("kid"), invitation.getString("hmacKey"), "HS256", keys));
    HttpResponse<String> r = postJwk(keys, "ES256", url("newAccount"), payload);
    assertEquals(201, r.statusCode(), r.body());
    return new Account(keys, "ES256", r.headers().firstValue("Location").orElseThrow());
  }

  // --- orders ---

  /** A new order for the dns names; returns the response (201 expected). */
  HttpResponse<String> newOrder(Account account, String... names) throws Exception {
    return postKid(account, url("newOrder"), orderPayload(names));
  }

  static JsonObject orderPayload(String... names) {
    JsonArray ids = new JsonArray();
    for (String name : names) {
      ids.add(new JsonObject().put("type", "dns").put("value", name));
    }
    return new JsonObject().put("identifiers", ids);
  }

  /** An order whose authorizations were validated by http-01; returns its URL. */
  String readyOrder(TestServers servers, Account account, String... names) throws Exception {
    HttpResponse<String> created = newOrder(account, names);
    assertEquals(201, created.statusCode(), created.body());
    String orderUrl = created.headers().firstValue("Location").orElseThrow();
    JsonObject order = new JsonObject(created.body());
    for (Object authzUrl : order.getJsonArray("authorizations")) {
      JsonObject authz = new JsonObject(postKid(account, (String) authzUrl, null).body());
      if ("valid".equals(authz.getString("status"))) {
        continue;
      }
      JsonObject challenge =
          authz.getJsonArray("challenges").stream()
              .map(JsonObject.class::cast)
              .filter(c -> "http-01".equals(c.getString("type")))
              .findFirst()
              .orElseThrow();
      String token = challenge.getString("token");
      servers.http01.put(token, token + "." + thumbprint(account.keys()));
      HttpResponse<String> triggered =
          postKid(account, challenge.getString("url"), new JsonObject());
      assertEquals(200, triggered.statusCode(), triggered.body());
    }
    JsonObject now = awaitOrder(account, orderUrl, "ready");
    assertEquals("ready", now.getString("status"), now.encode());
    return orderUrl;
  }

  /** Polls the order until it leaves pending/processing or reaches {@code wanted}. */
  JsonObject awaitOrder(Account account, String orderUrl, String wanted) throws Exception {
    JsonObject order = null;
    for (int i = 0; i < 150; i++) {
      order = new JsonObject(postKid(account, orderUrl, null).body());
      String status = order.getString("status");
      if (wanted.equals(status) || "invalid".equals(status) || "valid".equals(status)) {
        return order;
      }
      Thread.sleep(200);
    }
    return order;
  }

  HttpResponse<String> finalizeOrder(Account account, String orderUrl, byte[] csr)
      throws Exception {
    JsonObject order = new JsonObject(postKid(account, orderUrl, null).body());
    return postKid(account, order.getString("finalize"), new JsonObject().put("csr", b64(csr)));
  }

  /** Orders, validates and finalizes; returns the leaf certificate. */
  X509Certificate issue(TestServers servers, Account account, KeyPair certKeys, String... names)
      throws Exception {
    String orderUrl = readyOrder(servers, account, names);
    HttpResponse<String> r = finalizeOrder(account, orderUrl, csr(certKeys, names));
    assertEquals(200, r.statusCode(), r.body());
    JsonObject order = awaitOrder(account, orderUrl, "valid");
    assertEquals("valid", order.getString("status"), order.encode());
    return download(account, order.getString("certificate")).get(0);
  }

  @SuppressWarnings("unchecked")
  List<X509Certificate> download(Account account, String certUrl) throws Exception {
    HttpResponse<String> r = postKid(account, certUrl, null);
    assertEquals(200, r.statusCode(), r.body());
    return (List<X509Certificate>)
        CertificateFactory.getInstance("X.509")
            .generateCertificates(
                new ByteArrayInputStream(r.body().getBytes(StandardCharsets.US_ASCII)));
  }

  static byte[] csr(KeyPair keys, String... names) throws Exception {
    CSRBuilder b = new CSRBuilder();
    for (String name : names) {
      b.addDomain(name);
    }
    b.sign(keys);
    return b.getEncoded();
  }

  // --- keys ---

  static KeyPair rsaKeys(int bits) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits);
    return g.generateKeyPair();
  }

  static KeyPair ecKeys(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    return g.generateKeyPair();
  }

  static KeyPair ed25519Keys() throws Exception {
    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  // --- assertions ---

  /** Asserts status, problem content type, problem type; returns the problem document. */
  static JsonObject assertProblem(HttpResponse<String> r, int status, String type) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(
        PROBLEM, r.headers().firstValue("Content-Type").orElse("").split(";")[0], r.body());
    JsonObject problem = new JsonObject(r.body());
    assertEquals(ERROR + type, problem.getString("type"), r.body());
    assertEquals(status, problem.getInteger("status"), r.body());
    String detail = problem.getString("detail");
    assertNotNull(detail, r.body());
    assertFalse(detail.isBlank(), r.body());
    return problem;
  }

  /** As {@link #assertProblem}, and the detail mentions {@code fragment} (case-insensitive). */
  static JsonObject assertProblem(
      HttpResponse<String> r, int status, String type, String fragment) {
    JsonObject problem = assertProblem(r, status, type);
    assertTrue(
        problem.getString("detail").toLowerCase().contains(fragment.toLowerCase()),
        "detail should mention \"" + fragment + "\": " + r.body());
    return problem;
  }
}
