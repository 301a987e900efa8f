package fi.soteacme.server.renewal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fi.soteacme.server.it.AdminClient;
import fi.soteacme.server.it.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * The shared test servers as the renewal tests use them: acme4j sessions and plain HTTPS that trust
 * the server's TLS root, the operator API, and SQL on the server's database.
 */
final class RenewalFixture {
  final TestServers servers;
  final AdminClient admin;
  final Session session;
  final HttpClient http;
  final Vertx vertx = Vertx.vertx();
  final Pool db;

  private static RenewalFixture shared;

  private RenewalFixture() throws Exception {
    java.security.Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
    servers = TestServers.get();
    admin = new AdminClient(servers.server);
    http = fi.soteacme.server.it.Acme4j.httpClient(servers.server.trustAnchor());
    session =
        fi.soteacme.server.it.Acme4j.session(
            servers.server.directoryUrl(), servers.server.trustAnchor());
    db =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(2))
            .connectingTo(
                new PgConnectOptions()
                    .setHost("localhost")
                    .setPort(servers.postgres.getPort())
                    .setDatabase("postgres")
                    .setUser("postgres")
                    .setPassword("postgres"))
            .using(vertx)
            .build();
  }

  static synchronized RenewalFixture get() throws Exception {
    if (shared == null) {
      shared = new RenewalFixture();
    }
    return shared;
  }

  /** A new ACME account linked to the organisation's customer account in the role. */
  Login register(String oid, String role) throws Exception {
    JsonObject eab = admin.invite(oid, role);
    return new AccountBuilder()
        .agreeToTermsOfService()
        .addEmail(role + "@example.test")
        .withKeyIdentifier(eab.getString("kid"), eab.getString("hmacKey"))
        .useKeyPair(KeyPairUtils.createECKeyPair("secp256r1"))
        .createLogin(session);
  }

  /** Orders, validates (http-01) and finalizes a server certificate for the names. */
  Order issue(Account account, org.shredzone.acme4j.OrderBuilder builder) throws Exception {
    Order order = builder.create();
    for (Authorization auth : order.getAuthorizations()) {
      if (auth.getStatus() == Status.VALID) {
        continue;
      }
      Http01Challenge challenge = auth.findChallenge(Http01Challenge.class).orElseThrow();
      servers.http01.put(challenge.getToken(), challenge.getAuthorization());
      challenge.trigger();
      assertEquals(Status.VALID, challenge.waitForCompletion(Duration.ofSeconds(30)));
    }
    assertEquals(Status.READY, order.waitUntilReady(Duration.ofSeconds(30)));
    order.execute(KeyPairUtils.createKeyPair(2048));
    assertEquals(Status.VALID, order.waitForCompletion(Duration.ofSeconds(30)));
    return order;
  }

  /** GET of a URL of the ACME server. */
  HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** GET renewalInfo/certID. */
  HttpResponse<String> renewalInfo(String certId) throws Exception {
    return get(renewalInfoUrl(certId));
  }

  String renewalInfoUrl(String certId) {
    return servers.server.config().url("/acme/renewal-info/" + certId);
  }

  /** POST to the operator API with a raw body. */
  HttpResponse<String> adminPostRaw(String path, byte[] body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(servers.server.adminUrl() + path))
            .header("Authorization", "Bearer " + servers.server.adminToken())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
