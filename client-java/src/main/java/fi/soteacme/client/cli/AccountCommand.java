package fi.soteacme.client.cli;

import fi.soteacme.client.Account;
import fi.soteacme.client.Session;
import fi.soteacme.client.storage.AccountStore;
import fi.soteacme.client.util.KeyPairs;
import fi.soteacme.client.util.KeyType;
import java.net.URI;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sote-acme account ...}: the ACME account of a server. */
@Command(
    name = "account",
    description = "Register, show, update, deactivate, roll over or link the ACME account.",
    mixinStandardHelpOptions = true,
    subcommands = {
      AccountCommand.Register.class,
      AccountCommand.Show.class,
      AccountCommand.Update.class,
      AccountCommand.Deactivate.class,
      AccountCommand.Rollover.class,
      AccountCommand.Link.class
    })
final class AccountCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "Missing subcommand: register, show, update, deactivate, rollover or link");
  }

  static Map<String, Object> describe(Account account) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("url", account.location().toString());
    json.put("status", account.status().wireName());
    json.put("contact", account.contacts().stream().map(URI::toString).toList());
    account.ordersUrl().ifPresent(u -> json.put("orders", u.toString()));
    return json;
  }

  static String text(Account account) {
    return "Account: "
        + account.location()
        + "\nStatus:  "
        + account.status().wireName()
        + "\nContact: "
        + String.join(", ", account.contacts().stream().map(URI::toString).toList());
  }

  @Command(
      name = "register",
      mixinStandardHelpOptions = true,
      description = "Create an account with the invitation (EAB) your organisation sent.",
      footer = {
        "",
        "Example:",
        "  sote-acme account register --server https://acme.example.fi/directory \\",
        "    --email admin@example.fi --agree-tos --eab-kid KID --eab-hmac-key KEY"
      })
  static final class Register extends BaseCommand {
    @Mixin AccountOptions options;

    @Override
    int run() throws Exception {
      URI server = common.server();
      Session session = session(server, common.caBundle);
      if (accounts().load(server).isPresent()) {
        throw new ExitCodes.UsageException(
            "An account for " + server + " exists already in " + accounts().dir(server));
      }
      Account account = register(session, options);
      print(describe(account), text(account));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Fetch and print the account.",
      footer = {"", "Example:", "  sote-acme account show --server URL --json"})
  static final class Show extends BaseCommand {
    @Override
    int run() throws Exception {
      Account account = loadAccount(session(common.server(), common.caBundle));
      account.fetch();
      print(describe(account), text(account));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = "Replace the account's contact addresses.",
      footer = {"", "Example:", "  sote-acme account update --server URL --email ops@example.fi"})
  static final class Update extends BaseCommand {
    @Option(
        names = {"-m", "--email"},
        split = ",",
        required = true,
        description = "The new contact e-mail address(es).")
    List<String> emails;

    @Override
    int run() throws Exception {
      Account account = loadAccount(session(common.server(), common.caBundle));
      account.updateContacts(emails.stream().map(e -> URI.create("mailto:" + e.trim())).toList());
      print(describe(account), text(account));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "deactivate",
      mixinStandardHelpOptions = true,
      description = "Deactivate the account for good; its certificates stay valid.",
      footer = {"", "Example:", "  sote-acme account deactivate --server URL --yes"})
  static final class Deactivate extends BaseCommand {
    @Option(names = "--yes", required = true, description = "Confirm: this cannot be undone.")
    boolean yes;

    @Override
    int run() throws Exception {
      Account account = loadAccount(session(common.server(), common.caBundle));
      account.deactivate();
      print(describe(account), text(account));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "rollover",
      mixinStandardHelpOptions = true,
      description = "Move the account to a new key (RFC 8555 §7.3.5).",
      footer = {"", "Example:", "  sote-acme account rollover --server URL --key-type ec384"})
  static final class Rollover extends BaseCommand {
    @Option(
        names = "--key-type",
        defaultValue = "ec256",
        description = "Type of the new account key (default ${DEFAULT-VALUE}).")
    String keyType;

    @Override
    int run() throws Exception {
      URI server = common.server();
      Account account = loadAccount(session(server, common.caBundle));
      KeyPair newKey = KeyPairs.generate(KeyType.parse(keyType));
      AccountStore store = accounts();
      store.stageNextKey(server, newKey);
      account.changeKey(newKey);
      store.commitNextKey(server);
      progress().step("The account now uses a new " + keyType + " key");
      print(describe(account), text(account));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "link",
      mixinStandardHelpOptions = true,
      description =
          "Link the account to a further organisation that invited it (sote-acme), so one key"
              + " serves every organisation.",
      footer = {
        "",
        "Example:",
        "  sote-acme account link --server URL --eab-kid KID --eab-hmac-key KEY"
      })
  static final class Link extends BaseCommand {
    @Option(names = "--eab-kid", required = true, description = "Key identifier of the invitation.")
    String eabKid;

    @Option(names = "--eab-hmac-key", required = true, description = "HMAC key of the invitation.")
    String eabHmacKey;

    @Override
    int run() throws Exception {
      Account account = loadAccount(session(common.server(), common.caBundle));
      account.link(eabKid, eabHmacKey);
      print(describe(account), text(account));
      return ExitCodes.OK;
    }
  }
}
