package fi.soteacme.server.customer;

import fi.soteacme.server.account.Account;
import fi.soteacme.server.identifier.Identifier;
import fi.soteacme.server.issuance.Profile;
import fi.soteacme.server.organisation.Organisation;
import fi.soteacme.server.organisation.Organisations;
import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/**
 * Who may order what for which organisation (kanta-extension.md): the organisation of an order,
 * active in the register today, an account linked to its customer account, and the role the profile
 * needs. Checked at newOrder, again at finalize, and on every read of an order's resources.
 */
public final class OrganisationAccess {
  private final Organisations organisations;

  /** An organisation the account may order for, and the role it acts in. */
  public record Grant(Organisation organisation, Role role) {}

  public OrganisationAccess(Organisations organisations) {
    this.organisations = organisations;
  }

  /**
   * The organisation named by the order's {@code sote-org} identifier or, without one, the one
   * organisation the account is linked to.
   */
  public Future<String> organisationOf(Account account, List<Identifier> identifiers) {
    List<Identifier> named =
        identifiers.stream().filter(i -> Identifier.SOTE_ORG.equals(i.type())).toList();
    if (named.size() > 1) {
      throw AcmeProblem.malformed("an order names at most one sote-org identifier");
    }
    if (named.size() == 1) {
      return Future.succeededFuture(named.get(0).value());
    }
    List<String> oids =
        account.links().stream().map(AccountLink::organisationOid).distinct().toList();
    if (oids.isEmpty()) {
      throw AcmeProblem.unauthorized(
          "this account is not linked to any organisation; register or link it with an"
              + " invitation (EAB) from the organisation's customer account");
    }
    if (oids.size() > 1) {
      throw AcmeProblem.malformed(
          "this account acts for "
              + oids.size()
              + " organisations; name one with a {\"type\": \"sote-org\"} identifier");
    }
    return Future.succeededFuture(oids.get(0));
  }

  /** Checks that the account may order the profile for the organisation now. */
  public Future<Grant> check(
      Account account, String oid, boolean named, Profile profile, Instant now) {
    return organisations
        .find(oid)
        .map(
            found -> {
              if (found.isEmpty() || !found.get().activeAt(now)) {
                String why =
                    found.isEmpty()
                        ? oid + " is not in the THL-SOTE or Kanta intermediary register"
                        : oid
                            + " is not active in the register: "
                            + found.get().inactiveReason(now);
                throw problem(ProblemType.REJECTED_IDENTIFIER, why, oid, named);
              }
              try {
                // The subject must be buildable within RFC 5280's 64 characters per field.
                found.get().subjectOrganisationName();
                found.get().subjectOrganisationalUnit();
              } catch (AcmeProblem p) {
                throw problem(p.type(), p.detail(), oid, named);
              }
              // A customer account covers its organisation and, for a top organisation, the
              // units below it in the register.
              String top = found.get().topOid();
              Role role =
                  account.links().stream()
                      .filter(
                          l -> l.organisationOid().equals(oid) || l.organisationOid().equals(top))
                      .map(AccountLink::role)
                      .reduce((a, b) -> a == Role.MEMBER ? a : b)
                      .orElseThrow(
                          () ->
                              problem(
                                  ProblemType.UNAUTHORIZED,
                                  "this account is not linked to the customer account of "
                                      + oid
                                      + "; ask the organisation for an invitation",
                                  oid,
                                  named));
              if (profile.isSystemSignature() && role != Role.MEMBER) {
                throw problem(
                    ProblemType.UNAUTHORIZED,
                    "a technical partner cannot order "
                        + profile.id()
                        + " certificates: the organisation's own member applies for"
                        + " them (kanta-extension.md)",
                    oid,
                    named);
              }
              return new Grant(found.get(), role);
            });
  }

  /** Fails unless the account is still linked to the organisation (a removed link ends access). */
  public Future<Void> requireLinked(Account account, String oid) {
    if (oid == null) {
      return Future.succeededFuture();
    }
    return isLinked(account, oid)
        .map(
            linked -> {
              if (!linked) {
                throw AcmeProblem.notFound("no such resource for this account");
              }
              return null;
            });
  }

  /** True when the account acts for the organisation, directly or through its top organisation. */
  public Future<Boolean> isLinked(Account account, String oid) {
    List<AccountLink> links = account.links();
    if (links.stream().anyMatch(l -> l.organisationOid().equals(oid))) {
      return Future.succeededFuture(true);
    }
    return organisations
        .find(oid)
        .map(
            org -> {
              String top = org.map(Organisation::topOid).orElse(null);
              return links.stream().anyMatch(l -> l.organisationOid().equals(top));
            });
  }

  private static AcmeProblem problem(ProblemType type, String detail, String oid, boolean named) {
    // A client that sent only dns identifiers must never see an identifier type it cannot parse.
    return named
        ? new AcmeProblem(
            type,
            detail,
            List.of(new AcmeProblem.Subproblem(type, detail, Identifier.SOTE_ORG, oid)))
        : new AcmeProblem(type, detail);
  }
}
