package fi.soteacme.client.cli;

import fi.soteacme.client.renewal.RenewalScheduler;
import fi.soteacme.client.storage.CertificateStore;
import fi.soteacme.client.storage.RenewalConfig;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code sote-acme list}: the stored certificates. */
@Command(
    name = "list",
    aliases = "certificates",
    mixinStandardHelpOptions = true,
    description = "List the stored certificates with serial, expiry and next renewal.",
    footer = {"", "Example:", "  sote-acme list --json"})
final class ListCommand extends BaseCommand {
  @Override
  int run() throws Exception {
    CertificateStore store = store();
    List<Map<String, Object>> json = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (String name : store.names()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("name", name);
      try {
        X509Certificate cert = store.certificate(name);
        RenewalConfig config = RenewalConfig.load(store.renewalFile(name));
        one.putAll(CertificateInfo.describe(cert));
        one.put(
            "renewal",
            config
                .instant(RenewalConfig.ARI_RENEWAL_TIME)
                .orElse(
                    RenewalScheduler.lifetimeDue(
                        cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()))
                .toString());
        one.put("live", store.live(name).toAbsolutePath().toString());
        text.append(
            String.format(
                "%s%n  names:   %s%n  serial:  %s (%s)%n  expires: %s%n  renewal: %s%n",
                name,
                String.join(", ", CertificateInfo.dnsNames(cert)),
                one.get("serialHex"),
                one.get("serialDecimal"),
                one.get("notAfter"),
                one.get("renewal")));
      } catch (Exception e) {
        one.put("error", e.getMessage());
        text.append(name).append(": unreadable: ").append(e.getMessage()).append('\n');
      }
      json.add(one);
    }
    if (json.isEmpty()) {
      text.append("No certificates in ").append(common.configDir());
    }
    print(Map.of("certificates", json), text.toString().stripTrailing());
    return ExitCodes.OK;
  }
}
