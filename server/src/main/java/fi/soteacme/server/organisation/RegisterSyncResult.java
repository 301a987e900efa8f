package fi.soteacme.server.organisation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.List;

/**
 * What a successful load did, as the operator API and {@code admin register import} print it.
 *
 * @param modifiedAfter the date an incremental sync from the code service asked for; null otherwise
 * @param registerSize entries of this register in the copy after the load
 * @param missingParents OIDs (of the whole copy) whose ParentId names no entry: their hierarchy is
 *     broken and orders for them are refused
 */
public record RegisterSyncResult(
    RegisterKind kind,
    String source,
    boolean incremental,
    int pages,
    int entries,
    int registerSize,
    LocalDate modifiedAfter,
    List<String> missingParents) {

  public RegisterSyncResult {
    missingParents = List.copyOf(missingParents);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("kind", kind.dbName())
        .put("source", source)
        .put("mode", incremental ? "incremental" : "full")
        .put("pages", pages)
        .put("entries", entries)
        .put("registerSize", registerSize)
        .put("modifiedAfter", modifiedAfter == null ? null : modifiedAfter.toString())
        .put("missingParents", new JsonArray(List.copyOf(missingParents)));
  }
}
