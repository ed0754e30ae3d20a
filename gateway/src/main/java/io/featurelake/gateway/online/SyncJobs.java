package io.featurelake.gateway.online;

import io.featurelake.gateway.session.SparkJobGroups;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark jobs of one sync, by job group, so that after a failure the driver can wait for the
 * tasks Spark is still killing: each reports its acknowledged count when it ends. A JDBC
 * statement already runs in its own job group (the gateway's, used to cancel it); the sync then
 * keeps that group rather than replacing it.
 */
final class SyncJobs implements AutoCloseable {

  /** Longest wait for killed tasks to end; they stop at their next Redis call, so seconds at most. */
  private static final long MAX_WAIT_MS = 15_000;
  private static final String GROUP = "spark.jobGroup.id";

  private final SparkContext context;
  private final String group;
  private final boolean own;

  private SyncJobs(SparkContext context, String group, boolean own) {
    this.context = context;
    this.group = group;
    this.own = own;
  }

  static SyncJobs start(SparkSession spark, long syncId) {
    SparkContext sc = spark.sparkContext();
    String existing = sc.getLocalProperty(GROUP);
    if (existing != null) {
      return new SyncJobs(sc, existing, false);
    }
    String group = "featurelake-sync-" + syncId;
    sc.setJobGroup(group, "online sync " + syncId, false);
    return new SyncJobs(sc, group, true);
  }

  /** Returns once no task of the group's jobs runs any more (or after {@link #MAX_WAIT_MS}). */
  void awaitTasksEnded() {
    long deadline = System.currentTimeMillis() + MAX_WAIT_MS;
    while (System.currentTimeMillis() < deadline && running()) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private boolean running() {
    return !SparkJobGroups.activeStages(context, group).isEmpty();
  }

  @Override
  public void close() {
    if (own) {
      context.clearJobGroup();
    }
  }
}
