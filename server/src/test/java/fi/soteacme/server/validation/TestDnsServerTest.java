package fi.soteacme.server.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fi.soteacme.server.testsupport.TestDnsServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The test DNS server answers a plain DNS client, over UDP and over TCP. */
class TestDnsServerTest {
  private TestDnsServer dns;

  @BeforeEach
  void start() {
    dns = new TestDnsServer().start();
  }

  @AfterEach
  void stop() {
    dns.close();
  }

  private Message ask(boolean tcp, String name, int type) throws Exception {
    SimpleResolver resolver = new SimpleResolver("127.0.0.1");
    resolver.setPort(dns.port());
    resolver.setTCP(tcp);
    resolver.setTimeout(Duration.ofSeconds(2));
    return resolver.send(
        Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN)));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void answersTxtDefaultAddressAndNxdomain(boolean tcp) throws Exception {
    dns.addTxt("_acme-challenge.example.test", "value");
    Message txt = ask(tcp, "_acme-challenge.example.test", Type.TXT);
    assertEquals(
        List.of("value"),
        ((TXTRecord) txt.getSection(Section.ANSWER).get(0)).getStrings(),
        txt.toString());

    Message a = ask(tcp, "anything.example.test", Type.A);
    assertEquals("127.0.0.1", a.getSection(Section.ANSWER).get(0).rdataToString());

    dns.defaultAddress(null).clearTxt("_acme-challenge.example.test");
    assertEquals(Rcode.NXDOMAIN, ask(tcp, "anything.example.test", Type.A).getRcode());
    assertEquals(Rcode.NXDOMAIN, ask(tcp, "_acme-challenge.example.test", Type.TXT).getRcode());
  }
}
