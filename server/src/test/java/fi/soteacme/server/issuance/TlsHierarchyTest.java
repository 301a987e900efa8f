package fi.soteacme.server.issuance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsHierarchyTest {
  @TempDir Path dir;

  @Test
  void generatesVerifiableServerCertificateAndReusesIt() throws Exception {
    TlsHierarchy tls = TlsHierarchy.loadOrGenerate(dir);
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.serverPrivateKey())));
    String text =
        TestPki.run(
            "openssl", "x509", "-noout", "-text", "-in", tls.serverCertificateChain().toString());
    assertTrue(text.contains("TLS Web Server Authentication"), text);
    assertTrue(text.contains("DNS:localhost"), text);
    assertTrue(text.contains("IP Address:127.0.0.1"), text);
    assertTrue(text.contains("IP Address:0:0:0:0:0:0:0:1"), text);
    TestPki.run(
        "openssl",
        "verify",
        "-CAfile",
        tls.caCertificate().toString(),
        "-purpose",
        "sslserver",
        tls.serverCertificateChain().toString());
    TestPki.run("openssl", "pkey", "-noout", "-in", tls.serverPrivateKey().toString());

    String before = Files.readString(tls.serverCertificateChain());
    TlsHierarchy.loadOrGenerate(dir);
    assertEquals(before, Files.readString(tls.serverCertificateChain()), "reused");

    TlsHierarchy.loadOrGenerate(dir, List.of("localhost", "acme.internal"), List.of("127.0.0.1"));
    assertNotEquals(
        before, Files.readString(tls.serverCertificateChain()), "a new name, a new cert");
  }
}
