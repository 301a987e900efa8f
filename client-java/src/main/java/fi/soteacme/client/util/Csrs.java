package fi.soteacme.client.util;

import java.io.IOException;
import java.security.KeyPair;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Builds PKCS #10 requests as sote-acme's profiles want them. The server takes the subject from its
 * register, so a CSR carries only what the profile reads: for server profiles the DNS names (CN =
 * the first), for system signature profiles the system name as CN and nothing else.
 */
public final class Csrs {
  /** Profiles whose certificates name a system (CN) instead of DNS names. */
  public static final List<String> SYSTEM_SIGNATURE_PROFILES =
      List.of("sote-system-signature", "sote-system-signature-test");

  private Csrs() {}

  /**
   * Builds a server certificate request: CN = the first name, subjectAltName = every name.
   *
   * @param keyPair the certificate's key pair (not the account key)
   * @param dnsNames the DNS names, in order
   * @return the DER request
   */
  public static byte[] server(KeyPair keyPair, List<String> dnsNames) {
    if (dnsNames.isEmpty()) {
      throw new IllegalArgumentException("A server certificate needs at least one DNS name");
    }
    try {
      GeneralName[] names =
          dnsNames.stream()
              .map(n -> new GeneralName(GeneralName.dNSName, n))
              .toArray(GeneralName[]::new);
      ExtensionsGenerator extensions = new ExtensionsGenerator();
      extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      PKCS10CertificationRequestBuilder builder =
          new JcaPKCS10CertificationRequestBuilder(cn(dnsNames.get(0)), keyPair.getPublic());
      builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
      return sign(builder, keyPair);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot build the CSR: " + e.getMessage(), e);
    }
  }

  /**
   * Builds a system signature certificate request: CN = the system name, no subjectAltName.
   *
   * @param keyPair the certificate's key pair
   * @param systemName the system's name (printable, at most 64 characters)
   * @return the DER request
   */
  public static byte[] systemSignature(KeyPair keyPair, String systemName) {
    if (systemName == null || systemName.isBlank() || systemName.length() > 64) {
      throw new IllegalArgumentException("A system name has 1 to 64 characters");
    }
    return sign(
        new JcaPKCS10CertificationRequestBuilder(cn(systemName), keyPair.getPublic()), keyPair);
  }

  /**
   * Builds the request a profile needs.
   *
   * @param profile the profile name; {@code null} counts as a server profile
   * @param keyPair the certificate's key pair
   * @param dnsNames the DNS names (server profiles)
   * @param systemName the system name (system signature profiles)
   * @return the DER request
   */
  public static byte[] forProfile(
      String profile, KeyPair keyPair, List<String> dnsNames, String systemName) {
    return isSystemSignature(profile)
        ? systemSignature(keyPair, systemName)
        : server(keyPair, dnsNames);
  }

  /**
   * Tells whether a profile is a system signature profile.
   *
   * @param profile the profile name, or {@code null}
   * @return {@code true} for sote-system-signature and its test twin
   */
  public static boolean isSystemSignature(String profile) {
    return profile != null && SYSTEM_SIGNATURE_PROFILES.contains(profile);
  }

  private static X500Name cn(String value) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, value).build();
  }

  private static byte[] sign(PKCS10CertificationRequestBuilder builder, KeyPair keyPair) {
    try {
      return builder
          .build(
              new JcaContentSignerBuilder(KeyPairs.signatureAlgorithm(keyPair))
                  .build(keyPair.getPrivate()))
          .getEncoded();
    } catch (OperatorCreationException | IOException e) {
      throw new IllegalArgumentException("Cannot sign the CSR: " + e.getMessage(), e);
    }
  }
}
