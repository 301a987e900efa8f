package fi.soteacme.server.mail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Who receives a certificate: the ordering account's contacts and the technical contact. */
public final class Recipients {
  private static final String MAILTO = "mailto:";

  private Recipients() {}

  /**
   * The addresses of the account's {@code mailto:} contacts, then the customer account's technical
   * contact (a plain address or a {@code mailto:} URI), each once (compared without case), in that
   * order. Contacts of other schemes and blank values are ignored.
   */
  public static List<String> of(List<String> accountContacts, String technicalContact) {
    Map<String, String> byKey = new LinkedHashMap<>();
    List<String> candidates = new ArrayList<>();
    for (String contact : accountContacts) {
      if (contact != null && contact.regionMatches(true, 0, MAILTO, 0, MAILTO.length())) {
        candidates.add(contact.substring(MAILTO.length()));
      }
    }
    if (technicalContact != null) {
      candidates.add(
          technicalContact.regionMatches(true, 0, MAILTO, 0, MAILTO.length())
              ? technicalContact.substring(MAILTO.length())
              : technicalContact);
    }
    for (String candidate : candidates) {
      String address = candidate.trim();
      if (!address.isEmpty()) {
        byKey.putIfAbsent(address.toLowerCase(Locale.ROOT), address);
      }
    }
    return List.copyOf(byKey.values());
  }
}
