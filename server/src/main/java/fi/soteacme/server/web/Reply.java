package fi.soteacme.server.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What a handler answers, free of Vert.x web types: status, body and the RFC 8555 headers a
 * resource may add (Location, Link, Retry-After). The route table writes it out.
 */
public final class Reply {
  private final int status;
  private final Buffer body;
  private final String contentType;
  private String location;
  private Integer retryAfterSeconds;
  private final List<String> links = new ArrayList<>();

  private Reply(int status, Buffer body, String contentType) {
    this.status = status;
    this.body = body;
    this.contentType = contentType;
  }

  public static Reply json(int status, JsonObject json) {
    return new Reply(status, json.toBuffer(), "application/json");
  }

  public static Reply body(int status, Buffer body, String contentType) {
    return new Reply(status, body, contentType);
  }

  public static Reply empty(int status) {
    return new Reply(status, null, null);
  }

  public Reply location(String url) {
    this.location = url;
    return this;
  }

  public Reply link(String url, String rel) {
    links.add("<" + url + ">;rel=\"" + rel + "\"");
    return this;
  }

  public Reply retryAfter(int seconds) {
    this.retryAfterSeconds = seconds;
    return this;
  }

  public int status() {
    return status;
  }

  public Buffer body() {
    return body;
  }

  public String contentType() {
    return contentType;
  }

  public String location() {
    return location;
  }

  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public List<String> links() {
    return links;
  }
}
