package fi.soteacme.server.organisation;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Set;

/**
 * Finnish business days: not a Saturday, a Sunday or a public holiday (with Midsummer Eve, a
 * de-facto holiday), as protocol-docs/extension.md "Processing deadline and lapse" lists them.
 */
public final class BusinessDays {
  /** Finnish time, in which dates of submission and deadlines are counted. */
  public static final ZoneId FINLAND = ZoneId.of("Europe/Helsinki");

  /** The deadline is the end of the 5th business day after the day of submission. */
  public static final int PROCESSING_DAYS = 5;

  private static final LocalTime END_OF_DAY = LocalTime.of(23, 59, 59);

  private static final Set<MonthDay> FIXED_HOLIDAYS =
      Set.of(
          MonthDay.of(1, 1), // New Year's Day
          MonthDay.of(1, 6), // Epiphany
          MonthDay.of(5, 1), // May Day
          MonthDay.of(12, 6), // Independence Day
          MonthDay.of(12, 24), // Christmas Eve
          MonthDay.of(12, 25), // Christmas Day
          MonthDay.of(12, 26)); // Boxing Day

  private BusinessDays() {}

  /**
   * The end (23:59:59 Finnish time) of the 5th business day after the Finnish date of {@code
   * submitted}; the day of submission itself never counts.
   */
  public static Instant processingDeadline(Instant submitted) {
    LocalDate day = addBusinessDays(LocalDate.ofInstant(submitted, FINLAND), PROCESSING_DAYS);
    return day.atTime(END_OF_DAY).atZone(FINLAND).toInstant();
  }

  /** The {@code n}th business day after {@code date} (which itself does not count). */
  public static LocalDate addBusinessDays(LocalDate date, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative: " + n);
    }
    LocalDate day = date;
    for (int counted = 0; counted < n; ) {
      day = day.plusDays(1);
      if (isBusinessDay(day)) {
        counted++;
      }
    }
    return day;
  }

  public static boolean isBusinessDay(LocalDate date) {
    DayOfWeek dow = date.getDayOfWeek();
    return dow != DayOfWeek.SATURDAY && dow != DayOfWeek.SUNDAY && !isHoliday(date);
  }

  /** A Finnish public holiday or Midsummer Eve, whatever the day of the week. */
  public static boolean isHoliday(LocalDate date) {
    if (FIXED_HOLIDAYS.contains(MonthDay.from(date))) {
      return true;
    }
    LocalDate easter = easterSunday(date.getYear());
    if (date.equals(easter.minusDays(2)) // Good Friday
        || date.equals(easter) // Easter Sunday
        || date.equals(easter.plusDays(1)) // Easter Monday
        || date.equals(easter.plusDays(39)) // Ascension Day
        || date.equals(easter.plusDays(49))) { // Whit Sunday
      return true;
    }
    LocalDate midsummerEve =
        LocalDate.of(date.getYear(), 6, 19).with(TemporalAdjusters.nextOrSame(DayOfWeek.FRIDAY));
    if (date.equals(midsummerEve) || date.equals(midsummerEve.plusDays(1))) {
      return true;
    }
    LocalDate allSaints =
        LocalDate.of(date.getYear(), 10, 31).with(TemporalAdjusters.nextOrSame(DayOfWeek.SATURDAY));
    return date.equals(allSaints);
  }

  /** Gregorian Easter Sunday (the anonymous Gregorian computus, "Meeus/Jones/Butcher"). */
  public static LocalDate easterSunday(int year) {
    int a = year % 19;
    int b = year / 100;
    int c = year % 100;
    int d = b / 4;
    int e = b % 4;
    int f = (b + 8) / 25;
    int g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4;
    int k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int day = ((h + l - 7 * m + 114) % 31) + 1;
    return LocalDate.of(year, month, day);
  }
}
