package io.featurelake.sqlcatalog.lake;

import io.featurelake.sqlcatalog.runs.BackfillRun;
import java.util.LinkedHashMap;
import java.util.Map;

/** The snapshot summary properties every commit of the platform carries (DESIGN: lineage). */
public final class Lineage {

  public static final String PREFIX = "featurelake.";
  public static final String RUN_ID = PREFIX + "run-id";
  public static final String GIT_COMMIT = PREFIX + "git-commit";
  public static final String GIT_DIRTY = PREFIX + "git-dirty";
  public static final String FEATURE_VIEW = PREFIX + "feature-view";
  public static final String DEFINITION_SHA256 = PREFIX + "definition-sha256";
  public static final String WINDOW = PREFIX + "window";
  public static final String AUDIT_REPORT_ID = PREFIX + "audit-report-id";
  public static final String STAMP = PREFIX + "stamp";

  private Lineage() {}

  public static String sourceKey(String table) {
    return PREFIX + "source." + table + ".snapshot-id";
  }

  /** Properties of the run's data commit. */
  public static Map<String, String> of(BackfillRun run) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put(RUN_ID, String.valueOf(run.runId()));
    props.put(GIT_COMMIT, run.gitCommit() == null ? "unknown" : run.gitCommit());
    props.put(GIT_DIRTY, String.valueOf(run.gitDirty()));
    props.put(FEATURE_VIEW, run.featureView());
    props.put(DEFINITION_SHA256, run.definitionSha256());
    props.put(WINDOW, run.window());
    run.sourceSnapshots().forEach((table, id) -> props.put(sourceKey(table), id == null ? "none" : String.valueOf(id)));
    return props;
  }

  /** Properties of the audit stamp: the run's lineage plus the report that approved the data. */
  public static Map<String, String> stamp(BackfillRun run, long reportId) {
    Map<String, String> props = of(run);
    props.put(AUDIT_REPORT_ID, String.valueOf(reportId));
    props.put(STAMP, "audit");
    return props;
  }
}
