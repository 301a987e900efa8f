package fi.soteacme.server.organisation;

/** The two registers the server keeps a copy of; {@link #dbName()} is the stored source. */
public enum RegisterKind {
  /** THL-SOTE organisation register, THL code service JSON. */
  SOTE("sote"),
  /** Kanta intermediary register, format {@code sote-acme-intermediaries/1}. */
  INTERMEDIARY("intermediary");

  private final String dbName;

  RegisterKind(String dbName) {
    this.dbName = dbName;
  }

  public String dbName() {
    return dbName;
  }

  /** {@code "sote"} or {@code "intermediary"} (any case). */
  public static RegisterKind of(String name) {
    for (RegisterKind kind : values()) {
      if (kind.dbName.equalsIgnoreCase(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown register kind \"" + name + "\": use \"sote\" or \"intermediary\"");
  }
}
