package fi.soteacme.server.organisation;

import java.time.Instant;
import java.util.Map;

/**
 * One entry as loaded from either register, before it is stored.
 *
 * @param parentOid null for a top entry (absent or empty {@code ParentId})
 * @param sectorDigit leading digit of {@code Sektori} ("1", "2", "3"); null for intermediaries and
 *     when absent
 * @param attributes every attribute of the entry (first value), for operators
 */
public record RegisterEntry(
    String oid,
    RegisterKind kind,
    String longName,
    String abbreviation,
    String parentOid,
    String businessId,
    String sectorDigit,
    String status,
    Instant begin,
    Instant expiration,
    Map<String, String> attributes) {

  public RegisterEntry {
    attributes = Map.copyOf(attributes);
  }
}
