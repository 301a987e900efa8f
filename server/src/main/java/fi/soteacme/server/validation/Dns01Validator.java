package fi.soteacme.server.validation;

import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import io.vertx.core.Future;
import java.util.List;
import java.util.stream.Collectors;

/**
 * dns-01 (RFC 8555 §8.4): some TXT record at {@code _acme-challenge.<name>} must hold
 * base64url(SHA-256(key authorization)). A wildcard's {@code *.} is dropped first (§8.4: the
 * wildcard is validated at its base name).
 */
final class Dns01Validator {
  static final String LABEL = "_acme-challenge.";
  private static final int MAX_LISTED = 5;

  private final Resolver resolver;

  Dns01Validator(Resolver resolver) {
    this.resolver = resolver;
  }

  /** The name whose TXT records prove control of {@code dnsName}. */
  static String recordName(String dnsName) {
    return LABEL + (dnsName.startsWith("*.") ? dnsName.substring(2) : dnsName);
  }

  Future<Void> validate(String dnsName, String keyAuthorization) {
    String name = recordName(dnsName);
    String expected = ChallengeValidator.dns01TxtValue(keyAuthorization);
    return resolver
        .txt(name)
        .compose(
            records -> {
              if (records.contains(expected)) {
                return Future.succeededFuture();
              }
              String detail =
                  records.isEmpty()
                      ? "No TXT record found at " + name + "; expected " + Problems.quote(expected)
                      : "Incorrect TXT record at "
                          + name
                          + ": expected "
                          + Problems.quote(expected)
                          + ", found "
                          + listed(records);
              return Future.failedFuture(new AcmeProblem(ProblemType.INCORRECT_RESPONSE, detail));
            });
  }

  private static String listed(List<String> records) {
    String shown =
        records.stream().limit(MAX_LISTED).map(Problems::quote).collect(Collectors.joining(", "));
    return records.size() > MAX_LISTED
        ? shown + " and " + (records.size() - MAX_LISTED) + " more"
        : shown;
  }
}
