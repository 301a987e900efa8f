package fi.soteacme.server.review;

import fi.soteacme.server.authz.AuthorizationRepository;
import fi.soteacme.server.certificate.CertificateService;
import fi.soteacme.server.challenge.Challenge;
import fi.soteacme.server.challenge.ChallengeService;
import fi.soteacme.server.issuance.Profile;
import fi.soteacme.server.order.Order;
import fi.soteacme.server.order.OrderRepository;
import fi.soteacme.server.organisation.BusinessDays;
import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import fi.soteacme.server.status.ChallengeStatus;
import fi.soteacme.server.web.ProblemRenderer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

/**
 * {@code sote-conformity-01} (kanta-extension.md): a private organisation's certificate of
 * conformity is stored and waits, with the challenge {@code processing}, until an operator approves
 * or rejects it. Approvals are remembered per organisation and system name.
 */
public final class ConformityService implements CertificateService.ConformityCheck {
  /**
   * Largest certificate of conformity accepted: 6 MiB, which base64url twice (document in the
   * payload, payload in the JWS) stays within the request body limit.
   */
  public static final int MAX_DOCUMENT_BYTES = 6 * 1024 * 1024;

  private final Pool pool;
  private final AuthorizationRepository authorizations;
  private final OrderRepository orders;
  private final Clock clock;

  public ConformityService(
      Pool pool, AuthorizationRepository authorizations, OrderRepository orders, Clock clock) {
    this.pool = pool;
    this.authorizations = authorizations;
    this.orders = orders;
    this.clock = clock;
  }

  /**
   * The client's response: {systemName, document, documentName}, or {systemName} if approved
   * before.
   */
  public Future<Void> submit(ChallengeService.Found found, JsonObject payload) {
    Challenge c = found.challenge();
    if (c.status() != ChallengeStatus.PENDING) {
      return Future.succeededFuture();
    }
    String oid = found.authorization().identifier().value();
    String systemName = systemName(payload.getValue("systemName"));
    return pool.preparedQuery(
            "select 1 from conformity_approval where organisation_oid = $1 and system_name = $2")
        .execute(Tuple.of(oid, systemName))
        .compose(
            approved -> {
              if (approved.size() > 0) {
                return pool.withTransaction(
                    tx ->
                        authorizations
                            .startProcessing(tx, c.id())
                            .compose(
                                started -> record(tx, c, oid, systemName, null, null, "approved"))
                            .compose(v -> markValid(tx, c)));
              }
              Document document = document(payload);
              Instant deadline = BusinessDays.processingDeadline(clock.instant());
              return pool.withTransaction(
                  tx ->
                      authorizations
                          .startProcessing(tx, c.id())
                          .compose(
                              started -> {
                                if (!started) {
                                  return Future.succeededFuture();
                                }
                                return record(
                                        tx,
                                        c,
                                        oid,
                                        systemName,
                                        document.name(),
                                        document.bytes(),
                                        null)
                                    .compose(
                                        v ->
                                            tx.preparedQuery(
                                                    "update challenge set processing_deadline = $2"
                                                        + " where id = $1")
                                                .execute(
                                                    Tuple.of(
                                                        c.id(), deadline.atOffset(ZoneOffset.UTC))))
                                    .compose(
                                        v ->
                                            orders.setProcessingDeadline(
                                                tx, c.authzId(), deadline));
                              }));
            });
  }

  /** Operator approval: the challenge, its authorization and the waiting orders move on. */
  public Future<Void> approve(long challengeId) {
    return pool.withTransaction(
        tx ->
            decide(tx, challengeId, "approved", null)
                .compose(
                    s ->
                        tx.preparedQuery(
                                "insert into conformity_approval (organisation_oid, system_name,"
                                    + " challenge_id) values ($1, $2, $3) on conflict"
                                    + " (organisation_oid, system_name) do update set approved_at = now(),"
                                    + " challenge_id = excluded.challenge_id")
                            .execute(Tuple.of(s.getString(0), s.getString(1), challengeId))
                            .map(s))
                .compose(s -> markValid(tx, challenge(challengeId, s.getLong(2)))));
  }

  /** Operator rejection: the reason becomes the problem detail the client sees. */
  public Future<Void> reject(long challengeId, String reason) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a rejection needs a reason the applicant can act on");
    }
    JsonObject error =
        ProblemRenderer.toJson(
            new AcmeProblem(
                ProblemType.INCORRECT_RESPONSE,
                "the certificate of conformity was rejected: " + reason));
    return pool.withTransaction(
        tx ->
            decide(tx, challengeId, "rejected", reason)
                .compose(
                    s ->
                        authorizations
                            .markInvalid(tx, challengeId, s.getLong(2), error)
                            .compose(v -> orders.invalidateForAuthz(tx, s.getLong(2), error))));
  }

  /** The review queue, by deadline; overdue entries say so. */
  public Future<JsonArray> queue() {
    return pool.preparedQuery(
            "select s.challenge_id, s.organisation_oid, s.system_name, s.document_name,"
                + " length(s.document), s.submitted_at, c.processing_deadline,"
                + " (select min(oa.order_id) from order_authz oa where oa.authz_id = c.authz_id)"
                + " from conformity_submission s join challenge c on c.id = s.challenge_id"
                + " where s.decision is null order by c.processing_deadline, s.challenge_id")
        .execute()
        .map(
            rows -> {
              Instant now = clock.instant();
              JsonArray out = new JsonArray();
              for (Row r : rows) {
                Instant deadline = r.getOffsetDateTime(6).toInstant();
                out.add(
                    new JsonObject()
                        .put("challenge", r.getLong(0))
                        .put("order", r.getLong(7))
                        .put("organisation", r.getString(1))
                        .put("systemName", r.getString(2))
                        .put("documentName", r.getString(3))
                        .put("documentBytes", r.getInteger(4))
                        .put("submitted", r.getOffsetDateTime(5).toInstant().toString())
                        .put("processingDeadline", deadline.toString())
                        .put("overdue", deadline.isBefore(now)));
              }
              return out;
            });
  }

  /** The stored document, for the operator to read. */
  public Future<Buffer> document(long challengeId) {
    return pool.preparedQuery("select document from conformity_submission where challenge_id = $1")
        .execute(Tuple.of(challengeId))
        .map(
            rows -> {
              if (rows.size() == 0 || rows.iterator().next().getBuffer(0) == null) {
                throw new IllegalArgumentException("no document for challenge " + challengeId);
              }
              return rows.iterator().next().getBuffer(0);
            });
  }

  @Override
  public Future<Void> requireApprovedSystem(Order order, Profile profile, String systemName) {
    if (!profile.isSystemSignature()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(
            "select s.system_name, s.decision from conformity_submission s"
                + " join challenge c on c.id = s.challenge_id"
                + " join order_authz oa on oa.authz_id = c.authz_id where oa.order_id = $1")
        .execute(Tuple.of(order.id()))
        .map(
            rows -> {
              for (Row r : rows) {
                if (!"approved".equals(r.getString(1))) {
                  throw new AcmeProblem(
                      ProblemType.ORDER_NOT_READY, "the certificate of conformity is not approved");
                }
                if (!r.getString(0).equals(systemName)) {
                  throw new AcmeProblem(
                      ProblemType.BAD_CSR,
                      "the CSR's CN must be the reviewed system name \"" + r.getString(0) + "\"");
                }
              }
              return null;
            });
  }

  private Future<Void> record(
      SqlClient tx,
      Challenge c,
      String oid,
      String systemName,
      String documentName,
      byte[] document,
      String decision) {
    return tx.preparedQuery(
            "insert into conformity_submission (challenge_id, organisation_oid, system_name,"
                + " document_name, content_type, document, decision, decided_at)"
                + " values ($1, $2, $3, $4, $5, $6, $7::text, case when $7::text is null then null else now() end)")
        .execute(
            Tuple.wrap(
                java.util.Arrays.asList(
                    c.id(),
                    oid,
                    systemName,
                    documentName,
                    document == null ? null : "application/pdf",
                    document == null ? null : Buffer.buffer(document),
                    decision)))
        .mapEmpty();
  }

  /** Locks the undecided submission and records the decision; row = (oid, system, authz id). */
  private Future<Row> decide(SqlClient tx, long challengeId, String decision, String reason) {
    return tx.preparedQuery(
            "update conformity_submission s set decision = $2, reason = $3, decided_at = now()"
                + " from challenge c where s.challenge_id = $1 and c.id = s.challenge_id"
                + " and s.decision is null and c.status = 'processing'"
                + " returning s.organisation_oid, s.system_name, c.authz_id")
        .execute(Tuple.of(challengeId, decision, reason))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw new IllegalArgumentException(
                    "challenge " + challengeId + " has no submission waiting for a decision");
              }
              return rows.iterator().next();
            });
  }

  private Future<Void> markValid(SqlClient tx, Challenge c) {
    return authorizations
        .markValid(
            tx,
            c.id(),
            c.authzId(),
            clock.instant().plus(ChallengeService.AUTHORIZATION_REUSE),
            false)
        .compose(changed -> orders.readyWhenAuthorized(tx, c.authzId()));
  }

  private static Challenge challenge(long id, long authzId) {
    return new Challenge(
        id, authzId, Challenge.SOTE_CONFORMITY_01, null, ChallengeStatus.PROCESSING, null, null);
  }

  private static String systemName(Object raw) {
    if (!(raw instanceof String name) || name.isBlank()) {
      throw AcmeProblem.malformed(
          "sote-conformity-01 needs \"systemName\", the name of the system");
    }
    if (name.length() > 64 || name.chars().anyMatch(Character::isISOControl)) {
      throw AcmeProblem.malformed("\"systemName\" must be at most 64 printable characters");
    }
    return name;
  }

  private record Document(String name, byte[] bytes) {}

  private static Document document(JsonObject payload) {
    if (!(payload.getValue("document") instanceof String b64)) {
      throw AcmeProblem.malformed(
          "sote-conformity-01 needs \"document\": the certificate of conformity as base64url PDF");
    }
    Object rawName = payload.getValue("documentName");
    if (!(rawName instanceof String name)
        || !name.toLowerCase(java.util.Locale.ROOT).endsWith(".pdf")
        || name.length() > 255
        || name.contains("/")) {
      throw AcmeProblem.malformed("\"documentName\" must be a file name ending in .pdf");
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw AcmeProblem.malformed("\"document\" is not base64url");
    }
    if (bytes.length > MAX_DOCUMENT_BYTES) {
      throw AcmeProblem.malformed(
          "the document is "
              + bytes.length
              + " bytes; at most "
              + MAX_DOCUMENT_BYTES
              + " are accepted");
    }
    if (bytes.length < 5 || !new String(bytes, 0, 5, StandardCharsets.US_ASCII).equals("%PDF-")) {
      throw AcmeProblem.malformed("the document is not a PDF (it must begin with %PDF-)");
    }
    return new Document(name, bytes);
  }
}
