package fi.soteacme.server.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecipientsTest {

  @Test
  void accountContactsThenTechnicalContactEachOnce() {
    assertEquals(
        List.of("Tilaaja@Koulukoti.test", "tekninen@koulukoti.test"),
        Recipients.of(
            List.of("mailto:Tilaaja@Koulukoti.test", "MAILTO:tekninen@koulukoti.test"),
            "TEKNINEN@koulukoti.test"));
  }

  @Test
  void technicalContactMayBeMailtoUri() {
    assertEquals(List.of("it@example.test"), Recipients.of(List.of(), "mailto:it@example.test"));
  }

  @Test
  void otherSchemesAndBlanksAreIgnored() {
    assertEquals(
        List.of("a@example.test"),
        Recipients.of(List.of("tel:+358401234567", "mailto: ", "mailto:a@example.test"), " "));
  }

  @Test
  void noContactsNoRecipients() {
    assertEquals(List.of(), Recipients.of(List.of(), null));
  }
}
