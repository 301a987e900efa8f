package fi.soteacme.server.account;

import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** RFC 8555 §7.3: contacts are {@code mailto:} URIs of one plain address each. */
public final class ContactPolicy {
  private static final Pattern ADDRESS =
      Pattern.compile(
          "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$");
  private static final int MAX_CONTACTS = 10;

  private ContactPolicy() {}

  /** The checked list; null input means no contacts. */
  public static List<String> check(Object contact) {
    if (contact == null) {
      return List.of();
    }
    if (!(contact instanceof JsonArray array)) {
      throw AcmeProblem.malformed("\"contact\" must be an array of mailto: URIs");
    }
    if (array.size() > MAX_CONTACTS) {
      throw new AcmeProblem(
          ProblemType.INVALID_CONTACT, "at most " + MAX_CONTACTS + " contacts are accepted");
    }
    List<String> out = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String uri)) {
        throw AcmeProblem.malformed("every contact must be a string URI");
      }
      if (!uri.startsWith("mailto:")) {
        throw new AcmeProblem(
            ProblemType.UNSUPPORTED_CONTACT,
            "only mailto: contacts are supported, not " + truncate(uri));
      }
      String address = uri.substring("mailto:".length());
      if (address.contains(",") || address.contains("?")) {
        throw new AcmeProblem(
            ProblemType.INVALID_CONTACT,
            "a mailto: contact must hold one address without header fields: " + truncate(uri));
      }
      if (!ADDRESS.matcher(address).matches()) {
        throw new AcmeProblem(
            ProblemType.INVALID_CONTACT, truncate(address) + " is not a valid e-mail address");
      }
      out.add(uri);
    }
    return List.copyOf(out);
  }

  private static String truncate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
