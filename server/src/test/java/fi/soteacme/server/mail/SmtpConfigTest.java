package fi.soteacme.server.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.config.ServerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code smtp} section of the configuration, as the worker reads it. */
class SmtpConfigTest {

  @Test
  void withoutHostDeliveryIsDisabled() {
    ServerConfig.Smtp smtp = ServerConfig.from(new JsonObject(), Map.of(), false).smtp();
    assertFalse(smtp.enabled());
    assertEquals(25, smtp.port());
    assertEquals(ServerConfig.Smtp.StartTls.OPTIONAL, smtp.starttls());
    assertEquals(Duration.ofMinutes(1), smtp.retryMin());
    assertEquals(Duration.ofHours(1), smtp.retryMax());
  }

  @Test
  void environmentOverridesTheFile() {
    JsonObject json =
        new JsonObject()
            .put("smtp", new JsonObject().put("host", "file.example.test").put("port", 2525));
    ServerConfig.Smtp smtp =
        ServerConfig.from(
                json,
                Map.of(
                    "SOTE_ACME_SMTP_HOST", "smtp.example.test",
                    "SOTE_ACME_SMTP_PORT", "587",
                    "SOTE_ACME_SMTP_FROM", "sote-acme@example.test",
                    "SOTE_ACME_SMTP_USERNAME", "sote-acme",
                    "SOTE_ACME_SMTP_PASSWORD", "s3cret",
                    "SOTE_ACME_SMTP_STARTTLS", "required",
                    "SOTE_ACME_SMTP_SSL", "false"),
                false)
            .smtp();
    assertTrue(smtp.enabled());
    assertEquals("smtp.example.test", smtp.host());
    assertEquals(587, smtp.port());
    assertEquals("sote-acme@example.test", smtp.from());
    assertEquals("sote-acme", smtp.username());
    assertEquals("s3cret", smtp.password());
    assertEquals(ServerConfig.Smtp.StartTls.REQUIRED, smtp.starttls());
    assertFalse(smtp.ssl());
  }

  @Test
  void passwordIsNotInTheTextForm() {
    ServerConfig.Smtp smtp =
        ServerConfig.from(
                new JsonObject()
                    .put("smtp", new JsonObject().put("host", "h").put("password", "s3cret")),
                Map.of(),
                false)
            .smtp();
    assertFalse(smtp.toString().contains("s3cret"), smtp.toString());
  }

  @Test
  void aHostWithoutSenderIsRefusedAtStart() {
    Vertx vertx = Vertx.vertx();
    try {
      ServerConfig.Smtp smtp =
          ServerConfig.from(
                  new JsonObject().put("smtp", new JsonObject().put("host", "h")), Map.of(), false)
              .smtp();
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new DeliveryWorker(vertx, null, new DeliveryRepository(), smtp, p -> p));
      assertTrue(e.getMessage().contains("smtp.from"), e.getMessage());
    } finally {
      vertx.close();
    }
  }
}
