package fi.soteacme.server.it.negative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.SoteAcmeServer;
import fi.soteacme.server.it.TestServers;
import fi.soteacme.server.it.negative.RawAcme.Account;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 8555 §7.1.2.1: an account's orders list is paged with Link rel="next", on a second server
 * process with a page size of 2 that shares the database; also that a nonce is used once across
 * processes.
 */
class OrdersListTest {
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");

  private static TestServers servers;
  private static SoteAcmeServer paged;
  private static RawAcme acme;

  @BeforeAll
  static void start() throws Exception {
    Security.addProvider(new BouncyCastleProvider());
    servers = TestServers.get();
    paged =
        servers.start(
            servers.dataDir.resolve("server-paged"), json -> json.put("ordersPageSize", 2));
    acme = new RawAcme(paged.directoryUrl(), paged.trustAnchor());
  }

  @AfterAll
  static void stop() throws Exception {
    if (paged != null) {
      paged.close();
    }
  }

  private static Optional<String> next(HttpResponse<String> r) {
    for (String link : r.headers().allValues("Link")) {
      Matcher m = NEXT.matcher(link);
      if (m.find()) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }

  @Test
  void pagesThroughEveryOrderOnce() throws Exception {
    Account account = acme.register(servers);
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = acme.newOrder(account, "o" + i + ".clinic-l.test");
      assertEquals(201, r.statusCode(), r.body());
      created.add(r.headers().firstValue("Location").orElseThrow());
    }
    String ordersUrl =
        new JsonObject(acme.postKid(account, account.url(), null).body()).getString("orders");
    List<String> listed = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    Optional<String> page = Optional.of(ordersUrl);
    while (page.isPresent()) {
      HttpResponse<String> r = acme.postKid(account, page.get(), null);
      assertEquals(200, r.statusCode(), r.body());
      List<Object> orders = new JsonObject(r.body()).getJsonArray("orders").getList();
      pageSizes.add(orders.size());
      orders.forEach(o -> listed.add((String) o));
      page = next(r);
      assertTrue(pageSizes.size() < 10, "too many pages: " + pageSizes);
    }
    assertEquals(List.of(2, 2, 1), pageSizes);
    assertEquals(created.size(), listed.size(), listed.toString());
    assertTrue(listed.containsAll(created), listed + " vs " + created);
  }

  @Test
  void exactlyOnePageHasNoNext() throws Exception {
    Account account = acme.register(servers);
    for (int i = 0; i < 2; i++) {
      assertEquals(201, acme.newOrder(account, "p" + i + ".clinic-l.test").statusCode());
    }
    HttpResponse<String> r = acme.postKid(account, account.url() + "/orders", null);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(2, new JsonObject(r.body()).getJsonArray("orders").size());
    assertFalse(next(r).isPresent(), r.headers().allValues("Link").toString());
  }

  @Test
  void sharedDatabaseDefaultServerListsWithoutPaging() throws Exception {
    RawAcme main = RawAcme.of(servers);
    Account account = main.register(servers);
    for (int i = 0; i < 3; i++) {
      assertEquals(201, main.newOrder(account, "q" + i + ".clinic-l.test").statusCode());
    }
    HttpResponse<String> r = main.postKid(account, account.url() + "/orders", null);
    assertEquals(3, new JsonObject(r.body()).getJsonArray("orders").size(), r.body());
    assertFalse(next(r).isPresent());
  }

  @Test
  void nextLinkSitsBesideTheIndexLink() throws Exception {
    Account account = acme.register(servers);
    for (int i = 0; i < 3; i++) {
      assertEquals(201, acme.newOrder(account, "r" + i + ".clinic-l.test").statusCode());
    }
    HttpResponse<String> r = acme.postKid(account, account.url() + "/orders", null);
    assertTrue(next(r).isPresent(), r.headers().allValues("Link").toString());
    String links = String.join(", ", r.headers().allValues("Link"));
    assertTrue(links.contains("<" + acme.directoryUrl + ">;rel=\"index\""), "Link: " + links);
  }

  @Test
  void cursorThatIsNotANumber() throws Exception {
    Account account = acme.register(servers);
    RawAcme.assertProblem(
        acme.postKid(account, account.url() + "/orders?cursor=abc", null),
        400,
        "malformed",
        "cursor");
  }

  @Test
  void nonceOfOneProcessWorksOnceAcrossProcesses() throws Exception {
    RawAcme main = RawAcme.of(servers);
    Account account = main.register(servers);
    String nonce = acme.nonce();
    JsonObject jws =
        RawAcme.jws(
            main.kidHeader(account, account.url(), nonce),
            null,
            account.alg(),
            account.keys().getPrivate());
    HttpResponse<String> first = main.postJose(account.url(), jws);
    assertEquals(200, first.statusCode(), first.body());
    // The same nonce replayed to the other process of the same CA is refused there too.
    String pagedAccountUrl =
        account
            .url()
            .replace(
                main.directoryUrl.replace("/directory", ""),
                acme.directoryUrl.replace("/directory", ""));
    Account viaPaged = new Account(account.keys(), account.alg(), pagedAccountUrl);
    JsonObject replay =
        RawAcme.jws(
            acme.kidHeader(viaPaged, pagedAccountUrl, nonce),
            null,
            account.alg(),
            account.keys().getPrivate());
    RawAcme.assertProblem(acme.postJose(pagedAccountUrl, replay), 400, "badNonce");
  }
}
