package io.featurelake.gateway.backfill;

/** Receives a line for every step of a run and periodic Spark progress while a job runs. */
@FunctionalInterface
public interface ProgressListener {

  void onProgress(long runId, String message);

  ProgressListener NONE = (runId, message) -> {};
}
