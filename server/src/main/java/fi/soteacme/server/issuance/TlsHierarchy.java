package fi.soteacme.server.issuance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local TLS setup of the embedded default: a local root ({@code ca.pem}), a server certificate
 * chain ({@code server.pem}) and its key ({@code server.key.pem}, mode 0600), EC P-256. Clients
 * trust {@code ca.pem}. The local root's key is not kept: when the server certificate expires or
 * lacks a requested name, all three files are made anew.
 *
 * @param caCertificate the local root certificate, PEM
 * @param serverCertificateChain the server certificate followed by the local root, PEM
 * @param serverPrivateKey the server's private key, PKCS#8 PEM
 */
public record TlsHierarchy(Path caCertificate, Path serverCertificateChain, Path serverPrivateKey) {
  private static final Logger LOG = LoggerFactory.getLogger(TlsHierarchy.class);

  /** The names of the default setup. */
  public static final List<String> DEFAULT_DNS_NAMES = List.of("localhost");

  /** The IP addresses of the default setup. */
  public static final List<String> DEFAULT_IP_ADDRESSES = List.of("127.0.0.1", "::1");

  private static final Duration ROOT_VALIDITY = Duration.ofDays(10 * 365);
  private static final Duration SERVER_VALIDITY = Duration.ofDays(825);
  private static final Duration RENEW_BEFORE = Duration.ofDays(30);

  /** {@link #loadOrGenerate(Path, List, List)} for localhost, 127.0.0.1 and ::1. */
  public static TlsHierarchy loadOrGenerate(Path dir) throws IOException {
    return loadOrGenerate(dir, DEFAULT_DNS_NAMES, DEFAULT_IP_ADDRESSES);
  }

  /**
   * Reuses the files in {@code dir} while the server certificate is valid for at least 30 more days
   * and names every requested DNS name and IP address; otherwise writes new ones.
   *
   * @throws IOException if the files cannot be read or written, or only some of them exist
   */
  public static TlsHierarchy loadOrGenerate(
      Path dir, List<String> dnsNames, List<String> ipAddresses) throws IOException {
    TlsHierarchy files =
        new TlsHierarchy(
            dir.resolve("ca.pem"), dir.resolve("server.pem"), dir.resolve("server.key.pem"));
    List<Path> all =
        List.of(files.caCertificate, files.serverCertificateChain, files.serverPrivateKey);
    long present = all.stream().filter(Files::exists).count();
    if (present == all.size() && files.serves(dnsNames, ipAddresses)) {
      return files;
    }
    if (present > 0 && present < all.size()) {
      throw new IOException(
          "the TLS directory "
              + dir
              + " holds only some of "
              + all
              + "; remove them to start anew");
    }
    files.generate(dir, dnsNames, ipAddresses);
    return files;
  }

  private boolean serves(List<String> dnsNames, List<String> ipAddresses) throws IOException {
    X509Certificate server = Pki.readCertificates(serverCertificateChain).get(0);
    if (server.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE))) {
      LOG.info("local TLS certificate {} expires soon; making a new one", serverCertificateChain);
      return false;
    }
    if (!Pki.keysMatch(Pki.readPrivateKey(serverPrivateKey), server.getPublicKey())) {
      LOG.info(
          "{} does not belong to {}; making new ones", serverPrivateKey, serverCertificateChain);
      return false;
    }
    List<String> named = new ArrayList<>();
    try {
      Collection<List<?>> sans = server.getSubjectAlternativeNames();
      for (List<?> san : sans == null ? List.<List<?>>of() : sans) {
        named.add(normalise(san.get(1).toString()));
      }
    } catch (CertificateParsingException e) {
      throw new IOException(serverCertificateChain + ": " + e.getMessage(), e);
    }
    boolean all =
        dnsNames.stream().allMatch(n -> named.contains(n.toLowerCase(java.util.Locale.ROOT)))
            && ipAddresses.stream().allMatch(ip -> named.contains(normalise(ip)));
    if (!all) {
      LOG.info(
          "local TLS certificate {} lacks a requested name; making a new one",
          serverCertificateChain);
    }
    return all;
  }

  private static String normalise(String name) {
    try {
      if (name.indexOf(':') >= 0 || name.matches("[0-9.]+")) {
        return java.net.InetAddress.getByName(name).getHostAddress();
      }
    } catch (java.net.UnknownHostException e) {
      return name;
    }
    return name.toLowerCase(java.util.Locale.ROOT);
  }

  private void generate(Path dir, List<String> dnsNames, List<String> ipAddresses)
      throws IOException {
    LOG.info("generating the local TLS root and server certificate in {}", dir);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    KeyPair rootKeys = CaCertificates.ecKeyPair("secp256r1");
    KeyPair serverKeys = CaCertificates.ecKeyPair("secp256r1");
    X509Certificate root =
        CaCertificates.root(
            new X500Name("O=sote-acme, CN=sote-acme local TLS root"),
            rootKeys,
            now,
            now.plus(ROOT_VALIDITY));
    String cn = dnsNames.isEmpty() ? "sote-acme" : dnsNames.get(0);
    X509Certificate server =
        CaCertificates.tlsServer(
            new X500Name("O=sote-acme, CN=" + cn),
            serverKeys.getPublic(),
            dnsNames,
            ipAddresses,
            root,
            rootKeys.getPrivate(),
            now,
            now.plus(SERVER_VALIDITY));
    Path temp = FilePermissions.createTempDirectory(dir, ".tls-generating-");
    try {
      String rootPem = Pki.certificatePem(root.getEncoded());
      Pki.writeNew(temp.resolve("ca.pem"), rootPem, false);
      Pki.writeNew(
          temp.resolve("server.pem"), Pki.certificatePem(server.getEncoded()) + rootPem, false);
      Pki.writeNew(
          temp.resolve("server.key.pem"), Pki.privateKeyPem(serverKeys.getPrivate()), true);
      for (String name : List.of("server.key.pem", "server.pem", "ca.pem")) {
        Files.move(
            temp.resolve(name),
            dir.resolve(name),
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    } finally {
      try (var leftovers = Files.list(temp)) {
        for (Path file : leftovers.toList()) {
          Files.delete(file);
        }
      }
      Files.delete(temp);
    }
  }
}
