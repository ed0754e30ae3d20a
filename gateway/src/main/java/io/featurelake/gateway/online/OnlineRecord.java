package io.featurelake.gateway.online;

import java.util.List;

/**
 * One entity's latest row, ready for the guard: its key, {@code _event_ts} (epoch microseconds),
 * {@code _snapshot_seq} and the non-NULL feature fields as alternating names and values.
 */
public record OnlineRecord(String key, long eventTs, long snapshotSeq, List<String> fieldsAndValues) {}
