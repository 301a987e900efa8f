package fi.soteacme.server.certificate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.db.Database;
import fi.soteacme.server.issuance.CertificateIssuer;
import fi.soteacme.server.issuance.CertificateRequest;
import fi.soteacme.server.issuance.IssuanceSettings;
import fi.soteacme.server.issuance.IssuingCa;
import fi.soteacme.server.issuance.Profile;
import fi.soteacme.server.issuance.Subject;
import fi.soteacme.server.it.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * V7 on a database that V6 filled: every chain_pem becomes a reference to its issuing CA's
 * certificate, stored once, and the chain served stays what it was (the leaf and the issuing CA;
 * the root that imports of a held CA's certificates used to append goes).
 */
class IssuerCertificateMigrationTest {
  private static final Profile PROFILE = Profile.SERVER;

  @Test
  void backfillReferencesTheIssuingCaAndServesTheSameChain() throws Exception {
    TestServers servers = TestServers.get();
    IssuingCa production = servers.server.cas().production();
    IssuingCa test = servers.server.cas().test();
    String url = servers.freshDatabaseUrl("v7");
    String name = url.substring(url.lastIndexOf('/') + 1);
    Flyway.configure()
        .dataSource(url, "postgres", "postgres")
        .locations("classpath:db/migration")
        .target("6")
        .load()
        .migrate();

    // What V6 stored: issued certificates with leaf + issuing CA, an imported one of a CA held
    // here with leaf + issuing CA + root, one of another CA alone, and one not yet signed.
    byte[] issued1 = leaf(production, 1);
    byte[] issued2 = leaf(production, 2);
    byte[] issuedTest = leaf(test, 3);
    byte[] importedHeld = leaf(production, 4);
    byte[] importedExternal = leaf(production, 5); // its CA plays an external one: chain is alone
    String chain1 = pem(issued1) + pem(der(production));
    String chain2 = pem(issued2) + pem(der(production));
    String chainTest = pem(issuedTest) + pem(der(test));
    String chainHeld =
        pem(importedHeld) + pem(der(production)) + pem(production.root().getEncoded());
    String chainExternal = pem(importedExternal);
    long rowBefore;
    try (Connection db = DriverManager.getConnection(url, "postgres", "postgres")) {
      insert(db, 1, issued1, chain1);
      insert(db, 2, issued2, chain2);
      insert(db, 3, issuedTest, chainTest);
      insert(db, 4, importedHeld, chainHeld);
      insert(db, 5, importedExternal, chainExternal);
      insert(db, 6, null, null);
      rowBefore = rowSize(db, 1);
    }

    // The start-up path: Database.open migrates to the latest version.
    Database database = TestServers.openDatabase(url);
    Vertx vertx = Vertx.vertx();
    Pool pool = database.pool(vertx, 2);
    try (Connection db = DriverManager.getConnection(url, "postgres", "postgres")) {
      CertificateRepository certificates = new CertificateRepository();
      // One row per distinct issuing CA, with its exact bytes and their hash.
      assertEquals(2, issuerCount(db));
      long productionId = issuerId(db, der(production));
      long testId = issuerId(db, der(test));
      assertArrayEquals(der(production), issuerDer(db, productionId));
      assertArrayEquals(der(test), issuerDer(db, testId));
      assertEquals(productionId, reference(db, 1));
      assertEquals(productionId, reference(db, 2));
      assertEquals(testId, reference(db, 3));
      assertEquals(productionId, reference(db, 4));
      assertNull(reference(db, 5));
      assertNull(reference(db, 6));
      assertFalse(hasColumn(db, "chain_pem"));

      // Registering the CAs at start finds the backfilled rows.
      assertEquals(productionId, await(certificates.registerIssuer(pool, der(production))));
      assertEquals(testId, await(certificates.registerIssuer(pool, der(test))));
      assertEquals(2, issuerCount(db));

      // The chain served is unchanged; an import of a held CA's loses its root, as issued ones.
      assertEquals(chain1, served(pool, certificates, 1, false));
      assertEquals(chain2, served(pool, certificates, 2, true));
      assertEquals(chainTest, served(pool, certificates, 3, false));
      assertEquals(pem(importedHeld) + pem(der(production)), served(pool, certificates, 4, false));
      assertEquals(chainExternal, served(pool, certificates, 5, false));
      assertNull(await(certificates.findBySerial(pool, serial(6), false)).orElseThrow().der());

      long rowAfter = rowSize(db, 1);
      System.out.printf(
          "certificate row (RSA 2048 leaf and its tbs, RSA 3072 issuing CA): %d bytes with chain_pem,"
              + " %d bytes after V7; issuer_certificate row, once per CA: %d bytes%n",
          rowBefore, rowAfter, issuerRowSize(db, productionId));
      assertTrue(rowAfter < rowBefore - 2000, rowBefore + " -> " + rowAfter);
    } finally {
      await(pool.close());
      await(vertx.close());
      database.close();
      try (Connection admin =
          DriverManager.getConnection(servers.postgres.getJdbcUrl("postgres", "postgres"))) {
        admin.createStatement().execute("drop database " + name);
      }
    }
  }

  /** A real leaf of the CA, as the server issues them (RSA 2048 key, the server profile). */
  private static byte[] leaf(IssuingCa ca, int serial) throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair key = rsa.generateKeyPair();
    Profile profile = ca.name().equals("test") ? Profile.SERVER_TEST : PROFILE;
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    CertificateIssuer issuer = new CertificateIssuer(IssuanceSettings.defaults());
    byte[] tbs =
        issuer.toBeSigned(
            ca,
            new CertificateRequest(
                BigInteger.valueOf(serial),
                profile,
                new Subject(
                    "www" + serial + ".county.test",
                    "Järvilaakson hyvinvointialue",
                    null,
                    "1.2.246.10.98123462.10.0"),
                List.of("www" + serial + ".county.test"),
                key.getPublic().getEncoded(),
                now,
                now.plus(30, ChronoUnit.DAYS)));
    return issuer.sign(ca, tbs);
  }

  private static void insert(Connection db, int serial, byte[] der, String chainPem)
      throws Exception {
    try (PreparedStatement st =
        db.prepareStatement(
            "insert into certificate (serial, issuer, profile, tbs, der, chain_pem, not_before,"
                + " not_after, spki_sha256) values (?, 'production', ?, ?, ?, ?, ?, ?, ?)")) {
      Timestamp now = Timestamp.from(Instant.now());
      st.setBytes(1, serial(serial));
      st.setString(2, PROFILE.id());
      st.setBytes(
          3, der == null ? new byte[] {0} : CertificateIssuer.parse(der).getTBSCertificate());
      st.setBytes(4, der);
      st.setString(5, chainPem);
      st.setTimestamp(6, now);
      st.setTimestamp(7, now);
      st.setString(8, "spki" + serial);
      st.executeUpdate();
    }
  }

  private static String served(
      Pool pool, CertificateRepository certificates, int serial, boolean forUpdate)
      throws Exception {
    return await(certificates.findBySerial(pool, serial(serial), forUpdate))
        .orElseThrow()
        .chainPem();
  }

  /** The size of the certificate's row, every value in it as stored (compressed or not). */
  private static long rowSize(Connection db, int serial) throws Exception {
    return single(
        db, "select pg_column_size(c.*) from certificate c where serial = ?", serial(serial));
  }

  private static long issuerRowSize(Connection db, long id) throws Exception {
    return single(db, "select pg_column_size(i.*) from issuer_certificate i where id = ?", id);
  }

  private static long issuerId(Connection db, byte[] der) throws Exception {
    return single(
        db,
        "select id from issuer_certificate where sha256 = ?",
        MessageDigest.getInstance("SHA-256").digest(der));
  }

  private static Long reference(Connection db, int serial) throws Exception {
    try (PreparedStatement st =
        db.prepareStatement("select issuer_certificate_id from certificate where serial = ?")) {
      st.setBytes(1, serial(serial));
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        long id = rs.getLong(1);
        return rs.wasNull() ? null : id;
      }
    }
  }

  private static long issuerCount(Connection db) throws Exception {
    try (ResultSet rs =
        db.createStatement().executeQuery("select count(*) from issuer_certificate")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static byte[] issuerDer(Connection db, long id) throws Exception {
    try (PreparedStatement st =
        db.prepareStatement("select der from issuer_certificate where id = ?")) {
      st.setLong(1, id);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getBytes(1);
      }
    }
  }

  private static boolean hasColumn(Connection db, String column) throws Exception {
    try (PreparedStatement st =
        db.prepareStatement(
            "select 1 from information_schema.columns"
                + " where table_name = 'certificate' and column_name = ?")) {
      st.setString(1, column);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static long single(Connection db, String sql, Object param) throws Exception {
    try (PreparedStatement st = db.prepareStatement(sql)) {
      st.setObject(1, param);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static byte[] serial(int n) {
    return new byte[] {(byte) n};
  }

  private static byte[] der(IssuingCa ca) throws Exception {
    return ca.certificate().getEncoded();
  }

  private static String pem(byte[] der) {
    return CertificateIssuer.toPem(der);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
