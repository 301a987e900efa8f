package fi.soteacme.server.web;

import fi.soteacme.server.web.jws.AcmeRequest;
import io.vertx.core.Future;
import java.util.Map;

/** A handler of one authenticated ACME resource: the verified request and the URL's path params. */
@FunctionalInterface
public interface AcmeCall {
  Future<Reply> handle(AcmeRequest request, Map<String, String> pathParams);
}
