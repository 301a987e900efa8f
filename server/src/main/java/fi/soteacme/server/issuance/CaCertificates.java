package fi.soteacme.server.issuance;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the certificates of locally generated hierarchies: roots, issuing CAs and the local TLS
 * server certificate. Customer certificates come from {@link CertificateIssuer} instead.
 */
final class CaCertificates {
  private CaCertificates() {}

  static KeyPair rsaKeyPair(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits, Pki.RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair ecKeyPair(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve), Pki.RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A self-signed root: basicConstraints CA:TRUE without path length, keyCertSign + cRLSign. */
  static X509Certificate root(X500Name name, KeyPair keys, Instant notBefore, Instant notAfter)
      throws CertIOException {
    X509v3CertificateBuilder builder =
        builder(name, keys.getPublic(), name, notBefore, notAfter, keys.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
            .addExtension(Extension.keyUsage, true, caKeyUsage());
    return sign(builder, keys.getPrivate());
  }

  /** An issuing CA under {@code root}: CA:TRUE with pathLen 0, keyCertSign + cRLSign, AKI. */
  static X509Certificate intermediate(
      X500Name name,
      PublicKey key,
      X509Certificate root,
      PrivateKey rootKey,
      Instant notBefore,
      Instant notAfter)
      throws CertIOException {
    X509v3CertificateBuilder builder =
        builder(name, key, issuerName(root), notBefore, notAfter, root.getPublicKey())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
            .addExtension(Extension.keyUsage, true, caKeyUsage());
    return sign(builder, rootKey);
  }

  /** A TLS server certificate for the local default setup: serverAuth, SAN dns names and IPs. */
  static X509Certificate tlsServer(
      X500Name name,
      PublicKey key,
      List<String> dnsNames,
      List<String> ipAddresses,
      X509Certificate issuer,
      PrivateKey issuerKey,
      Instant notBefore,
      Instant notAfter)
      throws CertIOException {
    GeneralName[] names =
        java.util.stream.Stream.concat(
                dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n)),
                ipAddresses.stream().map(ip -> new GeneralName(GeneralName.iPAddress, ip)))
            .toArray(GeneralName[]::new);
    X509v3CertificateBuilder builder =
        builder(name, key, issuerName(issuer), notBefore, notAfter, issuer.getPublicKey())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
            .addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
            .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    return sign(builder, issuerKey);
  }

  private static KeyUsage caKeyUsage() {
    return new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature);
  }

  private static X500Name issuerName(X509Certificate issuer) {
    return X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
  }

  private static X509v3CertificateBuilder builder(
      X500Name subject,
      PublicKey subjectKey,
      X500Name issuer,
      Instant notBefore,
      Instant notAfter,
      PublicKey issuerKey)
      throws CertIOException {
    byte[] serial = new byte[16];
    Pki.RANDOM.nextBytes(serial);
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(subjectKey.getEncoded());
    SubjectPublicKeyInfo issuerSpki = SubjectPublicKeyInfo.getInstance(issuerKey.getEncoded());
    return new JcaX509v3CertificateBuilder(
            issuer,
            new BigInteger(1, serial),
            Date.from(notBefore),
            Date.from(notAfter),
            subject,
            subjectKey)
        .addExtension(
            Extension.subjectKeyIdentifier,
            false,
            new SubjectKeyIdentifier(Pki.keyIdentifier(spki)))
        .addExtension(
            Extension.authorityKeyIdentifier,
            false,
            new AuthorityKeyIdentifier(Pki.keyIdentifier(issuerSpki)));
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) {
    try {
      var signer =
          new JcaContentSignerBuilder(CertificateIssuer.signatureAlgorithmName(key)).build(key);
      return Pki.parseCertificate(builder.build(signer).getEncoded());
    } catch (OperatorCreationException | java.io.IOException e) {
      throw new IllegalStateException("cannot sign a CA certificate", e);
    }
  }
}
