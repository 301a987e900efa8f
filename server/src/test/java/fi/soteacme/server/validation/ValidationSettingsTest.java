package fi.soteacme.server.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValidationSettingsTest {

  @Test
  void defaultsAreProductionValues() {
    ValidationSettings defaults = ValidationSettings.defaults();
    assertEquals(80, defaults.httpPort());
    assertEquals(443, defaults.tlsPort());
    assertNull(defaults.dnsServer());
    assertEquals(Map.of(), defaults.hostOverrides());
    assertEquals(Duration.ofSeconds(10), defaults.timeout());
  }

  @Test
  void normalisesOverrideSuffixes() {
    ValidationSettings settings =
        ValidationSettings.defaults().withHostOverrides(Map.of(".Test.", "127.0.0.1"));
    assertEquals(Map.of("test", "127.0.0.1"), settings.hostOverrides());
  }

  @Test
  void rejectsAnOverrideThatIsNotAnAddress() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ValidationSettings.defaults().withHostOverrides(Map.of("test", "localhost")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dns.example.fi:53", "127.0.0.1:0", "127.0.0.1:x", "[::1"})
  void rejectsADnsServerThatIsNotAnAddressAndPort(String server) {
    assertThrows(
        IllegalArgumentException.class, () -> ValidationSettings.defaults().withDnsServer(server));
  }

  @Test
  void rejectsANonPositiveTimeoutAndBadPorts() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ValidationSettings.defaults().withTimeout(Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class, () -> ValidationSettings.defaults().withHttpPort(0));
    assertThrows(
        IllegalArgumentException.class, () -> ValidationSettings.defaults().withTlsPort(65536));
  }

  @Test
  void parsesNameServerForms() {
    assertEquals(new NameServer("127.0.0.1", 5353), NameServer.parse("127.0.0.1:5353"));
    assertEquals(new NameServer("127.0.0.1", 53), NameServer.parse("127.0.0.1"));
    assertEquals(new NameServer("::1", 5353), NameServer.parse("[::1]:5353"));
    assertEquals(new NameServer("::1", 53), NameServer.parse("::1"));
    assertEquals("[::1]:5353", new NameServer("::1", 5353).toString());
  }

  @Test
  void takesTheFirstNameServerOfResolvConf() {
    String resolvConf =
        """
        # generated
        search example.fi
        options ndots:1
        nameserver fe80::1%eth0
        nameserver 10.0.0.53
        """;
    assertEquals(Optional.of(new NameServer("fe80::1", 53)), NameServer.fromResolvConf(resolvConf));
    assertEquals(
        Optional.of(new NameServer("10.0.0.53", 53)),
        NameServer.fromResolvConf("nameserver 10.0.0.53 # primary\nnameserver 10.0.0.54\n"));
    assertEquals(Optional.empty(), NameServer.fromResolvConf("search example.fi\n"));
  }
}
