package fi.soteacme.server.identifier;

import fi.soteacme.server.config.ServerConfig;
import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What names this CA issues for: dns names of LDH labels (RFC 1035/5890 lengths, no trailing dot),
 * never IP addresses, within the configured allowed suffixes and outside the refused ones. The
 * reserved TLD {@code test} only where configured (the embedded default, for local trials).
 */
public final class IdentifierPolicy {
  private static final Pattern LABEL = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");
  private static final Pattern OID = Pattern.compile("^[0-2](\\.(0|[1-9][0-9]*))+$");
  private static final Pattern IPV4 = Pattern.compile("^[0-9.]+$");
  private static final Set<String> RESERVED_TLDS =
      Set.of("test", "example", "invalid", "localhost", "local", "internal", "arpa", "onion");

  private final ServerConfig.Identifiers config;

  public IdentifierPolicy(ServerConfig.Identifiers config) {
    this.config = config;
  }

  /**
   * Parses an order's identifiers, normalised and without duplicates. Every refused identifier
   * becomes a subproblem naming it; the order fails as a whole.
   */
  public List<Identifier> check(Object raw) {
    if (!(raw instanceof JsonArray array) || array.isEmpty()) {
      throw AcmeProblem.malformed("\"identifiers\" must be a non-empty array");
    }
    if (array.size() > 100) {
      throw new AcmeProblem(ProblemType.REJECTED_IDENTIFIER, "at most 100 identifiers per order");
    }
    Set<Identifier> out = new LinkedHashSet<>();
    List<AcmeProblem.Subproblem> problems = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof JsonObject json)
          || !(json.getValue("type") instanceof String type)
          || !(json.getValue("value") instanceof String value)) {
        throw AcmeProblem.malformed("every identifier must be {\"type\": ..., \"value\": ...}");
      }
      try {
        out.add(checkOne(type, value));
      } catch (AcmeProblem p) {
        problems.add(new AcmeProblem.Subproblem(p.type(), p.detail(), type, value));
      }
    }
    if (problems.size() == 1) {
      var p = problems.get(0);
      throw new AcmeProblem(p.type(), p.detail(), problems);
    }
    if (!problems.isEmpty()) {
      ProblemType type = problems.get(0).type();
      boolean same = problems.stream().allMatch(p -> p.type() == type);
      throw new AcmeProblem(
          same ? type : ProblemType.REJECTED_IDENTIFIER,
          problems.size() + " identifiers cannot be issued for; see subproblems",
          problems);
    }
    return List.copyOf(out);
  }

  private Identifier checkOne(String type, String value) {
    if ("ip".equals(type)) {
      throw new AcmeProblem(
          ProblemType.REJECTED_IDENTIFIER,
          "certificates are not issued for IP addresses; order a DNS name instead");
    }
    if (Identifier.SOTE_ORG.equals(type)) {
      if (!OID.matcher(value).matches() || value.length() > 128) {
        throw AcmeProblem.malformed(
            "a sote-org value must be an organisation OID such as 1.2.246.10.2048198.10.0");
      }
      return new Identifier(Identifier.SOTE_ORG, value);
    }
    if (!Identifier.DNS.equals(type)) {
      throw new AcmeProblem(
          ProblemType.UNSUPPORTED_IDENTIFIER, "identifier type \"" + type + "\" is not supported");
    }
    String name = value.toLowerCase(Locale.ROOT);
    String detail = syntaxError(name);
    if (detail != null) {
      throw new AcmeProblem(ProblemType.REJECTED_IDENTIFIER, value + " " + detail);
    }
    String base = name.startsWith("*.") ? name.substring(2) : name;
    String tld = base.substring(base.lastIndexOf('.') + 1);
    if (RESERVED_TLDS.contains(tld) && !("test".equals(tld) && config.allowTestTld())) {
      throw new AcmeProblem(
          ProblemType.REJECTED_IDENTIFIER,
          value + " is under the reserved top-level domain ." + tld);
    }
    for (String refused : config.refusedSuffixes()) {
      if (matches(base, refused)) {
        throw new AcmeProblem(
            ProblemType.REJECTED_IDENTIFIER,
            value + " is under " + refused + ", which this CA refuses");
      }
    }
    if (!config.allowedSuffixes().isEmpty()
        && config.allowedSuffixes().stream().noneMatch(s -> matches(base, s))
        && !("test".equals(tld) && config.allowTestTld())) {
      throw new AcmeProblem(
          ProblemType.REJECTED_IDENTIFIER,
          value + " is not under a domain this CA issues for: " + config.allowedSuffixes());
    }
    return new Identifier(Identifier.DNS, name);
  }

  private static boolean matches(String name, String suffix) {
    String s = suffix.startsWith(".") ? suffix.substring(1) : suffix;
    s = s.toLowerCase(Locale.ROOT);
    return name.equals(s) || name.endsWith("." + s);
  }

  /** Null when the name is a syntactically valid dns name (a leading "*." allowed). */
  static String syntaxError(String name) {
    if (name.isEmpty()) {
      return "is empty";
    }
    if (name.endsWith(".")) {
      return "ends with a dot; send the name without the trailing dot";
    }
    if (name.contains(":") || IPV4.matcher(name).matches()) {
      return "is an IP address; certificates are issued for DNS names only";
    }
    String base = name.startsWith("*.") ? name.substring(2) : name;
    if (base.contains("*")) {
      return "has a wildcard other than a whole leftmost label";
    }
    if (base.length() > 253) {
      return "is longer than 253 characters";
    }
    String[] labels = base.split("\\.", -1);
    if (labels.length < 2) {
      return "is not a fully qualified domain name";
    }
    for (String label : labels) {
      if (label.isEmpty()) {
        return "has an empty label";
      }
      if (label.length() > 63) {
        return "has a label longer than 63 characters";
      }
      if (!LABEL.matcher(label).matches()) {
        return "has a label \"" + label + "\" that is not letters, digits and inner hyphens";
      }
    }
    if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
      return "has an all-numeric top-level domain";
    }
    return null;
  }
}
