package fi.soteacme.client.cli;

import fi.soteacme.client.renewal.RenewalScheduler;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sote-acme renew}: renew every stored certificate that is due. */
@Command(
    name = "renew",
    mixinStandardHelpOptions = true,
    description = {
      "Renew the stored certificates that are due: inside the CA's renewal window (ARI, a random"
          + " time in it, remembered), or without ARI when a third of the lifetime remains.",
      "Renewals name their predecessor ('replaces'); deploy hooks run only after success."
    },
    footer = {
      "",
      "Examples:",
      "  sote-acme renew                       # from a systemd timer, twice a day",
      "  sote-acme renew --loop                # stay running; sleep until the next due time",
      "  sote-acme renew --cert-name ap.example.fi --force-renewal"
    })
final class RenewCommand extends BaseCommand {
  @Option(names = "--cert-name", split = ",", description = "Only these certificates.")
  List<String> certNames = new ArrayList<>();

  @Option(names = "--force-renewal", description = "Renew even when not due.")
  boolean force;

  @Option(
      names = "--deploy-hook",
      description = "Command run after each renewal, instead of the stored one.")
  String deployHook;

  @Option(
      names = "--loop",
      description =
          "Keep running: renew what is due, sleep until the next due time (with jitter), repeat.")
  boolean loop;

  @Option(
      names = "--timeout",
      defaultValue = "900",
      description = "Seconds to wait per order (default ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Override
  int run() throws Exception {
    RenewalScheduler scheduler = new RenewalScheduler(Clock.systemUTC(), new SecureRandom());
    Progress progress = progress();
    Renewer renewer =
        new Renewer(
            store(),
            this::session,
            this::loadAccount,
            scheduler,
            progress,
            Duration.ofSeconds(timeoutSeconds),
            deployHook);
    int failedPasses = 0;
    while (true) {
      List<Instant> wakes;
      int code;
      try {
        List<Renewer.Report> reports = pass(renewer);
        code = report(reports);
        wakes = reports.stream().map(Renewer.Report::nextWake).toList();
        failedPasses = 0;
      } catch (Exception e) {
        if (!loop) {
          throw e;
        }
        // The loop outlives anything a pass can hit (an unreadable config dir, a full disk).
        failedPasses++;
        progress.warn("renewal pass failed: " + e.getMessage());
        code = ExitCodes.of(e);
        wakes = List.of(scheduler.nextAttemptAfterFailure(failedPasses));
      }
      if (!loop) {
        return code;
      }
      Duration sleep = scheduler.sleepUntilNext(wakes);
      progress.step("Next check in " + sleep.toMinutes() + " min");
      closeSessions();
      Thread.sleep(sleep.toMillis());
      force = false;
    }
  }

  private List<Renewer.Report> pass(Renewer renewer) throws Exception {
    List<String> names = certNames.isEmpty() ? store().names() : certNames;
    List<Renewer.Report> reports = new ArrayList<>();
    for (String name : names) {
      reports.add(renewer.renew(name, force));
    }
    return reports;
  }

  private int report(List<Renewer.Report> reports) {
    int code = ExitCodes.OK;
    List<Map<String, Object>> json = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (Renewer.Report r : reports) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("name", r.name());
      one.put("outcome", r.outcome().name().toLowerCase(java.util.Locale.ROOT));
      one.putAll(r.details());
      if (r.error() != null) {
        one.put("error", String.valueOf(r.error().getMessage()));
        if (code == ExitCodes.OK) {
          code = ExitCodes.of(r.error());
        }
      }
      json.add(one);
      text.append(r.name())
          .append(": ")
          .append(r.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
      if (r.details().containsKey("due")) {
        text.append(", due ").append(r.details().get("due"));
      }
      if (r.details().containsKey("serialHex")) {
        text.append(", serial ")
            .append(r.details().get("serialHex"))
            .append(" (")
            .append(r.details().get("serialDecimal"))
            .append(")");
      }
      if (r.error() != null) {
        text.append(": ").append(r.error().getMessage());
      }
      text.append('\n');
    }
    if (reports.isEmpty()) {
      text.append("No certificates in ").append(common.configDir()).append('\n');
    }
    print(Map.of("certificates", json), text.toString().stripTrailing());
    return code;
  }
}
