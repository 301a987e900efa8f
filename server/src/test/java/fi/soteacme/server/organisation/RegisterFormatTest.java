package fi.soteacme.server.organisation;

import static fi.soteacme.server.organisation.RegisterImportTest.entry;
import static fi.soteacme.server.organisation.RegisterImportTest.page;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.problem.AcmeProblem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The strict readers of both formats, without a database. */
class RegisterFormatTest {
  @Test
  void datesInEveryAcceptedForm() {
    Instant start2023 = Instant.parse("2022-12-31T22:00:00Z");
    assertEquals(start2023, RegisterFormat.parseDate("2023-01-01T00:00:00+02:00"));
    assertEquals(start2023, RegisterFormat.parseDate("2022-12-31T22:00:00Z"));
    assertEquals(start2023, RegisterFormat.parseDate("2023-01-01T00:00:00"));
    assertEquals(start2023, RegisterFormat.parseDate("2023-01-01"));
    // summer time: local dates take +03:00
    assertEquals(Instant.parse("2024-08-31T21:00:00Z"), RegisterFormat.parseDate("2024-09-01"));
  }

  @Test
  void badDateNamesPageEntryAndField() {
    JsonObject bad =
        entry("1.2.246.10.98123462.10.0", "X", null).put("expirationDate", "31.12.2030");
    var e =
        assertThrows(
            RegisterFormatException.class,
            () ->
                RegisterFormat.sotePages(
                    List.of(new RegisterFormat.Page("p1", page(1, 1, 1, bad)))));
    assertEquals(
        "p1: conceptCodes[0].expirationDate: \"31.12.2030\" is not a date-time with offset, a local"
            + " date-time or a date",
        e.getMessage());
  }

  @Test
  void entryWithoutLongNameIsRefused() {
    JsonObject bad = entry("1.2.246.10.98123462.10.0", "X", null);
    bad.getJsonArray("attributes").remove(0);
    var e =
        assertThrows(
            RegisterFormatException.class,
            () ->
                RegisterFormat.sotePages(
                    List.of(new RegisterFormat.Page("p1", page(1, 1, 1, bad)))));
    assertEquals(
        "p1: conceptCodes[0] (1.2.246.10.98123462.10.0): attribute LongName is missing",
        e.getMessage());
  }

  @Test
  void pagingMustAddUp() {
    JsonObject a = entry("1.2.246.10.98123462.10.0", "A", null);
    var e =
        assertThrows(
            RegisterFormatException.class,
            () ->
                RegisterFormat.sotePages(List.of(new RegisterFormat.Page("p1", page(1, 1, 2, a)))));
    assertEquals("totalItems is 2 but the pages hold 1 entries", e.getMessage());
    var duplicate =
        assertThrows(
            RegisterFormatException.class,
            () ->
                RegisterFormat.sotePages(
                    List.of(
                        new RegisterFormat.Page("p1", page(1, 2, 2, a)),
                        new RegisterFormat.Page("p2", page(2, 2, 2, a)))));
    assertTrue(duplicate.getMessage().startsWith("p2: conceptCodes[0].conceptCodeId"));
    assertThrows(
        RegisterFormatException.class,
        () ->
            RegisterFormat.sotePages(
                List.of(new RegisterFormat.Page("p1", "{\"conceptCodes\": ["))));
    // nothing modified since: an empty result
    assertEquals(
        List.of(), RegisterFormat.sotePages(List.of(new RegisterFormat.Page("p1", page(1, 0, 0)))));
  }

  @Test
  void sectorByLeadingDigit() {
    JsonObject odd = entry("1.2.246.10.98123462.10.0", "A", null);
    odd.getJsonArray("attributes")
        .getJsonObject(2)
        .put("attributeValue", new JsonArray().add("4 Muu"));
    var e =
        assertThrows(
            RegisterFormatException.class,
            () ->
                RegisterFormat.sotePages(
                    List.of(new RegisterFormat.Page("p1", page(1, 1, 1, odd)))));
    assertTrue(e.getMessage().contains("Sektori"));
  }

  @Test
  void intermediaryFile() {
    JsonObject file =
        new JsonObject()
            .put("format", "sote-acme-intermediaries/1")
            .put("generated", "2026-11-20T06:00:00+02:00")
            .put(
                "intermediaries",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("oid", "1.2.246.10.98200157.10.0")
                            .put("name", "Kantasilta Oy")
                            .put("businessId", "9820015-7")
                            .put("status", "ACTIVE")
                            .put("beginDate", "2020-03-01T00:00:00+02:00")));
    var read = RegisterFormat.intermediaries(new RegisterFormat.Page("f", file.encode()));
    assertEquals(1, read.entries().size());
    assertEquals(RegisterKind.INTERMEDIARY, read.entries().get(0).kind());

    file.getJsonArray("intermediaries").getJsonObject(0).put("businessId", "9820015-8");
    var e =
        assertThrows(
            RegisterFormatException.class,
            () -> RegisterFormat.intermediaries(new RegisterFormat.Page("f", file.encode())));
    assertEquals(
        "f: intermediaries[0].businessId: 9820015-8 is not a valid business ID (check digit)",
        e.getMessage());
    file.put("format", "sote-acme-intermediaries/2");
    assertThrows(
        RegisterFormatException.class,
        () -> RegisterFormat.intermediaries(new RegisterFormat.Page("f", file.encode())));
  }

  @Test
  void businessIdCheckDigit() {
    assertTrue(RegisterFormat.validBusinessId("0204819-8"));
    assertTrue(RegisterFormat.validBusinessId("0971532-8"));
    assertFalse(RegisterFormat.validBusinessId("0204819-7"));
    assertFalse(RegisterFormat.validBusinessId("204819-8"));
  }

  @Test
  void nameWithoutAbbreviationOverTheBound() {
    String longName = "x".repeat(65);
    Organisation org =
        new Organisation(
            "1.2.246.10.98123462.10.0",
            longName,
            null,
            "1.2.246.10.98123462.10.0",
            longName,
            null,
            Organisation.Sector.PUBLIC,
            "9812346-2",
            Instant.EPOCH,
            null,
            "ACTIVE");
    var problem = assertThrows(AcmeProblem.class, org::subjectOrganisationName);
    assertEquals(
        "O would be longer than 64 characters: LongName (65) of 1.2.246.10.98123462.10.0 is too"
            + " long and it has no Abbreviation",
        problem.detail());
    assertEquals(
        "status INACTIVE",
        new Organisation(
                "1", "a", null, "1", "a", null, null, null, Instant.EPOCH, null, "INACTIVE")
            .inactiveReason(Instant.now()));
  }

  @Test
  void codeServiceUrls() {
    assertEquals(
        "https://koodistopalvelu.kanta.fi/codeserver/csapi/v3/classifications/1.2.246.537.6.202/conceptcodes?status=ACTIVE&pageSize=500&page=1",
        RegisterImporter.codeServiceUrl("https://koodistopalvelu.kanta.fi", 1, null));
    assertEquals(
        "http://127.0.0.1:8080/x/conceptcodes?pageSize=8&page=2&status=ACTIVE&modifiedAfter=2026-11-27",
        RegisterImporter.codeServiceUrl(
            "http://127.0.0.1:8080/x/conceptcodes?pageSize=8&page=1",
            2,
            java.time.LocalDate.of(2026, 11, 27)));
  }
}
