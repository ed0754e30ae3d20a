package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The registry: snake_case SQL name to procedure. Every platform procedure is listed here, with
 * its constructor taking the {@link ProcedureServices} it works with (the catalog builds it).
 */
public final class PlatformProcedures {

  private static final Map<String, Function<ProcedureServices, PlatformProcedure>> BUILDERS = new TreeMap<>();

  static {
    BUILDERS.put(DescribeProcedure.NAME, DescribeProcedure::new);
    BUILDERS.put(DescribeTableProcedure.NAME, DescribeTableProcedure::new);
    BUILDERS.put(StartBackfillProcedure.NAME, StartBackfillProcedure::new);
    BUILDERS.put(AuditBranchProcedure.NAME, AuditBranchProcedure::new);
    BUILDERS.put(PublishProcedure.NAME, PublishProcedure::new);
    BUILDERS.put(ListRunsProcedure.NAME, ListRunsProcedure::new);
    BUILDERS.put(RunEventsProcedure.NAME, RunEventsProcedure::new);
    BUILDERS.put(AuditReportProcedure.NAME, AuditReportProcedure::new);
    BUILDERS.put(CleanupRunsProcedure.NAME, CleanupRunsProcedure::new);
    BUILDERS.put(GenerateEventsProcedure.NAME, GenerateEventsProcedure::new);
    BUILDERS.put(LineageRunProcedure.NAME, LineageRunProcedure::new);
    BUILDERS.put(LineagePartitionProcedure.NAME, LineagePartitionProcedure::new);
    BUILDERS.put(LineageTableProcedure.NAME, LineageTableProcedure::new);
    BUILDERS.put(LineageSnapshotProcedure.NAME, LineageSnapshotProcedure::new);
    BUILDERS.put(ReproduceRunProcedure.NAME, ReproduceRunProcedure::new);
    BUILDERS.put(SyncOnlineProcedure.NAME, SyncOnlineProcedure::new);
    BUILDERS.put(VerifyOnlineProcedure.NAME, VerifyOnlineProcedure::new);
    BUILDERS.put(OnlineStatusProcedure.NAME, OnlineStatusProcedure::new);
    BUILDERS.put(RunMaintenanceProcedure.NAME, RunMaintenanceProcedure::new);
    BUILDERS.put(MaintenanceReportsProcedure.NAME, MaintenanceReportsProcedure::new);
    BUILDERS.put(RunStatusProcedure.NAME, RunStatusProcedure::new);
    BUILDERS.put(CancelRunProcedure.NAME, CancelRunProcedure::new);
    BUILDERS.put(DropRunProcedure.NAME, DropRunProcedure::new);
    BUILDERS.put(JobStatusProcedure.NAME, JobStatusProcedure::new);
    BUILDERS.put(CancelJobProcedure.NAME, CancelJobProcedure::new);
    BUILDERS.put(AlertsProcedure.NAME, AlertsProcedure::new);
    BUILDERS.put(BuildTrainingSetProcedure.NAME, BuildTrainingSetProcedure::new);
    BUILDERS.put(RebuildTrainingSetProcedure.NAME, RebuildTrainingSetProcedure::new);
    BUILDERS.put(ListTrainingSetsProcedure.NAME, ListTrainingSetsProcedure::new);
    BUILDERS.put(DescribeTrainingSetProcedure.NAME, DescribeTrainingSetProcedure::new);
    BUILDERS.put(CreateUserProcedure.NAME, CreateUserProcedure::new);
    BUILDERS.put(SetUserRoleProcedure.NAME, SetUserRoleProcedure::new);
    BUILDERS.put(DisableUserProcedure.NAME, DisableUserProcedure::new);
    BUILDERS.put(EnableUserProcedure.NAME, EnableUserProcedure::new);
    BUILDERS.put(ListUsersProcedure.NAME, ListUsersProcedure::new);
    BUILDERS.put(AuditLogProcedure.NAME, AuditLogProcedure::new);
  }

  private PlatformProcedures() {}

  /** Builds the procedure called {@code name} with the services it works with. */
  public static PlatformProcedure load(String name, ProcedureServices services) {
    Function<ProcedureServices, PlatformProcedure> builder = BUILDERS.get(name.toLowerCase(Locale.ROOT));
    if (builder == null) {
      throw new PlatformException(ErrorCode.UNKNOWN_PROCEDURE, unknown(name));
    }
    return builder.apply(services);
  }

  /**
   * The procedure's declaration only (name, parameters, output), for checking a call's arguments
   * before it runs: built without services, so it must not be called.
   */
  public static PlatformProcedure declaration(String name) {
    return load(name, null);
  }

  /** One line: the closest name when there is one (a typo), else where the list is; never all names. */
  static String unknown(String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : BUILDERS.keySet()) {
      int d = distance(wanted, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    String hint = best != null && bestDistance <= Math.max(2, wanted.length() / 4) ? "did you mean lake.platform." + best + "? " : "";
    return "Unknown procedure lake.platform." + name + "; " + hint + "the " + BUILDERS.size()
        + " procedures are listed in docs/procedures.md (e.g. list_runs, start_backfill, publish, audit_report)";
  }

  /** Levenshtein distance, for the suggestion above. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  public static Iterable<String> names() {
    return BUILDERS.keySet();
  }
}
