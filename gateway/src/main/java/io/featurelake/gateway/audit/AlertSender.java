package io.featurelake.gateway.audit;

import io.featurelake.sqlcatalog.audit.AlertRepository;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises an alert three ways: an ERROR log line, a row in the catalog database, and a JSON POST
 * to the configured webhook (best effort: its outcome is recorded, a dead webhook never fails a run).
 */
public final class AlertSender {

  private static final Logger LOG = LoggerFactory.getLogger(AlertSender.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final AlertRepository alerts;
  private final Optional<String> webhookUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  public AlertSender(AlertRepository alerts, Optional<String> webhookUrl) {
    this.alerts = alerts;
    this.webhookUrl = webhookUrl;
  }

  /** Sends the alert; {@code fields} become the JSON body next to kind and message. */
  public long raise(Long runId, String kind, String message, Map<String, Object> fields) {
    LOG.error("ALERT {} run={}: {}", kind, runId, message);
    String payload = Json.object(Map.of("kind", kind, "run_id", runId == null ? "" : runId, "message", message), fields);
    long id = alerts.record(runId, kind, message, payload, webhookUrl.orElse(null));
    webhookUrl.ifPresent(url -> alerts.webhookStatus(id, post(url, payload)));
    return id;
  }

  private String post(String url, String payload) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(payload)).build();
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() / 100 != 2) {
        LOG.warn("Alert webhook {} answered HTTP {}", url, response.statusCode());
      }
      return "HTTP " + response.statusCode();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn("Alert webhook {} failed: {}", url, e.toString());
      return "failed: " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  /** Minimal JSON writer for alert payloads (strings, numbers, booleans, lists and maps of those). */
  static final class Json {
    private Json() {}

    @SafeVarargs
    static String object(Map<String, ?>... parts) {
      StringBuilder out = new StringBuilder("{");
      boolean first = true;
      for (Map<String, ?> part : parts) {
        for (Map.Entry<String, ?> e : new java.util.TreeMap<>(part).entrySet()) {
          out.append(first ? "" : ",").append(string(e.getKey())).append(':').append(value(e.getValue()));
          first = false;
        }
      }
      return out.append('}').toString();
    }

    static String value(Object v) {
      if (v == null) {
        return "null";
      } else if (v instanceof Number || v instanceof Boolean) {
        return v.toString().equals("NaN") ? "null" : v.toString();
      } else if (v instanceof Map<?, ?> m) {
        @SuppressWarnings("unchecked")
        Map<String, ?> typed = (Map<String, ?>) m;
        return object(typed);
      } else if (v instanceof Iterable<?> list) {
        StringBuilder out = new StringBuilder("[");
        boolean first = true;
        for (Object o : list) {
          out.append(first ? "" : ",").append(value(o));
          first = false;
        }
        return out.append(']').toString();
      }
      return string(v.toString());
    }

    static String string(String s) {
      return s.chars().mapToObj(c -> switch (c) {
        case '"' -> "\\\"";
        case '\\' -> "\\\\";
        case '\n' -> "\\n";
        case '\r' -> "\\r";
        case '\t' -> "\\t";
        default -> c < 0x20 ? String.format("\\u%04x", c) : String.valueOf((char) c);
      }).collect(Collectors.joining("", "\"", "\""));
    }
  }
}
