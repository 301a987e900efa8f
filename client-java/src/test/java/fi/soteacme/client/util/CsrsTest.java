package fi.soteacme.client.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

class CsrsTest {
  @Test
  void serverCsrHasEveryNameInSanAndTheFirstAsCn() throws Exception {
    KeyPair key = KeyPairs.generate(KeyType.RSA_2048);
    PKCS10CertificationRequest csr =
        new PKCS10CertificationRequest(Csrs.server(key, List.of("ap.example.fi", "b.example.fi")));
    assertTrue(
        csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key.getPublic())));
    assertEquals(
        "ap.example.fi",
        IETFUtils.valueToString(csr.getSubject().getRDNs(BCStyle.CN)[0].getFirst().getValue()));
    Attribute[] attrs = csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
    Extensions ext = Extensions.getInstance(attrs[0].getAttrValues().getObjectAt(0));
    GeneralNames san = GeneralNames.fromExtensions(ext, Extension.subjectAlternativeName);
    assertEquals(
        List.of("ap.example.fi", "b.example.fi"),
        Arrays.stream(san.getNames()).map(n -> n.getName().toString()).toList());
    assertTrue(Arrays.stream(san.getNames()).allMatch(n -> n.getTagNo() == GeneralName.dNSName));
  }

  @Test
  void systemSignatureCsrHasOnlyTheSystemNameAsCn() throws Exception {
    KeyPair key = KeyPairs.generate(KeyType.EC_P256);
    PKCS10CertificationRequest csr =
        new PKCS10CertificationRequest(
            Csrs.forProfile("sote-system-signature", key, List.of(), "Todistuspalvelu"));
    assertTrue(
        csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key.getPublic())));
    assertEquals(1, csr.getSubject().getRDNs().length);
    assertEquals(
        "Todistuspalvelu",
        IETFUtils.valueToString(csr.getSubject().getRDNs(BCStyle.CN)[0].getFirst().getValue()));
    assertEquals(0, csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest).length);
    assertThrows(IllegalArgumentException.class, () -> Csrs.systemSignature(key, "x".repeat(65)));
  }

  @Test
  void everySupportedKeyTypeSignsACsr() throws Exception {
    for (KeyType type : KeyType.values()) {
      KeyPair key = KeyPairs.generate(type);
      assertEquals(type, KeyPairs.typeOf(key).orElseThrow());
      PKCS10CertificationRequest csr =
          new PKCS10CertificationRequest(Csrs.server(key, List.of("ap.example.fi")));
      assertTrue(
          csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key.getPublic())),
          type.label());
    }
  }
}
