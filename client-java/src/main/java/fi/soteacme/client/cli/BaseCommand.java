package fi.soteacme.client.cli;

import fi.soteacme.client.Account;
import fi.soteacme.client.AccountBuilder;
import fi.soteacme.client.Metadata;
import fi.soteacme.client.Session;
import fi.soteacme.client.connector.Json;
import fi.soteacme.client.exception.AcmeException;
import fi.soteacme.client.storage.AccountStore;
import fi.soteacme.client.storage.CertificateStore;
import fi.soteacme.client.util.KeyPairs;
import fi.soteacme.client.util.KeyType;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command shares: options, sessions, the stores, output. */
abstract class BaseCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  private final Map<String, Session> sessions = new HashMap<>();

  @Override
  public final Integer call() throws Exception {
    try {
      return run();
    } finally {
      closeSessions();
    }
  }

  abstract int run() throws Exception;

  /** Closes the sessions, so that the next use reads the directory afresh (long-running loops). */
  void closeSessions() {
    sessions.values().forEach(Session::close);
    sessions.clear();
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  Progress progress() {
    return new Progress(
        spec.commandLine().getErr(), System.console() != null && !common.json, common.verbose);
  }

  CertificateStore store() {
    return new CertificateStore(common.configDir());
  }

  AccountStore accounts() {
    return new AccountStore(common.configDir());
  }

  Session session(URI server, Path caBundle) throws AcmeException, IOException {
    String key = server + "|" + caBundle;
    Session s = sessions.get(key);
    if (s == null) {
      Session.Builder b = Session.builder(server);
      if (caBundle != null) {
        b.trustAnchors(caBundle);
      }
      s = b.build();
      sessions.put(key, s);
    }
    return s;
  }

  Account loadAccount(Session session) throws Exception {
    URI server = session.directoryUrl();
    AccountStore.StoredAccount stored =
        accounts()
            .load(server)
            .orElseThrow(
                () ->
                    new ExitCodes.UsageException(
                        "No account for "
                            + server
                            + " in "
                            + common.configDir()
                            + "; run 'sote-acme account register' first"));
    return session.login(stored.url(), stored.keyPair()).account();
  }

  Account ensureAccount(Session session, AccountOptions options) throws Exception {
    if (accounts().load(session.directoryUrl()).isPresent()) {
      return loadAccount(session);
    }
    return register(session, options);
  }

  Account register(Session session, AccountOptions options) throws Exception {
    Metadata meta = session.directory().meta();
    if (meta.termsOfService().isPresent() && !options.agreeTos) {
      throw new ExitCodes.UsageException(
          "Read the terms of service at " + meta.termsOfService().get() + " and pass --agree-tos");
    }
    if (meta.externalAccountRequired() && (options.eabKid == null || options.eabHmacKey == null)) {
      throw new ExitCodes.UsageException(
          "The CA requires an invitation: pass --eab-kid and --eab-hmac-key");
    }
    KeyPair key = KeyPairs.generate(KeyType.parse(options.accountKeyType));
    AccountBuilder builder = new AccountBuilder().keyPair(key);
    options.emails.forEach(builder::addEmail);
    if (options.agreeTos) {
      builder.agreeToTermsOfService();
    }
    if (options.eabKid != null) {
      builder.externalAccountBinding(options.eabKid, options.eabHmacKey);
    }
    Account account = builder.create(session);
    accounts().save(session.directoryUrl(), account.location(), key);
    progress().step("Registered account " + account.location());
    return account;
  }

  void print(Map<String, ?> json, String text) {
    if (common.json) {
      out().println(Json.of(json));
    } else {
      out().println(text);
    }
    out().flush();
  }
}
