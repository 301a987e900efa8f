package fi.soteacme.client.cli;

import fi.soteacme.client.Identifier;
import fi.soteacme.client.challenge.Http01Challenge;
import fi.soteacme.client.challenge.TokenChallenge;
import fi.soteacme.client.storage.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** http-01 through a running web server's document root (certbot's {@code --webroot}). */
final class WebrootSolver implements ChallengeSolver {
  private final Path webroot;
  private final Progress progress;

  WebrootSolver(Path webroot, Progress progress) {
    this.webroot = webroot;
    this.progress = progress;
  }

  private Path file(TokenChallenge challenge) throws Exception {
    return webroot.resolve(Http01Challenge.PATH_PREFIX.substring(1)).resolve(challenge.token());
  }

  @Override
  public String challengeType() {
    return Http01Challenge.TYPE;
  }

  @Override
  public void present(Identifier identifier, TokenChallenge challenge) throws Exception {
    Path file = file(challenge);
    Files.createDirectories(file.getParent());
    AtomicFiles.write(file, challenge.keyAuthorization(), AtomicFiles.PUBLIC);
  }

  @Override
  public void cleanup(Identifier identifier, TokenChallenge challenge) {
    try {
      Files.deleteIfExists(file(challenge));
    } catch (Exception e) {
      progress.warn("could not remove the challenge file: " + e.getMessage());
    }
  }

  @Override
  public void close() throws IOException {}
}
