package fi.soteacme.server.revocation;

import fi.soteacme.server.issuance.IssuingCa;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509v2CRLBuilder;

/** Builds and signs one CRL (RFC 5280 §5) of an issuing CA. CPU-bound: call off the event loop. */
final class CrlSigner {
  /** One revoked certificate: serial, time, RFC 5280 reason code. */
  record Entry(BigInteger serial, Instant revokedAt, int reason) {}

  private CrlSigner() {}

  static byte[] sign(
      IssuingCa ca, long number, Instant thisUpdate, Instant nextUpdate, List<Entry> entries) {
    X509v2CRLBuilder builder =
        new X509v2CRLBuilder(CaSigning.holder(ca).getSubject(), Date.from(thisUpdate))
            .setNextUpdate(Date.from(nextUpdate));
    for (Entry e : entries) {
      // §5.3.1: the reasonCode extension is omitted rather than given as unspecified (0).
      if (e.reason() == CRLReason.unspecified) {
        builder.addCRLEntry(e.serial(), Date.from(e.revokedAt()), (Extensions) null);
      } else {
        builder.addCRLEntry(e.serial(), Date.from(e.revokedAt()), e.reason());
      }
    }
    try {
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new AuthorityKeyIdentifier(ca.subjectKeyIdentifier()));
      builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
      return builder.build(CaSigning.signer(ca.privateKey())).getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
