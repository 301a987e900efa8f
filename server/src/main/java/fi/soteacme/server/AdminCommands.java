package fi.soteacme.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The operator commands of the organisation extension; each is one call of the operator API. */
final class AdminCommands {
  private AdminCommands() {}

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static int print(String json) {
    String trimmed = json.trim();
    System.out.println(
        trimmed.startsWith("[")
            ? new JsonArray(trimmed).encodePrettily()
            : new JsonObject(trimmed).encode());
    return 0;
  }

  @Command(
      name = "customer-create",
      mixinStandardHelpOptions = true,
      description = "Create the customer account of a registered organisation.",
      footer =
          "%nExample:%n  admin customer-create --org 1.2.246.10.98123462.10.0 --representative 'Maija Meikäläinen' --technical-contact it@example.fi")
  static final class CustomerCreate implements Callable<Integer> {
    @ParentCommand Main.Admin admin;

    @Option(names = "--org", required = true, description = "organisation OID in the register")
    String org;

    @Option(
        names = "--representative",
        required = true,
        description = "the strongly authenticated representative")
    String representative;

    @Option(
        names = "--technical-contact",
        required = true,
        description = "e-mail of the technical contact")
    String contact;

    @Override
    public Integer call() throws Exception {
      return print(
          admin.post(
              "/admin/customers",
              new JsonObject()
                  .put("organisation", org)
                  .put("representative", representative)
                  .put("technicalContact", contact)
                  .encode()));
    }
  }

  @Command(
      name = "invite",
      mixinStandardHelpOptions = true,
      description = "Invite a member or technical partner: prints its EAB credential as JSON.",
      footer =
          "%nExample:%n  admin invite --org 1.2.246.10.98123462.10.0 --role partner --email ops@hosting.example")
  static final class Invite implements Callable<Integer> {
    @ParentCommand Main.Admin admin;

    @Option(names = "--org", required = true)
    String org;

    @Option(names = "--role", required = true, description = "member or partner")
    String role;

    @Option(names = "--email", required = true)
    String email;

    @Override
    public Integer call() throws Exception {
      JsonObject json =
          new JsonObject(
              admin.post(
                  "/admin/customers/" + enc(org) + "/invitations",
                  new JsonObject().put("role", role).put("email", email).encode()));
      System.out.println(
          new JsonObject()
              .put("kid", json.getString("kid"))
              .put("hmacKey", json.getString("hmacKey"))
              .encode());
      return 0;
    }
  }

  @Command(
      name = "members",
      mixinStandardHelpOptions = true,
      description = "List members and partners of a customer account.")
  static final class Members implements Callable<Integer> {
    @ParentCommand Main.Admin admin;

    @Option(names = "--org", required = true)
    String org;

    @Override
    public Integer call() throws Exception {
      return print(admin.request("GET", "/admin/customers/" + enc(org) + "/members", null));
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description =
          "Remove a member or partner (by invitation kid); its ACME account is unlinked at once.")
  static final class Remove implements Callable<Integer> {
    @ParentCommand Main.Admin admin;

    @Option(names = "--org", required = true)
    String org;

    @Option(names = "--kid", required = true)
    String kid;

    @Override
    public Integer call() throws Exception {
      return print(
          admin.request("DELETE", "/admin/customers/" + enc(org) + "/members/" + enc(kid), null));
    }
  }

  @Command(
      name = "orders",
      mixinStandardHelpOptions = true,
      description = "List an organisation's orders with their processing status.")
  static final class Orders implements Callable<Integer> {
    @ParentCommand Main.Admin admin;

    @Option(names = "--org", required = true)
    String org;

    @Override
    public Integer call() throws Exception {
      return print(admin.request("GET", "/admin/customers/" + enc(org) + "/orders", null));
    }
  }

  @Command(
      name = "reviews",
      mixinStandardHelpOptions = true,
      description = "The conformity review queue, by deadline (overdue marked).")
  static final class Reviews implements Callable<Integer> {
    @ParentCommand Main.Admin admin;

    @Override
    public Integer call() throws Exception {
      return print(admin.request("GET", "/admin/reviews", null));
    }
  }

  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      description = "Approve the certificate of conformity of a challenge.")
  static final class Approve implements Callable<Integer> {
    @ParentCommand Main.Admin admin;

    @Parameters(paramLabel = "CHALLENGE", description = "challenge id from `admin reviews`")
    long challenge;

    @Override
    public Integer call() throws Exception {
      return print(admin.post("/admin/reviews/" + challenge + "/approve", "{}"));
    }
  }

  @Command(
      name = "reject",
      mixinStandardHelpOptions = true,
      description = "Reject a certificate of conformity, with a reason the applicant sees.")
  static final class Reject implements Callable<Integer> {
    @ParentCommand Main.Admin admin;

    @Parameters(paramLabel = "CHALLENGE")
    long challenge;

    @Option(names = "--reason", required = true)
    String reason;

    @Override
    public Integer call() throws Exception {
      return print(
          admin.post(
              "/admin/reviews/" + challenge + "/reject",
              new JsonObject().put("reason", reason).encode()));
    }
  }

  @Command(
      name = "incident",
      mixinStandardHelpOptions = true,
      description =
          "Mark unexpired certificates for renewal at once (RFC 9773): their renewalInfo window"
              + " moves into the past. Prints how many were marked.",
      footer =
          "%nExamples:%n  admin incident --serial 0bf4eab0 --explanation-url https://ca.example.fi/incident/1"
              + "%n  admin incident --org 1.2.246.10.98123462.10.0%n  admin incident --issuer production")
  static final class Incident implements Callable<Integer> {
    @ParentCommand Main.Admin admin;

    @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Selector selector;

    static final class Selector {
      @Option(names = "--serial", description = "one certificate, serial in hex or decimal")
      String serial;

      @Option(names = "--org", description = "every certificate of an organisation OID")
      String org;

      @Option(
          names = "--issuer",
          description = "every certificate of an issuing CA: production, test or external:<DN>")
      String issuer;
    }

    @Option(names = "--explanation-url", description = "a page about the incident, for holders")
    String explanationUrl;

    @Override
    public Integer call() throws Exception {
      JsonObject body = new JsonObject();
      if (selector.serial != null) {
        body.put("serial", selector.serial);
      } else if (selector.org != null) {
        body.put("organisation", selector.org);
      } else {
        body.put("issuer", selector.issuer);
      }
      if (explanationUrl != null) {
        body.put("explanationUrl", explanationUrl);
      }
      return print(admin.post("/admin/incidents", body.encode()));
    }
  }

  @Command(
      name = "import-certificate",
      mixinStandardHelpOptions = true,
      description =
          "Import certificates issued outside ACME (the old manual process), PEM or DER files,"
              + " all or none; each is attached to the organisation of its subject serialNumber.",
      footer = "%nExample:%n  admin import-certificate testdata/legacy/county-0bf4eab0.pem")
  static final class ImportCertificate implements Callable<Integer> {
    @ParentCommand Main.Admin admin;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "PEM or DER certificate files")
    java.util.List<java.nio.file.Path> files;

    @Override
    public Integer call() throws Exception {
      StringBuilder pem = new StringBuilder();
      for (java.nio.file.Path file : files) {
        byte[] content = java.nio.file.Files.readAllBytes(file);
        String text = new String(content, StandardCharsets.ISO_8859_1);
        if (text.contains("-----BEGIN")) {
          pem.append(text).append('\n');
        } else {
          pem.append("-----BEGIN CERTIFICATE-----\n")
              .append(java.util.Base64.getMimeEncoder().encodeToString(content))
              .append("\n-----END CERTIFICATE-----\n");
        }
      }
      return print(admin.post("/admin/certificates/import", pem.toString()));
    }
  }
}
