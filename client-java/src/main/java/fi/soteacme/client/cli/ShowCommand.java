package fi.soteacme.client.cli;

import fi.soteacme.client.storage.RenewalConfig;
import fi.soteacme.client.util.Pem;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sote-acme show}: one certificate in detail. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description =
        "Show a stored certificate, or a certificate file: names, serial in hex and decimal, validity, ARI certID.",
    footer = {
      "",
      "Examples:",
      "  sote-acme show --cert-name ap.example.fi",
      "  sote-acme show /path/to/cert.pem --json"
    })
final class ShowCommand extends BaseCommand {
  @Option(names = "--cert-name", description = "A stored certificate.")
  String certName;

  @Parameters(arity = "0..1", paramLabel = "FILE", description = "A certificate file (PEM or DER).")
  Path file;

  @Override
  int run() throws Exception {
    if ((certName == null) == (file == null)) {
      throw new ExitCodes.UsageException("Give either --cert-name or a certificate file");
    }
    X509Certificate cert;
    Map<String, Object> json = new LinkedHashMap<>();
    if (certName != null) {
      cert = store().certificate(certName);
      json.put("name", certName);
      json.put("live", store().live(certName).toAbsolutePath().toString());
    } else {
      byte[] bytes = java.nio.file.Files.readAllBytes(file);
      List<X509Certificate> certs =
          Pem.parseCertificates(new String(bytes, java.nio.charset.StandardCharsets.US_ASCII));
      cert = certs.isEmpty() ? Pem.parseDer(bytes) : certs.get(0);
    }
    json.putAll(CertificateInfo.describe(cert));
    if (certName != null) {
      RenewalConfig config = RenewalConfig.load(store().renewalFile(certName));
      config
          .instant(RenewalConfig.ARI_RENEWAL_TIME)
          .ifPresent(t -> json.put("ariRenewalTime", t.toString()));
      config.get(RenewalConfig.PROFILE).ifPresent(p -> json.put("profile", p));
      config.get(RenewalConfig.ORG).ifPresent(o -> json.put("organisation", o));
    }
    print(json, CertificateInfo.text(json));
    return ExitCodes.OK;
  }
}
