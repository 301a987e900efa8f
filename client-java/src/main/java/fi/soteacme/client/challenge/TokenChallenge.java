package fi.soteacme.client.challenge;

import fi.soteacme.client.Login;
import fi.soteacme.client.connector.Json;
import fi.soteacme.client.exception.AcmeException;
import fi.soteacme.client.exception.AcmeProtocolException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A challenge proved with a key authorization (RFC 8555 §8.1): http-01, dns-01, tls-alpn-01. */
public abstract class TokenChallenge extends Challenge {
  private static final String TOKEN = "token";

  /**
   * Creates a challenge from its JSON object.
   *
   * @param login the account
   * @param json the challenge object
   * @throws AcmeProtocolException if it has no URL
   */
  protected TokenChallenge(Login login, Json json) throws AcmeProtocolException {
    super(login, json);
  }

  /**
   * Returns the token.
   *
   * @return the token
   * @throws AcmeProtocolException if the challenge has none, or one that is not base64url
   */
  public String token() throws AcmeProtocolException {
    String token = json().requireString(TOKEN);
    if (!token.matches("[A-Za-z0-9_-]+")) {
      throw new AcmeProtocolException("Unsafe challenge token: " + token);
    }
    return token;
  }

  /**
   * Returns the key authorization for the current account key.
   *
   * @return {@code token.thumbprint}
   * @throws AcmeException if the token is missing or unsafe
   */
  public String keyAuthorization() throws AcmeException {
    return login().keyAuthorization(token());
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }
}
