package fi.soteacme.client.cli.bench;

/** The timed steps of one issuance, and the whole flow. */
public enum Step {
  /** POST newOrder. */
  NEW_ORDER("newOrder"),
  /** POST-as-GET of the order's authorizations. */
  AUTHORIZATION("authorization"),
  /** Respond to the challenge, wait until the authorization is valid and the order ready. */
  CHALLENGE("challenge"),
  /** POST finalize with the CSR and wait until the order is valid. */
  FINALIZE("finalize"),
  /** POST-as-GET of the certificate chain. */
  DOWNLOAD("download"),
  /** newOrder to downloaded certificate. */
  FLOW("full flow");

  private final String label;

  Step(String label) {
    this.label = label;
  }

  /**
   * Returns the name used in the table and the JSON.
   *
   * @return the label
   */
  public String label() {
    return label;
  }
}
