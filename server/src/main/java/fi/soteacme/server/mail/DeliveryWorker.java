package fi.soteacme.server.mail;

import fi.soteacme.server.config.ServerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.MailResult;
import io.vertx.ext.mail.StartTLSOptions;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the queued certificate e-mails: every few seconds, and at once when this process queued
 * one. Every server process on the database runs one; a delivery is claimed (with {@code FOR UPDATE
 * SKIP LOCKED}) for a lease before it is sent, so two processes never send it twice. A failed
 * attempt is retried with exponential backoff; issuance never waits for any of this.
 *
 * <p>A process that stops between the SMTP server's acceptance and recording it sends that mail
 * again after the lease: delivery is at least once, and exactly once otherwise.
 */
public final class DeliveryWorker {
  private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
  static final Duration POLL = Duration.ofSeconds(5);

  /** Longer than the longest send: connect timeout plus idle timeouts of a slow SMTP dialogue. */
  static final Duration LEASE = Duration.ofMinutes(15);

  static final int BATCH = 10;
  private static final int CONNECT_TIMEOUT_MS = 30_000;
  private static final int IDLE_TIMEOUT_SECONDS = 60;
  private static final int MAX_ERROR_LENGTH = 1000;

  private final Vertx vertx;
  private final Pool pool;
  private final DeliveryRepository deliveries;
  private final ServerConfig.Smtp smtp;
  private final MailClient mail;
  private final CertificateMail messages;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean kickedWhileRunning = new AtomicBoolean();
  private volatile long timer = -1;

  /**
   * @param urls the server's public URL of a path, for the links in the message
   */
  public DeliveryWorker(
      Vertx vertx,
      Pool pool,
      DeliveryRepository deliveries,
      ServerConfig.Smtp smtp,
      Function<String, String> urls) {
    this.vertx = vertx;
    this.pool = pool;
    this.deliveries = deliveries;
    this.smtp = smtp;
    if (smtp.enabled() && (smtp.from() == null || smtp.from().isBlank())) {
      throw new IllegalArgumentException(
          "smtp.from (SOTE_ACME_SMTP_FROM) is required when smtp.host is set");
    }
    this.mail = smtp.enabled() ? MailClient.create(vertx, mailConfig(smtp)) : null;
    this.messages = new CertificateMail(smtp.from(), urls);
  }

  /** Starts polling, and sends what is already due; without an SMTP host it only says so. */
  public void start() {
    if (mail == null) {
      log.warn(
          "no SMTP host configured: certificate e-mails are queued in the database but not sent");
      return;
    }
    log.info("e-mailing certificates through {}:{}", smtp.host(), smtp.port());
    timer = vertx.setPeriodic(POLL.toMillis(), id -> kick());
    kick();
  }

  /** Stops polling; a send in progress finishes (or is retried after its lease). */
  public Future<Void> stop() {
    if (mail == null) {
      return Future.succeededFuture();
    }
    vertx.cancelTimer(timer);
    return mail.close();
  }

  /** Sends what is due now, unless a run is in progress (which then runs once more). */
  public void kick() {
    if (mail == null) {
      return;
    }
    if (!running.compareAndSet(false, true)) {
      kickedWhileRunning.set(true);
      return;
    }
    drain()
        .onComplete(
            done -> {
              if (done.failed()) {
                log.warn("sending queued certificate e-mails failed", done.cause());
              }
              running.set(false);
              if (kickedWhileRunning.getAndSet(false)) {
                kick();
              }
            });
  }

  private Future<Void> drain() {
    return deliveries
        .claimDue(pool, BATCH, LEASE)
        .compose(
            batch -> {
              if (batch.isEmpty()) {
                return Future.succeededFuture();
              }
              List<Future<Void>> sends = batch.stream().map(this::deliver).toList();
              return Future.join(sends)
                  .transform(v -> batch.size() == BATCH ? drain() : Future.succeededFuture());
            });
  }

  private Future<Void> deliver(Delivery delivery) {
    MailMessage message;
    try {
      message = messages.message(delivery);
    } catch (RuntimeException e) {
      return failed(delivery, e);
    }
    return mail.sendMail(message)
        .compose(
            sent ->
                deliveries
                    .markSent(pool, delivery.id())
                    .onSuccess(v -> logSent(delivery, sent))
                    .onFailure(
                        e ->
                            log.warn(
                                "certificate {} was e-mailed but not marked sent; it will be sent"
                                    + " again after {}",
                                delivery.certificateId(),
                                LEASE,
                                e)),
            failure -> failed(delivery, failure));
  }

  private static void logSent(Delivery delivery, MailResult sent) {
    int accepted = sent.getRecipients() == null ? 0 : sent.getRecipients().size();
    if (accepted < delivery.recipients().size()) {
      log.warn(
          "e-mailed certificate {}, but the SMTP server refused {} of its {} recipient(s)",
          delivery.certificateId(),
          delivery.recipients().size() - accepted,
          delivery.recipients().size());
    } else {
      log.info(
          "e-mailed certificate {} to {} recipient(s)",
          delivery.certificateId(),
          delivery.recipients().size());
    }
  }

  private Future<Void> failed(Delivery delivery, Throwable failure) {
    Duration retryIn = backoff(delivery.attempts(), smtp.retryMin(), smtp.retryMax());
    String error = String.valueOf(failure);
    log.warn(
        "e-mailing certificate {} failed (attempt {}), retrying in {}: {}",
        delivery.certificateId(),
        delivery.attempts() + 1,
        retryIn,
        error);
    return deliveries.markFailed(
        pool,
        delivery.id(),
        retryIn,
        error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error);
  }

  /**
   * The wait after a failure: {@code min} doubled for each earlier failure, at most {@code max}.
   */
  static Duration backoff(int failedBefore, Duration min, Duration max) {
    Duration wait = min.multipliedBy(1L << Math.min(failedBefore, 30));
    return wait.compareTo(max) > 0 ? max : wait;
  }

  private static StartTLSOptions startTls(ServerConfig.Smtp.StartTls starttls) {
    return switch (starttls) {
      case NONE -> StartTLSOptions.DISABLED;
      case OPTIONAL -> StartTLSOptions.OPTIONAL;
      case REQUIRED -> StartTLSOptions.REQUIRED;
    };
  }

  private static MailConfig mailConfig(ServerConfig.Smtp smtp) {
    boolean login = smtp.username() != null && !smtp.username().isBlank();
    MailConfig config =
        new MailConfig()
            .setHostname(smtp.host())
            .setPort(smtp.port())
            .setSsl(smtp.ssl())
            .setStarttls(startTls(smtp.starttls()))
            .setLogin(login ? LoginOption.REQUIRED : LoginOption.DISABLED)
            // One refused address (say a mistyped technical contact) must not keep the
            // certificate from the others; the mail fails only when no address is accepted.
            .setAllowRcptErrors(true);
    if (login) {
      config.setUsername(smtp.username()).setPassword(smtp.password());
    }
    config.setConnectTimeout(CONNECT_TIMEOUT_MS);
    config.setIdleTimeout(IDLE_TIMEOUT_SECONDS);
    config.setIdleTimeoutUnit(TimeUnit.SECONDS);
    return config;
  }
}
