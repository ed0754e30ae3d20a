package io.featurelake.gateway.training;

import java.util.List;

/**
 * One feature view as a training set joins it: its entity columns and the spine columns they
 * match (same order), its event-time column, the selected features and the TTL (null = none).
 */
record JoinedView(
    String name,
    String tableName,
    List<String> entityColumns,
    List<String> spineColumns,
    String eventTimeColumn,
    List<String> features,
    Long ttlSeconds,
    String definitionSha256,
    String definitionCommit) {

  JoinedView {
    entityColumns = List.copyOf(entityColumns);
    spineColumns = List.copyOf(spineColumns);
    features = List.copyOf(features);
  }

  /** Output column of a feature: {@code <view>__<feature>}. */
  String outputColumn(String feature) {
    return name + "__" + feature;
  }

  /** When the chosen row happened, so a reader can see how fresh each value was. */
  String eventTimeOutput() {
    return name + "__event_time";
  }

  Long ttlMicros() {
    return ttlSeconds == null ? null : ttlSeconds * 1_000_000L;
  }
}
