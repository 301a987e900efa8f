package fi.soteacme.server.renewal;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The legacy TEST CA of testdata/legacy and certificates in the style of the old manual process
 * (short serials, subject serialNumber = organisation OID, no EKU). {@link #main} wrote the files
 * of testdata/legacy once; tests use {@link #issue} to make further certificates from the same CA.
 */
public final class LegacyTestdata {
  /** Where the tests find the files on the classpath (the testdata module). */
  public static final String RESOURCE_DIR = "testdata/legacy/";

  private LegacyTestdata() {}

  /** Run once from the repository root: writes testdata/legacy/*.pem. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "testdata/legacy");
    Files.createDirectories(dir);
    KeyPair rootKey = rsa();
    X500Name rootName =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.C, "FI")
            .addRDN(BCStyle.O, "sote-acme testdata (fictional)")
            .addRDN(BCStyle.CN, "Legacy TEST CA for Social Welfare and Healthcare - fictional")
            .build();
    Instant rootStart = Instant.parse("2020-01-01T00:00:00Z");
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder rb =
        new JcaX509v3CertificateBuilder(
                rootName,
                BigInteger.valueOf(0x01),
                Date.from(rootStart),
                Date.from(rootStart.plus(Duration.ofDays(20 * 365 + 5))),
                rootName,
                rootKey.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
            .addExtension(
                Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
            .addExtension(
                Extension.subjectKeyIdentifier,
                false,
                ext.createSubjectKeyIdentifier(rootKey.getPublic()));
    X509Certificate root = sign(rb, rootKey.getPrivate());
    write(dir.resolve("legacy-test-ca.pem"), root);
    write(dir.resolve("legacy-test-ca.key.pem"), rootKey.getPrivate());

    // 730 days, a system signature certificate of the wellbeing services county.
    write(
        dir.resolve("county-0bf4eab0.pem"),
        issue(
            root,
            rootKey.getPrivate(),
            rsa().getPublic(),
            new BigInteger("0bf4eab0", 16),
            "1.2.246.10.98123462.10.0",
            "Järvilaakson hyvinvointialue",
            "Järvilaakson hyvinvointialue",
            "Potilastietojarjestelma_testi",
            null,
            Instant.parse("2025-03-01T00:00:00Z"),
            Duration.ofDays(730)));
    // Top bit set: its certID's serial part keeps a leading zero octet (00 9c 2d 71).
    write(
        dir.resolve("county-unit-9c2d71.pem"),
        issue(
            root,
            rootKey.getPrivate(),
            rsa().getPublic(),
            new BigInteger("9c2d71", 16),
            "1.2.246.10.98123462.10.2",
            "Järvilaakson hyvinvointialue",
            "Järvilaakson keskussairaala, yhteispäivystys",
            "legacy.county-unit.test",
            "legacy.county-unit.test",
            Instant.parse("2026-03-01T00:00:00Z"),
            Duration.ofDays(365)));
    write(
        dir.resolve("pharmacy-5a3c.pem"),
        issue(
            root,
            rootKey.getPrivate(),
            rsa().getPublic(),
            new BigInteger("5a3c", 16),
            "1.2.246.10.9715328.10.0",
            "Kuvitteellinen VI apteekki",
            "Kuvitteellinen VI apteekki",
            "Apteekkijarjestelma_testi",
            null,
            Instant.parse("2025-06-01T00:00:00Z"),
            Duration.ofDays(730)));
  }

  /**
   * A certificate of the old process: validity counted as RFC 5280 counts it ({@code notAfter =
   * notBefore + validity - 1 s}), keyUsage digitalSignature + nonRepudiation, no EKU.
   */
  public static X509Certificate issue(
      X509Certificate ca,
      PrivateKey caKey,
      PublicKey key,
      BigInteger serial,
      String organisationOid,
      String o,
      String ou,
      String cn,
      String dnsName,
      Instant notBefore,
      Duration validity)
      throws Exception {
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.C, "FI")
            .addRDN(BCStyle.O, o)
            .addRDN(BCStyle.OU, ou)
            .addRDN(BCStyle.SERIALNUMBER, organisationOid)
            .addRDN(BCStyle.CN, cn)
            .build();
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
                ca,
                serial,
                Date.from(notBefore),
                Date.from(notBefore.plus(validity).minusSeconds(1)),
                subject,
                key)
            .addExtension(Extension.basicConstraints, true, new DERSequence())
            .addExtension(
                Extension.keyUsage,
                true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation))
            .addExtension(
                Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca))
            .addExtension(
                Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
    if (dnsName != null) {
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
    }
    return sign(b, caKey);
  }

  /** The legacy TEST CA's certificate, from the classpath. */
  public static X509Certificate ca() throws Exception {
    try (var in = resource("legacy-test-ca.pem")) {
      return (X509Certificate)
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  /** The legacy TEST CA's private key, from the classpath. */
  public static PrivateKey caKey() throws Exception {
    try (var in = resource("legacy-test-ca.key.pem");
        var parser = new PEMParser(new java.io.InputStreamReader(in))) {
      Object o = parser.readObject();
      return o instanceof PEMKeyPair pair
          ? new JcaPEMKeyConverter().getKeyPair(pair).getPrivate()
          : new JcaPEMKeyConverter().getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) o);
    }
  }

  /** The bytes of a file of testdata/legacy. */
  public static byte[] bytes(String name) throws Exception {
    try (var in = resource(name)) {
      return in.readAllBytes();
    }
  }

  /** A certificate of testdata/legacy. */
  public static X509Certificate certificate(String name) throws Exception {
    return (X509Certificate)
        java.security.cert.CertificateFactory.getInstance("X.509")
            .generateCertificate(new java.io.ByteArrayInputStream(bytes(name)));
  }

  private static java.io.InputStream resource(String name) throws IOException {
    var in = LegacyTestdata.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + name);
    if (in == null) {
      throw new IOException("no " + RESOURCE_DIR + name + " on the classpath");
    }
    return in;
  }

  static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
  }

  private static void write(Path file, Object pemObject) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(pemObject);
    }
    Files.writeString(file, out.toString());
  }
}
