package io.featurelake.gateway.runs;

import io.featurelake.sqlcatalog.errors.PlatformException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;

/**
 * The gateway's bounded pool for work started with {@code wait => false}: backfill runs
 * ({@link RunExecutor}) and jobs ({@link JobExecutor}) share its {@code featurelake.runs.workers}
 * threads and {@code featurelake.runs.queue} waiting places, so the limit a user reads in the
 * configuration is the limit of the gateway. A start beyond both is refused before anything is
 * recorded. Threads are daemons and never interrupted (an interrupt inside a JDBC call closes the
 * embedded catalog database).
 */
public final class WorkPool implements AutoCloseable {

  /** One admitted piece of work: its place in the queue until a worker takes it. */
  public static final class Ticket {
    final long queuedAt = System.nanoTime();
    volatile boolean started;
    volatile Future<?> future;

    /** Whether a worker took it. */
    public boolean started() {
      return started;
    }
  }

  /** How often a cancel is repeated while the cancelled work has not stopped. */
  private static final long CANCEL_REPEAT_MS = 500;

  private final int workers;
  private final int queue;
  private final ExecutorService pool;
  private final AtomicInteger admitted = new AtomicInteger();
  private final Set<Ticket> tickets = ConcurrentHashMap.newKeySet();

  public WorkPool(int workers, int queue) {
    this.workers = workers;
    this.queue = queue;
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "featurelake-run-worker-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public int workers() {
    return workers;
  }

  /**
   * Takes a place for {@code what} ("a backfill of v", "sync_online of v"), or refuses with
   * INVALID_STATE when every worker and queue place is taken.
   */
  public Ticket admit(String what) {
    int limit = workers + queue;
    while (true) {
      int now = admitted.get();
      if (now >= limit) {
        throw PlatformException.invalidState("Cannot start %s now: this gateway already has %d calls started "
            + "with wait => false (%d working, up to %d queued; featurelake.runs.workers=%d, "
            + "featurelake.runs.queue=%d); retry when one ends", what, now, Math.min(now, workers), queue, workers, queue);
      }
      if (admitted.compareAndSet(now, now + 1)) {
        Ticket t = new Ticket();
        tickets.add(t);
        return t;
      }
    }
  }

  /** Queues the admitted work; the worker marks the ticket started when it takes it. */
  public void submit(Ticket ticket, Runnable work) {
    ticket.future = pool.submit(() -> {
      ticket.started = true;
      work.run();
    });
  }

  /** How many admitted pieces of work wait for a worker ahead of this one. */
  public int ahead(Ticket ticket) {
    int ahead = 0;
    for (Ticket t : tickets) {
      if (t != ticket && !t.started && t.queuedAt < ticket.queuedAt) {
        ahead++;
      }
    }
    return ahead;
  }

  /** Takes queued work out before a worker starts it; false when it already started. */
  public boolean cancelQueued(Ticket ticket) {
    Future<?> f = ticket.future;
    if (!ticket.started && f != null && f.cancel(false)) {
      release(ticket);
      return true;
    }
    return false;
  }

  /** Gives the place back (the work ended, or was admitted but never queued). */
  public void release(Ticket ticket) {
    if (tickets.remove(ticket)) {
      admitted.decrementAndGet();
    }
  }

  /**
   * Cancels the Spark jobs of {@code group} until {@code done} completes or {@code waitMs} passed;
   * returns whether it completed. Spark cancels only the group's jobs running at that moment: work
   * that was between two jobs (planning, a commit) would start its next job uncancelled, so the
   * cancel is repeated until the work has noticed.
   */
  static boolean cancelUntilDone(SparkContext context, String group, CompletableFuture<Void> done, long waitMs) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
    while (true) {
      context.cancelJobGroup(group);
      try {
        done.get(CANCEL_REPEAT_MS, TimeUnit.MILLISECONDS);
        return true;
      } catch (TimeoutException e) {
        if (System.nanoTime() > deadline) {
          return false;
        }
      } catch (ExecutionException e) {
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** Stops taking work; work in flight is not interrupted. */
  @Override
  public void close() {
    pool.shutdown();
  }
}
