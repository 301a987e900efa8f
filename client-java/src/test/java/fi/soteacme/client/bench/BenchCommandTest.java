package fi.soteacme.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.client.cli.bench.BenchCommand;
import fi.soteacme.client.cli.bench.BenchResult;
import fi.soteacme.client.cli.bench.Latencies;
import fi.soteacme.client.cli.bench.Step;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchCommandTest {
  @Test
  void durations() {
    assertEquals(Duration.ofMillis(20), BenchCommand.parseDuration("20ms"));
    assertEquals(Duration.ofSeconds(60), BenchCommand.parseDuration("60s"));
    assertEquals(Duration.ofMillis(1500), BenchCommand.parseDuration("1.5s"));
    assertEquals(Duration.ofMinutes(2), BenchCommand.parseDuration("2m"));
    assertEquals(Duration.ofSeconds(45), BenchCommand.parseDuration("45"));
    assertEquals(Duration.ofSeconds(90), BenchCommand.parseDuration("PT90S"));
  }

  @Test
  void resultRatesCpuPerCertificateAndJson() {
    Map<Step, Latencies> latencies = new EnumMap<>(Step.class);
    for (Step s : Step.values()) {
      Latencies l = new Latencies();
      l.record(Duration.ofMillis(10).toNanos());
      latencies.put(s, l);
    }
    Map<String, Double> cpu = new LinkedHashMap<>();
    cpu.put("server", 2.0);
    cpu.put("postgres", 1.0);
    BenchResult r =
        new BenchResult(
            "https://127.0.0.1/dir",
            32,
            Duration.ofSeconds(10),
            100,
            latencies,
            Map.of("urn:ietf:params:acme:error:badNonce", 2L),
            Map.of("urn:ietf:params:acme:error:badNonce", "stale"),
            cpu);
    assertEquals(10.0, r.certificatesPerSecond(), 1e-9);
    assertEquals(0.03, r.totalCpuPerCertificate(), 1e-9);
    String json = r.json().toString();
    assertTrue(json.contains("\"certificatesPerSecond\":10.0"), json);
    assertTrue(json.contains("\"cpuMsPerCertificate\":30.0"), json);
    assertTrue(json.contains("\"full flow\":{\"count\":1,\"p50Ms\":10.0"), json);
    String table = r.table();
    assertTrue(table.contains("10.00 certificates/s, 2 errors"), table);
    assertTrue(table.contains("total"), table);
  }
}
