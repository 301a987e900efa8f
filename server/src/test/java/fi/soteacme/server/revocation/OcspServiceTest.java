package fi.soteacme.server.revocation;

import static fi.soteacme.server.revocation.RevocationFixture.successful;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.RevocationReason;
import org.shredzone.acme4j.util.KeyPairUtils;

/** The OCSP responder on the status listener, checked with openssl and with BouncyCastle. */
class OcspServiceTest {
  private static RevocationFixture fixture;
  private static X509Certificate issuing;

  @BeforeAll
  static void start() throws Exception {
    fixture = new RevocationFixture();
    issuing = fixture.server.cas().production().certificate();
  }

  @Test
  void goodThenRevokedWithReasonAtOnce() throws Exception {
    var issued = fixture.issue("ocsp-a.clinic-r.test", KeyPairUtils.createECKeyPair("secp384r1"));
    RevocationFixture.Result before = fixture.ocsp(issued.pem());
    assertEquals(0, before.exit(), before.output());
    assertTrue(before.output().contains("Response verify OK"), before.output());
    assertTrue(before.output().contains(issued.pem() + ": good"), before.output());
    assertTrue(before.output().contains("Next Update:"), before.output());
    RevocationFixture.Result sha256 =
        fixture.openssl(
            "ocsp",
            "-sha256",
            "-issuer",
            "issuing.pem",
            "-cert",
            issued.pem().toString(),
            "-url",
            fixture.ocspUrl(),
            "-CAfile",
            "root.pem");
    assertTrue(sha256.output().contains(issued.pem() + ": good"), sha256.output());

    issued.acme().revoke(RevocationReason.AFFILIATION_CHANGED);
    RevocationFixture.Result after = fixture.ocsp(issued.pem());
    assertTrue(after.output().contains("Response verify OK"), after.output());
    assertTrue(after.output().contains(issued.pem() + ": revoked"), after.output());
    assertTrue(after.output().contains("Reason: affiliationChanged"), after.output());
  }

  @Test
  void unknownSerialIsUnknown() throws Exception {
    RevocationFixture.Result result =
        fixture.openssl(
            "ocsp",
            "-issuer",
            "issuing.pem",
            "-serial",
            "0x0bf4eab0",
            "-url",
            fixture.ocspUrl(),
            "-CAfile",
            "root.pem");
    assertTrue(result.output().contains("Response verify OK"), result.output());
    assertTrue(result.output().contains("0x0bf4eab0: unknown"), result.output());
  }

  @Test
  void getAndPostEchoTheNonceAndAreSignedByTheDelegatedResponder() throws Exception {
    var issued = fixture.issue("ocsp-b.clinic-r.test", KeyPairUtils.createECKeyPair("secp384r1"));
    byte[] nonce = new byte[16];
    new SecureRandom().nextBytes(nonce);
    byte[] request = request(issued.certificate().getSerialNumber(), nonce);

    BasicOCSPResp post = successful(fixture.postOcsp(request).body());
    String b64 = URLEncoder.encode(Base64.getEncoder().encodeToString(request), "US-ASCII");
    var getResponse = fixture.get("/ocsp/" + b64);
    assertEquals(
        "application/ocsp-response", getResponse.headers().firstValue("Content-Type").get());
    BasicOCSPResp get = successful(getResponse.body());

    for (BasicOCSPResp basic : new BasicOCSPResp[] {post, get}) {
      SingleResp single = basic.getResponses()[0];
      assertNull(single.getCertStatus(), "good");
      assertEquals(issued.certificate().getSerialNumber(), single.getCertID().getSerialNumber());
      assertTrue(single.getNextUpdate().after(single.getThisUpdate()));
      assertArrayEquals(
          new DEROctetString(nonce).getEncoded(),
          basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce).getExtnValue().getOctets());
      X509CertificateHolder responder = basic.getCerts()[0];
      assertTrue(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(responder)));
      assertTrue(
          responder.isSignatureValid(
              new JcaContentVerifierProviderBuilder().build(issuing.getPublicKey())));
      assertTrue(
          org.bouncycastle.asn1.x509.ExtendedKeyUsage.fromExtensions(responder.getExtensions())
              .hasKeyPurposeId(KeyPurposeId.id_kp_OCSPSigning));
      assertTrue(responder.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck) != null);
    }
  }

  @Test
  void aSerialOfAnotherIssuerOrNoneIsNotGood() throws Exception {
    BasicOCSPResp unknown = successful(fixture.postOcsp(request(BigInteger.TEN, null)).body());
    assertInstanceOf(UnknownStatus.class, unknown.getResponses()[0].getCertStatus());

    X509Certificate root = fixture.server.cas().production().root();
    OCSPReq foreign =
        new OCSPReqBuilder()
            .addRequest(
                new CertificateID(
                    new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                    new JcaX509CertificateHolder(root),
                    BigInteger.TEN))
            .build();
    assertEquals(
        OCSPRespBuilder.UNAUTHORIZED,
        new OCSPResp(fixture.postOcsp(foreign.getEncoded()).body()).getStatus());
  }

  @Test
  void malformedRequestsGetMalformedRequest() throws Exception {
    assertEquals(
        OCSPRespBuilder.MALFORMED_REQUEST,
        new OCSPResp(fixture.postOcsp("not DER".getBytes(StandardCharsets.US_ASCII)).body())
            .getStatus());
    assertEquals(
        OCSPRespBuilder.MALFORMED_REQUEST,
        new OCSPResp(fixture.get("/ocsp/%25%25notbase64").body()).getStatus());
    assertEquals(
        OCSPRespBuilder.MALFORMED_REQUEST,
        new OCSPResp(fixture.get("/ocsp/MAA=").body()).getStatus());
  }

  private static byte[] request(BigInteger serial, byte[] nonce) throws Exception {
    return RevocationFixture.ocspRequest(issuing, serial, nonce);
  }
}
