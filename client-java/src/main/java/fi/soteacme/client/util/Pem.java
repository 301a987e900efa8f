package fi.soteacme.client.util;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** Reads and writes PEM (RFC 7468) and DER: certificates, chains, keys and CSRs. */
public final class Pem {
  private Pem() {}

  /**
   * Parses every certificate of a PEM text; other blocks are skipped.
   *
   * @param pem the text
   * @return the certificates in order
   * @throws IOException if a certificate block is malformed
   */
  public static List<X509Certificate> parseCertificates(String pem) throws IOException {
    List<X509Certificate> out = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      PemObject o;
      while ((o = parser.readPemObject()) != null) {
        if (o.getType().equals("CERTIFICATE")) {
          out.add(parseDer(o.getContent()));
        }
      }
    }
    return out;
  }

  /**
   * Reads every certificate of a PEM file.
   *
   * @param file the file
   * @return the certificates in order
   * @throws IOException if unreadable or malformed
   */
  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    return parseCertificates(Files.readString(file, StandardCharsets.US_ASCII));
  }

  /**
   * Parses one DER certificate.
   *
   * @param der the encoding
   * @return the certificate
   * @throws IOException if malformed
   */
  public static X509Certificate parseDer(byte[] der) throws IOException {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new IOException("Malformed certificate: " + e.getMessage(), e);
    }
  }

  /**
   * Encodes certificates as PEM, in order.
   *
   * @param certificates the certificates
   * @return the PEM text
   */
  public static String certificates(Collection<X509Certificate> certificates) {
    StringBuilder sb = new StringBuilder();
    for (X509Certificate c : certificates) {
      try {
        sb.append(encode("CERTIFICATE", c.getEncoded()));
      } catch (java.security.cert.CertificateEncodingException e) {
        throw new IllegalArgumentException("Cannot encode a certificate", e);
      }
    }
    return sb.toString();
  }

  /**
   * Encodes a private key as PKCS #8 PEM ({@code PRIVATE KEY}).
   *
   * @param key the private key
   * @return the PEM text
   */
  public static String privateKey(PrivateKey key) {
    return encode("PRIVATE KEY", key.getEncoded());
  }

  /**
   * Encodes a CSR as PEM ({@code CERTIFICATE REQUEST}).
   *
   * @param der the DER CSR
   * @return the PEM text
   */
  public static String csr(byte[] der) {
    return encode("CERTIFICATE REQUEST", der);
  }

  /**
   * Encodes DER bytes as one PEM block.
   *
   * @param type the label, e.g. {@code CERTIFICATE}
   * @param der the bytes
   * @return the PEM text, ending with a newline
   */
  public static String encode(String type, byte[] der) {
    StringWriter sw = new StringWriter();
    try (PemWriter w = new PemWriter(sw)) {
      w.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new IllegalStateException("Writing to a string failed", e);
    }
    return sw.toString();
  }

  /**
   * Parses a private key (PKCS #8, or OpenSSL's traditional RSA/EC format) and derives its public
   * key.
   *
   * @param pem the PEM text
   * @return the key pair
   * @throws IOException if there is no supported key
   */
  public static KeyPair parseKeyPair(String pem) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o;
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      while ((o = parser.readObject()) != null) {
        if (o instanceof PEMKeyPair kp) {
          return converter.getKeyPair(kp);
        }
        if (o instanceof PrivateKeyInfo info) {
          return withPublicKey(info, converter.getPrivateKey(info));
        }
      }
    }
    throw new IOException("No private key in the PEM text");
  }

  /**
   * Reads a private key file.
   *
   * @param file a PEM file
   * @return the key pair
   * @throws IOException if unreadable or without a supported key
   */
  public static KeyPair readKeyPair(Path file) throws IOException {
    try {
      return parseKeyPair(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static KeyPair withPublicKey(PrivateKeyInfo info, PrivateKey key) throws IOException {
    try {
      PublicKey pub;
      if (key instanceof RSAPrivateCrtKey rsa) {
        pub =
            KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
      } else if (key instanceof java.security.interfaces.ECPrivateKey ec) {
        ASN1ObjectIdentifier curve =
            ASN1ObjectIdentifier.getInstance(info.getPrivateKeyAlgorithm().getParameters());
        X9ECParameters x9 = ECNamedCurveTable.getByOID(curve);
        ECPoint q = x9.getG().multiply(ec.getS()).normalize();
        SubjectPublicKeyInfo spki =
            new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve),
                q.getEncoded(false));
        pub =
            KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
        key =
            KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
      } else {
        throw new IOException("Unsupported private key type " + key.getAlgorithm());
      }
      return new KeyPair(pub, key);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IOException("Cannot derive the public key: " + e.getMessage(), e);
    }
  }
}
