package io.featurelake.sqlcatalog.tables;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * One snapshot of a table.
 *
 * @param committedAt when it was written (on an audit branch, that is before it was published)
 * @param madeCurrentAt when main first pointed at it (the publish time; null if main never did)
 * @param onMain whether it is in main's current history
 * @param refs branches and tags pointing at it, e.g. {@code main}, {@code run_42}
 * @param summary the snapshot summary, with the platform's {@code featurelake.*} lineage
 */
public record SnapshotInfo(long snapshotId, Long parentId, long sequenceNumber, OffsetDateTime committedAt,
    OffsetDateTime madeCurrentAt, String operation, Integer schemaId, boolean onMain, List<String> refs,
    Map<String, String> summary) {}
