package io.featurelake.gateway.online;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/** How a Redis failure is told: one line saying where, what and why ({@link OnlineStoreException}). */
final class RedisFailures {

  private RedisFailures() {}

  static OnlineStoreException translate(RedisSettings settings, String action, JedisException e) {
    return translate(settings, action, null, e);
  }

  /**
   * One line that says where, what and why: the messages users see for an unreachable or
   * refusing Redis. On a cluster, {@code node} (if known) names the master that failed.
   */
  static OnlineStoreException translate(RedisSettings settings, String action, HostAndPort node, JedisException e) {
    String why = rootMessage(e);
    String where = "Redis at " + settings.describe();
    String failed = action + " failed" + (settings.cluster() && node != null ? " on node " + node : "");
    String text;
    if (why.contains("WRONGPASS") || why.contains("NOAUTH") || why.contains("AUTH") && why.contains("without any password")) {
      text = where + " refused the credentials (" + why + "); check featurelake.redis.password";
    } else if (e instanceof JedisConnectionException || hasConnectionFailure(e)) {
      text = where + " is unreachable (" + failed + ": " + why + ")";
    } else {
      text = where + " failed to " + action + (settings.cluster() && node != null ? " on node " + node : "") + ": " + why;
    }
    return new OnlineStoreException(text, e);
  }

  /** Jedis's cluster client reports "no reachable node" with the connection failure suppressed or as cause. */
  private static boolean hasConnectionFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof JedisConnectionException) {
        return true;
      }
      for (Throwable s : t.getSuppressed()) {
        if (s instanceof JedisConnectionException) {
          return true;
        }
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    String message = e.getMessage();
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t.getMessage() != null) {
        message = t.getMessage();
      }
    }
    if (message == null) {
      return e.getClass().getSimpleName();
    }
    message = message.split("\\R", 2)[0];
    // Jedis reports "Failed to connect to host:port." and keeps the reason (refused, timed out) as suppressed.
    if (t.getSuppressed().length > 0 && t.getSuppressed()[0].getMessage() != null) {
      message = message.replaceAll("\\.$", "") + ": " + t.getSuppressed()[0].getMessage().split("\\R", 2)[0];
    }
    return message;
  }


  private static final java.util.regex.Pattern STORE_FAILURE =
      java.util.regex.Pattern.compile(OnlineStoreException.class.getName().replace(".", "\\.") + ": ([^\\n]*)");

  /**
   * The online-store failure behind a Spark job failure, if that is what it was: the exception
   * itself when Spark kept it as the cause, else its line in the job's message (executors in
   * another JVM).
   */
  static java.util.Optional<Throwable> redisCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof OnlineStoreException) {
        return java.util.Optional.of(t);
      }
      java.util.regex.Matcher m = STORE_FAILURE.matcher(String.valueOf(t.getMessage()));
      if (m.find()) {
        return java.util.Optional.of(new OnlineStoreException(m.group(1).strip(), t));
      }
    }
    return java.util.Optional.empty();
  }}
