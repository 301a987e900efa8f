package fi.soteacme.server;

import fi.soteacme.server.config.ServerConfig;
import fi.soteacme.server.validation.ValidationSettings;

/** Maps the configuration to the validation role's settings. */
final class Validation {
  private Validation() {}

  static ValidationSettings settings(ServerConfig.Validation v) {
    return new ValidationSettings(
        v.httpPort(), v.tlsPort(), v.dnsServer(), v.hostOverrides(), v.timeout());
  }
}
