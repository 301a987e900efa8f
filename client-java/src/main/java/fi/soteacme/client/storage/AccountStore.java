package fi.soteacme.client.storage;

import fi.soteacme.client.util.Pem;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Optional;
import java.util.Properties;

/**
 * The ACME account of each server: {@code accounts/<server>/account.properties} (the account URL)
 * and {@code accounts/<server>/private_key.pem} (0600), in a 0700 directory.
 */
public final class AccountStore {
  private static final String PROPERTIES = "account.properties";
  private static final String KEY = "private_key.pem";
  private static final String NEXT_KEY = "private_key.next.pem";
  private static final String URL = "url";

  /**
   * An account on disk.
   *
   * @param url the account URL
   * @param keyPair the account key pair
   */
  public record StoredAccount(URI url, KeyPair keyPair) {}

  private final Path configDir;

  /**
   * Opens the store.
   *
   * @param configDir the configuration directory
   */
  public AccountStore(Path configDir) {
    this.configDir = configDir;
  }

  /**
   * Returns the directory of a server's account.
   *
   * @param server the directory URL
   * @return {@code accounts/<host_port_path>}
   */
  public Path dir(URI server) {
    String slug =
        (server.getHost() + (server.getPort() > 0 ? "_" + server.getPort() : "") + server.getPath())
            .replaceAll("[^A-Za-z0-9._-]", "_");
    return configDir.resolve("accounts").resolve(slug);
  }

  /**
   * Reads the account of a server.
   *
   * @param server the directory URL
   * @return the account, if one is stored
   * @throws IOException if the files are unreadable
   */
  public Optional<StoredAccount> load(URI server) throws IOException {
    Path dir = dir(server);
    Path props = dir.resolve(PROPERTIES);
    if (!Files.exists(props)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(props, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    String url = p.getProperty(URL);
    if (url == null) {
      throw new IOException("No account URL in " + props);
    }
    return Optional.of(new StoredAccount(URI.create(url), Pem.readKeyPair(dir.resolve(KEY))));
  }

  /**
   * Stores the account of a server (key first, then the URL that makes it count).
   *
   * @param server the directory URL
   * @param url the account URL
   * @param keyPair the account key pair
   * @throws IOException if writing fails
   */
  public void save(URI server, URI url, KeyPair keyPair) throws IOException {
    Path dir = dir(server);
    AtomicFiles.privateDirectory(dir);
    AtomicFiles.write(dir.resolve(KEY), Pem.privateKey(keyPair.getPrivate()), AtomicFiles.PRIVATE);
    Properties p = new Properties();
    p.setProperty(URL, url.toString());
    p.setProperty("server", server.toString());
    StringWriter w = new StringWriter();
    p.store(w, "sote-acme account");
    AtomicFiles.write(dir.resolve(PROPERTIES), w.toString(), AtomicFiles.PRIVATE);
  }

  /**
   * Writes the key a rollover is about to install, before the server learns of it, so that a crash
   * between the two never loses the account.
   *
   * @param server the directory URL
   * @param keyPair the new key pair
   * @throws IOException if writing fails
   */
  public void stageNextKey(URI server, KeyPair keyPair) throws IOException {
    AtomicFiles.write(
        dir(server).resolve(NEXT_KEY), Pem.privateKey(keyPair.getPrivate()), AtomicFiles.PRIVATE);
  }

  /**
   * Makes the staged key the account key, after the server accepted the rollover.
   *
   * @param server the directory URL
   * @throws IOException if the rename fails (the staged key then stays in place)
   */
  public void commitNextKey(URI server) throws IOException {
    Path dir = dir(server);
    Files.move(
        dir.resolve(NEXT_KEY),
        dir.resolve(KEY),
        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
