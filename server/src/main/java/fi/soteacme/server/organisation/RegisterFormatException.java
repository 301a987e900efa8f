package fi.soteacme.server.organisation;

/**
 * A register page or file that does not follow its format (protocol-docs/registers.md). The message
 * names the page or file and the field; a load that meets one changes nothing.
 */
public final class RegisterFormatException extends RuntimeException {
  public RegisterFormatException(String message) {
    super(message);
  }
}
