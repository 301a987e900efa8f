package fi.soteacme.client.cli;

import fi.soteacme.client.connector.Json;
import fi.soteacme.client.exception.AcmeRateLimitedException;
import fi.soteacme.client.exception.AcmeServerException;
import fi.soteacme.client.exception.AcmeUserActionRequiredException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sote-acme} command: order, renew and revoke service certificates over ACME. */
@Command(
    name = "sote-acme",
    mixinStandardHelpOptions = true,
    version = "sote-acme 0.1.0",
    description =
        "Order, renew and revoke Finnish social and health care service certificates over ACME.",
    subcommands = {
      AccountCommand.class,
      OrderCommand.class,
      RenewCommand.class,
      RevokeCommand.class,
      ListCommand.class,
      ShowCommand.class,
      SerialCommand.class,
      fi.soteacme.client.cli.bench.BenchCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 ok, 1 error, 2 usage, 3 refused by the CA, 4 network,",
      "  5 rate limited, 6 a person must act (unauthorized, terms),",
      "  7 still pending (e.g. a conformity review). See client-java/README.md."
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Creates the top command; picocli instantiates it. */
  public Main() {}

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
  }

  /**
   * Builds the command line with the exit code mapping, for {@link #main} and tests.
   *
   * @return the configured command line
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          int code = ExitCodes.of(e);
          PrintWriter err = commandLine.getErr();
          err.println("error: " + message(e));
          err.flush();
          if (wantsJson(parseResult)) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("error", message(e));
            json.put("exitCode", code);
            if (e instanceof AcmeServerException se) {
              json.put("problem", se.problem().json());
            }
            commandLine.getOut().println(Json.of(json));
            commandLine.getOut().flush();
          }
          return code;
        });
    return cl;
  }

  private static boolean wantsJson(CommandLine.ParseResult parseResult) {
    for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
      if (r.hasMatchedOption("--json")) {
        return true;
      }
    }
    return false;
  }

  static String message(Throwable e) {
    if (e instanceof AcmeRateLimitedException rl) {
      return "rate limited: "
          + rl.problem()
          + rl.retryAfter().map(t -> "; retry after " + t).orElse("");
    }
    if (e instanceof AcmeUserActionRequiredException ua) {
      return ua.problem()
          + ua.instance().map(u -> "; visit " + u).orElse("")
          + ua.termsOfService().map(u -> "; terms: " + u).orElse("");
    }
    if (e instanceof AcmeServerException se) {
      return "the CA refused: " + se.problem();
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /**
   * Runs the command and exits with its code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    System.exit(commandLine().execute(args));
  }
}
