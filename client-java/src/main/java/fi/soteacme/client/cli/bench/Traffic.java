package fi.soteacme.client.cli.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * HTTP exchanges of a whole run (account set-up, warm-up and measured window alike), by TCP
 * endpoint: requests, signed POSTs, badNonce answers (which the library retries without telling),
 * other error answers and requests without an answer. The server checks the nonce last, after the
 * signature: in a run without other error answers, every signed POST that was answered, and not
 * with badNonce, used up exactly one nonce (see {@link BenchResult#acceptedNonces()}).
 */
public final class Traffic {
  private final Map<String, Counters> byEndpoint = new ConcurrentHashMap<>();

  private static final class Counters {
    final LongAdder requests = new LongAdder();
    final LongAdder posts = new LongAdder();
    final LongAdder badNonce = new LongAdder();
    final LongAdder errorResponses = new LongAdder();
    final LongAdder noResponse = new LongAdder();
    final LongAdder postsWithoutResponse = new LongAdder();
  }

  private Counters of(String endpoint) {
    return byEndpoint.computeIfAbsent(endpoint, e -> new Counters());
  }

  void answered(String endpoint, String method, int status, boolean badNonce) {
    Counters c = of(endpoint);
    c.requests.increment();
    if ("POST".equals(method)) {
      c.posts.increment();
    }
    if (badNonce) {
      c.badNonce.increment();
    } else if (status >= 400) {
      c.errorResponses.increment();
    }
  }

  void failed(String endpoint, String method) {
    Counters c = of(endpoint);
    c.requests.increment();
    c.noResponse.increment();
    if ("POST".equals(method)) {
      c.posts.increment();
      c.postsWithoutResponse.increment();
    }
  }

  /**
   * The counters, by endpoint in name order.
   *
   * @return endpoint → {requests, posts, badNonce, errorResponses, noResponse, postsNoResponse}
   */
  public Map<String, Map<String, Long>> snapshot() {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    byEndpoint.forEach(
        (endpoint, c) -> {
          Map<String, Long> m = new LinkedHashMap<>();
          m.put("requests", c.requests.sum());
          m.put("posts", c.posts.sum());
          m.put("badNonce", c.badNonce.sum());
          m.put("errorResponses", c.errorResponses.sum());
          m.put("noResponse", c.noResponse.sum());
          m.put("postsNoResponse", c.postsWithoutResponse.sum());
          out.put(endpoint, m);
        });
    return out;
  }
}
