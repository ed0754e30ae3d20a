package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The registry: snake_case SQL name to procedure. Every platform procedure is listed here. */
public final class PlatformProcedures {

  private static final Map<String, Supplier<PlatformProcedure>> BUILDERS = new TreeMap<>();

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
  }

  private PlatformProcedures() {}

  public static PlatformProcedure load(String name) {
    Supplier<PlatformProcedure> builder = BUILDERS.get(name.toLowerCase(Locale.ROOT));
    if (builder == null) {
      throw new PlatformException(ErrorCode.UNKNOWN_PROCEDURE,
          "Unknown procedure lake.platform." + name + "; available: " + String.join(", ", BUILDERS.keySet()));
    }
    return builder.get();
  }

  public static Iterable<String> names() {
    return BUILDERS.keySet();
  }
}
