package fi.soteacme.server.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.soteacme.server.problem.AcmeProblem;
import fi.soteacme.server.problem.ProblemType;
import io.vertx.core.Future;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Shared checks of the validation tests. */
final class Expect {
  private Expect() {}

  /**
   * Completes {@code context} when {@code result} fails with a problem of {@code type} whose detail
   * contains every fragment.
   */
  static void problem(
      VertxTestContext context, Future<?> result, ProblemType type, String... fragments) {
    result.onComplete(
        context.failing(
            failure ->
                context.verify(
                    () -> {
                      AcmeProblem problem = assertInstanceOf(AcmeProblem.class, failure);
                      assertEquals(type, problem.type(), problem.detail());
                      for (String fragment : fragments) {
                        assertTrue(
                            problem.detail().contains(fragment),
                            () -> "detail \"" + problem.detail() + "\" lacks \"" + fragment + "\"");
                      }
                      assertTrue(
                          problem.detail().length() < 600,
                          () -> "detail too long: " + problem.detail());
                      context.completeNow();
                    })));
  }

  /** A loopback port nothing listens on (just closed). */
  static int closedPort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
