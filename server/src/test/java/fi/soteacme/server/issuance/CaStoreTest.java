package fi.soteacme.server.issuance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaStoreTest {
  @TempDir Path temp;

  @Test
  void generatedHierarchyReloadsIdenticallyWithPrivateKeyFiles() throws Exception {
    CaStore generated = TestPki.caStore();
    CaStore reloaded = CaStore.loadOrGenerate(TestPki.caDir());
    for (String ca : new String[] {"production", "test"}) {
      IssuingCa a = ca.equals("test") ? generated.test() : generated.production();
      IssuingCa b = ca.equals("test") ? reloaded.test() : reloaded.production();
      assertEquals(ca, b.name());
      assertArrayEquals(a.certificate().getEncoded(), b.certificate().getEncoded());
      assertArrayEquals(a.root().getEncoded(), b.root().getEncoded());
      assertArrayEquals(a.privateKey().getEncoded(), b.privateKey().getEncoded());
      for (String key : new String[] {"-issuing.key.pem", "-root.key.pem"}) {
        assertEquals(
            "rw-------",
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(TestPki.caDir().resolve(ca + key))));
      }
    }
    try (var files = Files.list(TestPki.caDir())) {
      assertEquals(8, files.count(), "no temporary files left behind");
    }
  }

  @Test
  void generatedHierarchiesAreSeparateAndShaped() throws Exception {
    CaStore store = TestPki.caStore();
    IssuingCa production = store.production();
    IssuingCa test = store.test();
    assertSame(production, store.forProfile(Profile.SERVER));
    assertSame(production, store.forProfile(Profile.SYSTEM_SIGNATURE));
    assertSame(test, store.forProfile(Profile.SERVER_TEST));
    assertSame(test, store.forProfile(Profile.SYSTEM_SIGNATURE_TEST));
    assertTrue(test.certificate().getSubjectX500Principal().getName().contains("TEST"));
    assertTrue(test.root().getSubjectX500Principal().getName().contains("TEST"));
    assertNotEquals(production.root().getPublicKey(), test.root().getPublicKey());
    X509Certificate issuing = production.certificate();
    assertEquals(0, issuing.getBasicConstraints());
    assertEquals(Integer.MAX_VALUE, production.root().getBasicConstraints());
    assertTrue(issuing.getCriticalExtensionOIDs().contains("2.5.29.19"));
    assertTrue(issuing.getCriticalExtensionOIDs().contains("2.5.29.15"));
    assertTrue(issuing.getKeyUsage()[5] && issuing.getKeyUsage()[6]);
    assertEquals("SHA512withRSA", issuing.getSigAlgName());
    TestPki.run(
        "openssl",
        "verify",
        "-CAfile",
        TestPki.caDir().resolve("test-root.pem").toString(),
        TestPki.caDir().resolve("test-issuing.pem").toString());
  }

  @Test
  void partialDirectoryFailsClearly() throws IOException {
    Files.copy(TestPki.caDir().resolve("production-root.pem"), temp.resolve("production-root.pem"));
    IOException e = assertThrows(IOException.class, () -> CaStore.loadOrGenerate(temp));
    assertTrue(e.getMessage().contains("only part"), e.getMessage());
    assertTrue(e.getMessage().contains("test-issuing.key.pem"), e.getMessage());
  }

  @Test
  void loadsPemFilesWithPkcs8AndPkcs1Keys() throws Exception {
    Path dir = TestPki.caDir();
    Path prodChain =
        concat(
            "prod-chain.pem",
            dir.resolve("production-issuing.pem"),
            dir.resolve("production-root.pem"));
    Path testChain =
        concat("test-chain.pem", dir.resolve("test-issuing.pem"), dir.resolve("test-root.pem"));
    Path pkcs1 = temp.resolve("test-key-pkcs1.pem");
    try (StringWriter out = new StringWriter();
        JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(TestPki.caStore().test().privateKey()); // "RSA PRIVATE KEY"
      writer.flush();
      Files.writeString(pkcs1, out.toString());
    }
    assertTrue(Files.readString(pkcs1).contains("BEGIN RSA PRIVATE KEY"));
    CaStore store =
        CaStore.load(
            CaSource.pem(prodChain, dir.resolve("production-issuing.key.pem")),
            CaSource.pem(testChain, pkcs1));
    assertArrayEquals(
        TestPki.caStore().test().certificate().getEncoded(),
        store.test().certificate().getEncoded());
    assertArrayEquals(
        TestPki.caStore().production().privateKey().getEncoded(),
        store.production().privateKey().getEncoded());
  }

  @Test
  void loadsPkcs12() throws Exception {
    Path prod = pkcs12("prod.p12", TestPki.caStore().production(), "s3cret", "issuing");
    Path test = pkcs12("test.p12", TestPki.caStore().test(), "other", "ca");
    CaStore store =
        CaStore.load(
            CaSource.pkcs12(prod, "s3cret".toCharArray(), null),
            CaSource.pkcs12(test, "other".toCharArray(), "ca"));
    assertArrayEquals(
        TestPki.caStore().production().certificate().getEncoded(),
        store.production().certificate().getEncoded());
    assertArrayEquals(
        TestPki.caStore().test().root().getEncoded(), store.test().root().getEncoded());
    IOException wrongPassword =
        assertThrows(
            IOException.class,
            () ->
                CaStore.load(
                    CaSource.pkcs12(prod, "wrong".toCharArray(), null),
                    CaSource.pkcs12(test, "other".toCharArray(), "ca")));
    assertTrue(wrongPassword.getMessage().contains("prod.p12"), wrongPassword.getMessage());
  }

  @Test
  void refusesKeyOfAnotherCertificate() throws Exception {
    Path dir = TestPki.caDir();
    Path prodChain =
        concat(
            "prod-chain.pem",
            dir.resolve("production-issuing.pem"),
            dir.resolve("production-root.pem"));
    Path testChain =
        concat("test-chain.pem", dir.resolve("test-issuing.pem"), dir.resolve("test-root.pem"));
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                CaStore.load(
                    CaSource.pem(prodChain, dir.resolve("test-issuing.key.pem")),
                    CaSource.pem(testChain, dir.resolve("test-issuing.key.pem"))));
    assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
  }

  @Test
  void refusesTestHierarchyWithoutTestNamesOrSharedRoot() throws Exception {
    Path dir = TestPki.caDir();
    Path prodChain =
        concat(
            "prod-chain.pem",
            dir.resolve("production-issuing.pem"),
            dir.resolve("production-root.pem"));
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                CaStore.load(
                    CaSource.pem(prodChain, dir.resolve("production-issuing.key.pem")),
                    CaSource.pem(prodChain, dir.resolve("production-issuing.key.pem"))));
    assertTrue(e.getMessage().contains("different roots"), e.getMessage());
  }

  @Test
  void refusesChainInWrongOrder() throws Exception {
    Path dir = TestPki.caDir();
    Path reversed =
        concat(
            "reversed.pem",
            dir.resolve("production-root.pem"),
            dir.resolve("production-issuing.pem"));
    Path testChain =
        concat("test-chain.pem", dir.resolve("test-issuing.pem"), dir.resolve("test-root.pem"));
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                CaStore.load(
                    CaSource.pem(reversed, dir.resolve("production-issuing.key.pem")),
                    CaSource.pem(testChain, dir.resolve("test-issuing.key.pem"))));
    assertTrue(e.getMessage().contains("production CA chain"), e.getMessage());
  }

  private Path concat(String name, Path first, Path second) throws IOException {
    Path file = temp.resolve(name);
    Files.writeString(file, Files.readString(first) + Files.readString(second));
    return file;
  }

  private Path pkcs12(String name, IssuingCa ca, String password, String alias) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        alias,
        ca.privateKey(),
        password.toCharArray(),
        new java.security.cert.Certificate[] {ca.certificate(), ca.root()});
    Path file = temp.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password.toCharArray());
    }
    return file;
  }
}
