package io.featurelake.sqlcatalog.runs;

import java.time.LocalDate;
import java.util.Map;

/** What is known about a run when it is created (state PENDING). */
public record NewRun(
    String featureView,
    String tableName,
    LocalDate startDate,
    LocalDate endDate,
    String definitionSha256,
    String gitCommit,
    boolean gitDirty,
    Map<String, Long> sourceSnapshots,
    boolean publishRequested,
    String startedBy,
    String origin,
    String ownerHost,
    long ownerPid) {}
