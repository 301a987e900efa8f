package fi.soteacme.server.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fi.soteacme.server.SoteAcmeServer;
import fi.soteacme.server.eab.EabService;
import fi.soteacme.server.it.TestServers;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * Certificates issued for real through acme4j against the shared test server, their PEM files for
 * openssl, and small HTTP helpers for the status listener and the operator API.
 */
final class RevocationFixture {
  final TestServers servers;
  final SoteAcmeServer server;
  final Session session;
  final HttpClient http = HttpClient.newHttpClient();
  final Path dir;

  RevocationFixture() throws Exception {
    java.security.Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
    servers = TestServers.get();
    server = servers.server;
    session = session(server.directoryUrl(), server.trustAnchor());
    dir = Files.createTempDirectory("sote-acme-revocation");
    Path ca = servers.dataDir.resolve("server-1").resolve("ca");
    Files.copy(ca.resolve("production-issuing.pem"), dir.resolve("issuing.pem"));
    Files.copy(ca.resolve("production-root.pem"), dir.resolve("root.pem"));
  }

  /** A certificate issued through the whole ACME flow (http-01) for the given key. */
  Issued issue(String domain, KeyPair certificateKey) throws Exception {
    Order order = newAccount().newOrder().domains(domain).create();
    for (Authorization auth : order.getAuthorizations()) {
      Http01Challenge challenge = auth.findChallenge(Http01Challenge.class).orElseThrow();
      servers.http01.put(challenge.getToken(), challenge.getAuthorization());
      challenge.trigger();
      assertEquals(Status.VALID, challenge.waitForCompletion(Duration.ofSeconds(30)));
    }
    assertEquals(Status.READY, order.waitUntilReady(Duration.ofSeconds(30)));
    order.execute(certificateKey);
    assertEquals(Status.VALID, order.waitForCompletion(Duration.ofSeconds(30)));
    Certificate certificate = order.getCertificate();
    Path pem = Files.createTempFile(dir, "cert", ".pem");
    Files.writeString(pem, pem(certificate.getCertificate().getEncoded(), "CERTIFICATE"));
    return new Issued(certificate, certificate.getCertificate(), pem);
  }

  /** An order ready for finalize, for tests that expect finalize to be refused. */
  Order readyOrder(String domain) throws Exception {
    Order order = newAccount().newOrder().domains(domain).create();
    for (Authorization auth : order.getAuthorizations()) {
      Http01Challenge challenge = auth.findChallenge(Http01Challenge.class).orElseThrow();
      servers.http01.put(challenge.getToken(), challenge.getAuthorization());
      challenge.trigger();
      assertEquals(Status.VALID, challenge.waitForCompletion(Duration.ofSeconds(30)));
    }
    assertEquals(Status.READY, order.waitUntilReady(Duration.ofSeconds(30)));
    return order;
  }

  record Issued(Certificate acme, X509Certificate certificate, Path pem) {}

  Account newAccount() throws Exception {
    EabService.Credential eab = server.createEabCredential();
    return new AccountBuilder()
        .agreeToTermsOfService()
        .withKeyIdentifier(eab.kid(), eab.hmacKey())
        .useKeyPair(KeyPairUtils.createECKeyPair("secp256r1"))
        .create(session);
  }

  String ocspUrl() {
    return server.statusUrl() + "/ocsp";
  }

  HttpResponse<byte[]> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.statusUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<byte[]> postOcsp(byte[] request) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(ocspUrl()))
            .header("Content-Type", "application/ocsp-request")
            .POST(HttpRequest.BodyPublishers.ofByteArray(request))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<String> admin(SoteAcmeServer target, String path, String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(target.adminUrl() + path))
            .header("Authorization", "Bearer " + target.adminToken())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The production CRL as served, written to crl.der and crl.pem. */
  Path fetchCrl() throws Exception {
    HttpResponse<byte[]> response = get("/crl/production.crl");
    assertEquals(200, response.statusCode());
    Files.write(dir.resolve("crl.der"), response.body());
    Path pem = dir.resolve("crl.pem");
    Files.writeString(pem, pem(response.body(), "X509 CRL"));
    return pem;
  }

  /** openssl with the arguments, run in the fixture folder; returns exit code and all output. */
  Result openssl(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("openssl " + args[0] + " did not finish");
    }
    return new Result(process.exitValue(), output);
  }

  record Result(int exit, String output) {}

  /** openssl ocsp against the status listener, verifying the answer to the production root. */
  Result ocsp(Path certificate) throws Exception {
    return openssl(
        "ocsp",
        "-issuer",
        "issuing.pem",
        "-cert",
        certificate.toString(),
        "-url",
        ocspUrl(),
        "-CAfile",
        "root.pem");
  }

  /**
   * A DER OCSP request (SHA-1 CertID) for one serial of the issuer, with the nonce extension when
   * {@code nonce} is not null.
   */
  static byte[] ocspRequest(X509Certificate issuer, BigInteger serial, byte[] nonce)
      throws Exception {
    OCSPReqBuilder builder =
        new OCSPReqBuilder()
            .addRequest(
                new CertificateID(
                    new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                    new JcaX509CertificateHolder(issuer),
                    serial));
    if (nonce != null) {
      builder.setRequestExtensions(
          new Extensions(
              new Extension(
                  OCSPObjectIdentifiers.id_pkix_ocsp_nonce,
                  false,
                  new DEROctetString(nonce).getEncoded())));
    }
    return builder.build().getEncoded();
  }

  /** The basic response of a successful OCSP answer; fails the test for another status. */
  static BasicOCSPResp successful(byte[] der) throws Exception {
    OCSPResp response = new OCSPResp(der);
    assertEquals(OCSPResp.SUCCESSFUL, response.getStatus());
    return (BasicOCSPResp) response.getResponseObject();
  }

  static String pem(byte[] der, String type) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static Session session(String directoryUrl, Path trustAnchor) throws Exception {
    return fi.soteacme.server.it.Acme4j.session(directoryUrl, trustAnchor);
  }
}
