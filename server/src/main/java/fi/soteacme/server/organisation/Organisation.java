package fi.soteacme.server.organisation;

import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import java.time.Instant;
import java.time.LocalDate;

/**
 * An entry of the THL-SOTE organisation register or of the Kanta intermediary register, with its
 * top organisation (protocol-docs/registers.md "Hierarchy and top organisation"). The top fields
 * are null when the entry's hierarchy is broken (a missing parent or a cycle); the subject helpers
 * then refuse it.
 *
 * @param begin the first instant the entry is valid
 * @param expiration the first instant it is no longer valid; null for open-ended
 * @param sector null when a THL-SOTE entry carries no {@code Sektori}
 */
public record Organisation(
    String oid,
    String longName,
    String abbreviation,
    String topOid,
    String topLongName,
    String topAbbreviation,
    Sector sector,
    String businessId,
    Instant begin,
    Instant expiration,
    String status) {

  /** RFC 5280's upper bound for O, OU and CN, in Unicode code points. */
  public static final int MAX_NAME_LENGTH = 64;

  /** OU of every intermediary's certificate. */
  public static final String INTERMEDIARY_UNIT = "Kanta-välittäjä";

  /** The register's {@code Sektori} (leading digit 1, 2, 3), or an intermediary. */
  public enum Sector {
    PUBLIC,
    PRIVATE,
    PRIVATE_SELF_REGISTERED,
    INTERMEDIARY;

    /** From the stored leading digit of {@code Sektori}; null for null. */
    static Sector ofDigit(String digit) {
      if (digit == null) {
        return null;
      }
      return switch (digit) {
        case "1" -> PUBLIC;
        case "2" -> PRIVATE;
        case "3" -> PRIVATE_SELF_REGISTERED;
        default -> throw new IllegalArgumentException("unknown Sektori " + digit);
      };
    }
  }

  /** Status {@code ACTIVE}, {@code begin <= at} and ({@code expiration} absent or {@code at <}). */
  public boolean activeAt(Instant at) {
    return inactiveReason(at) == null;
  }

  /**
   * Why the entry is not active at {@code at}, as a detail for a problem ("expired on 2024-09-01",
   * "begins on 2030-01-01", "status INACTIVE"; dates in Finnish time), or null when it is active.
   */
  public String inactiveReason(Instant at) {
    if (!"ACTIVE".equals(status)) {
      return "status " + status;
    }
    if (at.isBefore(begin)) {
      return "begins on " + finnishDate(begin);
    }
    if (expiration != null && !at.isBefore(expiration)) {
      return "expired on " + finnishDate(expiration);
    }
    return null;
  }

  /**
   * Private organisations (Sektori 2 or 3) need a conformity review for system signature
   * certificates. An entry without a Sektori counts as private, so that it is reviewed rather than
   * waved through.
   */
  public boolean isPrivate() {
    return sector == null || sector == Sector.PRIVATE || sector == Sector.PRIVATE_SELF_REGISTERED;
  }

  public boolean isIntermediary() {
    return sector == Sector.INTERMEDIARY;
  }

  /** False when the parent chain does not reach a top entry (missing parent, cycle, too deep). */
  public boolean hierarchyIntact() {
    return topOid != null;
  }

  /**
   * The subject's O: the top organisation's LongName, or its Abbreviation when the LongName is over
   * 64 characters.
   *
   * @throws AcmeProblem rejectedIdentifier naming O when both are too long, or when the hierarchy
   *     is broken
   */
  public String subjectOrganisationName() {
    requireIntactHierarchy();
    return name("O", topOid, topLongName, topAbbreviation);
  }

  /**
   * The subject's OU: the entry's own LongName (or Abbreviation, likewise); {@value
   * #INTERMEDIARY_UNIT} for an intermediary.
   *
   * @throws AcmeProblem rejectedIdentifier naming OU when both are too long
   */
  public String subjectOrganisationalUnit() {
    if (isIntermediary()) {
      return INTERMEDIARY_UNIT;
    }
    requireIntactHierarchy();
    return name("OU", oid, longName, abbreviation);
  }

  private void requireIntactHierarchy() {
    if (!hierarchyIntact()) {
      throw new AcmeProblem(
          ProblemType.REJECTED_IDENTIFIER,
          "register hierarchy of "
              + oid
              + " is broken: its ParentId chain does not reach a top entry (a missing parent or a"
              + " cycle)");
    }
  }

  private static String name(String field, String oid, String longName, String abbreviation) {
    int longLength = length(longName);
    if (longLength <= MAX_NAME_LENGTH) {
      return longName;
    }
    if (abbreviation != null
        && !abbreviation.isBlank()
        && length(abbreviation) <= MAX_NAME_LENGTH) {
      return abbreviation;
    }
    String prefix = field + " would be longer than " + MAX_NAME_LENGTH + " characters: ";
    String detail =
        abbreviation == null || abbreviation.isBlank()
            ? prefix
                + "LongName ("
                + longLength
                + ") of "
                + oid
                + " is too long and it has no Abbreviation"
            : prefix
                + "LongName ("
                + longLength
                + ") and Abbreviation ("
                + length(abbreviation)
                + ") of "
                + oid
                + " are both too long";
    throw new AcmeProblem(ProblemType.REJECTED_IDENTIFIER, detail);
  }

  private static int length(String s) {
    return s.codePointCount(0, s.length());
  }

  private static LocalDate finnishDate(Instant instant) {
    return LocalDate.ofInstant(instant, BusinessDays.FINLAND);
  }
}
