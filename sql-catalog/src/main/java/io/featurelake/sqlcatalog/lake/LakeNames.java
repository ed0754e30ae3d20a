package io.featurelake.sqlcatalog.lake;

import java.util.Optional;

/**
 * The lake's naming rules, in one place: the catalog, the feature tables
 * ({@code lake.features.<view>}), the refs a run leaves ({@code audit_<run>} while it is audited,
 * the tag {@code run_<run>} once published), the tag maintenance puts on each sync cursor, and
 * the procedures' namespace. Every door and job builds these names here.
 */
public final class LakeNames {

  /** The Iceberg catalog every table lives in. */
  public static final String CATALOG = "lake";
  /** Namespace of the feature tables. */
  public static final String FEATURES_NAMESPACE = "features";
  /** Namespace of the platform's procedures: {@code CALL lake.platform.<name>(...)}. */
  public static final String PROCEDURE_NAMESPACE = "platform";
  public static final String RUN_TAG_PREFIX = "run_";
  public static final String AUDIT_BRANCH_PREFIX = "audit_";
  /**
   * Tag on the snapshot each online sync cursor points at, so snapshot expiry keeps it and the
   * next incremental sync can start there.
   */
  public static final String SYNC_CURSOR_TAG = "fl_sync_cursor";

  private static final String FEATURE_TABLE_PREFIX = CATALOG + "." + FEATURES_NAMESPACE + ".";

  private LakeNames() {}

  /** {@code lake.features.<view>}. */
  public static String featureTable(String view) {
    return FEATURE_TABLE_PREFIX + view;
  }

  /** The feature table of a view as a {@link TableName}. */
  public static TableName featureTableName(String view) {
    return new TableName(FEATURES_NAMESPACE, view);
  }

  /** The view whose feature table this is ({@code lake.features.v} gives {@code v}), if it is one. */
  public static Optional<String> featureViewOf(String qualifiedTable) {
    return qualifiedTable.startsWith(FEATURE_TABLE_PREFIX)
        ? Optional.of(qualifiedTable.substring(FEATURE_TABLE_PREFIX.length())) : Optional.empty();
  }

  /** The tag that marks a run's published snapshot: {@code run_<id>}. */
  public static String runTag(long runId) {
    return RUN_TAG_PREFIX + runId;
  }

  /** The branch a run writes and is audited on: {@code audit_<id>}. */
  public static String auditBranch(long runId) {
    return AUDIT_BRANCH_PREFIX + runId;
  }

  /** {@code lake.platform.<name>}: how messages name a procedure. */
  public static String procedure(String name) {
    return CATALOG + "." + PROCEDURE_NAMESPACE + "." + name;
  }
}
