package fi.soteacme.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.client.connector.Json;
import fi.soteacme.client.exception.AcmeProtocolException;
import fi.soteacme.client.util.KeyPairs;
import fi.soteacme.client.util.KeyType;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class RenewalInfoTest {
  private static X509Certificate certificate(byte[] aki, BigInteger serial) throws Exception {
    KeyPair key = KeyPairs.generate(KeyType.EC_P256);
    X500Name name = new X500Name("CN=test");
    var builder =
        new JcaX509v3CertificateBuilder(
            name,
            serial,
            new Date(),
            new Date(System.currentTimeMillis() + 86_400_000L),
            name,
            key.getPublic());
    builder.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(aki));
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
  }

  @Test
  void certIdMatchesTheRfc9773Example() throws Exception {
    // RFC 9773 §4.1: keyIdentifier 69:88:5B:..:D4, serial 00:87:65:43:21.
    byte[] aki =
        HexFormat.ofDelimiter(":")
            .parseHex("69:88:5b:6b:87:46:40:41:e1:b3:7b:84:7b:a0:ae:2c:de:01:c8:d4");
    X509Certificate cert = certificate(aki, new BigInteger("87654321", 16));
    assertEquals("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE", RenewalInfo.certId(cert));
  }

  @Test
  void certIdKeepsLongSerialsWhole() throws Exception {
    byte[] aki = new byte[20];
    X509Certificate cert =
        certificate(aki, SerialNumber.parse("0100000168f0a805c366b43b5de968c691fb").value());
    assertEquals("AAAAAAAAAAAAAAAAAAAAAAAAAAA.AQAAAWjwqAXDZrQ7XeloxpH7", RenewalInfo.certId(cert));
  }

  @Test
  void windowIsParsedAndRandomTimesStayInside() throws Exception {
    Json json =
        Json.parse(
            "{\"suggestedWindow\":{\"start\":\"2026-03-01T00:00:00Z\",\"end\":\"2026-03-03T00:00:00Z\"},"
                + "\"explanationURL\":\"https://acme.test/why\"}");
    RenewalInfo info = RenewalInfo.of(json, null);
    Random random = new Random(42);
    for (int i = 0; i < 100; i++) {
      Instant t = info.randomTimeInWindow(random);
      assertTrue(!t.isBefore(info.windowStart()) && !t.isAfter(info.windowEnd()));
    }
    assertEquals("https://acme.test/why", info.explanation().orElseThrow().toString());
    assertThrows(
        AcmeProtocolException.class,
        () ->
            RenewalInfo.of(
                Json.parse(
                    "{\"suggestedWindow\":{\"start\":\"2026-03-03T00:00:00Z\",\"end\":\"2026-03-01T00:00:00Z\"}}"),
                null));
  }
}
