package io.featurelake.sqlcatalog.security;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Slows down password guessing per user name: the first {@value #FREE_FAILURES} failures cost
 * nothing extra, each further one doubles a wait (1 s, 2 s, 4 s ... at most 16 s) that the next
 * attempt for that name sits out before its password is even checked. A success resets the
 * name; a name left alone for 15 minutes is forgotten. Unknown names are throttled exactly like
 * known ones, so the delay says nothing about existence.
 */
public final class LoginThrottle {

  /** Waits; replaceable so tests need not sleep. */
  public interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  static final int FREE_FAILURES = 3;
  private static final long BASE_DELAY_MS = 1_000;
  private static final long MAX_DELAY_MS = 16_000;
  private static final long FORGET_AFTER_MS = Duration.ofMinutes(15).toMillis();
  private static final int MAX_TRACKED = 10_000;

  private record Failures(int count, long lastAtMillis) {}

  private final Map<String, Failures> failures = new ConcurrentHashMap<>();
  private final LongSupplier clockMillis;
  private final Sleeper sleeper;

  public LoginThrottle() {
    this(System::currentTimeMillis, Thread::sleep);
  }

  public LoginThrottle(LongSupplier clockMillis, Sleeper sleeper) {
    this.clockMillis = clockMillis;
    this.sleeper = sleeper;
  }

  /** Sits out the wait owed by earlier failures of {@code name}. */
  public void awaitTurn(String name) throws InterruptedException {
    long delay = delayMillis(name);
    if (delay > 0) {
      sleeper.sleep(delay);
    }
  }

  /** The wait the next attempt for {@code name} will sit out. */
  public long delayMillis(String name) {
    Failures f = failures.get(key(name));
    if (f == null || clockMillis.getAsLong() - f.lastAtMillis() > FORGET_AFTER_MS || f.count() < FREE_FAILURES) {
      return 0;
    }
    int doublings = Math.min(f.count() - FREE_FAILURES, 10);
    return Math.min(MAX_DELAY_MS, BASE_DELAY_MS << doublings);
  }

  public void failed(String name) {
    long now = clockMillis.getAsLong();
    if (failures.size() >= MAX_TRACKED) {
      forgetOld(now);
    }
    failures.merge(key(name), new Failures(1, now), (old, one) ->
        now - old.lastAtMillis() > FORGET_AFTER_MS ? one : new Failures(old.count() + 1, now));
  }

  public void succeeded(String name) {
    failures.remove(key(name));
  }

  private void forgetOld(long now) {
    for (Iterator<Failures> it = failures.values().iterator(); it.hasNext(); ) {
      if (now - it.next().lastAtMillis() > FORGET_AFTER_MS) {
        it.remove();
      }
    }
  }

  /** Names are compared as typed, but clipped so a megabyte-long name cannot fill the map. */
  private static String key(String name) {
    String n = name == null ? "" : name;
    return n.length() > 128 ? n.substring(0, 128) : n;
  }
}
