package fi.soteacme.server.identifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fi.soteacme.server.config.ServerConfig;
import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentifierPolicyTest {
  private static JsonArray dns(String... names) {
    JsonArray a = new JsonArray();
    for (String n : names) {
      a.add(new JsonObject().put("type", "dns").put("value", n));
    }
    return a;
  }

  private static ProblemType refusal(IdentifierPolicy policy, String name) {
    return assertThrows(AcmeProblem.class, () -> policy.check(dns(name))).type();
  }

  @Test
  void allowedAndRefusedSuffixes() {
    IdentifierPolicy policy =
        new IdentifierPolicy(
            new ServerConfig.Identifiers(
                List.of("kanta.fi", ".example.fi"), List.of("bad.kanta.fi"), false));
    assertEquals(1, policy.check(dns("www.kanta.fi")).size());
    assertEquals(1, policy.check(dns("a.b.example.fi")).size());
    assertEquals(ProblemType.REJECTED_IDENTIFIER, refusal(policy, "www.other.fi"));
    assertEquals(ProblemType.REJECTED_IDENTIFIER, refusal(policy, "x.bad.kanta.fi"));
    assertEquals(ProblemType.REJECTED_IDENTIFIER, refusal(policy, "notkanta.fi"));
  }

  @Test
  void theTestTldOnlyWhereConfigured() {
    assertEquals(
        ProblemType.REJECTED_IDENTIFIER,
        refusal(
            new IdentifierPolicy(new ServerConfig.Identifiers(List.of(), List.of(), false)),
            "a.test"));
    assertEquals(
        1,
        new IdentifierPolicy(new ServerConfig.Identifiers(List.of(), List.of(), true))
            .check(dns("a.test"))
            .size());
  }

  @Test
  void syntax() {
    IdentifierPolicy policy =
        new IdentifierPolicy(new ServerConfig.Identifiers(List.of(), List.of(), false));
    assertEquals(ProblemType.REJECTED_IDENTIFIER, refusal(policy, "www.example.fi."));
    assertEquals(ProblemType.REJECTED_IDENTIFIER, refusal(policy, "192.0.2.1"));
    assertEquals(ProblemType.REJECTED_IDENTIFIER, refusal(policy, "-a.example.fi"));
    assertEquals(ProblemType.REJECTED_IDENTIFIER, refusal(policy, "a".repeat(64) + ".fi"));
    assertEquals(ProblemType.REJECTED_IDENTIFIER, refusal(policy, "a.*.example.fi"));
    assertEquals(1, policy.check(dns("*.example.fi")).size());
    assertEquals(1, policy.check(dns("www.example.fi", "WWW.example.fi")).size());
  }
}
