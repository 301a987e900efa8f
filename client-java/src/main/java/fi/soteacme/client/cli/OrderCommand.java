package fi.soteacme.client.cli;

import fi.soteacme.client.Account;
import fi.soteacme.client.Session;
import fi.soteacme.client.storage.CertificateStore;
import fi.soteacme.client.storage.RenewalConfig;
import fi.soteacme.client.util.Csrs;
import fi.soteacme.client.util.KeyType;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sote-acme order} (alias {@code certonly}): order a certificate and store it. */
@Command(
    name = "order",
    aliases = "certonly",
    mixinStandardHelpOptions = true,
    description = "Order a certificate, store it under live/<name>/ and remember how to renew it.",
    footer = {
      "",
      "Examples:",
      "  sote-acme order --server URL -d ap.example.fi --org 1.2.246.10.2048198.10.0 \\",
      "    --webroot-path /var/www/html --deploy-hook 'systemctl reload nginx'",
      "  sote-acme certonly --server URL -d ap.example.fi --http-01-port 8080",
      "  sote-acme order --server URL --profile sote-system-signature \\",
      "    --org 1.2.246.10.2048198.10.0 --system-name Todistuspalvelu --key-type ec256",
    })
final class OrderCommand extends BaseCommand {
  @Option(
      names = {"-d", "--domains", "--domain"},
      split = ",",
      description = "DNS name(s); the first is the certificate's CN.")
  List<String> domains = new ArrayList<>();

  @Option(
      names = "--cert-name",
      description = "Name of the stored certificate (default: the first name, without '*.').")
  String certName;

  @Option(
      names = "--org",
      description = "OID of the organisation the certificate is for (sote-org).")
  String org;

  @Option(
      names = "--profile",
      description =
          "Certificate profile, e.g. sote-server, sote-system-signature (default: the CA's).")
  String profile;

  @Option(
      names = "--key-type",
      defaultValue = "rsa2048",
      description =
          "Key of the certificate: rsa2048, rsa3072, rsa4096, ec256, ec384 (default ${DEFAULT-VALUE}).")
  String keyType;

  @Option(
      names = "--system-name",
      description = "System name (CN) of a system signature certificate.")
  String systemName;

  @Option(
      names = "--conformity-document",
      description =
          "Certificate of conformity (PDF) for a private organisation's system signature.")
  Path conformityDocument;

  @Option(
      names = "--deploy-hook",
      description = "Command run after each successful issuance (e.g. reload nginx).")
  String deployHook;

  @Option(
      names = "--timeout",
      defaultValue = "900",
      description = "Seconds to wait for validation and issuance (default ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Mixin AccountOptions accountOptions;

  @Mixin SolverOptions solverOptions;

  @Override
  int run() throws Exception {
    URI server = common.server();
    boolean system = Csrs.isSystemSignature(profile);
    if (system && (systemName == null || org == null || !domains.isEmpty())) {
      throw new ExitCodes.UsageException(
          "A system signature certificate needs --org and --system-name, and no -d");
    }
    if (!system && domains.isEmpty()) {
      throw new ExitCodes.UsageException("Give at least one DNS name with -d");
    }
    KeyType type = KeyType.parse(keyType);
    String name =
        CertificateStore.checkName(
            certName != null
                ? certName
                : system
                    ? systemName.replaceAll("[^A-Za-z0-9._-]", "_")
                    : domains.get(0).replaceFirst("^\\*\\.", ""));
    SolverSettings solver = solverOptions.settings();

    Session session = session(server, common.caBundle);
    Account account = ensureAccount(session, accountOptions);
    Issuance.Request request =
        new Issuance.Request(domains, org, profile, type, systemName, conformityDocument, null);
    Progress progress = progress();
    Issuance.Result result =
        new Issuance(progress, Duration.ofSeconds(timeoutSeconds)).run(account, request, solver);

    CertificateStore store = store();
    int version = store.save(name, result.keyPair(), result.chain());
    RenewalConfig config = new RenewalConfig();
    config
        .set(RenewalConfig.SERVER, server)
        .set(
            RenewalConfig.CA_BUNDLE,
            common.caBundle == null ? null : common.caBundle.toAbsolutePath())
        .set(RenewalConfig.ACCOUNT, account.location())
        .set(RenewalConfig.DOMAINS, String.join(",", domains))
        .set(RenewalConfig.ORG, org)
        .set(RenewalConfig.PROFILE, profile)
        .set(RenewalConfig.KEY_TYPE, type.label())
        .set(RenewalConfig.SYSTEM_NAME, systemName)
        .set(RenewalConfig.DEPLOY_HOOK, deployHook);
    solver.store(config);
    config.save(store.renewalFile(name));
    if (deployHook != null) {
      Renewer.deploy(deployHook, store, name, domains, progress);
    }
    print(result(name, version, store, result), text(name, store, result));
    return ExitCodes.OK;
  }

  static Map<String, Object> result(
      String name, int version, CertificateStore store, Issuance.Result result) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", name);
    json.put("version", version);
    json.put("live", store.live(name).toAbsolutePath().toString());
    json.put("order", result.order().location().toString());
    result.order().organisation().ifPresent(o -> json.put("organisation", o));
    json.putAll(CertificateInfo.describe(result.chain().get(0)));
    return json;
  }

  static String text(String name, CertificateStore store, Issuance.Result result) {
    return "Certificate "
        + name
        + " saved in "
        + store.live(name).toAbsolutePath()
        + "\n"
        + CertificateInfo.text(CertificateInfo.describe(result.chain().get(0)));
  }
}
