package fi.soteacme.client.cli.bench;

import fi.soteacme.client.connector.Json;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one run: certificates per second, latency percentiles per step, errors by problem
 * type, CPU seconds of the given processes.
 *
 * @param server the directory URL
 * @param clients the number of simulated clients
 * @param elapsed the measured time
 * @param certificates certificates issued and downloaded in that time
 * @param latencies per step
 * @param errors count per problem type (or exception class)
 * @param errorSamples one message per error key
 * @param cpuSeconds CPU seconds per named process (with its children for PostgreSQL)
 * @param requests HTTP exchanges of the whole run by TCP endpoint (see {@link Traffic#snapshot()})
 */
public record BenchResult(
    String server,
    int clients,
    Duration elapsed,
    long certificates,
    Map<Step, Latencies> latencies,
    Map<String, Long> errors,
    Map<String, String> errorSamples,
    Map<String, Double> cpuSeconds,
    Map<String, Map<String, Long>> requests) {

  /**
   * A result without request counts.
   *
   * @param server the directory URL
   * @param clients the number of simulated clients
   * @param elapsed the measured time
   * @param certificates certificates issued and downloaded in that time
   * @param latencies per step
   * @param errors count per problem type (or exception class)
   * @param errorSamples one message per error key
   * @param cpuSeconds CPU seconds per named process
   */
  public BenchResult(
      String server,
      int clients,
      Duration elapsed,
      long certificates,
      Map<Step, Latencies> latencies,
      Map<String, Long> errors,
      Map<String, String> errorSamples,
      Map<String, Double> cpuSeconds) {
    this(
        server,
        clients,
        elapsed,
        certificates,
        latencies,
        errors,
        errorSamples,
        cpuSeconds,
        Map.of());
  }

  private long sum(String counter) {
    return requests.values().stream().mapToLong(m -> m.getOrDefault(counter, 0L)).sum();
  }

  /**
   * Returns the signed POSTs of the whole run that were answered, and not with badNonce: as the
   * server checks the nonce last, in a run without other error answers each of them used up one
   * nonce, so this is the number of rows the run added to sote-acme's {@code used_nonce}.
   *
   * @return the count
   */
  public long acceptedNonces() {
    return sum("posts") - sum("badNonce") - sum("postsNoResponse");
  }

  /**
   * Returns certificates per second.
   *
   * @return the rate
   */
  public double certificatesPerSecond() {
    double s = elapsed.toNanos() / 1e9;
    return s <= 0 ? 0 : certificates / s;
  }

  /**
   * Returns the CPU seconds per certificate of every process together.
   *
   * @return the seconds, or NaN without process ids or certificates
   */
  public double totalCpuPerCertificate() {
    if (cpuSeconds.isEmpty() || certificates == 0) {
      return Double.NaN;
    }
    return cpuSeconds.values().stream().mapToDouble(Double::doubleValue).sum() / certificates;
  }

  private static double ms(Duration d) {
    return d.toNanos() / 1e6;
  }

  private static double round(double v, int places) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return v;
    }
    double f = Math.pow(10, places);
    return Math.round(v * f) / f;
  }

  /**
   * Renders the result as a text table.
   *
   * @return the table
   */
  public String table() {
    StringBuilder b = new StringBuilder();
    long errorCount = errors.values().stream().mapToLong(Long::longValue).sum();
    b.append(
        String.format(
            Locale.ROOT,
            "%s%n%d clients, %.1f s measured: %d certificates, %.2f certificates/s, %d errors%n",
            server,
            clients,
            elapsed.toNanos() / 1e9,
            certificates,
            certificatesPerSecond(),
            errorCount));
    b.append(
        String.format(
            Locale.ROOT,
            "%-14s %7s %9s %9s %9s %9s%n",
            "step",
            "count",
            "p50 ms",
            "p90 ms",
            "p99 ms",
            "mean ms"));
    for (Map.Entry<Step, Latencies> e : latencies.entrySet()) {
      Latencies l = e.getValue();
      b.append(
          String.format(
              Locale.ROOT,
              "%-14s %7d %9.1f %9.1f %9.1f %9.1f%n",
              e.getKey().label(),
              l.count(),
              ms(l.percentile(50)),
              ms(l.percentile(90)),
              ms(l.percentile(99)),
              ms(l.mean())));
    }
    if (!cpuSeconds.isEmpty()) {
      b.append(String.format(Locale.ROOT, "%-14s %9s %12s%n", "process", "CPU s", "CPU ms/cert"));
      cpuSeconds.forEach(
          (name, s) ->
              b.append(
                  String.format(
                      Locale.ROOT,
                      "%-14s %9.2f %12.2f%n",
                      name,
                      s,
                      certificates == 0 ? Double.NaN : 1000 * s / certificates)));
      b.append(
          String.format(
              Locale.ROOT,
              "%-14s %9.2f %12.2f%n",
              "total",
              cpuSeconds.values().stream().mapToDouble(Double::doubleValue).sum(),
              1000 * totalCpuPerCertificate()));
    }
    errors.forEach(
        (type, n) ->
            b.append(
                String.format(
                    Locale.ROOT,
                    "error %s: %d (%s)%n",
                    type,
                    n,
                    errorSamples.getOrDefault(type, ""))));
    requests.forEach(
        (endpoint, m) ->
            b.append(
                String.format(
                    Locale.ROOT,
                    "endpoint %s: %d requests, %d signed POSTs, %d badNonce, %d other error"
                        + " answers, %d without answer (whole run)%n",
                    endpoint,
                    m.get("requests"),
                    m.get("posts"),
                    m.get("badNonce"),
                    m.get("errorResponses"),
                    m.get("noResponse"))));
    return b.toString();
  }

  /**
   * Renders the result as JSON.
   *
   * @return the JSON object
   */
  public Json json() {
    Map<String, Object> steps = new LinkedHashMap<>();
    latencies.forEach(
        (step, l) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("count", l.count());
          m.put("p50Ms", round(ms(l.percentile(50)), 2));
          m.put("p90Ms", round(ms(l.percentile(90)), 2));
          m.put("p99Ms", round(ms(l.percentile(99)), 2));
          m.put("meanMs", round(ms(l.mean()), 2));
          steps.put(step.label(), m);
        });
    Map<String, Object> cpu = new LinkedHashMap<>();
    cpuSeconds.forEach(
        (name, s) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("seconds", round(s, 3));
          m.put("msPerCertificate", certificates == 0 ? null : round(1000 * s / certificates, 3));
          cpu.put(name, m);
        });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("server", server);
    out.put("clients", clients);
    out.put("seconds", round(elapsed.toNanos() / 1e9, 3));
    out.put("certificates", certificates);
    out.put("certificatesPerSecond", round(certificatesPerSecond(), 3));
    out.put("steps", steps);
    out.put("errors", errors);
    out.put("cpu", cpu);
    out.put("requests", requests);
    out.put("acceptedNonces", acceptedNonces());
    double total = totalCpuPerCertificate();
    out.put("cpuMsPerCertificate", Double.isNaN(total) ? null : round(1000 * total, 3));
    return Json.of(out);
  }
}
