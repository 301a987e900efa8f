package fi.soteacme.client.util;

import fi.soteacme.client.exception.AcmeException;
import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed certificates: tls-alpn-01 validation certificates and local TLS endpoints. */
public final class SelfSignedCertificates {
  /** The acmeIdentifier extension of RFC 8737 §3. */
  public static final ASN1ObjectIdentifier ACME_IDENTIFIER =
      new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.31");

  private SelfSignedCertificates() {}

  /**
   * Creates the tls-alpn-01 validation certificate (RFC 8737 §3): subjectAltName with the one DNS
   * name, critical acmeIdentifier holding the SHA-256 of the key authorization.
   *
   * @param keyPair the certificate's key pair
   * @param dnsName the name being validated
   * @param acmeValidation the 32-byte digest
   * @return the certificate
   * @throws AcmeException if it cannot be built
   */
  public static X509Certificate tlsAlpn01(KeyPair keyPair, String dnsName, byte[] acmeValidation)
      throws AcmeException {
    try {
      X509v3CertificateBuilder builder = builder(keyPair, "CN=" + dnsName, Duration.ofDays(7));
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
      builder.addExtension(ACME_IDENTIFIER, true, new DEROctetString(acmeValidation));
      return sign(builder, keyPair);
    } catch (IOException e) {
      throw new AcmeException("Cannot build the tls-alpn-01 certificate: " + e.getMessage(), e);
    }
  }

  /**
   * Creates a self-signed server certificate for names and IP addresses (e.g. a local test server).
   *
   * @param keyPair the key pair
   * @param dnsNames DNS names for the subjectAltName
   * @param ipAddresses IP addresses for the subjectAltName
   * @param validity how long it is valid from now
   * @return the certificate
   * @throws AcmeException if it cannot be built
   */
  public static X509Certificate server(
      KeyPair keyPair, List<String> dnsNames, List<String> ipAddresses, Duration validity)
      throws AcmeException {
    try {
      String cn = dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0);
      X509v3CertificateBuilder builder = builder(keyPair, "CN=" + cn, validity);
      GeneralName[] names = new GeneralName[dnsNames.size() + ipAddresses.size()];
      int i = 0;
      for (String d : dnsNames) {
        names[i++] = new GeneralName(GeneralName.dNSName, d);
      }
      for (String ip : ipAddresses) {
        names[i++] = new GeneralName(GeneralName.iPAddress, ip);
      }
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      return sign(builder, keyPair);
    } catch (IOException e) {
      throw new AcmeException("Cannot build the certificate: " + e.getMessage(), e);
    }
  }

  private static X509v3CertificateBuilder builder(
      KeyPair keyPair, String subject, Duration validity) {
    Instant now = Instant.now();
    X500Name name = new X500Name(subject);
    return new JcaX509v3CertificateBuilder(
        name,
        new BigInteger(64, new SecureRandom()).setBit(63),
        Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(validity)),
        name,
        keyPair.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair keyPair)
      throws AcmeException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder(KeyPairs.signatureAlgorithm(keyPair))
                      .build(keyPair.getPrivate())));
    } catch (OperatorCreationException | CertificateException e) {
      throw new AcmeException("Cannot sign the certificate: " + e.getMessage(), e);
    }
  }
}
