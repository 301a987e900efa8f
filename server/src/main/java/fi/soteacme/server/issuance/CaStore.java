package fi.soteacme.server.issuance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.asn1.x500.X500Name;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two CA hierarchies: production (issues {@code sote-server} and {@code sote-system-signature})
 * and test (issues the {@code -test} profiles). A test certificate never chains to the production
 * root: the hierarchies share no key, and the test CA's names say TEST.
 */
public final class CaStore {
  private static final Logger LOG = LoggerFactory.getLogger(CaStore.class);

  static final String PRODUCTION = "production";
  static final String TEST = "test";
  private static final Duration ROOT_VALIDITY = Duration.ofDays(20 * 365 + 5);
  private static final Duration ISSUING_VALIDITY = Duration.ofDays(10 * 365 + 2);
  private static final int ROOT_RSA_BITS = 4096;
  private static final int ISSUING_RSA_BITS = 3072;

  private final IssuingCa production;
  private final IssuingCa test;

  private CaStore(IssuingCa production, IssuingCa test) {
    this.production = production;
    this.test = test;
  }

  /**
   * The embedded default: loads both hierarchies from {@code dir}, or generates them there when the
   * directory holds none of their files. Files: {@code <ca>-root.pem}, {@code <ca>-root.key.pem},
   * {@code <ca>-issuing.pem}, {@code <ca>-issuing.key.pem} for {@code ca} = production and test;
   * key files are mode 0600. Generation writes every file to a temporary directory first and moves
   * them in only when all are written.
   *
   * @throws IOException if the files cannot be read or written, or only some of them exist
   */
  public static CaStore loadOrGenerate(Path dir) throws IOException {
    List<Path> required = new ArrayList<>();
    for (String ca : List.of(PRODUCTION, TEST)) {
      required.add(dir.resolve(ca + "-root.pem"));
      required.add(dir.resolve(ca + "-issuing.pem"));
      required.add(dir.resolve(ca + "-issuing.key.pem"));
    }
    List<Path> present = required.stream().filter(Files::exists).toList();
    boolean rootKeysPresent =
        Files.exists(dir.resolve(PRODUCTION + "-root.key.pem"))
            || Files.exists(dir.resolve(TEST + "-root.key.pem"));
    if (present.isEmpty() && !rootKeysPresent) {
      generate(dir);
    } else if (present.size() < required.size()) {
      List<Path> missing = required.stream().filter(p -> !Files.exists(p)).toList();
      throw new IOException(
          "the CA directory "
              + dir
              + " holds only part of the CA hierarchies: missing "
              + missing
              + "; restore the missing files, or remove "
              + present
              + " to generate new hierarchies");
    }
    return new CaStore(
        hierarchy(
            PRODUCTION,
            chain(dir, PRODUCTION),
            Pki.readPrivateKey(dir.resolve(PRODUCTION + "-issuing.key.pem"))),
        hierarchy(
            TEST, chain(dir, TEST), Pki.readPrivateKey(dir.resolve(TEST + "-issuing.key.pem"))));
  }

  /**
   * Loads operator-provided hierarchies (production configuration). Checks that each chain is an
   * issuing CA signed by its root, that each key belongs to its issuing CA, that the test CA's
   * names say TEST, and that the two hierarchies have different roots.
   *
   * @throws IOException if a file cannot be read or any check fails
   */
  public static CaStore load(CaSource production, CaSource test) throws IOException {
    IssuingCa productionCa = load(PRODUCTION, production);
    IssuingCa testCa = load(TEST, test);
    if (Arrays.equals(
        productionCa.root().getPublicKey().getEncoded(),
        testCa.root().getPublicKey().getEncoded())) {
      throw new IOException("the production and test hierarchies must have different roots");
    }
    for (X509Certificate c : List.of(testCa.certificate(), testCa.root())) {
      if (!c.getSubjectX500Principal().getName().contains("TEST")) {
        throw new IOException(
            "the test hierarchy's names must say TEST: " + c.getSubjectX500Principal().getName());
      }
    }
    return new CaStore(productionCa, testCa);
  }

  /** The hierarchy that issues {@code profile}: test profiles get the test CA. */
  public IssuingCa forProfile(Profile profile) {
    return profile.isTest() ? test : production;
  }

  /** The production hierarchy. */
  public IssuingCa production() {
    return production;
  }

  /** The test hierarchy. */
  public IssuingCa test() {
    return test;
  }

  private static IssuingCa load(String name, CaSource source) throws IOException {
    if (source instanceof CaSource.PemFiles pem) {
      return hierarchy(
          name, Pki.readCertificates(pem.chainFile()), Pki.readPrivateKey(pem.privateKeyFile()));
    }
    CaSource.Pkcs12File p12 = (CaSource.Pkcs12File) source;
    char[] password = p12.password();
    try (InputStream in = Files.newInputStream(p12.file())) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      try {
        store.load(in, password);
      } catch (IOException e) {
        throw new IOException(p12 + ": cannot read (" + e.getMessage() + ")", e);
      }
      String alias = p12.alias() != null ? p12.alias() : singleKeyAlias(store, p12);
      if (!store.isKeyEntry(alias)) {
        throw new IOException(p12 + ": no private key entry with alias " + alias);
      }
      PrivateKey key = (PrivateKey) store.getKey(alias, password);
      Certificate[] chain = store.getCertificateChain(alias);
      List<X509Certificate> certificates = new ArrayList<>();
      for (Certificate c : chain == null ? new Certificate[0] : chain) {
        certificates.add((X509Certificate) c);
      }
      return hierarchy(name, certificates, key);
    } catch (GeneralSecurityException e) {
      throw new IOException(p12 + ": cannot read (" + e.getMessage() + ")", e);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private static String singleKeyAlias(KeyStore store, CaSource.Pkcs12File p12)
      throws GeneralSecurityException, IOException {
    List<String> keyAliases = new ArrayList<>();
    for (String alias : Collections.list(store.aliases())) {
      if (store.isKeyEntry(alias)) {
        keyAliases.add(alias);
      }
    }
    if (keyAliases.size() != 1) {
      throw new IOException(
          p12 + ": holds " + keyAliases.size() + " key entries " + keyAliases + "; name an alias");
    }
    return keyAliases.get(0);
  }

  private static List<X509Certificate> chain(Path dir, String name) throws IOException {
    List<X509Certificate> chain =
        new ArrayList<>(Pki.readCertificates(dir.resolve(name + "-issuing.pem")));
    chain.addAll(Pki.readCertificates(dir.resolve(name + "-root.pem")));
    return chain;
  }

  /** Checks one hierarchy: [issuing CA, root], the root signed the issuing CA, the key fits. */
  private static IssuingCa hierarchy(String name, List<X509Certificate> chain, PrivateKey key)
      throws IOException {
    if (chain.size() != 2) {
      throw new IOException(
          "the "
              + name
              + " CA chain must hold exactly two certificates, the issuing CA then its root; found "
              + chain.size());
    }
    X509Certificate issuing = chain.get(0);
    X509Certificate root = chain.get(1);
    String issuingName = issuing.getSubjectX500Principal().getName();
    try {
      root.verify(root.getPublicKey());
      issuing.verify(root.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new IOException(
          "the " + name + " CA chain is not [issuing CA, self-signed root]: " + e.getMessage(), e);
    }
    if (issuing.getBasicConstraints() < 0 || root.getBasicConstraints() < 0) {
      throw new IOException("the " + name + " CA certificates must be CA certificates");
    }
    if (!Pki.keysMatch(key, issuing.getPublicKey())) {
      throw new IOException(
          "the " + name + " CA private key does not belong to its certificate " + issuingName);
    }
    return new IssuingCa(name, issuing, key, root);
  }

  private static void generate(Path dir) throws IOException {
    LOG.info("generating production and test CA hierarchies in {}", dir);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    // RSA key generation dominates; make all four keys at once.
    var keys =
        List.of(ROOT_RSA_BITS, ISSUING_RSA_BITS, ROOT_RSA_BITS, ISSUING_RSA_BITS).stream()
            .map(bits -> CompletableFuture.supplyAsync(() -> CaCertificates.rsaKeyPair(bits)))
            .toList()
            .stream()
            .map(CompletableFuture::join)
            .toList();
    Path temp = FilePermissions.createTempDirectory(dir, ".ca-generating-");
    try {
      writeHierarchy(temp, PRODUCTION, "sote-acme", keys.get(0), keys.get(1), now);
      writeHierarchy(temp, TEST, "sote-acme TEST", keys.get(2), keys.get(3), now);
      try (var files = Files.list(temp)) {
        for (Path file : files.toList()) {
          Files.move(file, dir.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        }
      }
    } finally {
      try (var leftovers = Files.list(temp)) {
        for (Path file : leftovers.toList()) {
          Files.delete(file);
        }
      }
      Files.delete(temp);
    }
  }

  private static void writeHierarchy(
      Path dir, String name, String prefix, KeyPair rootKeys, KeyPair issuingKeys, Instant now)
      throws IOException {
    X500Name rootName = new X500Name("C=FI, O=sote-acme, CN=" + prefix + " Root CA");
    X500Name issuingName =
        new X500Name("C=FI, O=sote-acme, CN=" + prefix + " Service Certificates CA");
    X509Certificate root =
        CaCertificates.root(rootName, rootKeys, now, now.plus(ROOT_VALIDITY).minusSeconds(1));
    X509Certificate issuing =
        CaCertificates.intermediate(
            issuingName,
            issuingKeys.getPublic(),
            root,
            rootKeys.getPrivate(),
            now,
            now.plus(ISSUING_VALIDITY).minusSeconds(1));
    try {
      Pki.writeNew(dir.resolve(name + "-root.pem"), Pki.certificatePem(root.getEncoded()), false);
      Pki.writeNew(
          dir.resolve(name + "-issuing.pem"), Pki.certificatePem(issuing.getEncoded()), false);
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
    Pki.writeNew(
        dir.resolve(name + "-root.key.pem"), Pki.privateKeyPem(rootKeys.getPrivate()), true);
    Pki.writeNew(
        dir.resolve(name + "-issuing.key.pem"), Pki.privateKeyPem(issuingKeys.getPrivate()), true);
  }
}
