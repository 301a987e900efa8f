package fi.soteacme.server.issuance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/** Small PKI helpers shared by the issuance classes: PEM, keys, key identifiers. */
final class Pki {
  /**
   * One provider instance, not registered globally, for what the JDK cannot do (e.g. Ed25519 CSRs).
   */
  static final Provider BC = new BouncyCastleProvider();

  static final SecureRandom RANDOM = new SecureRandom();

  private Pki() {}

  static X509Certificate parseCertificate(byte[] der) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not a DER X.509 certificate: " + e.getMessage(), e);
    }
  }

  static String certificatePem(byte[] der) {
    return pem("CERTIFICATE", der);
  }

  static String pem(String type, byte[] der) {
    Base64.Encoder encoder = Base64.getMimeEncoder(64, new byte[] {'\n'});
    return "-----BEGIN "
        + type
        + "-----\n"
        + encoder.encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  static String privateKeyPem(PrivateKey key) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** All certificates of a PEM file, in file order. */
  static List<X509Certificate> readCertificates(Path file) throws IOException {
    List<X509Certificate> certificates = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof org.bouncycastle.cert.X509CertificateHolder holder) {
          certificates.add(parseCertificate(holder.getEncoded()));
        } else {
          throw new IOException(file + ": expected only CERTIFICATE blocks, found " + o.getClass());
        }
      }
    }
    if (certificates.isEmpty()) {
      throw new IOException(file + ": no PEM certificate found");
    }
    return certificates;
  }

  /** The private key of an unencrypted PEM file: PKCS#8 ("PRIVATE KEY") or PKCS#1/SEC 1. */
  static PrivateKey readPrivateKey(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      Object o = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (o instanceof PEMKeyPair pair) {
        return converter.getPrivateKey(pair.getPrivateKeyInfo());
      }
      if (o instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
        throw new IOException(
            file + ": encrypted PEM keys are not supported; use a PKCS#12 file with a password");
      }
      throw new IOException(file + ": no PEM private key found");
    }
  }

  /**
   * Writes {@code content} to a fresh file (failing if it exists), readable only by the owner when
   * {@code secret}.
   */
  static void writeNew(Path file, String content, boolean secret) throws IOException {
    FilePermissions.createFile(file, secret);
    Files.writeString(file, content, StandardCharsets.US_ASCII);
  }

  /** SHA-1 of the subjectPublicKey BIT STRING: the key identifier of RFC 5280 §4.2.1.2 method 1. */
  static byte[] keyIdentifier(SubjectPublicKeyInfo spki) {
    return digest("SHA-1", spki.getPublicKeyData().getBytes());
  }

  /** The certificate's subject key identifier, or one computed by method 1 when it has none. */
  static byte[] subjectKeyIdentifier(X509Certificate certificate) {
    byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    if (extension != null) {
      return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets())
          .getKeyIdentifier();
    }
    return keyIdentifier(SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded()));
  }

  static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The key's algorithm as the JDK names it. With BouncyCastle registered, a PEM key is read by BC
   * and calls itself "ECDSA" where the JDK's certificate key says "EC": the same key family.
   */
  private static String keyFamily(java.security.Key key) {
    return key.getAlgorithm().equals("ECDSA") ? "EC" : key.getAlgorithm();
  }

  /** Whether the private key belongs to the public key: signs a nonce and verifies it. */
  static boolean keysMatch(PrivateKey privateKey, PublicKey publicKey) {
    if (!keyFamily(privateKey).equals(keyFamily(publicKey))) {
      return false;
    }
    String algorithm =
        switch (keyFamily(publicKey)) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default ->
              throw new IllegalArgumentException(
                  "unsupported CA key algorithm " + publicKey.getAlgorithm());
        };
    try {
      byte[] challenge = new byte[32];
      RANDOM.nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
