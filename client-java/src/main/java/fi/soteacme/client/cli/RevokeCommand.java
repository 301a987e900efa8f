package fi.soteacme.client.cli;

import fi.soteacme.client.Certificate;
import fi.soteacme.client.RevocationReason;
import fi.soteacme.client.SerialNumber;
import fi.soteacme.client.Session;
import fi.soteacme.client.storage.RenewalConfig;
import fi.soteacme.client.util.Pem;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sote-acme revoke}: revoke a stored certificate or a certificate file. */
@Command(
    name = "revoke",
    mixinStandardHelpOptions = true,
    description = {
      "Revoke a certificate, signed by the account, or by the certificate's own key with --key-path.",
      "Revocation cannot be undone. Reasons: unspecified, keycompromise (also blocks the key),"
          + " affiliationchanged, superseded, cessationofoperation."
    },
    footer = {
      "",
      "Examples:",
      "  sote-acme revoke --cert-name ap.example.fi --reason superseded",
      "  sote-acme revoke --server URL --cert-path cert.pem --key-path privkey.pem --reason keycompromise"
    })
final class RevokeCommand extends BaseCommand {
  @Option(names = "--cert-name", description = "A stored certificate.")
  String certName;

  @Option(names = "--cert-path", description = "A certificate file (PEM).")
  Path certPath;

  @Option(
      names = "--key-path",
      description = "Sign with the certificate's private key instead of the account.")
  Path keyPath;

  @Option(
      names = "--reason",
      defaultValue = "unspecified",
      description = "Revocation reason (default ${DEFAULT-VALUE}).")
  String reason;

  @Override
  int run() throws Exception {
    if ((certName == null) == (certPath == null)) {
      throw new ExitCodes.UsageException("Give either --cert-name or --cert-path");
    }
    RevocationReason why = RevocationReason.parse(reason);
    X509Certificate cert;
    URI server;
    Path caBundle = common.caBundle;
    if (certName != null) {
      cert = store().certificate(certName);
      RenewalConfig config = RenewalConfig.load(store().renewalFile(certName));
      server =
          common.server != null
              ? common.server
              : URI.create(config.get(RenewalConfig.SERVER).orElseThrow());
      if (caBundle == null) {
        caBundle = config.get(RenewalConfig.CA_BUNDLE).map(Path::of).orElse(null);
      }
    } else {
      List<X509Certificate> certs = Pem.readCertificates(certPath);
      if (certs.isEmpty()) {
        throw new ExitCodes.UsageException("No certificate in " + certPath);
      }
      cert = certs.get(0);
      server = common.server();
    }
    Session session = session(server, caBundle);
    if (keyPath != null) {
      Certificate.revoke(session, cert, Pem.readKeyPair(keyPath), why);
    } else {
      loadAccount(session).revoke(cert, why);
    }
    if (certName != null) {
      // The CA now puts the renewal window in the past: ask it again at the next renew (rather
      // than at the stored Retry-After, hours away), so that the replacement comes at once.
      Path file = store().renewalFile(certName);
      RenewalConfig.load(file).set(RenewalConfig.ARI_NEXT_CHECK, null).save(file);
    }
    SerialNumber serial = SerialNumber.of(cert);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("revoked", true);
    json.put("serialHex", serial.toHex());
    json.put("serialDecimal", serial.toDecimal());
    json.put("reason", why.name().toLowerCase(java.util.Locale.ROOT));
    print(
        json,
        "Revoked "
            + serial.toHex()
            + " ("
            + serial.toDecimal()
            + "), reason "
            + json.get("reason"));
    return ExitCodes.OK;
  }
}
