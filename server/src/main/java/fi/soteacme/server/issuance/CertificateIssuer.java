package fi.soteacme.server.issuance;

import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds and signs customer certificates (RFC 5280) in two steps, so that the caller can store the
 * to-be-signed certificate before the CA key touches it: {@link #toBeSigned} makes the
 * TBSCertificate, {@link #sign} signs exactly those bytes. Blocking; run it on a worker thread.
 */
public final class CertificateIssuer {
  /** id-kp-documentSigning (RFC 9336). */
  static final KeyPurposeId DOCUMENT_SIGNING = KeyPurposeId.id_kp_documentSigning;

  private final IssuanceSettings settings;

  public CertificateIssuer(IssuanceSettings settings) {
    this.settings = settings;
  }

  /**
   * The DER TBSCertificate for {@code request}, issued by {@code ca}.
   *
   * @throws AcmeProblem malformed when the validity exceeds the profile's cap or the issuing CA's
   *     own validity, or a subject field is too long
   */
  public byte[] toBeSigned(IssuingCa ca, CertificateRequest request) {
    Profile profile = request.profile();
    if (profile.isTest() != ca.name().equals(CaStore.TEST)) {
      throw new IllegalArgumentException(
          profile.id() + " is not issued by the " + ca.name() + " CA");
    }
    checkValidity(ca, request);
    SubjectPublicKeyInfo spki;
    try {
      spki = SubjectPublicKeyInfo.getInstance(request.subjectPublicKeyInfo());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a DER SubjectPublicKeyInfo", e);
    }
    if (profile.isSystemSignature() != request.dnsNames().isEmpty()) {
      throw new IllegalArgumentException(
          "server certificates need dns names, system signature certificates have none");
    }
    V3TBSCertificateGenerator tbs = new V3TBSCertificateGenerator();
    tbs.setSerialNumber(new ASN1Integer(request.serial()));
    tbs.setSignature(signatureAlgorithm(ca.privateKey()));
    tbs.setIssuer(X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()));
    tbs.setStartDate(new Time(Date.from(request.notBefore())));
    tbs.setEndDate(new Time(Date.from(request.notAfter())));
    tbs.setSubject(request.subject().toX500Name());
    tbs.setSubjectPublicKeyInfo(spki);
    tbs.setExtensions(extensions(ca, request, spki));
    return der(tbs.generateTBSCertificate());
  }

  /**
   * Signs a TBSCertificate made by {@link #toBeSigned} with the CA key, and returns the DER
   * certificate.
   *
   * @throws IllegalArgumentException if the TBSCertificate names another issuer or algorithm
   */
  public byte[] sign(IssuingCa ca, byte[] tbsDer) {
    TBSCertificate tbs = TBSCertificate.getInstance(tbsDer);
    AlgorithmIdentifier algorithm = signatureAlgorithm(ca.privateKey());
    if (!tbs.getSignature().equals(algorithm)) {
      throw new IllegalArgumentException("the TBSCertificate names another signature algorithm");
    }
    X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
    if (!tbs.getIssuer().equals(issuer)) {
      throw new IllegalArgumentException("the TBSCertificate names another issuer than " + issuer);
    }
    byte[] signature = signatureOver(ca.privateKey(), der(tbs));
    ASN1EncodableVector certificate = new ASN1EncodableVector();
    certificate.add(tbs);
    certificate.add(algorithm);
    certificate.add(new DERBitString(signature));
    byte[] der = der(new DERSequence(certificate));
    verify(ca, der);
    return der;
  }

  /** One certificate in PEM. */
  public static String toPem(byte[] certDer) {
    return Pki.certificatePem(certDer);
  }

  /**
   * The chain a client installs (RFC 8555 §7.4.2, §9.1 application/pem-certificate-chain): the
   * leaf, then the issuing CA, not the root the client already trusts. The leaf alone when the
   * issuing CA is not held here ({@code issuingCaDer} null: an imported certificate of another CA).
   */
  public static String chainPem(byte[] leafDer, byte[] issuingCaDer) {
    return issuingCaDer == null ? toPem(leafDer) : toPem(leafDer) + toPem(issuingCaDer);
  }

  /** Parses a DER certificate. */
  public static X509Certificate parse(byte[] der) {
    return Pki.parseCertificate(der);
  }

  /** JCA name of the algorithm a CA key signs with: sha512WithRSA, or ecdsa-with-SHA384. */
  static String signatureAlgorithmName(PrivateKey key) {
    return switch (key.getAlgorithm()) {
      case "RSA" -> "SHA512withRSA";
      case "EC", "ECDSA" -> "SHA384withECDSA";
      default -> throw new IllegalArgumentException("unsupported CA key " + key.getAlgorithm());
    };
  }

  private static AlgorithmIdentifier signatureAlgorithm(PrivateKey key) {
    return signer(key).getAlgorithmIdentifier();
  }

  private static ContentSigner signer(PrivateKey key) {
    try {
      return new JcaContentSignerBuilder(signatureAlgorithmName(key)).build(key);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign with the CA key", e);
    }
  }

  private static byte[] signatureOver(PrivateKey key, byte[] tbs) {
    ContentSigner signer = signer(key);
    try (OutputStream out = signer.getOutputStream()) {
      out.write(tbs);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return signer.getSignature();
  }

  /** A certificate that does not verify never leaves: catches a faulty key or signer at once. */
  private static void verify(IssuingCa ca, byte[] der) {
    try {
      X509Certificate certificate = Pki.parseCertificate(der);
      certificate.verify(ca.certificate().getPublicKey());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("the signed certificate does not verify", e);
    }
  }

  private static void checkValidity(IssuingCa ca, CertificateRequest request) {
    Profile profile = request.profile();
    if (request.notAfter().isBefore(request.notBefore())) {
      throw new AcmeProblem(ProblemType.MALFORMED, "notAfter is before notBefore");
    }
    if (!profile.permitsValidity(request.notBefore(), request.notAfter())) {
      throw new AcmeProblem(
          ProblemType.MALFORMED,
          "the requested validity "
              + request.notBefore()
              + " to "
              + request.notAfter()
              + " is longer than the "
              + profile.maxValidity().toDays()
              + " days that profile "
              + profile.id()
              + " allows");
    }
    if (request.notAfter().isAfter(ca.certificate().getNotAfter().toInstant())
        || request.notBefore().isBefore(ca.certificate().getNotBefore().toInstant())) {
      throw new AcmeProblem(
          ProblemType.MALFORMED,
          "the requested validity lies outside the issuing CA's, which ends "
              + ca.certificate().getNotAfter().toInstant());
    }
  }

  private org.bouncycastle.asn1.x509.Extensions extensions(
      IssuingCa ca, CertificateRequest request, SubjectPublicKeyInfo spki) {
    Profile profile = request.profile();
    ExtensionsGenerator extensions = new ExtensionsGenerator();
    try {
      // An empty SEQUENCE: DER omits the default cA FALSE.
      extensions.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      extensions.addExtension(Extension.keyUsage, true, keyUsage(profile, spki));
      if (!profile.isSystemSignature()) {
        extensions.addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(
                new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        extensions.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                request.dnsNames().stream()
                    .map(n -> new GeneralName(GeneralName.dNSName, n))
                    .toArray(GeneralName[]::new)));
      } else if (!settings.omitSystemSignatureEku()) {
        extensions.addExtension(
            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(DOCUMENT_SIGNING));
      }
      extensions.addExtension(
          Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(Pki.keyIdentifier(spki)));
      extensions.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new AuthorityKeyIdentifier(ca.subjectKeyIdentifier()));
      extensions.addExtension(Extension.certificatePolicies, false, policies());
      extensions.addExtension(Extension.cRLDistributionPoints, false, crlDistributionPoint(ca));
      extensions.addExtension(Extension.authorityInfoAccess, false, authorityInformationAccess(ca));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return extensions.generate();
  }

  private static KeyUsage keyUsage(Profile profile, SubjectPublicKeyInfo spki) {
    if (profile.isSystemSignature()) {
      return new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation);
    }
    return KeyPolicy.isRsa(spki)
        ? new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)
        : new KeyUsage(KeyUsage.digitalSignature);
  }

  private CertificatePolicies policies() {
    return new CertificatePolicies(
        settings.policyOids().stream()
            .map(oid -> new PolicyInformation(new org.bouncycastle.asn1.ASN1ObjectIdentifier(oid)))
            .toArray(PolicyInformation[]::new));
  }

  private CRLDistPoint crlDistributionPoint(IssuingCa ca) {
    GeneralName uri =
        new GeneralName(GeneralName.uniformResourceIdentifier, settings.crlUrl(ca.name()));
    return new CRLDistPoint(
        new DistributionPoint[] {
          new DistributionPoint(new DistributionPointName(new GeneralNames(uri)), null, null)
        });
  }

  private AuthorityInformationAccess authorityInformationAccess(IssuingCa ca) {
    return new AuthorityInformationAccess(
        new AccessDescription[] {
          new AccessDescription(
              AccessDescription.id_ad_ocsp,
              new GeneralName(GeneralName.uniformResourceIdentifier, settings.ocspUrl())),
          new AccessDescription(
              AccessDescription.id_ad_caIssuers,
              new GeneralName(
                  GeneralName.uniformResourceIdentifier, settings.caIssuersUrl(ca.name())))
        });
  }

  private static byte[] der(ASN1Encodable value) {
    try {
      return value.toASN1Primitive().getEncoded("DER");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
