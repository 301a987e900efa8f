package fi.soteacme.bench.jmh;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cryptographic floor of one issuance on sote-acme, with the primitives its server uses: the CA
 * signature of the certificate (JDK SHA512withRSA through BouncyCastle's JcaContentSignerBuilder, as
 * {@code CertificateIssuer}), one ES256 JWS verification through jose4j (as {@code FlattenedJws};
 * a flow has about 7 signed POSTs) and the CSR check (parse + signature, as {@code CsrChecker}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CryptoFloor {
  private KeyPair rsa3072;
  private KeyPair rsa2048;
  private byte[] tbs;
  private String jws;
  private KeyPair accountKey;
  private byte[] csr;
  private JcaX509v3CertificateBuilder certificate;
  private byte[] jwsSigningInput;
  private byte[] jwsDerSignature;
  private java.security.spec.ECPoint accountPoint;
  private ECPublicKeyParameters keptAccountPoint;
  private BigInteger jwsR;
  private BigInteger jwsS;
  private static final ECDomainParameters P256 = p256();
  private static final java.security.Provider BC =
      new org.bouncycastle.jce.provider.BouncyCastleProvider();

  @Setup
  public void setUp() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(3072);
    rsa3072 = rsa.generateKeyPair();
    rsa.initialize(2048);
    rsa2048 = rsa.generateKeyPair();
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    accountKey = ec.generateKeyPair();

    // a leaf like sote-acme's: RSA 2048 subject key, one SAN, a handful of extensions
    KeyPair subject = rsa2048;
    certificate =
        new JcaX509v3CertificateBuilder(
            new X500Principal("C=FI,O=sote-acme,CN=sote-acme Service Certificates CA"),
            new BigInteger(144, new SecureRandom()),
            new Date(),
            new Date(System.currentTimeMillis() + 365L * 86400_000),
            new X500Principal("CN=b1-2-3.bench.test"),
            subject.getPublic());
    certificate.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(new GeneralName(GeneralName.dNSName, "b1-2-3.bench.test")));
    tbs = certificate.build(signer("SHA512withRSA", rsa3072)).toASN1Structure()
        .getTBSCertificate().getEncoded();

    JsonWebSignature s = new JsonWebSignature();
    s.setPayload("{\"csr\":\"" + "A".repeat(1200) + "\"}");
    s.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
    s.setHeader("nonce", "dGhpcyBpcyBhIG5vbmNl");
    s.setHeader("url", "https://localhost:8443/acme/order/12345/finalize");
    s.setKeyIdHeaderValue("https://localhost:8443/acme/account/42");
    s.setKey(accountKey.getPrivate());
    jws = s.getCompactSerialization();
    jwsSigningInput = jws.substring(0, jws.lastIndexOf('.')).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Signature der = Signature.getInstance("SHA256withECDSA");
    der.initSign(accountKey.getPrivate());
    der.update(jwsSigningInput);
    jwsDerSignature = der.sign();
    Signature raw = Signature.getInstance("SHA256withECDSAinP1363Format");
    raw.initSign(accountKey.getPrivate());
    raw.update(jwsSigningInput);
    byte[] rs = raw.sign();
    jwsR = new BigInteger(1, java.util.Arrays.copyOfRange(rs, 0, 32));
    jwsS = new BigInteger(1, java.util.Arrays.copyOfRange(rs, 32, 64));
    accountPoint = ((java.security.interfaces.ECPublicKey) accountKey.getPublic()).getW();
    keptAccountPoint =
        new ECPublicKeyParameters(
            P256.getCurve().validatePoint(accountPoint.getAffineX(), accountPoint.getAffineY()),
            P256);

    ExtensionsGenerator ext = new ExtensionsGenerator();
    ext.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(new GeneralName(GeneralName.dNSName, "b1-2-3.bench.test")));
    csr =
        new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=b1-2-3.bench.test"), subject.getPublic())
            .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate())
            .build(signer("SHA256withRSA", subject))
            .getEncoded();
  }

  private static ECDomainParameters p256() {
    X9ECParameters p = CustomNamedCurves.getByName("secp256r1");
    return new ECDomainParameters(p.getCurve(), p.getG(), p.getN(), p.getH(), p.getSeed());
  }

  private static ContentSigner signer(String algorithm, KeyPair key) throws Exception {
    return new JcaContentSignerBuilder(algorithm).build(key.getPrivate());
  }

  private byte[] sign(String algorithm, KeyPair key) throws Exception {
    Signature s = Signature.getInstance(algorithm);
    s.initSign(key.getPrivate());
    s.update(tbs);
    return s.sign();
  }

  /** The production CA signature: RSA 3072, SHA-512. */
  @Benchmark
  public byte[] caSignatureRsa3072Sha512() throws Exception {
    return sign("SHA512withRSA", rsa3072);
  }

  /** The like-for-like CA signature: RSA 2048 (sote-acme keeps SHA-512). */
  @Benchmark
  public byte[] caSignatureRsa2048Sha512() throws Exception {
    return sign("SHA512withRSA", rsa2048);
  }

  /** RSA 2048 with SHA-256, as Pebble signs. */
  @Benchmark
  public byte[] caSignatureRsa2048Sha256() throws Exception {
    return sign("SHA256withRSA", rsa2048);
  }

  /** The whole certificate as the server builds it: TBS encoding + RSA 3072 SHA-512 signature. */
  @Benchmark
  public X509CertificateHolder certificateBuildRsa3072() throws Exception {
    return certificate.build(signer("SHA512withRSA", rsa3072));
  }

  /** One ES256 JWS verification, parsing included (a flow has about 7 signed POSTs). */
  @Benchmark
  public boolean jwsVerifyEs256() throws Exception {
    JsonWebSignature v = new JsonWebSignature();
    v.setCompactSerialization(jws);
    v.setKey(accountKey.getPublic());
    return v.verifySignature();
  }

  /**
   * The ES256 signature check alone with BouncyCastle's provider instead of the JDK's SunEC (what a
   * server could switch to; jose4j takes a provider through its ProviderContext).
   */
  @Benchmark
  public boolean es256VerifyBouncyCastle() throws Exception {
    Signature v = Signature.getInstance("SHA256withECDSA", BC);
    v.initVerify(accountKey.getPublic());
    v.update(jwsSigningInput);
    return v.verify(jwsDerSignature);
  }

  /**
   * The server's path ({@code EcdsaVerifier}): BouncyCastle's lightweight ECDSA on the fixed P-256
   * curve object, the account key turned into a curve point for this check alone.
   */
  @Benchmark
  public boolean es256VerifyLightweight() {
    return lightweight(
        new ECPublicKeyParameters(
            P256.getCurve().validatePoint(accountPoint.getAffineX(), accountPoint.getAffineY()),
            P256));
  }

  /**
   * The same with the account's curve point kept from its earlier requests, as the server keeps
   * the last 1,024 (BouncyCastle keeps, and widens, a reused point's multiplication tables).
   */
  @Benchmark
  public boolean es256VerifyKeptPoint() {
    return lightweight(keptAccountPoint);
  }

  private boolean lightweight(ECPublicKeyParameters key) {
    SHA256Digest digest = new SHA256Digest();
    digest.update(jwsSigningInput, 0, jwsSigningInput.length);
    byte[] hash = new byte[32];
    digest.doFinal(hash, 0);
    ECDSASigner signer = new ECDSASigner();
    signer.init(false, key);
    return signer.verifySignature(hash, jwsR, jwsS);
  }

  /** The same with the JDK's SunEC (jose4j's default). */
  @Benchmark
  public boolean es256VerifySunEc() throws Exception {
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(accountKey.getPublic());
    v.update(jwsSigningInput);
    return v.verify(jwsDerSignature);
  }

  /** The CSR check of one issuance: parse, verify its RSA 2048 SHA-256 signature. */
  @Benchmark
  public boolean csrCheck() throws Exception {
    PKCS10CertificationRequest r = new PKCS10CertificationRequest(csr);
    SubjectPublicKeyInfo spki = r.getSubjectPublicKeyInfo();
    return r.isSignatureValid(new JcaContentVerifierProviderBuilder().build(spki));
  }
}
