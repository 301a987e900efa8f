package fi.soteacme.client.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.client.util.KeyPairs;
import fi.soteacme.client.util.KeyType;
import fi.soteacme.client.util.SelfSignedCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateStoreTest {
  @TempDir Path dir;

  private static List<X509Certificate> chain(KeyPair key, String name) throws Exception {
    X509Certificate leaf =
        SelfSignedCertificates.server(key, List.of(name), List.of(), Duration.ofDays(90));
    X509Certificate issuer =
        SelfSignedCertificates.server(
            KeyPairs.generate(KeyType.EC_P256),
            List.of("issuer.test"),
            List.of(),
            Duration.ofDays(900));
    return List.of(leaf, issuer);
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void saveWritesVersionsAndPointsLiveLinksAtTheNewest() throws Exception {
    CertificateStore store = new CertificateStore(dir);
    KeyPair k1 = KeyPairs.generate(KeyType.EC_P256);
    assertEquals(1, store.save("ap.example.fi", k1, chain(k1, "ap.example.fi")));
    KeyPair k2 = KeyPairs.generate(KeyType.EC_P256);
    List<X509Certificate> second = chain(k2, "ap.example.fi");
    assertEquals(2, store.save("ap.example.fi", k2, second));

    Path live = store.live("ap.example.fi");
    for (String f : CertificateStore.LIVE_FILES) {
      Path link = live.resolve(f);
      assertTrue(Files.isSymbolicLink(link), f);
      assertEquals(
          Path.of("..", "..", "archive", "ap.example.fi", f.replace(".", "2.")),
          Files.readSymbolicLink(link));
    }
    assertEquals(second.get(0), store.certificate("ap.example.fi"));
    assertEquals(second, store.chain("ap.example.fi"));
    assertEquals(k2.getPublic(), store.keyPair("ap.example.fi").getPublic());
    assertEquals(second.get(0).getEncoded().length, Files.size(live.resolve("cert.der")));
    assertTrue(
        Files.exists(store.archive("ap.example.fi").resolve("cert1.pem")), "old versions stay");
  }

  @Test
  void privateKeysAndDirectoriesAreOwnerOnly() throws Exception {
    CertificateStore store = new CertificateStore(dir);
    KeyPair k = KeyPairs.generate(KeyType.RSA_2048);
    store.save("a.example.fi", k, chain(k, "a.example.fi"));
    Path archive = store.archive("a.example.fi");
    assertEquals("rw-------", mode(archive.resolve("privkey1.pem")));
    assertEquals("rw-r--r--", mode(archive.resolve("fullchain1.pem")));
    assertEquals("rwx------", mode(archive));
    assertEquals("rwx------", mode(store.live("a.example.fi")));
    try (var files = Files.list(archive)) {
      assertFalse(
          files.anyMatch(p -> p.getFileName().toString().startsWith(".")), "no temp files left");
    }
  }

  @Test
  void readersNeverSeeAHalfWrittenFile() throws Exception {
    Path target = dir.resolve("fullchain.pem");
    String small = "A".repeat(10);
    String large = "B".repeat(2_000_000);
    AtomicFiles.write(target, small, AtomicFiles.PUBLIC);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<String> torn = new AtomicReference<>();
    Thread reader =
        new Thread(
            () -> {
              while (!stop.get()) {
                try {
                  String s = Files.readString(target);
                  if (!s.equals(small) && !s.equals(large)) {
                    torn.set("read " + s.length() + " chars");
                  }
                } catch (Exception e) {
                  torn.set(e.toString());
                }
              }
            });
    reader.start();
    for (int i = 0; i < 30; i++) {
      AtomicFiles.write(target, i % 2 == 0 ? large : small, AtomicFiles.PUBLIC);
    }
    stop.set(true);
    reader.join();
    assertEquals(null, torn.get());
  }

  @Test
  void namesThatEscapeTheirDirectoryAreRefused() {
    CertificateStore store = new CertificateStore(dir);
    assertThrows(IllegalArgumentException.class, () -> store.live("../etc"));
    assertThrows(IllegalArgumentException.class, () -> store.live("a/b"));
    assertThrows(IllegalArgumentException.class, () -> store.live(""));
  }

  @Test
  void renewalConfigRoundTripsAndIsPrivate() throws Exception {
    CertificateStore store = new CertificateStore(dir);
    RenewalConfig config =
        new RenewalConfig()
            .set(RenewalConfig.SERVER, "https://acme.test/dir")
            .set(RenewalConfig.DOMAINS, "a.example.fi,b.example.fi")
            .set(RenewalConfig.DEPLOY_HOOK, "systemctl reload nginx");
    config.save(store.renewalFile("a.example.fi"));
    RenewalConfig read = RenewalConfig.load(store.renewalFile("a.example.fi"));
    assertEquals(List.of("a.example.fi", "b.example.fi"), read.domains());
    assertEquals("systemctl reload nginx", read.get(RenewalConfig.DEPLOY_HOOK).orElseThrow());
    assertEquals("rw-------", mode(store.renewalFile("a.example.fi")));
    assertEquals(List.of("a.example.fi"), store.names());
  }
}
