package fi.soteacme.server.organisation;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.text.Normalizer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Strict readers of the two register formats of protocol-docs/registers.md. Pure: text in, entries
 * out, or a {@link RegisterFormatException} naming the page and the field.
 */
public final class RegisterFormat {
  /** The intermediary register's format name. */
  public static final String INTERMEDIARY_FORMAT = "sote-acme-intermediaries/1";

  private static final Pattern OID = Pattern.compile("[0-2](\\.(0|[1-9][0-9]*))+");
  private static final Pattern BUSINESS_ID = Pattern.compile("[0-9]{7}-[0-9]");
  private static final int[] BUSINESS_ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2};

  private RegisterFormat() {}

  /** One page or file as read: {@code name} says where it came from, for error messages. */
  public record Page(String name, String text) {}

  /** The entries of an intermediary file and its {@code generated} time. */
  public record Intermediaries(Instant generated, List<RegisterEntry> entries) {}

  /**
   * Which register a document is: an object with {@code format} is the intermediary register, one
   * with {@code conceptCodes} the THL-SOTE register.
   */
  public static RegisterKind detect(Page page) {
    JsonObject json = object(page);
    if (json.containsKey("format")) {
      return RegisterKind.INTERMEDIARY;
    }
    if (json.containsKey("conceptCodes")) {
      return RegisterKind.SOTE;
    }
    throw new RegisterFormatException(
        page.name()
            + ": neither a THL code service page (conceptCodes) nor an intermediary file"
            + " (format)");
  }

  /**
   * The entries of a complete set of THL code service pages: their {@code page} values must be
   * exactly 1..{@code totalPages}, they must agree on {@code totalPages} and {@code totalItems},
   * and hold {@code totalItems} entries with distinct OIDs.
   */
  public static List<RegisterEntry> sotePages(List<Page> pages) {
    if (pages.isEmpty()) {
      throw new RegisterFormatException("no register pages to read");
    }
    Map<Integer, List<RegisterEntry>> byPage = new TreeMap<>();
    Integer totalPages = null;
    Integer totalItems = null;
    Set<String> oids = new HashSet<>();
    for (Page page : pages) {
      JsonObject json = object(page);
      int pageNumber = integer(page, json, "page");
      int pageTotalPages = integer(page, json, "totalPages");
      int pageTotalItems = integer(page, json, "totalItems");
      if (totalPages == null) {
        totalPages = pageTotalPages;
        totalItems = pageTotalItems;
      } else if (totalPages != pageTotalPages || !totalItems.equals(pageTotalItems)) {
        throw new RegisterFormatException(
            page.name()
                + ": totalPages/totalItems "
                + pageTotalPages
                + "/"
                + pageTotalItems
                + " differ from the other pages' "
                + totalPages
                + "/"
                + totalItems);
      }
      if (byPage.containsKey(pageNumber)) {
        throw new RegisterFormatException(page.name() + ": page " + pageNumber + " read twice");
      }
      JsonArray codes = array(page, json, "conceptCodes");
      List<RegisterEntry> entries = new ArrayList<>();
      for (int i = 0; i < codes.size(); i++) {
        String where = page.name() + ": conceptCodes[" + i + "]";
        if (!(codes.getValue(i) instanceof JsonObject code)) {
          throw new RegisterFormatException(where + ": not an object");
        }
        RegisterEntry entry = conceptCode(where, code);
        if (!oids.add(entry.oid())) {
          throw new RegisterFormatException(
              where + ".conceptCodeId: " + entry.oid() + " occurs twice");
        }
        entries.add(entry);
      }
      byPage.put(pageNumber, entries);
    }
    // An empty result (e.g. nothing modified since) may come as page 1 of 0 pages.
    int expectedPages = Math.max(totalPages, 1);
    for (int n = 1; n <= expectedPages; n++) {
      if (!byPage.containsKey(n)) {
        throw new RegisterFormatException(
            "page "
                + n
                + " of "
                + totalPages
                + " is missing (pages read: "
                + byPage.keySet()
                + ")");
      }
    }
    if (byPage.size() != expectedPages) {
      throw new RegisterFormatException(
          "pages " + byPage.keySet() + " read, but totalPages is " + totalPages);
    }
    List<RegisterEntry> all = new ArrayList<>();
    byPage.values().forEach(all::addAll);
    if (all.size() != totalItems) {
      throw new RegisterFormatException(
          "totalItems is " + totalItems + " but the pages hold " + all.size() + " entries");
    }
    return all;
  }

  /** {@code totalPages} of one page (to know how many more to fetch). */
  public static int totalPages(Page page) {
    return integer(page, object(page), "totalPages");
  }

  private static RegisterEntry conceptCode(String where, JsonObject code) {
    String oid = oid(where, code, "conceptCodeId");
    String status = requiredString(where, code, "status");
    Instant begin = requiredDate(where, code, "beginDate");
    Instant expiration = optionalDate(where, code, "expirationDate");
    Object attributesValue = code.getValue("attributes");
    if (!(attributesValue instanceof JsonArray attributes)) {
      throw new RegisterFormatException(where + ".attributes: missing or not an array");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < attributes.size(); i++) {
      String at = where + ".attributes[" + i + "]";
      if (!(attributes.getValue(i) instanceof JsonObject attribute)) {
        throw new RegisterFormatException(at + ": not an object");
      }
      String name = nfc(requiredString(at, attribute, "attributeName"));
      if (!(attribute.getValue("attributeValue") instanceof JsonArray value)) {
        throw new RegisterFormatException(
            at + ".attributeValue (" + name + "): missing or not an array");
      }
      if (value.isEmpty() || value.getValue(0) == null) {
        continue;
      }
      Object first = value.getValue(0);
      if (!(first instanceof String) && !(first instanceof Number)) {
        throw new RegisterFormatException(
            at + ".attributeValue (" + name + "): not a string: " + first);
      }
      values.put(name, nfc(String.valueOf(first)));
    }
    String longName = values.get("LongName");
    if (longName == null || longName.isBlank()) {
      throw new RegisterFormatException(where + " (" + oid + "): attribute LongName is missing");
    }
    String parent = values.get("ParentId");
    if (parent != null && parent.isBlank()) {
      parent = null;
    }
    if (parent != null && !OID.matcher(parent).matches()) {
      throw new RegisterFormatException(
          where + " (" + oid + "): attribute ParentId is not an OID: " + parent);
    }
    String sector = values.get("Sektori");
    String sectorDigit = null;
    if (sector != null && !sector.isBlank()) {
      sectorDigit = sector.strip().substring(0, 1);
      if (!Set.of("1", "2", "3").contains(sectorDigit)) {
        throw new RegisterFormatException(
            where + " (" + oid + "): attribute Sektori is not 1, 2 or 3: " + sector);
      }
    }
    return new RegisterEntry(
        oid,
        RegisterKind.SOTE,
        longName,
        blankToNull(values.get("Abbreviation")),
        parent,
        blankToNull(values.get("Y-Tunnus")),
        sectorDigit,
        status,
        begin,
        expiration,
        values);
  }

  /** A complete intermediary file (format {@value #INTERMEDIARY_FORMAT}). */
  public static Intermediaries intermediaries(Page page) {
    JsonObject json = object(page);
    String where = page.name();
    Object format = json.getValue("format");
    if (!INTERMEDIARY_FORMAT.equals(format)) {
      throw new RegisterFormatException(
          where + ": format is " + format + ", expected \"" + INTERMEDIARY_FORMAT + "\"");
    }
    Instant generated = offsetDateTime(where, json, "generated");
    JsonArray list = array(page, json, "intermediaries");
    List<RegisterEntry> entries = new ArrayList<>();
    Set<String> oids = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String at = where + ": intermediaries[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject item)) {
        throw new RegisterFormatException(at + ": not an object");
      }
      String oid = oid(at, item, "oid");
      if (!oids.add(oid)) {
        throw new RegisterFormatException(at + ".oid: " + oid + " occurs twice");
      }
      String name = nfc(requiredString(at, item, "name"));
      String abbreviation = optionalString(at, item, "abbreviation");
      String businessId = requiredString(at, item, "businessId");
      if (!validBusinessId(businessId)) {
        throw new RegisterFormatException(
            at + ".businessId: " + businessId + " is not a valid business ID (check digit)");
      }
      String status = requiredString(at, item, "status");
      if (!status.equals("ACTIVE") && !status.equals("INACTIVE")) {
        throw new RegisterFormatException(
            at + ".status: " + status + " is neither ACTIVE nor INACTIVE");
      }
      Map<String, String> attributes = new LinkedHashMap<>();
      attributes.put("name", name);
      if (abbreviation != null) {
        attributes.put("abbreviation", abbreviation);
      }
      attributes.put("businessId", businessId);
      entries.add(
          new RegisterEntry(
              oid,
              RegisterKind.INTERMEDIARY,
              name,
              abbreviation == null ? null : nfc(abbreviation),
              null,
              businessId,
              null,
              status,
              requiredDate(at, item, "beginDate"),
              optionalDate(at, item, "expirationDate"),
              attributes));
    }
    return new Intermediaries(generated, entries);
  }

  /**
   * A Finnish business ID with a correct check digit (protocol-docs/registers.md "Business ID check
   * digit").
   */
  public static boolean validBusinessId(String id) {
    if (id == null || !BUSINESS_ID.matcher(id).matches()) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 7; i++) {
      sum += (id.charAt(i) - '0') * BUSINESS_ID_WEIGHTS[i];
    }
    int remainder = sum % 11;
    if (remainder == 1) {
      return false;
    }
    int check = remainder == 0 ? 0 : 11 - remainder;
    return id.charAt(8) - '0' == check;
  }

  /**
   * A register date: ISO 8601 date-time with offset or Z; a local date-time (Finnish time); or a
   * date (the start of that day in Finnish time).
   */
  public static Instant parseDate(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException notWithOffset) {
      try {
        return LocalDateTime.parse(text).atZone(BusinessDays.FINLAND).toInstant();
      } catch (DateTimeParseException notLocal) {
        return LocalDate.parse(text).atStartOfDay(BusinessDays.FINLAND).toInstant();
      }
    }
  }

  private static JsonObject object(Page page) {
    try {
      Object value = io.vertx.core.json.Json.decodeValue(page.text());
      if (value instanceof JsonObject json) {
        return json;
      }
      throw new RegisterFormatException(page.name() + ": not a JSON object");
    } catch (DecodeException e) {
      throw new RegisterFormatException(page.name() + ": not JSON: " + e.getMessage());
    }
  }

  private static int integer(Page page, JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < 0) {
      throw new RegisterFormatException(
          page.name() + ": " + field + " is missing or not a non-negative integer: " + value);
    }
    return n.intValue();
  }

  private static JsonArray array(Page page, JsonObject json, String field) {
    if (!(json.getValue(field) instanceof JsonArray array)) {
      throw new RegisterFormatException(page.name() + ": " + field + " is missing or not an array");
    }
    return array;
  }

  private static String oid(String where, JsonObject json, String field) {
    String oid = requiredString(where, json, field);
    if (!OID.matcher(oid).matches()) {
      throw new RegisterFormatException(where + "." + field + ": not an OID: " + oid);
    }
    return oid;
  }

  private static String requiredString(String where, JsonObject json, String field) {
    String value = optionalString(where, json, field);
    if (value == null || value.isBlank()) {
      throw new RegisterFormatException(where + "." + field + ": missing or empty");
    }
    return value;
  }

  private static String optionalString(String where, JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw new RegisterFormatException(where + "." + field + ": not a string: " + value);
    }
    return s;
  }

  private static Instant requiredDate(String where, JsonObject json, String field) {
    Instant date = optionalDate(where, json, field);
    if (date == null) {
      throw new RegisterFormatException(where + "." + field + ": missing");
    }
    return date;
  }

  private static Instant optionalDate(String where, JsonObject json, String field) {
    String text = optionalString(where, json, field);
    if (text == null) {
      return null;
    }
    try {
      return parseDate(text);
    } catch (DateTimeParseException e) {
      throw new RegisterFormatException(
          where
              + "."
              + field
              + ": \""
              + text
              + "\" is not a date-time with offset, a local date-time or a date");
    }
  }

  private static Instant offsetDateTime(String where, JsonObject json, String field) {
    String text = requiredString(where, json, field);
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new RegisterFormatException(
          where + "." + field + ": \"" + text + "\" is not a date-time with offset");
    }
  }

  private static String nfc(String s) {
    return Normalizer.normalize(s, Normalizer.Form.NFC);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
