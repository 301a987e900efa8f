package fi.soteacme.server.issuance;

import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * A certificate subject as the server builds it from the register: {@code C=FI, O, OU,
 * serialNumber, CN}, in that order. C and serialNumber are PrintableString, the others UTF8String.
 *
 * @param commonName the CN: the first dns name, or the system name (required)
 * @param organisationName the O: the LongName of the top organisation (nullable)
 * @param organisationalUnit the OU: the LongName of the unit, or {@code Kanta-välittäjä} (nullable)
 * @param organisationOid the subject serialNumber attribute: the sote-org OID (nullable)
 */
public record Subject(
    String commonName, String organisationName, String organisationalUnit, String organisationOid) {

  /** RFC 5280's upper bound for O, OU, CN and serialNumber. */
  public static final int MAX_LENGTH = 64;

  public Subject {
    Objects.requireNonNull(commonName, "commonName");
  }

  /**
   * The encoded name.
   *
   * @throws AcmeProblem malformed naming the field when a value is empty, longer than 64
   *     characters, or (serialNumber) not printable
   */
  public X500Name toX500Name() {
    List<RDN> rdns = new ArrayList<>();
    rdns.add(new RDN(BCStyle.C, new DERPrintableString("FI")));
    if (organisationName != null) {
      rdns.add(
          new RDN(BCStyle.O, new DERUTF8String(check("organisation name (O)", organisationName))));
    }
    if (organisationalUnit != null) {
      rdns.add(
          new RDN(
              BCStyle.OU,
              new DERUTF8String(check("organisational unit (OU)", organisationalUnit))));
    }
    if (organisationOid != null) {
      String oid = check("organisation OID (serialNumber)", organisationOid);
      if (!DERPrintableString.isPrintableString(oid)) {
        throw AcmeProblem.malformed(
            "the organisation OID (serialNumber) " + oid + " is not a PrintableString");
      }
      rdns.add(new RDN(BCStyle.SERIALNUMBER, new DERPrintableString(oid)));
    }
    rdns.add(new RDN(BCStyle.CN, new DERUTF8String(check("common name (CN)", commonName))));
    return new X500Name(rdns.toArray(RDN[]::new));
  }

  private static String check(String field, String value) {
    if (value.isBlank()) {
      throw new AcmeProblem(ProblemType.MALFORMED, "the certificate's " + field + " is empty");
    }
    int length = value.codePointCount(0, value.length());
    if (length > MAX_LENGTH) {
      throw new AcmeProblem(
          ProblemType.MALFORMED,
          "the certificate's "
              + field
              + " would be "
              + length
              + " characters long; at most "
              + MAX_LENGTH
              + " are allowed: "
              + value);
    }
    return value;
  }
}
