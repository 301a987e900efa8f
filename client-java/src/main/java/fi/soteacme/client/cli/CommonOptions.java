package fi.soteacme.client.cli;

import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command takes. */
final class CommonOptions {
  @Option(
      names = "--server",
      description =
          "ACME directory URL (env SOTE_ACME_SERVER). Stored certificates remember theirs.")
  URI server;

  @Option(
      names = "--config-dir",
      description =
          "Where accounts, keys and certificates live (env SOTE_ACME_CONFIG_DIR; default"
              + " /etc/sote-acme as root, else ~/.config/sote-acme).")
  Path configDir;

  @Option(
      names = "--ca-bundle",
      description = "PEM file of the CA certificates to trust for the server's TLS.")
  Path caBundle;

  @Option(names = "--json", description = "Print the result as JSON on stdout, for tools.")
  boolean json;

  @Option(
      names = {"-v", "--verbose"},
      description = "Print progress and details on stderr even when it is not a terminal.")
  boolean verbose;

  Path configDir() {
    if (configDir != null) {
      return configDir;
    }
    String env = System.getenv("SOTE_ACME_CONFIG_DIR");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    if ("root".equals(System.getProperty("user.name"))) {
      return Path.of("/etc/sote-acme");
    }
    return Path.of(System.getProperty("user.home"), ".config", "sote-acme");
  }

  URI server() throws ExitCodes.UsageException {
    if (server != null) {
      return server;
    }
    String env = System.getenv("SOTE_ACME_SERVER");
    if (env != null && !env.isBlank()) {
      return URI.create(env.trim());
    }
    throw new ExitCodes.UsageException("Give the ACME directory URL with --server");
  }
}
