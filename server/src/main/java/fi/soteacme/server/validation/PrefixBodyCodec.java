package fi.soteacme.server.validation;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

/**
 * Keeps the first {@code limit} bytes of a response body and drops the rest, so a challenge
 * response can never fill the server's memory (Boulder reads a bounded prefix the same way).
 */
final class PrefixBodyCodec implements BodyCodec<Buffer> {
  private final int limit;

  PrefixBodyCodec(int limit) {
    this.limit = limit;
  }

  @Override
  public BodyStream<Buffer> stream() {
    return new PrefixStream(limit);
  }

  private static final class PrefixStream implements BodyStream<Buffer> {
    private final int limit;
    private final Buffer kept = Buffer.buffer();
    private final Promise<Buffer> result = Promise.promise();

    PrefixStream(int limit) {
      this.limit = limit;
    }

    @Override
    public Future<Buffer> result() {
      return result.future();
    }

    @Override
    public void handle(Throwable failure) {
      result.tryFail(failure);
    }

    @Override
    public Future<Void> write(Buffer data) {
      int room = limit - kept.length();
      if (room > 0) {
        kept.appendBuffer(data, 0, Math.min(room, data.length()));
      }
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      result.tryComplete(kept);
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
