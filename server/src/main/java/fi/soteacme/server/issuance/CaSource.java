package fi.soteacme.server.issuance;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an operator keeps one CA hierarchy: PEM files or a PKCS#12 file. Either way the chain is
 * the issuing CA certificate followed by its root, and the key is the issuing CA's.
 */
public sealed interface CaSource permits CaSource.PemFiles, CaSource.Pkcs12File {

  /**
   * A PEM certificate chain (issuing CA first, root last) and an unencrypted PEM private key
   * (PKCS#8 {@code PRIVATE KEY}, or PKCS#1 {@code RSA PRIVATE KEY} / SEC 1 {@code EC PRIVATE KEY}).
   */
  static CaSource pem(Path chainFile, Path privateKeyFile) {
    return new PemFiles(chainFile, privateKeyFile);
  }

  /** A PKCS#12 file; {@code alias} may be null when the file has exactly one key entry. */
  static CaSource pkcs12(Path file, char[] password, String alias) {
    return new Pkcs12File(file, password, alias);
  }

  /** See {@link CaSource#pem}. */
  record PemFiles(Path chainFile, Path privateKeyFile) implements CaSource {
    public PemFiles {
      Objects.requireNonNull(chainFile, "chainFile");
      Objects.requireNonNull(privateKeyFile, "privateKeyFile");
    }
  }

  /** See {@link CaSource#pkcs12}. */
  record Pkcs12File(Path file, char[] password, String alias) implements CaSource {
    public Pkcs12File {
      Objects.requireNonNull(file, "file");
      password = password == null ? new char[0] : password.clone();
    }

    @Override
    public char[] password() {
      return password.clone();
    }

    /** Never prints the password. */
    @Override
    public String toString() {
      return "Pkcs12File[" + file + (alias == null ? "" : ", alias " + alias) + "]";
    }
  }
}
