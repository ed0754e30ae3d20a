package io.featurelake.gateway.alerts;

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
 * Kinds: {@code AUDIT_FAILED}, {@code PUBLISH_REFUSED} (a publish that conflicted or failed),
 * {@code SYNC_FAILED} (failed or abandoned), {@code MAINTENANCE_FAILED}, and {@code AUDIT_OVERRIDE}
 * (a failed audit published anyway, for the record).
 *
 * <p>Raises an alert three ways: an ERROR log line, a row in the catalog database, and a JSON POST
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

  /** The platform's alert sender: its catalog database and configured webhook. */
  public static AlertSender of(io.featurelake.gateway.session.Platform platform) {
    return new AlertSender(new AlertRepository(platform.catalogDatabase()), platform.config().alertsWebhookUrl());
  }

  /**
   * Raises an alert about a job that must not fail because alerting failed (a sync, maintenance):
   * a failure to record it is logged, never thrown.
   */
  public void raiseQuietly(Long runId, String featureView, String owner, String kind, String message,
      Map<String, Object> fields) {
    try {
      raise(runId, featureView, owner, kind, message, fields);
    } catch (RuntimeException e) {
      LOG.error("Could not record the {} alert ({})", kind, message, e);
    }
  }

  /**
   * Sends the alert; {@code fields} become the JSON body next to kind, message, feature view and
   * owner (the person to tell; null when the view's definition cannot be read).
   */
  public long raise(Long runId, String featureView, String owner, String kind, String message, Map<String, Object> fields) {
    LOG.error("ALERT {} view={} owner={} run={}: {}", kind, featureView, owner, runId, message);
    Map<String, Object> head = new java.util.LinkedHashMap<>();
    head.put("kind", kind);
    head.put("run_id", runId == null ? "" : runId);
    head.put("message", message);
    head.put("feature_view", featureView);
    head.put("owner", owner);
    String payload = Json.object(head, fields);
    long id = alerts.record(runId, featureView, owner, kind, message, payload, webhookUrl.orElse(null));
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
