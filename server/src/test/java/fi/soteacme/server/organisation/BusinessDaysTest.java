package fi.soteacme.server.organisation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BusinessDaysTest {
  @ParameterizedTest
  @CsvSource({
    "2000, 2000-04-23",
    "2019, 2019-04-21",
    "2024, 2024-03-31",
    "2025, 2025-04-20",
    "2026, 2026-04-05",
    "2027, 2027-03-28",
    "2038, 2038-04-25",
    "2285, 2285-03-22"
  })
  void gregorianEaster(int year, LocalDate easter) {
    assertEquals(easter, BusinessDays.easterSunday(year));
  }

  @ParameterizedTest
  @CsvSource({
    // the worked examples of protocol-docs/extension.md
    "2026-12-21T10:00:00+02:00, 2026-12-30T23:59:59+02:00",
    "2027-03-25T14:00:00+02:00, 2027-04-05T23:59:59+03:00",
    "2027-06-19T09:00:00+03:00, 2027-06-28T23:59:59+03:00",
    // Easter 2026 (5 April): Good Friday 3.4 and Easter Monday 6.4 are skipped
    "2026-04-01T12:00:00+03:00, 2026-04-10T23:59:59+03:00",
    // Midsummer Eve 2026 is Friday 19 June
    "2026-06-17T12:00:00+03:00, 2026-06-25T23:59:59+03:00",
    // Christmas 2026 from the Wednesday before: 23.12 only, then 28-31.12 (New Year 2027 is a
    // Friday)
    "2026-12-22T08:00:00+02:00, 2026-12-31T23:59:59+02:00",
    // Independence Day 2027 is a Monday; 6.1.2027 Epiphany is a Wednesday
    "2027-12-03T12:00:00+02:00, 2027-12-13T23:59:59+02:00",
    "2027-01-04T12:00:00+02:00, 2027-01-12T23:59:59+02:00",
    // May Day 2026 (Fri) and Ascension Day 2026 (Thu 14.5)
    "2026-04-30T12:00:00+03:00, 2026-05-08T23:59:59+03:00",
    "2026-05-13T12:00:00+03:00, 2026-05-21T23:59:59+03:00",
    // the last Finnish minute of a day counts as that day, the first minute as the next (6.12.2026
    // is a Sunday)
    "2026-11-30T23:59:00+02:00, 2026-12-07T23:59:59+02:00",
    "2026-12-01T00:00:00+02:00, 2026-12-08T23:59:59+02:00",
    // daylight saving time starts 29.3.2026: the deadline carries the summer offset
    "2026-03-24T12:00:00+02:00, 2026-03-31T23:59:59+03:00"
  })
  void processingDeadline(OffsetDateTime submitted, OffsetDateTime deadline) {
    assertEquals(deadline.toInstant(), BusinessDays.processingDeadline(submitted.toInstant()));
  }

  @Test
  void submissionIsDatedInFinnishTimeNotUtc() {
    // 22:30 UTC on Sunday 20 December 2026 is already Monday 21 December in Finland.
    assertEquals(
        Instant.parse("2026-12-30T21:59:59Z"),
        BusinessDays.processingDeadline(Instant.parse("2026-12-20T22:30:00Z")));
  }

  @Test
  void holidays() {
    assertTrue(BusinessDays.isHoliday(LocalDate.of(2026, 4, 3))); // Good Friday
    assertTrue(BusinessDays.isHoliday(LocalDate.of(2026, 4, 6))); // Easter Monday
    assertTrue(BusinessDays.isHoliday(LocalDate.of(2026, 5, 14))); // Ascension Day
    assertTrue(BusinessDays.isHoliday(LocalDate.of(2026, 6, 19))); // Midsummer Eve
    assertTrue(BusinessDays.isHoliday(LocalDate.of(2026, 6, 20))); // Midsummer Day
    assertTrue(BusinessDays.isHoliday(LocalDate.of(2026, 10, 31))); // All Saints' Day
    assertTrue(BusinessDays.isHoliday(LocalDate.of(2027, 11, 6))); // All Saints' Day
    assertTrue(BusinessDays.isHoliday(LocalDate.of(2025, 6, 20))); // Midsummer Eve (Fri 20.6)
    assertFalse(BusinessDays.isHoliday(LocalDate.of(2026, 6, 26))); // a Friday after Midsummer
    assertFalse(BusinessDays.isBusinessDay(LocalDate.of(2026, 12, 6)));
    assertTrue(BusinessDays.isBusinessDay(LocalDate.of(2026, 12, 7)));
    assertFalse(BusinessDays.isBusinessDay(LocalDate.of(2026, 11, 28))); // Saturday
  }
}
