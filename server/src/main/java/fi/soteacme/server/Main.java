package fi.soteacme.server;

import fi.soteacme.server.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar sote-acme-server.jar [--config FILE]} serves; {@code admin ...} operates. */
@Command(
    name = "sote-acme-server",
    mixinStandardHelpOptions = true,
    description = "ACME (RFC 8555) CA for Finnish social and health care service certificates.",
    subcommands = {Main.Admin.class})
public final class Main implements Callable<Integer> {
  @Option(
      names = "--config",
      description = "JSON configuration file (default: the embedded default under ./data)")
  Path config;

  public static void main(String[] args) {
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() throws Exception {
    ServerConfig cfg = ServerConfig.load(config, System.getenv());
    SoteAcmeServer server = SoteAcmeServer.start(cfg);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.close();
                  } catch (Exception e) {
                    System.err.println("stopping: " + e);
                  }
                  stopped.countDown();
                }));
    Path data = cfg.dataDir();
    System.out.println();
    System.out.println("sote-acme is running.");
    System.out.println("  ACME directory:  " + server.directoryUrl());
    System.out.println("  Trust anchor:    " + server.trustAnchor().toAbsolutePath());
    System.out.println(
        "  CA roots:        "
            + data.resolve("ca").toAbsolutePath()
            + "/{production,test}-root.pem");
    System.out.println(
        "  Operator API:    "
            + server.adminUrl()
            + " (token in "
            + data.resolve("admin-token")
            + ")");
    System.out.println(
        "  EAB credential:  java -jar server/target/sote-acme-server.jar admin eab-create");
    System.out.println(
        "  JVM heap limit:  "
            + heapNote(
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments(),
                Runtime.getRuntime().maxMemory()));
    System.out.flush();
    stopped.await();
    return 0;
  }

  /**
   * The heap limit, and when no option set it, how to: the JVM's default is a quarter of the
   * machine's memory, and the heap grows towards it under load although the server keeps some 35 MB
   * live (bench/scale/README.md, "Memory").
   */
  static String heapNote(java.util.List<String> jvmArguments, long maxHeapBytes) {
    String limit = (maxHeapBytes >> 20) + " MB";
    boolean set =
        jvmArguments.stream()
            .anyMatch(
                a ->
                    a.startsWith("-Xmx")
                        || a.startsWith("-XX:MaxHeapSize")
                        || a.startsWith("-XX:MaxRAM"));
    return set
        ? limit
        : limit
            + " (the JVM's default: a quarter of this machine's memory; for a resident size under"
            + " 300 MB start with -Xmx112m -Xss512k -XX:MaxMetaspaceSize=96m"
            + " -XX:ReservedCodeCacheSize=64m -XX:+UseSerialGC, e.g. in JDK_JAVA_OPTIONS, and"
            + " MALLOC_ARENA_MAX=2)";
  }

  /** Operator commands, run against the server started in the same folder (or --config). */
  @Command(
      name = "admin",
      mixinStandardHelpOptions = true,
      description = "Operator commands against a running server's operator API.",
      subcommands = {
        EabCreate.class,
        Revoke.class,
        BlockKey.class,
        RegisterCommand.class,
        AdminCommands.CustomerCreate.class,
        AdminCommands.Invite.class,
        AdminCommands.Members.class,
        AdminCommands.Remove.class,
        AdminCommands.Orders.class,
        AdminCommands.Reviews.class,
        AdminCommands.Approve.class,
        AdminCommands.Reject.class,
        AdminCommands.Incident.class,
        AdminCommands.ImportCertificate.class
      })
  public static final class Admin {
    @Option(names = "--config", description = "the server's configuration file, if it has one")
    Path config;

    /** Calls the operator API with the bearer token from the data folder. */
    String post(String path, String body) throws Exception {
      return request("POST", path, body);
    }

    /** Calls the operator API; a refusal becomes an error message naming the reason. */
    String request(String method, String path, String body) throws Exception {
      ServerConfig cfg = ServerConfig.load(config, System.getenv());
      Path tokenFile = cfg.dataDir().resolve("admin-token");
      if (!Files.exists(tokenFile)) {
        throw new CommandLine.ParameterException(
            new CommandLine(this),
            "no " + tokenFile + ": start the server in this folder first (or pass --config)");
      }
      String host = cfg.admin().host().equals("0.0.0.0") ? "127.0.0.1" : cfg.admin().host();
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://" + host + ":" + cfg.admin().port() + path))
                      .header("Authorization", "Bearer " + Files.readString(tokenFile).trim())
                      .header("Content-Type", "application/json")
                      .method(
                          method,
                          body == null
                              ? HttpRequest.BodyPublishers.noBody()
                              : HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        throw new IllegalStateException(
            "operator API answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    }
  }

  @Command(
      name = "eab-create",
      mixinStandardHelpOptions = true,
      description = "Create a single-use, expiring EAB credential and print it as JSON.")
  static final class EabCreate implements Callable<Integer> {
    @CommandLine.ParentCommand Admin admin;

    @Override
    public Integer call() throws Exception {
      var json = new io.vertx.core.json.JsonObject(admin.post("/admin/eab", "{}"));
      System.out.println(
          new io.vertx.core.json.JsonObject()
              .put("kid", json.getString("kid"))
              .put("hmacKey", json.getString("hmacKey"))
              .encode());
      return 0;
    }
  }

  @Command(
      name = "register",
      mixinStandardHelpOptions = true,
      description = "The THL-SOTE and Kanta intermediary registers.",
      subcommands = {RegisterImport.class})
  static final class RegisterCommand {
    @CommandLine.ParentCommand Admin admin;
  }

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description =
          "Load a register from a file, a directory of page files or a URL (atomic: a refused"
              + " page changes nothing) and print the summary as JSON.")
  static final class RegisterImport implements Callable<Integer> {
    @CommandLine.ParentCommand RegisterCommand register;

    @CommandLine.Parameters(index = "0", paramLabel = "FILE_OR_URL")
    String source;

    @Option(
        names = "--kind",
        description = "sote or intermediary (default: told by the file's format)")
    String kind;

    @Option(
        names = "--incremental",
        description =
            "upsert instead of replace; from the code service, only entries modified since the last sync")
    boolean incremental;

    @Override
    public Integer call() throws Exception {
      String where =
          source.matches("(?i)https?://.*") ? source : Path.of(source).toAbsolutePath().toString();
      var body =
          new io.vertx.core.json.JsonObject()
              .put("source", where)
              .put("kind", kind)
              .put("incremental", incremental);
      System.out.println(register.admin.post("/admin/register/import", body.encode()));
      return 0;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke a certificate by serial; prints the revocation and the CRL number.")
  static final class Revoke implements Callable<Integer> {
    @CommandLine.ParentCommand Admin admin;

    @Option(
        names = "--serial",
        required = true,
        description = "hex (0bf4eab0, 0b:f4:ea:b0, 0x...) or decimal; any length")
    String serial;

    @Option(
        names = "--reason",
        defaultValue = "unspecified",
        description =
            "keyCompromise, cessationOfOperation, superseded, affiliationChanged, unspecified,"
                + " or the code 0, 1, 3, 4, 5 (default: ${DEFAULT-VALUE})")
    String reason;

    @Override
    public Integer call() throws Exception {
      var body = new io.vertx.core.json.JsonObject().put("serial", serial);
      body.put("reason", reason.matches("\\d{1,2}") ? Integer.valueOf(reason) : reason);
      System.out.println(admin.post("/admin/revoke", body.encode()));
      return 0;
    }
  }

  @Command(
      name = "block-key",
      mixinStandardHelpOptions = true,
      description = "Block a key for every later certificate by its SPKI SHA-256.")
  static final class BlockKey implements Callable<Integer> {
    @CommandLine.ParentCommand Admin admin;

    @Option(
        names = "--spki-sha256",
        required = true,
        description =
            "SHA-256 of the DER SubjectPublicKeyInfo, hex: openssl pkey -pubin -outform DER"
                + " | sha256sum")
    String spkiSha256;

    @Option(names = "--comment", description = "why, for the operators (not shown to clients)")
    String comment;

    @Override
    public Integer call() throws Exception {
      var body =
          new io.vertx.core.json.JsonObject().put("spkiSha256", spkiSha256).put("comment", comment);
      System.out.println(admin.post("/admin/blocked-keys", body.encode()));
      return 0;
    }
  }
}
