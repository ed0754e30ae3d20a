package io.featurelake.sqlcatalog.process;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves, every interval, that a piece of long work still has a living owner: runs {@code beat}
 * (typically: refresh the heartbeat column, report progress) on a daemon thread until closed.
 * A failing beat is logged and the next one tried: a missed heartbeat only risks the work being
 * judged abandoned later, which {@link OwnerLiveness} handles.
 */
public final class Heartbeat implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

  private final ScheduledExecutorService ticker;

  private Heartbeat(ScheduledExecutorService ticker) {
    this.ticker = ticker;
  }

  /** Starts beating after one interval. */
  public static Heartbeat start(String threadName, Duration interval, Runnable beat) {
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    long every = interval.toMillis();
    ticker.scheduleAtFixedRate(() -> {
      try {
        beat.run();
      } catch (RuntimeException e) {
        LOG.debug("Heartbeat {} failed", threadName, e);
      }
    }, every, every, TimeUnit.MILLISECONDS);
    return new Heartbeat(ticker);
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
