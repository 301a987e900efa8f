package fi.soteacme.client.cli.bench;

import fi.soteacme.client.Account;
import fi.soteacme.client.AccountBuilder;
import fi.soteacme.client.Authorization;
import fi.soteacme.client.Order;
import fi.soteacme.client.OrderBuilder;
import fi.soteacme.client.Session;
import fi.soteacme.client.Status;
import fi.soteacme.client.challenge.Challenge;
import fi.soteacme.client.exception.AcmeException;
import fi.soteacme.client.exception.AcmeServerException;
import fi.soteacme.client.util.Csrs;
import fi.soteacme.client.util.KeyPairs;
import fi.soteacme.client.util.KeyType;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs N simulated clients, each with its own session and ES256 account, through newOrder →
 * authorization → challenge → finalize → download until a count or a duration is reached. The
 * challenge is only triggered: the server must validate without a responder (Pebble with {@code
 * PEBBLE_VA_ALWAYS_VALID=1}, sote-acme with {@code validation.skipForTestProfiles} and a {@code
 * *-test} profile).
 */
public final class BenchRunner {
  private static final Duration WAIT = Duration.ofSeconds(120);

  /** What to run. */
  public record Settings(
      URI directory,
      Path caBundle,
      int clients,
      long count,
      Duration duration,
      Duration warmup,
      String profile,
      String domainSuffix,
      String challengeType,
      KeyType certificateKeyType,
      Duration pollInterval,
      EabSource eab,
      Map<String, Long> pids,
      List<String> alsoConnect) {

    /** The same settings without {@code alsoConnect}: every request to the directory's host. */
    public Settings(
        URI directory,
        Path caBundle,
        int clients,
        long count,
        Duration duration,
        Duration warmup,
        String profile,
        String domainSuffix,
        String challengeType,
        KeyType certificateKeyType,
        Duration pollInterval,
        EabSource eab,
        Map<String, Long> pids) {
      this(
          directory,
          caBundle,
          clients,
          count,
          duration,
          warmup,
          profile,
          domainSuffix,
          challengeType,
          certificateKeyType,
          pollInterval,
          eab,
          pids,
          List.of());
    }

    /**
     * The {@code host:port}s every client alternates between: the directory URL's, then each of
     * {@code alsoConnect}.
     *
     * @return the endpoints, the directory's first
     */
    public List<String> endpoints() {
      List<String> out = new ArrayList<>();
      out.add(RoutingHttpClient.authority(directory));
      out.addAll(alsoConnect);
      return out;
    }
  }

  private final Settings settings;
  private final ProcCpu proc;
  private final Map<Step, Latencies> latencies = new EnumMap<>(Step.class);
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final Map<String, String> errorSamples = new ConcurrentHashMap<>();
  private final AtomicLong started = new AtomicLong();
  private final LongAdder certificates = new LongAdder();
  private final Traffic traffic = new Traffic();
  private final String runId = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
  private volatile boolean measuring;
  private volatile long measureUntilNanos = Long.MAX_VALUE;

  /**
   * Prepares a run.
   *
   * @param settings what to run
   * @param proc where CPU times are read
   */
  public BenchRunner(Settings settings, ProcCpu proc) {
    this.settings = settings;
    this.proc = proc;
    for (Step s : Step.values()) {
      latencies.put(s, new Latencies());
    }
  }

  /**
   * Runs the load and returns the figures.
   *
   * @return the result
   * @throws Exception if the clients cannot be set up
   */
  public BenchResult run() throws Exception {
    List<Client> clients = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    CountDownLatch ready = new CountDownLatch(settings.clients());
    CountDownLatch go = new CountDownLatch(1);
    List<Throwable> setupFailures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < settings.clients(); i++) {
      Client c = new Client(i);
      clients.add(c);
      Thread t =
          new Thread(
              () -> {
                try {
                  c.setUp();
                } catch (Exception e) {
                  setupFailures.add(e);
                  ready.countDown();
                  return;
                }
                ready.countDown();
                try {
                  go.await();
                  c.loop();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "bench-client-" + i);
      threads.add(t);
      t.start();
    }
    ready.await();
    if (!setupFailures.isEmpty()) {
      measureUntilNanos = 0;
      go.countDown();
      for (Thread t : threads) {
        t.join();
      }
      clients.forEach(Client::close);
      Throwable first = setupFailures.get(0);
      throw new AcmeException(
          setupFailures.size()
              + " of "
              + settings.clients()
              + " accounts could not be created: "
              + first.getMessage(),
          first);
    }
    go.countDown();
    if (!settings.warmup().isZero()) {
      Thread.sleep(settings.warmup().toMillis());
    }
    Map<String, Double> cpuBefore = cpu();
    long t0 = System.nanoTime();
    if (settings.duration() != null) {
      measureUntilNanos = t0 + settings.duration().toNanos();
    }
    measuring = true;
    for (Thread t : threads) {
      t.join();
    }
    long elapsed = System.nanoTime() - t0;
    Map<String, Double> cpuAfter = cpu();
    clients.forEach(Client::close);
    Map<String, Double> cpu = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : cpuBefore.entrySet()) {
      Double after = cpuAfter.get(e.getKey());
      if (after != null) {
        cpu.put(e.getKey(), after - e.getValue());
      }
    }
    Map<String, Long> errorCounts = new LinkedHashMap<>();
    errors.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> errorCounts.put(e.getKey(), e.getValue().sum()));
    return new BenchResult(
        settings.directory().toString(),
        settings.clients(),
        Duration.ofNanos(elapsed),
        certificates.sum(),
        latencies,
        errorCounts,
        new LinkedHashMap<>(errorSamples),
        cpu,
        traffic.snapshot());
  }

  private Map<String, Double> cpu() throws IOException {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : settings.pids().entrySet()) {
      out.put(e.getKey(), proc.secondsOf(e.getKey(), e.getValue()));
    }
    return out;
  }

  /** Whether a client may start another flow, and whether that flow is measured. */
  private boolean mayStart(boolean[] measured) {
    if (!measuring) {
      measured[0] = false;
      return measureUntilNanos != 0;
    }
    measured[0] = true;
    if (settings.duration() != null) {
      return System.nanoTime() < measureUntilNanos;
    }
    return started.incrementAndGet() <= settings.count();
  }

  private void error(Throwable e) {
    String key;
    if (e instanceof AcmeServerException se) {
      key = se.problem().type().toString();
    } else {
      key = e.getClass().getSimpleName();
    }
    errors.computeIfAbsent(key, k -> new LongAdder()).increment();
    errorSamples.putIfAbsent(key, String.valueOf(e.getMessage()));
  }

  /** One simulated ACME client: its own session (connections, nonces) and account. */
  private final class Client {
    private final int index;
    private Session session;
    private Account account;
    private KeyPair certificateKey;
    private long sequence;

    Client(int index) {
      this.index = index;
    }

    void setUp() throws Exception {
      String home = RoutingHttpClient.authority(settings.directory());
      List<String> endpoints = settings.endpoints();
      // Every request through the counting client; with --also-connect it also alternates the
      // endpoint of successive requests of this client, so that nonces cross processes.
      Session.Builder b =
          Session.builder(settings.directory())
              .pollInterval(settings.pollInterval())
              .httpClientWrapper(
                  http -> new RoutingHttpClient(http, home, endpoints, traffic, index));
      if (settings.caBundle() != null) {
        b.trustAnchors(settings.caBundle());
      }
      session = b.build();
      AccountBuilder ab =
          new AccountBuilder()
              .keyPair(KeyPairs.generate(KeyType.EC_P256))
              .addEmail("bench-" + index + "@example.test")
              .agreeToTermsOfService();
      Optional<EabSource.Credential> eab = settings.eab().next();
      eab.ifPresent(c -> ab.externalAccountBinding(c.kid(), c.hmacKey()));
      account = ab.create(session);
      // One certificate key per client: key generation is client work, not server work.
      certificateKey = KeyPairs.generate(settings.certificateKeyType());
    }

    void loop() throws InterruptedException {
      boolean[] measured = new boolean[1];
      while (mayStart(measured)) {
        try {
          flow(measured[0]);
        } catch (InterruptedException e) {
          throw e;
        } catch (Exception e) {
          if (measured[0]) {
            error(e);
          }
        }
      }
    }

    void flow(boolean measured) throws Exception {
      String name = "b" + runId + "-" + index + "-" + sequence++ + "." + settings.domainSuffix();
      long[] at = new long[Step.values().length];
      long start = System.nanoTime();
      OrderBuilder ob = account.newOrder().domains(name);
      if (settings.profile() != null) {
        ob.profile(settings.profile());
      }
      Order order = ob.create();
      at[Step.NEW_ORDER.ordinal()] = System.nanoTime();
      List<Authorization> authorizations = order.fetchAuthorizations();
      at[Step.AUTHORIZATION.ordinal()] = System.nanoTime();
      for (Authorization authz : authorizations) {
        if (authz.status() == Status.VALID) {
          continue;
        }
        Challenge challenge =
            authz
                .challenge(settings.challengeType())
                .orElseThrow(
                    () -> new AcmeException(settings.challengeType() + " not offered: " + authz));
        challenge.trigger();
        if (challenge.status() != Status.VALID) {
          Status s = authz.waitForStatus(Set.of(Status.VALID), WAIT);
          if (s != Status.VALID) {
            throw new AcmeException("authorization " + s.wireName() + ": " + authz.json());
          }
        }
      }
      // As the library's README: the order must be ready before finalize (RFC 8555 §7.4).
      Status ready = order.waitForStatus(Set.of(Status.READY), WAIT);
      if (ready != Status.READY) {
        throw new AcmeException("order " + ready.wireName() + " instead of ready");
      }
      at[Step.CHALLENGE.ordinal()] = System.nanoTime();
      order.finalizeOrder(Csrs.server(certificateKey, List.of(name)));
      if (order.status() != Status.VALID) {
        Status s = order.waitForStatus(Set.of(Status.VALID), WAIT);
        if (s != Status.VALID) {
          Optional<fi.soteacme.client.Problem> p = order.error();
          if (p.isPresent()) {
            throw new AcmeServerException(p.get());
          }
          throw new AcmeException("order " + s.wireName());
        }
      }
      at[Step.FINALIZE.ordinal()] = System.nanoTime();
      order
          .certificate()
          .orElseThrow(() -> new AcmeException("valid order without certificate"))
          .download();
      at[Step.DOWNLOAD.ordinal()] = System.nanoTime();
      at[Step.FLOW.ordinal()] = at[Step.DOWNLOAD.ordinal()];
      if (measured) {
        long previous = start;
        for (Step s : Step.values()) {
          if (s == Step.FLOW) {
            latencies.get(s).record(at[s.ordinal()] - start);
          } else {
            latencies.get(s).record(at[s.ordinal()] - previous);
            previous = at[s.ordinal()];
          }
        }
        certificates.increment();
      }
    }

    void close() {
      if (session != null) {
        session.close();
      }
    }
  }
}
