package fi.soteacme.client;

import fi.soteacme.client.connector.Json;
import fi.soteacme.client.connector.Response;
import fi.soteacme.client.exception.AcmeException;
import fi.soteacme.client.exception.AcmeTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An ACME resource with a URL and a status: account, order, authorization, challenge. Accessors
 * read the last fetched state and never do I/O; {@link #fetch()} and the waits do.
 */
public abstract class AcmeResource {
  private static final String STATUS = "status";
  private static final Duration MAX_DEFAULT_INTERVAL = Duration.ofSeconds(10);

  private final Login login;
  private final URI location;
  private volatile Json json;
  private volatile Instant retryAfter;

  /**
   * Creates a resource.
   *
   * @param login the account that reads it
   * @param location its URL
   * @param json its last known state, or {@code null} if not fetched yet
   */
  protected AcmeResource(Login login, URI location, Json json) {
    this.login = Objects.requireNonNull(login, "login");
    this.location = Objects.requireNonNull(location, "location");
    this.json = json == null ? Json.empty() : json;
  }

  /**
   * Returns the URL of the resource.
   *
   * @return the URL
   */
  public URI location() {
    return location;
  }

  /**
   * Returns the account this resource is read with.
   *
   * @return the login
   */
  public Login login() {
    return login;
  }

  /**
   * Returns the last fetched state.
   *
   * @return the JSON object, empty before the first fetch
   */
  public Json json() {
    return json;
  }

  /**
   * Returns the status of the last fetched state.
   *
   * @return the status, {@link Status#UNKNOWN} before the first fetch
   */
  public Status status() {
    return Status.parse(json.string(STATUS).orElse(null));
  }

  /**
   * Returns when the server asked to be polled again, from the last response.
   *
   * @return the instant, if the last response had {@code Retry-After}
   */
  public Optional<Instant> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /**
   * Reads the current state with POST-as-GET.
   *
   * @throws AcmeException on failure
   */
  public void fetch() throws AcmeException {
    update(login.postAsGet(location, null));
  }

  /**
   * Stores the state a response carries.
   *
   * @param response a response whose body is this resource
   * @throws AcmeException if the body is not JSON
   */
  protected void update(Response response) throws AcmeException {
    this.json = response.json();
    this.retryAfter = response.retryAfter().orElse(null);
  }

  /**
   * Polls until the status is one of {@code targets} or final, without blocking the caller: polls
   * run on the session's scheduler (whose threads do the HTTP exchanges), at the server's {@code
   * Retry-After} or else at an interval that starts at the session's poll interval and grows to 10
   * s. Closing the session fails the future.
   *
   * @param targets the statuses to wait for
   * @param timeout how long to wait in total
   * @return a future of the status reached; it fails with {@link AcmeTimeoutException} when the
   *     time is up, or with the {@link AcmeException} of a failed poll
   */
  public CompletableFuture<Status> waitForStatusAsync(Set<Status> targets, Duration timeout) {
    Session session = login.session();
    Instant deadline = session.clock().instant().plus(timeout);
    CompletableFuture<Status> result = new CompletableFuture<>();
    session.track(result);
    schedulePoll(result, targets, deadline, Duration.ZERO, session.defaultPollInterval());
    return result;
  }

  private void schedulePoll(
      CompletableFuture<Status> result,
      Set<Status> targets,
      Instant deadline,
      Duration delay,
      Duration nextDefault) {
    Session session = login.session();
    try {
      session
          .scheduler()
          .schedule(
              () -> poll(result, targets, deadline, nextDefault),
              delay.toMillis(),
              TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      result.completeExceptionally(new AcmeException("The session is closed", e));
    }
  }

  private void poll(
      CompletableFuture<Status> result, Set<Status> targets, Instant deadline, Duration interval) {
    if (result.isDone()) {
      return;
    }
    try {
      fetch();
    } catch (AcmeException e) {
      result.completeExceptionally(e);
      return;
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      return;
    }
    Status status = status();
    if (targets.contains(status) || status.isFinal()) {
      result.complete(status);
      return;
    }
    Instant now = login.session().clock().instant();
    Duration delay =
        retryAfter()
            .map(at -> Duration.between(now, at))
            .filter(d -> !d.isNegative())
            .orElse(interval);
    if (now.plus(delay).isAfter(deadline)) {
      result.completeExceptionally(
          new AcmeTimeoutException(
              location + " is still " + status.wireName() + "; gave up waiting for " + targets));
      return;
    }
    Duration grown = interval.multipliedBy(3).dividedBy(2);
    schedulePoll(
        result,
        targets,
        deadline,
        delay,
        grown.compareTo(MAX_DEFAULT_INTERVAL) > 0 ? MAX_DEFAULT_INTERVAL : grown);
  }

  /**
   * Blocking variant of {@link #waitForStatusAsync}: the calling thread waits, the session's
   * scheduler polls.
   *
   * @param targets the statuses to wait for
   * @param timeout how long to wait in total
   * @return the status reached (one of {@code targets}, or a final status)
   * @throws AcmeException if a poll fails or the time is up
   * @throws InterruptedException if the calling thread is interrupted
   */
  public Status waitForStatus(Set<Status> targets, Duration timeout)
      throws AcmeException, InterruptedException {
    CompletableFuture<Status> future = waitForStatusAsync(targets, timeout);
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AcmeException ae) {
        throw ae;
      }
      throw new AcmeException("Polling " + location + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + location + ", " + status().wireName() + "]";
  }
}
