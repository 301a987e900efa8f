package fi.soteacme.server.revocation;

import fi.soteacme.server.issuance.IssuingCa;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delegated OCSP signing certificate of each issuing CA (RFC 6960 §4.2.2.2): an EC P-256 key
 * certified by the issuing CA with id-kp-OCSPSigning and id-pkix-ocsp-nocheck, valid for {@link
 * #VALIDITY}. Kept in the database, so all processes answer with the same one, and renewed when
 * less than {@link #RENEW_BEFORE} is left.
 */
public final class OcspResponderCertificates {
  private static final Logger log = LoggerFactory.getLogger(OcspResponderCertificates.class);
  static final Duration VALIDITY = Duration.ofDays(60);
  static final Duration RENEW_BEFORE = Duration.ofDays(20);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One delegated responder: its certificate and key. */
  record Responder(IssuingCa ca, X509CertificateHolder certificate, PrivateKey key) {}

  private final Vertx vertx;
  private final Pool pool;
  private final List<IssuingCa> cas;
  private final Clock clock;
  private final Map<String, Responder> current = new ConcurrentHashMap<>();

  public OcspResponderCertificates(Vertx vertx, Pool pool, List<IssuingCa> cas, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.cas = List.copyOf(cas);
    this.clock = clock;
  }

  /** The responder that signs for the CA; {@link #renew()} must have succeeded once. */
  Responder responder(IssuingCa ca) {
    Responder r = current.get(ca.name());
    if (r == null) {
      throw new IllegalStateException("no OCSP responder certificate for the " + ca.name() + " CA");
    }
    return r;
  }

  /**
   * Loads the newest responder certificate of each CA that is valid for longer than {@link
   * #RENEW_BEFORE}; certifies a new one where there is none.
   */
  public Future<Void> renew() {
    List<Future<?>> all = new ArrayList<>();
    for (IssuingCa ca : cas) {
      all.add(loadOrCreate(ca).onSuccess(r -> current.put(ca.name(), r)));
    }
    return Future.all(all).mapEmpty();
  }

  private Future<Responder> loadOrCreate(IssuingCa ca) {
    Instant now = clock.instant();
    return pool.preparedQuery(
            "select certificate, private_key from ocsp_responder where issuer = $1"
                + " and not_before <= $2 and not_after > $3 order by not_after desc limit 1")
        .execute(Tuple.of(ca.name(), utc(now), utc(now.plus(RENEW_BEFORE))))
        .compose(
            rows -> {
              if (rows.size() > 0) {
                Row row = rows.iterator().next();
                return Future.succeededFuture(
                    responder(ca, row.getBuffer(0).getBytes(), row.getBuffer(1).getBytes()));
              }
              return vertx
                  .executeBlocking(() -> certify(ca, now), false)
                  .compose(
                      r ->
                          pool.preparedQuery(
                                  "insert into ocsp_responder (issuer, certificate, private_key,"
                                      + " not_before, not_after) values ($1, $2, $3, $4, $5)")
                              .execute(
                                  Tuple.of(
                                      ca.name(),
                                      Buffer.buffer(encoded(r.certificate())),
                                      Buffer.buffer(r.key().getEncoded()),
                                      utc(r.certificate().getNotBefore().toInstant()),
                                      utc(r.certificate().getNotAfter().toInstant())))
                              .map(r))
                  .onSuccess(
                      r ->
                          log.info(
                              "certified OCSP responder {} for the {} CA, valid until {}",
                              r.certificate().getSubject(),
                              ca.name(),
                              r.certificate().getNotAfter().toInstant()));
            });
  }

  private static Responder certify(IssuingCa ca, Instant now) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    X509CertificateHolder issuer = CaSigning.holder(ca);
    Instant notBefore = now.truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(5));
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
    byte[] serial = new byte[16];
    RANDOM.nextBytes(serial);
    X509v3CertificateBuilder builder =
        new X509v3CertificateBuilder(
            issuer.getSubject(),
            new BigInteger(1, serial),
            Date.from(notBefore),
            Date.from(notBefore.plus(VALIDITY)),
            responderName(issuer.getSubject()),
            spki);
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(
              Extension.extendedKeyUsage,
              false,
              new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning))
          // §4.2.2.2.1: relying parties need not check the responder's own revocation status.
          .addExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE)
          .addExtension(
              Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(spki))
          .addExtension(
              Extension.authorityKeyIdentifier,
              false,
              new AuthorityKeyIdentifier(ca.subjectKeyIdentifier()));
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    return new Responder(ca, builder.build(CaSigning.signer(ca.privateKey())), keys.getPrivate());
  }

  /** The issuing CA's name with " OCSP Responder" after its common name. */
  private static X500Name responderName(X500Name caName) {
    X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
    for (RDN rdn : caName.getRDNs()) {
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        if (atv.getType().equals(BCStyle.CN)) {
          name.addRDN(BCStyle.CN, IETFUtils.valueToString(atv.getValue()) + " OCSP Responder");
        } else {
          name.addRDN(atv);
        }
      }
    }
    return name.build();
  }

  private static Responder responder(IssuingCa ca, byte[] certificate, byte[] pkcs8) {
    try {
      return new Responder(
          ca,
          new X509CertificateHolder(certificate),
          KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("a stored OCSP responder of the " + ca.name() + " CA", e);
    }
  }

  private static byte[] encoded(X509CertificateHolder holder) {
    try {
      return holder.getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }
}
