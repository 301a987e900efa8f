package fi.soteacme.server.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fi.soteacme.server.problem.ProblemType;
import fi.soteacme.server.testsupport.TestDnsServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ResolverTest {
  private TestDnsServer dns;
  private Resolver resolver;

  @BeforeEach
  void start(Vertx vertx) {
    dns = new TestDnsServer().start().defaultAddress(null);
    resolver =
        new Resolver(
            vertx,
            new ValidationSettings(
                80,
                443,
                dns.address(),
                Map.of("test", "127.0.0.1", ".Special.TEST", "127.0.0.9"),
                Duration.ofSeconds(5)));
  }

  @AfterEach
  void stop() {
    resolver.close().await();
    dns.close();
  }

  private void expectAddress(VertxTestContext context, String name, String expected) {
    resolver
        .address(name)
        .onComplete(
            context.succeeding(
                address ->
                    context.verify(
                        () -> {
                          assertEquals(
                              InetAddress.getByName(expected), InetAddress.getByName(address));
                          context.completeNow();
                        })));
  }

  @Test
  void prefersIpv4(VertxTestContext context) {
    dns.putAddress("dual.example.fi", "::1").putAddress("dual.example.fi", "127.0.0.2");
    expectAddress(context, "dual.example.fi", "127.0.0.2");
  }

  @Test
  void fallsBackToIpv6(VertxTestContext context) {
    dns.putAddress("v6.example.fi", "::1");
    expectAddress(context, "v6.example.fi", "::1");
  }

  @Test
  void followsCnames(VertxTestContext context) {
    dns.putCname("www.example.fi", "lb.example.fi")
        .putCname("lb.example.fi", "lb1.hosting.fi")
        .putAddress("lb1.hosting.fi", "127.0.0.3");
    expectAddress(context, "WWW.Example.FI.", "127.0.0.3");
  }

  @Test
  void givesUpOnACnameLoop(VertxTestContext context) {
    dns.putCname("a.example.fi", "b.example.fi").putCname("b.example.fi", "a.example.fi");
    Expect.problem(
        context,
        resolver.address("a.example.fi"),
        ProblemType.DNS,
        "no A or AAAA record for a.example.fi",
        "CNAME chain longer than 8");
  }

  @Test
  void overridesBySuffixLongestFirstWithoutDns(VertxTestContext context) {
    io.vertx.core.Future.all(
            resolver.address("a.special.test"),
            resolver.address("notspecial.test"),
            resolver.address("special.test"),
            resolver.address("TEST"))
        .onComplete(
            context.succeeding(
                all ->
                    context.verify(
                        () -> {
                          assertEquals(
                              List.of("127.0.0.9", "127.0.0.1", "127.0.0.9", "127.0.0.1"),
                              all.list());
                          assertEquals(0, dns.queryCount(), "DNS queries");
                          context.completeNow();
                        })));
  }

  @Test
  void asksDnsForNamesNoOverrideCovers(VertxTestContext context) {
    dns.putAddress("testing.example.fi", "127.0.0.4");
    expectAddress(context, "testing.example.fi", "127.0.0.4");
  }

  @Test
  void readsTxtRecords(VertxTestContext context) {
    dns.addTxt("_acme-challenge.example.fi", "one").addTxt("_acme-challenge.example.fi", "two");
    resolver
        .txt("_acme-challenge.example.fi")
        .onComplete(
            context.succeeding(
                records ->
                    context.verify(
                        () -> {
                          assertEquals(List.of("one", "two"), records);
                          context.completeNow();
                        })));
  }

  @Test
  void failsOnNxdomainForTxt(VertxTestContext context) {
    Expect.problem(
        context,
        resolver.txt("_acme-challenge.nowhere.fi"),
        ProblemType.DNS,
        "NXDOMAIN looking up TXT for _acme-challenge.nowhere.fi");
  }
}
