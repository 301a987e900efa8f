package fi.soteacme.server.validation;

import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * tls-alpn-01 (RFC 8737): a TLS handshake with the name's own address, SNI the name, offering only
 * ALPN {@code acme-tls/1}. The server must choose that protocol (§3: "the ACME server MUST ...
 * verify that the negotiated protocol is acme-tls/1") and present a certificate whose
 * subjectAltName holds exactly the name (§3: "contains a subjectAltName extension containing the
 * dNSName being validated and no other entries") and which has a critical acmeIdentifier extension
 * holding the DER OCTET STRING of SHA-256(key authorization). The certificate is not trusted or
 * verified: it identifies, it does not authenticate.
 */
final class TlsAlpn01Validator {
  static final String ACME_TLS_1 = "acme-tls/1";
  static final ASN1ObjectIdentifier ACME_IDENTIFIER =
      new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.31");

  private final Resolver resolver;
  private final ValidationSettings settings;
  private final NetClient client;

  TlsAlpn01Validator(Vertx vertx, Resolver resolver, ValidationSettings settings) {
    this.resolver = resolver;
    this.settings = settings;
    int millis = (int) settings.timeout().toMillis();
    this.client =
        vertx.createNetClient(
            new NetClientOptions()
                .setSsl(true)
                .setUseAlpn(true)
                .setApplicationLayerProtocols(List.of(ACME_TLS_1))
                .setTrustAll(true)
                .setHostnameVerificationAlgorithm("")
                .setConnectTimeout(millis)
                .setSslHandshakeTimeout(millis)
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
                .setIdleTimeout(millis)
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
  }

  Future<Void> validate(String dnsName, String keyAuthorization) {
    return resolver
        .address(dnsName)
        .compose(
            address -> {
              String host = address.contains(":") ? "[" + address + "]" : address;
              String where = host + ":" + settings.tlsPort() + " (SNI " + dnsName + ")";
              return connect(dnsName, address, where)
                  .compose(
                      socket ->
                          inspect(socket, dnsName, keyAuthorization, where)
                              .eventually(socket::close));
            });
  }

  Future<Void> close() {
    return client.close();
  }

  private Future<NetSocket> connect(String dnsName, String address, String where) {
    return client
        .connect(
            new ConnectOptions()
                .setSsl(true)
                .setRemoteAddress(SocketAddress.inetSocketAddress(settings.tlsPort(), address))
                .setSniServerName(dnsName))
        .timeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .recover(
            failure ->
                Future.failedFuture(
                    Problems.network(failure, "connecting to " + where, settings.timeout())));
  }

  private static Future<Void> inspect(
      NetSocket socket, String dnsName, String keyAuthorization, String where) {
    String protocol = socket.applicationLayerProtocol();
    if (!ACME_TLS_1.equals(protocol)) {
      return Future.failedFuture(
          new AcmeProblem(
              ProblemType.TLS,
              "The TLS server at "
                  + where
                  + " did not negotiate the ALPN protocol "
                  + ACME_TLS_1
                  + " (negotiated: "
                  + (protocol == null || protocol.isEmpty() ? "none" : Problems.quote(protocol))
                  + ")"));
    }
    List<Certificate> chain;
    try {
      chain = socket.peerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      chain = List.of();
    }
    if (chain == null || chain.isEmpty()) {
      return Future.failedFuture(
          new AcmeProblem(
              ProblemType.TLS, "The TLS server at " + where + " presented no certificate"));
    }
    try {
      checkCertificate(
          new X509CertificateHolder(chain.get(0).getEncoded()),
          dnsName,
          keyAuthorization,
          "The certificate from " + where);
      return Future.succeededFuture();
    } catch (AcmeProblem problem) {
      return Future.failedFuture(problem);
    } catch (IOException | CertificateEncodingException e) {
      return Future.failedFuture(
          new AcmeProblem(
              ProblemType.TLS,
              "The certificate from " + where + " cannot be parsed: " + e.getMessage(),
              e));
    }
  }

  /** Throws an {@code incorrectResponse} problem saying what is wrong with {@code cert}. */
  static void checkCertificate(
      X509CertificateHolder cert, String dnsName, String keyAuthorization, String subject) {
    Extension san = cert.getExtension(Extension.subjectAlternativeName);
    GeneralName[] names =
        san == null
            ? new GeneralName[0]
            : GeneralNames.getInstance(san.getParsedValue()).getNames();
    boolean onlyTheName =
        names.length == 1
            && names[0].getTagNo() == GeneralName.dNSName
            && names[0].getName().toString().toLowerCase(Locale.ROOT).equals(dnsName);
    if (!onlyTheName) {
      throw incorrect(
          subject
              + " has subjectAltName "
              + (names.length == 0 ? "(none)" : describe(names))
              + "; expected exactly one entry, DNS:"
              + dnsName);
    }

    byte[] digest = ChallengeValidator.sha256(keyAuthorization);
    Extension acmeIdentifier = cert.getExtension(ACME_IDENTIFIER);
    String expected = "the SHA-256 of the key authorization, " + Problems.hex(digest);
    if (acmeIdentifier == null) {
      throw incorrect(
          subject
              + " has no acmeIdentifier extension ("
              + ACME_IDENTIFIER
              + "); expected a critical one holding "
              + expected);
    }
    if (!acmeIdentifier.isCritical()) {
      throw incorrect(
          subject + " has an acmeIdentifier extension that is not critical; RFC 8737 requires it");
    }
    byte[] value = acmeIdentifier.getExtnValue().getOctets();
    if (!MessageDigest.isEqual(value, derOctetString(digest))) {
      throw incorrect(
          subject
              + " has an acmeIdentifier extension holding "
              + describeValue(value)
              + "; expected "
              + expected);
    }
  }

  private static byte[] derOctetString(byte[] content) {
    try {
      return new DEROctetString(content).getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String describeValue(byte[] value) {
    try {
      return Problems.hex(ASN1OctetString.getInstance(value).getOctets());
    } catch (IllegalArgumentException e) {
      return "something other than a DER OCTET STRING ("
          + Problems.hex(Arrays.copyOf(value, Math.min(value.length, 40)))
          + (value.length > 40 ? "..." : "")
          + ")";
    }
  }

  private static String describe(GeneralName[] names) {
    return Arrays.stream(names)
        .map(
            name ->
                switch (name.getTagNo()) {
                  case GeneralName.dNSName -> "DNS:" + name.getName();
                  case GeneralName.iPAddress -> "IP:" + name.getName();
                  default -> "type " + name.getTagNo() + ":" + name.getName();
                })
        .map(Problems::quote)
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static AcmeProblem incorrect(String detail) {
    return new AcmeProblem(ProblemType.INCORRECT_RESPONSE, detail);
  }
}
