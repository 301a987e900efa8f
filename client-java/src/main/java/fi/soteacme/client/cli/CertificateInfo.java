package fi.soteacme.client.cli;

import fi.soteacme.client.RenewalInfo;
import fi.soteacme.client.SerialNumber;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The facts about a certificate that the CLI prints. */
final class CertificateInfo {
  private CertificateInfo() {}

  static List<String> dnsNames(X509Certificate cert) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (Integer.valueOf(2).equals(san.get(0))) {
            out.add((String) san.get(1));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // no readable SAN: print none
    }
    return out;
  }

  static Map<String, Object> describe(X509Certificate cert) {
    SerialNumber serial = SerialNumber.of(cert);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("subject", cert.getSubjectX500Principal().getName());
    json.put("issuer", cert.getIssuerX500Principal().getName());
    json.put("serialHex", serial.toHex());
    json.put("serialDecimal", serial.toDecimal());
    json.put("notBefore", cert.getNotBefore().toInstant().toString());
    json.put("notAfter", cert.getNotAfter().toInstant().toString());
    json.put("dnsNames", dnsNames(cert));
    try {
      json.put("certId", RenewalInfo.certId(cert));
    } catch (IllegalArgumentException e) {
      // no AKI: no ARI identifier
    }
    return json;
  }

  static String text(Map<String, Object> json) {
    StringBuilder sb = new StringBuilder();
    json.forEach(
        (k, v) -> {
          String value =
              v instanceof List<?> l
                  ? String.join(", ", l.stream().map(Object::toString).toList())
                  : String.valueOf(v);
          sb.append(String.format("%-14s %s%n", k + ":", value));
        });
    return sb.toString().stripTrailing();
  }
}
