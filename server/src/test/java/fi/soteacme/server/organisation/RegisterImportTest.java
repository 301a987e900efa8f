package fi.soteacme.server.organisation;

import static fi.soteacme.server.organisation.RegisterDatabase.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads the testdata registers into a real PostgreSQL and reads every special case back. */
class RegisterImportTest {
  private static final Instant TODAY = Instant.parse("2026-11-29T10:00:00Z");

  private RegisterDatabase db;
  @TempDir Path temp;

  @BeforeEach
  void open() throws Exception {
    db = new RegisterDatabase();
    db.loadTestdata();
  }

  @AfterEach
  void close() throws Exception {
    db.close();
  }

  @Test
  void loadsBothTestdataRegisters() throws Exception {
    assertEquals(15, await(db.organisations.count(RegisterKind.SOTE)));
    assertEquals(2, await(db.organisations.count(RegisterKind.INTERMEDIARY)));
    assertTrue(await(db.organisations.find("1.2.246.10.1.10.0")).isEmpty());
  }

  @Test
  void hierarchyTopIsFoundThroughTwoLevels() throws Exception {
    Organisation unit = db.find("1.2.246.10.98123462.10.2");
    assertEquals("1.2.246.10.98123462.10.0", unit.topOid());
    assertEquals("Järvilaakson hyvinvointialue", unit.subjectOrganisationName());
    assertEquals("Järvilaakson keskussairaala, yhteispäivystys", unit.subjectOrganisationalUnit());
    assertEquals(Organisation.Sector.PUBLIC, unit.sector());
    assertFalse(unit.isPrivate());
    assertTrue(unit.activeAt(TODAY));
    assertEquals("9812346-2", unit.businessId());
  }

  @Test
  void expiredEntryIsKeptButInactive() throws Exception {
    Organisation expired = db.find("1.2.246.10.98123462.10.9");
    assertEquals("ACTIVE", expired.status());
    assertFalse(expired.activeAt(TODAY));
    assertEquals("expired on 2024-09-01", expired.inactiveReason(TODAY));
    assertTrue(expired.activeAt(Instant.parse("2024-08-31T20:59:59Z")));
    assertFalse(expired.activeAt(Instant.parse("2024-08-31T21:00:00Z")));
  }

  @Test
  void notYetBegunEntryIsInactive() throws Exception {
    Organisation later = db.find("1.2.246.10.98123948.10.0");
    assertEquals("begins on 2030-01-01", later.inactiveReason(TODAY));
    assertTrue(later.activeAt(Instant.parse("2030-01-01T00:00:00+02:00")));
  }

  @Test
  void namesOfExactly64CharactersAreUsedAsTheyAre() throws Exception {
    Organisation unit = db.find("1.2.246.10.98123550.10.1");
    assertEquals(
        "Lääkäriasema Pöllölä Oy, Tampereen toimipiste / työterveyshuolto",
        unit.subjectOrganisationalUnit());
    assertEquals("Lääkäriasema Pöllölä Oy", unit.subjectOrganisationName());
    assertEquals(Organisation.Sector.PRIVATE, unit.sector());
  }

  @Test
  void longNameFallsBackToAbbreviation() throws Exception {
    Organisation org = db.find("1.2.246.10.98123614.10.0");
    assertEquals("ISYK Oy", org.subjectOrganisationName());
    assertEquals("ISYK Oy", org.subjectOrganisationalUnit());
  }

  @Test
  void bothNamesTooLongIsRefusedNamingTheField() throws Exception {
    Organisation unit = db.find("1.2.246.10.98123614.10.1");
    assertEquals("ISYK Oy", unit.subjectOrganisationName());
    AcmeProblem problem = assertThrows(AcmeProblem.class, unit::subjectOrganisationalUnit);
    assertEquals(ProblemType.REJECTED_IDENTIFIER, problem.type());
    assertEquals(
        "OU would be longer than 64 characters: LongName (121) and Abbreviation (84) of"
            + " 1.2.246.10.98123614.10.1 are both too long",
        problem.detail());
  }

  @Test
  void pharmacyWithLeadingZeroBusinessId() throws Exception {
    Organisation pharmacy = db.find("1.2.246.10.9715328.10.0");
    assertEquals("0971532-8", pharmacy.businessId());
    assertEquals("Kuvitteellinen VI apteekki", pharmacy.subjectOrganisationName());
    assertEquals("Kuvitteellinen VI apteekki", pharmacy.subjectOrganisationalUnit());
    assertTrue(pharmacy.isPrivate());
  }

  @Test
  void selfParentIsATopEntry() throws Exception {
    Organisation org = db.find("1.2.246.10.98123884.10.0");
    assertEquals(org.oid(), org.topOid());
    assertEquals(Organisation.Sector.PRIVATE_SELF_REGISTERED, org.sector());
    assertTrue(org.isPrivate());
    assertEquals("Puheterapia Sävel Tmi", org.subjectOrganisationName());
  }

  @Test
  void swedishNamesKeepTheirLetters() throws Exception {
    Organisation unit = db.find("1.2.246.10.98123729.10.1");
    assertEquals("Vårdhemmet Åkerblomma Ab", unit.subjectOrganisationName());
  }

  @Test
  void intermediaryIsItsOwnTopWithFixedUnit() throws Exception {
    Organisation org = db.find("1.2.246.10.98200237.10.0");
    assertEquals(Organisation.Sector.INTERMEDIARY, org.sector());
    assertEquals(org.oid(), org.topOid());
    assertEquals("Pilvilinna Hosting Oy", org.subjectOrganisationName());
    assertEquals("Kanta-välittäjä", org.subjectOrganisationalUnit());
    assertFalse(org.isPrivate());
    assertTrue(org.activeAt(TODAY));
  }

  @Test
  void listFindsByNameForOperators() throws Exception {
    List<Organisation> found = await(db.organisations.list("järvilaakso", 10));
    assertEquals(5, found.size());
    assertEquals(5, await(db.organisations.list(null, 5)).size());
  }

  @Test
  void malformedPageLeavesTheOldRegister() throws Exception {
    Path dir = pages(temp.resolve("bad"));
    Path page2 = dir.resolve("sote-register-page-2.json");
    Files.writeString(
        page2,
        Files.readString(page2)
            .replaceFirst("\"beginDate\": \"[^\"]*\"", "\"beginDate\": \"1.1.2023\""));
    // A first page that would replace an entry's name must not be applied either.
    Path page1 = dir.resolve("sote-register-page-1.json");
    Files.writeString(
        page1, Files.readString(page1).replace("Järvilaakson hyvinvointialue\"", "Renamed\""));

    var failure =
        assertThrows(
            ExecutionException.class,
            () -> await(db.importer.load(dir.toString(), RegisterKind.SOTE, false)));
    RegisterFormatException refused =
        assertInstanceOf(RegisterFormatException.class, failure.getCause());
    assertTrue(
        refused.getMessage().startsWith("sote-register-page-2.json: conceptCodes["),
        refused.getMessage());
    assertTrue(refused.getMessage().contains("beginDate"), refused.getMessage());

    assertEquals(15, await(db.organisations.count(RegisterKind.SOTE)));
    assertEquals("Järvilaakson hyvinvointialue", db.find("1.2.246.10.98123462.10.0").longName());
    var last = await(db.importer.status(1)).get(0);
    assertEquals("refused", last.outcome());
    assertTrue(last.detail().contains("beginDate"));
  }

  @Test
  void missingPageIsRefused() throws Exception {
    Path dir = pages(temp.resolve("missing"));
    Files.delete(dir.resolve("sote-register-page-2.json"));
    var failure =
        assertThrows(
            ExecutionException.class,
            () -> await(db.importer.load(dir.toString(), RegisterKind.SOTE, false)));
    assertEquals("page 2 of 2 is missing (pages read: [1])", failure.getCause().getMessage());
    assertEquals(15, await(db.organisations.count(RegisterKind.SOTE)));
  }

  @Test
  void fullImportReplacesTheRegister() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("one"));
    Files.writeString(
        dir.resolve("p1.json"),
        page(1, 1, 1, entry("1.2.246.10.98123462.10.0", "Uusi nimi", null)));
    var result = await(db.importer.load(dir.toString(), null, false));
    assertEquals(RegisterKind.SOTE, result.kind());
    assertEquals(1, result.registerSize());
    assertEquals("Uusi nimi", db.find("1.2.246.10.98123462.10.0").longName());
    assertTrue(await(db.organisations.find("1.2.246.10.98123462.10.1")).isEmpty());
    assertEquals(2, await(db.organisations.count(RegisterKind.INTERMEDIARY)));
  }

  @Test
  void fullLoadOfNothingIsRefused() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("empty"));
    Files.writeString(dir.resolve("p1.json"), page(1, 0, 0));
    var failure =
        assertThrows(
            ExecutionException.class,
            () -> await(db.importer.load(dir.toString(), RegisterKind.SOTE, false)));
    assertTrue(failure.getCause().getMessage().contains("would empty"));
    assertEquals(15, await(db.organisations.count(RegisterKind.SOTE)));
    // nothing modified: an incremental load of nothing is fine
    assertEquals(
        15, await(db.importer.load(dir.toString(), RegisterKind.SOTE, true)).registerSize());
  }

  @Test
  void unrecognisedDocumentIsRefused() throws Exception {
    Path file = Files.writeString(temp.resolve("x.json"), "[1, 2]");
    var failure =
        assertThrows(
            ExecutionException.class, () -> await(db.importer.load(file.toString(), null, false)));
    assertEquals("x.json: not a JSON object", failure.getCause().getMessage());
    var refusedAsSote =
        assertThrows(
            ExecutionException.class,
            () -> await(db.importer.load(file.toString(), RegisterKind.SOTE, false)));
    assertEquals("x.json: not a JSON object", refusedAsSote.getCause().getMessage());
    var last = await(db.importer.status(1)).get(0);
    assertEquals("refused", last.outcome());
    assertEquals(RegisterKind.SOTE, last.kind());
  }

  @Test
  void incrementalImportUpserts() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("incremental"));
    Files.writeString(
        dir.resolve("p1.json"),
        page(
            1,
            1,
            2,
            entry("1.2.246.10.98123462.10.1", "Järvilaakson sairaala", "1.2.246.10.98123462.10.0"),
            entry(
                "1.2.246.10.98123462.10.7",
                "Järvilaakson uusi yksikkö",
                "1.2.246.10.98123462.10.1")));
    var result = await(db.importer.load(dir.toString(), RegisterKind.SOTE, true));
    assertTrue(result.incremental());
    assertEquals(16, result.registerSize());
    assertEquals("Järvilaakson sairaala", db.find("1.2.246.10.98123462.10.1").longName());
    Organisation added = db.find("1.2.246.10.98123462.10.7");
    assertEquals("Järvilaakson hyvinvointialue", added.subjectOrganisationName());
  }

  @Test
  void brokenHierarchyIsLoadedButRefusedForSubjects() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("broken"));
    Files.writeString(
        dir.resolve("p1.json"),
        page(
            1,
            1,
            3,
            entry("1.2.246.10.98123462.10.20", "Orpo", "1.2.246.10.98123462.10.99"),
            entry("1.2.246.10.98123462.10.21", "Kehä A", "1.2.246.10.98123462.10.22"),
            entry("1.2.246.10.98123462.10.22", "Kehä B", "1.2.246.10.98123462.10.21")));
    var result = await(db.importer.load(dir.toString(), RegisterKind.SOTE, true));
    assertEquals(List.of("1.2.246.10.98123462.10.20"), result.missingParents());
    for (String oid : List.of("1.2.246.10.98123462.10.20", "1.2.246.10.98123462.10.21")) {
      Organisation org = db.find(oid);
      assertFalse(org.hierarchyIntact());
      assertNull(org.topOid());
      AcmeProblem problem = assertThrows(AcmeProblem.class, org::subjectOrganisationName);
      assertEquals(ProblemType.REJECTED_IDENTIFIER, problem.type());
      assertTrue(problem.detail().contains("broken"));
    }
  }

  @Test
  void intermediaryOidInTheSoteRegisterIsRefused() throws Exception {
    Path file = temp.resolve("intermediaries.json");
    JsonObject json =
        new JsonObject(
            Files.readString(RegisterDatabase.testdataDirectory().resolve("intermediaries.json")));
    json.getJsonArray("intermediaries").getJsonObject(0).put("oid", "1.2.246.10.98123550.10.0");
    Files.writeString(file, json.encode());
    var failure =
        assertThrows(
            ExecutionException.class, () -> await(db.importer.load(file.toString(), null, false)));
    assertTrue(failure.getCause().getMessage().contains("1.2.246.10.98123550.10.0"));
    assertEquals(2, await(db.organisations.count(RegisterKind.INTERMEDIARY)));
    assertTrue(await(db.organisations.find("1.2.246.10.98200157.10.0")).isPresent());
  }

  @Test
  void olderIntermediaryFileIsRefused() throws Exception {
    Path file = temp.resolve("old.json");
    JsonObject json =
        new JsonObject(
            Files.readString(RegisterDatabase.testdataDirectory().resolve("intermediaries.json")));
    json.put("generated", "2025-01-01T00:00:00+02:00");
    json.put("intermediaries", new JsonArray());
    Files.writeString(file, json.encode());
    var failure =
        assertThrows(
            ExecutionException.class, () -> await(db.importer.load(file.toString(), null, false)));
    assertTrue(failure.getCause().getMessage().contains("older"), failure.getCause().getMessage());
    assertEquals(2, await(db.organisations.count(RegisterKind.INTERMEDIARY)));
  }

  @Test
  void directoryWithBothRegistersNeedsAKind() throws Exception {
    var failure =
        assertThrows(
            ExecutionException.class,
            () ->
                await(
                    db.importer.load(
                        RegisterDatabase.testdataDirectory().toString(), null, false)));
    assertTrue(failure.getCause().getMessage().contains("both registers"));
  }

  @Test
  void concurrentReadersSeeTheOldOrTheNewRegisterNeverAMix() throws Exception {
    int newSize = 3000;
    int perPage = 500;
    Path dir = Files.createDirectories(temp.resolve("big"));
    for (int p = 1; p <= newSize / perPage; p++) {
      JsonObject[] entries = new JsonObject[perPage];
      for (int i = 0; i < perPage; i++) {
        int n = (p - 1) * perPage + i;
        entries[i] =
            entry(
                "1.2.246.10.98123462.10." + (1000 + n), "Yksikkö " + n, "1.2.246.10.98123462.10.0");
      }
      Files.writeString(
          dir.resolve("page-" + p + ".json"), page(p, newSize / perPage, newSize, entries));
    }
    // The new register keeps the top entry so that every unit has a parent.
    Files.writeString(
        dir.resolve("page-6.json"),
        Files.readString(dir.resolve("page-6.json"))
            .replace("\"1.2.246.10.98123462.10.3999\"", "\"1.2.246.10.98123462.10.0\"")
            .replace("\"Yksikkö 2999\"", "\"Järvilaakson hyvinvointialue\""));

    Set<Integer> seen = new HashSet<>();
    AtomicBoolean done = new AtomicBoolean();
    var load =
        db.importer.load(dir.toString(), RegisterKind.SOTE, false).onComplete(r -> done.set(true));
    while (!done.get()) {
      seen.add(await(db.organisations.count(RegisterKind.SOTE)));
    }
    await(load);
    seen.add(await(db.organisations.count(RegisterKind.SOTE)));
    assertTrue(Set.of(15, newSize).containsAll(seen), "counts seen: " + seen);
    assertTrue(seen.contains(newSize));
  }

  private static Path pages(Path dir) throws Exception {
    Files.createDirectories(dir);
    for (String name : List.of("sote-register-page-1.json", "sote-register-page-2.json")) {
      Files.copy(RegisterDatabase.testdataDirectory().resolve(name), dir.resolve(name));
    }
    return dir;
  }

  static String page(int page, int totalPages, int totalItems, JsonObject... entries) {
    return new JsonObject()
        .put("conceptCodes", new JsonArray(List.of((Object[]) entries)))
        .put("totalItems", totalItems)
        .put("totalPages", totalPages)
        .put("page", page)
        .encode();
  }

  static JsonObject entry(String oid, String longName, String parent) {
    JsonArray attributes =
        new JsonArray()
            .add(attribute("LongName", longName))
            .add(attribute("Y-Tunnus", "9812346-2"))
            .add(attribute("Sektori", "1 Julkinen"));
    if (parent != null) {
      attributes.add(attribute("ParentId", parent));
    }
    return new JsonObject()
        .put("conceptCodeId", oid)
        .put("status", "ACTIVE")
        .put("beginDate", "2023-01-01")
        .putNull("expirationDate")
        .put("attributes", attributes);
  }

  private static JsonObject attribute(String name, String value) {
    return new JsonObject()
        .put("attributeName", name)
        .put("attributeValue", new JsonArray().add(value));
  }
}
