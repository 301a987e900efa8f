package fi.soteacme.client.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options that create an account (account register, and order when no account exists yet). */
final class AccountOptions {
  @Option(
      names = {"-m", "--email"},
      split = ",",
      description = "Contact e-mail address(es) of the account.")
  List<String> emails = new ArrayList<>();

  @Option(names = "--agree-tos", description = "Agree to the CA's terms of service.")
  boolean agreeTos;

  @Option(names = "--eab-kid", description = "Key identifier of the invitation (EAB).")
  String eabKid;

  @Option(names = "--eab-hmac-key", description = "HMAC key of the invitation, base64url.")
  String eabHmacKey;

  @Option(
      names = "--account-key-type",
      defaultValue = "ec256",
      description =
          "Key type of a new account key: rsa2048,"
              + " rsa3072, rsa4096, ec256, ec384 (default ${DEFAULT-VALUE}).")
  String accountKeyType;
}
