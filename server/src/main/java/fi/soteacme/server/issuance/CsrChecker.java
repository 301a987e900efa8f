package fi.soteacme.server.issuance;

import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * Checks a finalize request's CSR (RFC 8555 §7.4) against the order and this CA's rules: a valid
 * self-signature, an accepted key that is not the account key, and exactly the order's dns names
 * (server profiles) or a printable system name in the CN (system signature profiles). Everything
 * else in the CSR is ignored: the server builds the certificate itself.
 *
 * <p>For server profiles the CSR's names are its subjectAltName dNSName entries plus its subject CN
 * when that looks like a DNS name (letters, digits and hyphens in dot-separated labels, at least
 * one dot); a CN like {@code my server} is ignored. Names compare case-insensitively. Stateless and
 * thread-safe.
 */
public final class CsrChecker {
  /** Longest system name: RFC 5280's ub-common-name. */
  static final int MAX_SYSTEM_NAME = 64;

  private static final Set<ASN1ObjectIdentifier> SIGNATURE_ALGORITHMS =
      Set.of(
          PKCSObjectIdentifiers.sha256WithRSAEncryption,
          PKCSObjectIdentifiers.sha384WithRSAEncryption,
          PKCSObjectIdentifiers.sha512WithRSAEncryption,
          PKCSObjectIdentifiers.id_RSASSA_PSS,
          X9ObjectIdentifiers.ecdsa_with_SHA256,
          X9ObjectIdentifiers.ecdsa_with_SHA384,
          X9ObjectIdentifiers.ecdsa_with_SHA512,
          NISTObjectIdentifiers.id_ecdsa_with_sha3_256,
          NISTObjectIdentifiers.id_ecdsa_with_sha3_384);
  private static final Pattern DNS_NAME =
      Pattern.compile(
          "(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");
  private static final String SYSTEM_NAME_PUNCTUATION = " '()+,-./:=?_";

  /**
   * Checks the CSR for an order of {@code profile}.
   *
   * @param csrDer the CSR, DER (the base64url-decoded {@code csr} of the finalize payload)
   * @param orderDnsNames the order's dns identifiers (empty for system signature profiles)
   * @param accountKey the key of the account that finalizes
   * @throws AcmeProblem badCSR or badPublicKey with a detail that says what is wrong
   */
  public CheckedCsr check(
      byte[] csrDer, Profile profile, Set<String> orderDnsNames, PublicKey accountKey) {
    if (profile.isSystemSignature() && !orderDnsNames.isEmpty()) {
      throw new IllegalArgumentException("a system signature order has no dns names");
    }
    PKCS10CertificationRequest csr = parse(csrDer);
    PublicKey key = KeyPolicy.requireAccepted(csr.getSubjectPublicKeyInfo());
    verifySignature(csr);
    if (KeyPolicy.sameKey(key, accountKey)) {
      throw badCsr("the certificate key must differ from the account key");
    }
    String commonName = commonName(csr);
    List<String> dnsNames = subjectAltDnsNames(csr, profile);
    byte[] spki = encoded(csr.getSubjectPublicKeyInfo());
    if (profile.isSystemSignature()) {
      checkSystemName(commonName);
      return new CheckedCsr(key, spki, commonName, List.of());
    }
    Set<String> names = new TreeSet<>(dnsNames);
    if (commonName != null && DNS_NAME.matcher(commonName.toLowerCase(Locale.ROOT)).matches()) {
      names.add(commonName.toLowerCase(Locale.ROOT));
    }
    checkSameNames(names, orderDnsNames);
    return new CheckedCsr(key, spki, commonName, List.copyOf(names));
  }

  /**
   * Lower-case hex of the SHA-256 of a SubjectPublicKeyInfo DER: the key's fingerprint, e.g. for
   * the list of keys blocked after a keyCompromise revocation.
   */
  public static String spkiSha256Hex(byte[] spki) {
    return HexFormat.of().formatHex(Pki.digest("SHA-256", spki));
  }

  private static PKCS10CertificationRequest parse(byte[] der) {
    try {
      PKCS10CertificationRequest csr = new PKCS10CertificationRequest(der);
      csr.getSubject(); // forces the lazily read fields
      return csr;
    } catch (IOException | RuntimeException e) {
      throw new AcmeProblem(ProblemType.BAD_CSR, "the CSR is not a DER PKCS#10 request", e);
    }
  }

  private static void verifySignature(PKCS10CertificationRequest csr) {
    ASN1ObjectIdentifier algorithm = csr.getSignatureAlgorithm().getAlgorithm();
    if (!SIGNATURE_ALGORITHMS.contains(algorithm)) {
      throw badCsr(
          "the CSR is signed with "
              + new DefaultAlgorithmNameFinder().getAlgorithmName(csr.getSignatureAlgorithm())
              + ", which is not accepted; sign it with SHA-256 or stronger");
    }
    boolean valid;
    try {
      valid =
          csr.isSignatureValid(
              new JcaContentVerifierProviderBuilder()
                  .setProvider(Pki.BC)
                  .build(csr.getSubjectPublicKeyInfo()));
    } catch (Exception e) {
      valid = false;
    }
    if (!valid) {
      throw badCsr("the CSR's signature does not verify with the CSR's public key");
    }
  }

  private static String commonName(PKCS10CertificationRequest csr) {
    RDN[] rdns = csr.getSubject().getRDNs(BCStyle.CN);
    if (rdns.length == 0) {
      return null;
    }
    if (rdns.length > 1 || rdns[0].isMultiValued()) {
      throw badCsr("the CSR subject has more than one common name (CN)");
    }
    ASN1Encodable value = rdns[0].getFirst().getValue();
    if (!(value instanceof ASN1String string)) {
      throw badCsr("the CSR subject's common name (CN) is not a string");
    }
    return string.getString();
  }

  /** The dNSName entries of the CSR's requested subjectAltName; any other entry is refused. */
  private static List<String> subjectAltDnsNames(PKCS10CertificationRequest csr, Profile profile) {
    List<String> dnsNames = new ArrayList<>();
    List<String> others = new ArrayList<>();
    for (Attribute attribute :
        csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
      for (ASN1Encodable value : attribute.getAttrValues()) {
        GeneralNames names;
        try {
          names =
              GeneralNames.fromExtensions(
                  Extensions.getInstance(value), Extension.subjectAlternativeName);
        } catch (RuntimeException e) {
          throw new AcmeProblem(
              ProblemType.BAD_CSR, "the CSR's requested extensions cannot be read", e);
        }
        for (GeneralName name : names == null ? new GeneralName[0] : names.getNames()) {
          if (name.getTagNo() == GeneralName.dNSName) {
            dnsNames.add(((ASN1String) name.getName()).getString().toLowerCase(Locale.ROOT));
          } else {
            others.add(describe(name));
          }
        }
      }
    }
    if (!others.isEmpty()) {
      throw badCsr(
          "the CSR's subjectAltName names "
              + String.join(", ", others)
              + "; this CA certifies only dns names");
    }
    if (profile.isSystemSignature() && !dnsNames.isEmpty()) {
      throw badCsr(
          "a system signature CSR must carry no dns names; it names "
              + String.join(", ", dnsNames));
    }
    return dnsNames;
  }

  private static String describe(GeneralName name) {
    return switch (name.getTagNo()) {
      case GeneralName.iPAddress -> "IP address " + ipAddress(name);
      case GeneralName.rfc822Name -> "e-mail address " + name.getName();
      case GeneralName.uniformResourceIdentifier -> "URI " + name.getName();
      case GeneralName.directoryName -> "directory name " + name.getName();
      case GeneralName.registeredID -> "registered ID " + name.getName();
      case GeneralName.otherName -> "an otherName";
      default -> "a name of type " + name.getTagNo();
    };
  }

  private static String ipAddress(GeneralName name) {
    byte[] octets = ASN1OctetString.getInstance(name.getName()).getOctets();
    try {
      return InetAddress.getByAddress(octets).getHostAddress();
    } catch (UnknownHostException e) {
      return HexFormat.of().formatHex(octets);
    }
  }

  private static void checkSameNames(Set<String> csrNames, Set<String> orderDnsNames) {
    Set<String> order =
        orderDnsNames.stream()
            .map(n -> n.toLowerCase(Locale.ROOT))
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> missing = new TreeSet<>(order);
    missing.removeAll(csrNames);
    Set<String> extra = new TreeSet<>(csrNames);
    extra.removeAll(order);
    List<String> parts = new ArrayList<>();
    if (!missing.isEmpty()) {
      parts.add("CSR is missing " + String.join(", ", missing));
    }
    if (!extra.isEmpty()) {
      parts.add("CSR names " + String.join(", ", extra) + " which the order does not");
    }
    if (!parts.isEmpty()) {
      throw badCsr(String.join("; ", parts));
    }
  }

  private static void checkSystemName(String name) {
    if (name == null || name.isBlank()) {
      throw badCsr("a system signature CSR must name the system in its subject common name (CN)");
    }
    int length = name.codePointCount(0, name.length());
    if (length > MAX_SYSTEM_NAME) {
      throw badCsr(
          "the system name (the CSR's CN) is "
              + length
              + " characters long; at most "
              + MAX_SYSTEM_NAME
              + " are allowed");
    }
    if (!name.equals(name.strip())) {
      throw badCsr("the system name (the CSR's CN) must not begin or end with a space");
    }
    name.codePoints()
        .filter(c -> !Character.isLetterOrDigit(c) && SYSTEM_NAME_PUNCTUATION.indexOf(c) < 0)
        .findFirst()
        .ifPresent(
            c -> {
              throw badCsr(
                  String.format(
                      "the system name (the CSR's CN) contains the character U+%04X; use letters,"
                          + " digits, space and ' ( ) + , - . / : = ? _",
                      c));
            });
  }

  private static byte[] encoded(ASN1Encodable value) {
    try {
      return value.toASN1Primitive().getEncoded("DER");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static AcmeProblem badCsr(String detail) {
    return new AcmeProblem(ProblemType.BAD_CSR, detail);
  }
}
