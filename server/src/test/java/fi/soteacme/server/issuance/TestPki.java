package fi.soteacme.server.issuance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Shared test fixtures: one generated CA store per test run, keys, CSRs, openssl. */
final class TestPki {
  private static CaStore caStore;
  private static Path caDir;

  private TestPki() {}

  /** The CA directory, generated once per test run (RSA generation takes seconds). */
  static synchronized Path caDir() {
    if (caDir == null) {
      try {
        caDir = Files.createTempDirectory("sote-acme-ca-");
        Path dir = caDir;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
        caStore = CaStore.loadOrGenerate(caDir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return caDir;
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // a leftover temporary directory is harmless
    }
  }

  static synchronized CaStore caStore() {
    caDir();
    return caStore;
  }

  static KeyPair rsa(int bits) {
    return CaCertificates.rsaKeyPair(bits);
  }

  static KeyPair ec(String curve) {
    return CaCertificates.ecKeyPair(curve);
  }

  static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519", Pki.BC).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String signatureAlgorithm(KeyPair keys) {
    return switch (keys.getPublic().getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> keys.getPublic().getAlgorithm();
    };
  }

  /** A CSR with the given subject (e.g. {@code CN=example.test}, may be empty) and SAN entries. */
  static byte[] csr(KeyPair keys, String subject, GeneralName... subjectAltNames) {
    return csr(keys, new X500Name(subject), subjectAltNames);
  }

  /** A CSR whose subject is one CN, encoded as UTF8String without any length check. */
  static byte[] csrWithCommonName(KeyPair keys, String commonName) {
    return csr(keys, new X500Name(new RDN[] {new RDN(BCStyle.CN, new DERUTF8String(commonName))}));
  }

  static byte[] csr(KeyPair keys, X500Name subject, GeneralName... subjectAltNames) {
    try {
      var builder = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic());
      if (subjectAltNames.length > 0) {
        Extension san =
            new Extension(
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(subjectAltNames).getEncoded());
        builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, new Extensions(san));
      }
      var signer =
          new JcaContentSignerBuilder(signatureAlgorithm(keys))
              .setProvider(Pki.BC)
              .build(keys.getPrivate());
      return builder.build(signer).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static GeneralName dns(String name) {
    return new GeneralName(GeneralName.dNSName, name);
  }

  static BigInteger serial() {
    return new SerialNumberGenerator(0, new SecureRandom()).next(Instant.now());
  }

  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }

  /** Runs a command, returns its stdout+stderr; fails the test on a non-zero exit. */
  static String run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = process.waitFor();
      assertEquals(0, exit, String.join(" ", command) + " failed:\n" + output);
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs a command and returns its exit code, ignoring output. */
  static int exitCode(List<String> command) {
    try {
      Process process =
          new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
