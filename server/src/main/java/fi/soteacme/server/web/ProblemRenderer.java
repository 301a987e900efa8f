package fi.soteacme.server.web;

import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import fi.soteacme.server.web.jws.FlattenedJws;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that renders failures as problem documents (RFC 8555 §6.7). Internal errors say
 * serverInternal and nothing more outward; the log keeps the cause.
 */
public final class ProblemRenderer {
  private static final Logger log = LoggerFactory.getLogger(ProblemRenderer.class);

  private ProblemRenderer() {}

  /** The failure handler of every router. */
  public static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    AcmeProblem problem;
    if (failure instanceof AcmeProblem p) {
      problem = p;
    } else if (failure == null && ctx.statusCode() == 404) {
      problem = AcmeProblem.notFound("no resource at " + ctx.request().path());
    } else if (failure == null && ctx.statusCode() == 405) {
      problem =
          new AcmeProblem(
              ProblemType.METHOD_NOT_ALLOWED,
              ctx.request().method() + " is not allowed on " + ctx.request().path());
    } else if (failure == null && ctx.statusCode() == 413) {
      problem = AcmeProblem.malformed("the request body is too large");
    } else if (failure == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      problem =
          AcmeProblem.malformed("the request cannot be processed (HTTP " + ctx.statusCode() + ")");
    } else {
      log.error("internal error on {} {}", ctx.request().method(), ctx.request().path(), failure);
      problem = new AcmeProblem(ProblemType.SERVER_INTERNAL, "internal server error");
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (problem.type() == ProblemType.SERVER_INTERNAL && failure instanceof AcmeProblem) {
      log.error(
          "internal error on {} {}: {}",
          ctx.request().method(),
          ctx.request().path(),
          problem.detail(),
          problem.getCause());
    }
    JsonObject json = toJson(problem);
    if (problem.location() != null) {
      ctx.response().putHeader("Location", problem.location());
    }
    ctx.response()
        .setStatusCode(problem.type().httpStatus())
        .putHeader("Content-Type", "application/problem+json")
        .end(json.toBuffer());
  }

  /** The problem document, also used for errors stored on challenges and orders. */
  public static JsonObject toJson(AcmeProblem problem) {
    JsonObject json =
        new JsonObject()
            .put("type", problem.type().urn())
            .put("detail", problem.detail())
            .put("status", problem.type().httpStatus());
    if (problem.type() == ProblemType.BAD_SIGNATURE_ALGORITHM) {
      json.put("algorithms", new JsonArray(FlattenedJws.ALGORITHMS));
    }
    if (!problem.subproblems().isEmpty()) {
      JsonArray subs = new JsonArray();
      for (AcmeProblem.Subproblem sub : problem.subproblems()) {
        JsonObject s =
            new JsonObject()
                .put("type", sub.type().urn())
                .put("detail", sub.detail())
                .put("status", sub.type().httpStatus());
        if (sub.identifierType() != null) {
          s.put(
              "identifier",
              new JsonObject()
                  .put("type", sub.identifierType())
                  .put("value", sub.identifierValue()));
        }
        subs.add(s);
      }
      json.put("subproblems", subs);
    }
    return json;
  }
}
