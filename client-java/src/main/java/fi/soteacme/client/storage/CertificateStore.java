package fi.soteacme.client.storage;

import fi.soteacme.client.util.Pem;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificates on disk, laid out as certbot lays them out, so that existing web server
 * configurations and habits carry over:
 *
 * <pre>
 * &lt;config-dir&gt;/archive/&lt;name&gt;/{privkey,cert,chain,fullchain}N.pem, certN.der   (every version)
 * &lt;config-dir&gt;/live/&lt;name&gt;/{privkey,cert,chain,fullchain}.pem, cert.der        (symlinks to the newest)
 * &lt;config-dir&gt;/renewal/&lt;name&gt;.conf                                              (see {@link RenewalConfig})
 * </pre>
 *
 * Files are written atomically; private keys are 0600 and the archive and live directories 0700. A
 * new version is written completely before any live link moves; the links then move one by one
 * (privkey last, as certbot does not promise either: reload the server from a deploy hook).
 */
public final class CertificateStore {
  /** The file names in {@code live/<name>/}. */
  public static final List<String> LIVE_FILES =
      List.of("cert.pem", "chain.pem", "fullchain.pem", "cert.der", "privkey.pem");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern VERSIONED = Pattern.compile("cert(\\d+)\\.pem");

  private final Path configDir;

  /**
   * Opens a store.
   *
   * @param configDir the configuration directory (certbot's {@code --config-dir})
   */
  public CertificateStore(Path configDir) {
    this.configDir = configDir;
  }

  /**
   * Returns the configuration directory.
   *
   * @return the directory
   */
  public Path configDir() {
    return configDir;
  }

  /**
   * Checks a certificate name (a lineage name; usually the first DNS name).
   *
   * @param name the name
   * @return the name
   * @throws IllegalArgumentException if it could escape its directory or is empty
   */
  public static String checkName(String name) {
    if (!NAME.matcher(name).matches() || name.contains("..")) {
      throw new IllegalArgumentException(
          "A certificate name uses letters, digits, '.', '_' and '-' only: " + name);
    }
    return name;
  }

  /**
   * Returns the live directory of a certificate.
   *
   * @param name the certificate name
   * @return {@code live/<name>}
   */
  public Path live(String name) {
    return configDir.resolve("live").resolve(checkName(name));
  }

  /**
   * Returns the archive directory of a certificate.
   *
   * @param name the certificate name
   * @return {@code archive/<name>}
   */
  public Path archive(String name) {
    return configDir.resolve("archive").resolve(checkName(name));
  }

  /**
   * Returns the renewal configuration file of a certificate.
   *
   * @param name the certificate name
   * @return {@code renewal/<name>.conf}
   */
  public Path renewalFile(String name) {
    return configDir.resolve("renewal").resolve(checkName(name) + ".conf");
  }

  /**
   * Stores a new version of a certificate and points the live links at it.
   *
   * @param name the certificate name
   * @param key the certificate's key pair
   * @param chain the chain, leaf first
   * @return the version number written
   * @throws IOException if writing fails (the live links then still point at the old version)
   */
  public int save(String name, KeyPair key, List<X509Certificate> chain) throws IOException {
    Path archive = archive(name);
    Path live = live(name);
    AtomicFiles.privateDirectory(archive);
    AtomicFiles.privateDirectory(live);
    int version = latestVersion(name).orElse(0) + 1;
    X509Certificate leaf = chain.get(0);
    List<X509Certificate> issuers = chain.subList(1, chain.size());
    byte[] der;
    try {
      der = leaf.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IOException("Cannot encode the certificate", e);
    }
    AtomicFiles.write(
        archive.resolve("privkey" + version + ".pem"),
        Pem.privateKey(key.getPrivate()),
        AtomicFiles.PRIVATE);
    AtomicFiles.write(archive.resolve("cert" + version + ".der"), der, AtomicFiles.PUBLIC);
    AtomicFiles.write(
        archive.resolve("chain" + version + ".pem"), Pem.certificates(issuers), AtomicFiles.PUBLIC);
    AtomicFiles.write(
        archive.resolve("fullchain" + version + ".pem"),
        Pem.certificates(chain),
        AtomicFiles.PUBLIC);
    // cert N is written last: its presence marks version N as complete.
    AtomicFiles.write(
        archive.resolve("cert" + version + ".pem"),
        Pem.certificates(List.of(leaf)),
        AtomicFiles.PUBLIC);
    for (String file : LIVE_FILES) {
      String versioned = file.replace(".", version + ".");
      AtomicFiles.symlink(live.resolve(file), Path.of("..", "..", "archive", name, versioned));
    }
    return version;
  }

  /**
   * Returns the newest complete version in the archive.
   *
   * @param name the certificate name
   * @return the version, if any
   * @throws IOException if the archive cannot be read
   */
  public Optional<Integer> latestVersion(String name) throws IOException {
    Path archive = archive(name);
    if (!Files.isDirectory(archive)) {
      return Optional.empty();
    }
    int max = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(archive, "cert*.pem")) {
      for (Path f : files) {
        Matcher m = VERSIONED.matcher(f.getFileName().toString());
        if (m.matches()) {
          max = Math.max(max, Integer.parseInt(m.group(1)));
        }
      }
    }
    return max == 0 ? Optional.empty() : Optional.of(max);
  }

  /**
   * Reads the live chain.
   *
   * @param name the certificate name
   * @return the chain, leaf first
   * @throws IOException if absent or unreadable
   */
  public List<X509Certificate> chain(String name) throws IOException {
    return Pem.readCertificates(live(name).resolve("fullchain.pem"));
  }

  /**
   * Reads the live certificate.
   *
   * @param name the certificate name
   * @return the leaf
   * @throws IOException if absent or unreadable
   */
  public X509Certificate certificate(String name) throws IOException {
    List<X509Certificate> certs = Pem.readCertificates(live(name).resolve("cert.pem"));
    if (certs.isEmpty()) {
      throw new IOException("No certificate in " + live(name).resolve("cert.pem"));
    }
    return certs.get(0);
  }

  /**
   * Reads the live private key.
   *
   * @param name the certificate name
   * @return the key pair
   * @throws IOException if absent or unreadable
   */
  public KeyPair keyPair(String name) throws IOException {
    return Pem.readKeyPair(live(name).resolve("privkey.pem"));
  }

  /**
   * Lists the certificates that have a renewal configuration.
   *
   * @return the names, sorted
   * @throws IOException if the directory cannot be read
   */
  public List<String> names() throws IOException {
    Path dir = configDir.resolve("renewal");
    TreeSet<String> out = new TreeSet<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.conf")) {
        for (Path f : files) {
          String n = f.getFileName().toString();
          out.add(n.substring(0, n.length() - ".conf".length()));
        }
      }
    }
    return new ArrayList<>(out);
  }
}
