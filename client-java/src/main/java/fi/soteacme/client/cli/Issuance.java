package fi.soteacme.client.cli;

import fi.soteacme.client.Account;
import fi.soteacme.client.Authorization;
import fi.soteacme.client.Identifier;
import fi.soteacme.client.Order;
import fi.soteacme.client.OrderBuilder;
import fi.soteacme.client.Status;
import fi.soteacme.client.challenge.Challenge;
import fi.soteacme.client.challenge.SoteConformity01Challenge;
import fi.soteacme.client.challenge.SoteRegister01Challenge;
import fi.soteacme.client.challenge.TokenChallenge;
import fi.soteacme.client.exception.AcmeException;
import fi.soteacme.client.exception.AcmeProtocolException;
import fi.soteacme.client.exception.AcmeServerException;
import fi.soteacme.client.util.Csrs;
import fi.soteacme.client.util.KeyPairs;
import fi.soteacme.client.util.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One certificate order from start to download: the steps the CLI shares between order and renew.
 */
final class Issuance {
  /**
   * What to order.
   *
   * @param domains DNS names (server profiles)
   * @param org the organisation's OID, or {@code null}
   * @param profile the profile, or {@code null} for the server's default
   * @param keyType the type of the new certificate key
   * @param systemName the system name (system signature profiles), or {@code null}
   * @param conformityDocument the certificate of conformity PDF, or {@code null}
   * @param replaces the ARI certID of the certificate this renews, or {@code null}
   */
  record Request(
      List<String> domains,
      String org,
      String profile,
      KeyType keyType,
      String systemName,
      Path conformityDocument,
      String replaces) {}

  /**
   * What came back.
   *
   * @param keyPair the certificate's new key pair
   * @param chain the chain, leaf first
   * @param order the order
   */
  record Result(KeyPair keyPair, List<X509Certificate> chain, Order order) {}

  private final Progress progress;
  private final Duration timeout;

  Issuance(Progress progress, Duration timeout) {
    this.progress = progress;
    this.timeout = timeout;
  }

  Result run(Account account, Request request, SolverSettings solver)
      throws AcmeException, Exception {
    Order order;
    try {
      order = create(account, request, request.replaces());
    } catch (AcmeServerException e) {
      if (request.replaces() == null || !e.problem().is("alreadyReplaced")) {
        throw e;
      }
      progress.warn("the predecessor was already replaced; ordering without 'replaces'");
      order = create(account, request, null);
    }
    progress.step("Order " + order.location() + " is " + order.status().wireName());
    authorize(order, request, solver);
    progress.step("Waiting for the order to become ready (up to " + timeout.toSeconds() + " s)");
    expect(order, order.waitForStatus(Set.of(Status.READY), timeout), Status.READY);

    KeyPair keyPair = KeyPairs.generate(request.keyType());
    byte[] csr =
        Csrs.forProfile(request.profile(), keyPair, request.domains(), request.systemName());
    order.finalizeOrder(csr);
    progress.step("Finalized; waiting for the certificate (up to " + timeout.toSeconds() + " s)");
    expect(order, order.waitForStatus(Set.of(Status.VALID), timeout), Status.VALID);
    List<X509Certificate> chain =
        order
            .certificate()
            .orElseThrow(() -> new AcmeProtocolException("The valid order has no certificate URL"))
            .download();
    return new Result(keyPair, chain, order);
  }

  private static Order create(Account account, Request request, String replaces)
      throws AcmeException {
    OrderBuilder builder = account.newOrder().domains(request.domains());
    if (request.org() != null) {
      builder.organisation(request.org());
    }
    if (request.profile() != null) {
      builder.profile(request.profile());
    }
    if (replaces != null) {
      builder.replaces(replaces);
    }
    return builder.create();
  }

  private void authorize(Order order, Request request, SolverSettings settings) throws Exception {
    List<Authorization> pending = new ArrayList<>();
    for (Authorization authz : order.fetchAuthorizations()) {
      if (authz.status() == Status.PENDING) {
        pending.add(authz);
      } else if (authz.status() != Status.VALID) {
        throw new AcmeProtocolException(
            "Authorization for "
                + authz.identifier().map(Object::toString).orElse("?")
                + " is "
                + authz.status().wireName());
      }
    }
    Map<Authorization, TokenChallenge> presented = new java.util.LinkedHashMap<>();
    List<Challenge> triggered = new ArrayList<>();
    ChallengeSolver solver = null;
    try {
      for (Authorization authz : pending) {
        Identifier id =
            authz
                .identifier()
                .orElseThrow(() -> new AcmeProtocolException("Authorization without identifier"));
        if (id.type().equals(Identifier.TYPE_SOTE_ORG)) {
          organisationChallenge(authz, request).ifPresent(triggered::add);
        } else {
          TokenChallenge challenge =
              authz
                  .challenge(settings.challengeType())
                  .filter(TokenChallenge.class::isInstance)
                  .map(TokenChallenge.class::cast)
                  .orElseThrow(
                      () ->
                          new AcmeProtocolException(
                              "The CA offers no "
                                  + settings.challengeType()
                                  + " for "
                                  + id
                                  + "; offered: "
                                  + authz.challenges().stream().map(Challenge::type).toList()));
          if (solver == null) {
            solver = settings.open(progress);
          }
          progress.step("Presenting " + settings.challengeType() + " for " + id.value());
          solver.present(id, challenge);
          presented.put(authz, challenge);
        }
      }
      if (!presented.isEmpty()) {
        solver.awaitReady();
        for (TokenChallenge challenge : presented.values()) {
          challenge.trigger();
        }
      }
      for (Challenge c : triggered) {
        c.trigger();
      }
      for (Authorization authz : pending) {
        progress.step(
            "Waiting for "
                + authz.identifier().map(Identifier::value).orElse("?")
                + " to be validated (up to "
                + timeout.toSeconds()
                + " s)");
        Status status = authz.waitForStatus(Set.of(Status.VALID), timeout);
        if (status != Status.VALID) {
          String why =
              authz.challenges().stream()
                  .flatMap(c -> c.error().stream())
                  .map(Object::toString)
                  .findFirst()
                  .orElse("no reason given");
          throw new AcmeProtocolException(
              "Validation of "
                  + authz.identifier().map(Object::toString).orElse("?")
                  + " failed: "
                  + why);
        }
      }
    } finally {
      if (solver != null) {
        try (ChallengeSolver s = solver) {
          presented.forEach((authz, c) -> s.cleanup(authz.identifier().orElseThrow(), c));
        }
      }
    }
  }

  /** Answers an organisation's authorization; returns the challenge still to trigger, if any. */
  private java.util.Optional<Challenge> organisationChallenge(Authorization authz, Request request)
      throws Exception {
    var conformity = authz.challenge(SoteConformity01Challenge.class);
    if (conformity.isPresent() && conformity.get().status() == Status.PENDING) {
      if (request.systemName() == null) {
        throw new ExitCodes.UsageException(
            "The CA wants a certificate of conformity for this system signature order: give"
                + " --system-name and --conformity-document");
      }
      if (request.conformityDocument() == null) {
        // A renewal, or a new order for a system the CA approved before: name it only.
        try {
          conformity.get().submit(request.systemName());
        } catch (AcmeServerException e) {
          if (!e.problem().is("malformed")) {
            throw e;
          }
          throw new ExitCodes.UsageException(
              "The CA has no approved certificate of conformity for "
                  + request.systemName()
                  + ": give --conformity-document ("
                  + e.problem().detailText().orElse(e.getMessage())
                  + ")");
        }
        progress.step(
            "Named " + request.systemName() + ", whose conformity the CA approved before");
        return java.util.Optional.empty();
      }
      byte[] pdf = Files.readAllBytes(request.conformityDocument());
      conformity
          .get()
          .submit(request.systemName(), pdf, request.conformityDocument().getFileName().toString());
      progress.step(
          "Submitted the certificate of conformity; an operator reviews it (this can take days)");
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        authz
            .challenge(SoteRegister01Challenge.class)
            .map(Challenge.class::cast)
            .orElseThrow(() -> new AcmeProtocolException("No sote-register-01 challenge offered")));
  }

  private static void expect(Order order, Status status, Status wanted) throws AcmeException {
    if (status != wanted) {
      throw order
          .error()
          .<AcmeException>map(fi.soteacme.client.exception.AcmeServerException::new)
          .orElseGet(
              () ->
                  new AcmeProtocolException(
                      "Order is " + status.wireName() + ", not " + wanted.wireName()));
    }
  }
}
