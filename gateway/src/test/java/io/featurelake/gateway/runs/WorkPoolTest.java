package io.featurelake.gateway.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The shared pool's admission limit, queue places and taking queued work out. */
class WorkPoolTest {

  @Test
  void admitsWorkersPlusQueueThenRefusesNamingTheLimitAndFreesAPlaceWhenWorkEnds() throws Exception {
    try (WorkPool pool = new WorkPool(1, 1)) {
      CountDownLatch running = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      WorkPool.Ticket first = pool.admit("a backfill of v");
      pool.submit(first, () -> {
        running.countDown();
        await(release);
        pool.release(first);
      });
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(first.started()).isTrue();

      WorkPool.Ticket second = pool.admit("sync_online of v");
      assertThat(pool.ahead(second)).isZero();
      assertThatThrownBy(() -> pool.admit("run_maintenance of all"))
          .isInstanceOf(PlatformException.class)
          .hasMessage("Cannot start run_maintenance of all now: this gateway already has 2 calls started with wait => "
              + "false (1 working, up to 1 queued; featurelake.runs.workers=1, featurelake.runs.queue=1); retry when one ends")
          .satisfies(e -> assertThat(((PlatformException) e).code()).isEqualTo(ErrorCode.INVALID_STATE));

      pool.release(second); // admitted, never queued (its record could not be written)
      WorkPool.Ticket third = pool.admit("run_maintenance of all");
      release.countDown();
      CountDownLatch ran = new CountDownLatch(1);
      pool.submit(third, () -> {
        ran.countDown();
        pool.release(third);
      });
      assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void queuedWorkCountsItsPlaceAndCanBeTakenOutBeforeItStarts() throws Exception {
    try (WorkPool pool = new WorkPool(1, 2)) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch busyStarted = new CountDownLatch(1);
      WorkPool.Ticket busy = pool.admit("a");
      pool.submit(busy, () -> {
        busyStarted.countDown();
        await(release);
        pool.release(busy);
      });
      // Until the worker has taken it, "a" itself waits ahead of the others.
      assertThat(busyStarted.await(10, TimeUnit.SECONDS)).isTrue();
      WorkPool.Ticket q1 = pool.admit("b");
      AtomicBoolean q1Ran = new AtomicBoolean();
      pool.submit(q1, () -> q1Ran.set(true));
      Thread.sleep(5);
      WorkPool.Ticket q2 = pool.admit("c");
      CountDownLatch q2Ran = new CountDownLatch(1);
      pool.submit(q2, () -> {
        q2Ran.countDown();
        pool.release(q2);
      });
      assertThat(pool.ahead(q1)).isZero();
      assertThat(pool.ahead(q2)).isEqualTo(1);

      assertThat(pool.cancelQueued(q1)).isTrue();
      assertThat(pool.ahead(q2)).as("the cancelled one left the queue").isZero();
      assertThat(pool.cancelQueued(busy)).as("already started").isFalse();
      release.countDown();
      assertThat(q2Ran.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(q1Ran).isFalse();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
