package io.featurelake.gateway.maintenance;

import io.featurelake.sqlcatalog.lake.LakeNames;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunRepository;
import io.featurelake.sqlcatalog.runs.RunState;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;

/**
 * Decides what maintenance of one table will do, from the table's metadata and the runs in the
 * catalog database, without changing anything and without a Spark job: the stale audit
 * branches, the compaction estimate, the expiry cutoff (kept back for in-flight runs) and how
 * many snapshots it would expire.
 */
final class MaintenancePlanner {

  private static final String AUDIT_BRANCH_PREFIX = LakeNames.AUDIT_BRANCH_PREFIX;
  private static final long DAY_MS = 24L * 3600 * 1000;

  private final RunRepository runs;

  MaintenancePlanner(RunRepository runs) {
    this.runs = runs;
  }

  MaintenancePlan plan(String tableName, Table table, MaintenanceRequest request, long now) {
    table.refresh();
    long cutoff = now - request.olderThanDays() * DAY_MS;
    Stats before = Stats.of(table);
    List<String> branches = staleAuditBranches(table, cutoff);
    List<String> inFlightNotes = new ArrayList<>();
    long expiryCutoff = inFlightCutoff(tableName, table, cutoff, inFlightNotes);
    int expiring = ExpiryPlan.wouldExpire(table, expiryCutoff, request.retainLast(), now).size();
    return new MaintenancePlan(tableName, request, now, before, branches, CompactionPlan.of(table, request.targetFileSize()),
        expiryCutoff, expiring, inFlightNotes);
  }

  /**
   * Audit branches that no live run needs: the run is finished (PUBLISHED, FAILED, DROPPED) or
   * unknown, and the branch head is older than the cutoff. Branches of in-flight runs are kept:
   * a run may be auditing or waiting to be published.
   */
  List<String> staleAuditBranches(Table table, long cutoff) {
    List<String> stale = new ArrayList<>();
    for (Map.Entry<String, SnapshotRef> ref : new TreeMap<>(table.refs()).entrySet()) {
      String name = ref.getKey();
      if (!ref.getValue().isBranch() || !name.startsWith(AUDIT_BRANCH_PREFIX)) {
        continue;
      }
      Optional<BackfillRun> run = Optional.empty();
      try {
        run = runs.find(Long.parseLong(name.substring(AUDIT_BRANCH_PREFIX.length())));
      } catch (NumberFormatException notARunBranch) {
        // audit_<something else>: no run owns it
      }
      // A failed audit's branch is kept until it expires (for inspection or an override publish).
      boolean inFlight = run.map(r -> r.state().isInFlight() || r.state() == RunState.FAILED && r.branchExpiresAt() != null
          && r.branchExpiresAt().isAfter(java.time.OffsetDateTime.now())).orElse(false);
      Snapshot head = table.snapshot(ref.getValue().snapshotId());
      if (!inFlight && head != null && head.timestampMillis() < cutoff) {
        stale.add(name);
      }
    }
    return stale;
  }

  /**
   * An in-flight run needs more than its branch head: publishing rebases its data commit (the
   * head's parent, an older snapshot of the branch) onto main and validates main's history since
   * the run's base snapshot. Expiring nothing newer than the oldest in-flight base keeps all of
   * those, on the branch and on main, without touching any ref's own retention.
   */
  long inFlightCutoff(String tableName, Table table, long cutoff, List<String> notes) {
    long effective = cutoff;
    for (BackfillRun run : runs.inStates(EnumSet.of(RunState.PENDING, RunState.COMPUTING, RunState.AUDITING,
        RunState.PASSED))) {
      if (!run.tableName().equals(tableName) || run.baseSnapshotId() == null || !table.refs().containsKey(run.branch())) {
        continue;
      }
      Snapshot base = table.snapshot(run.baseSnapshotId());
      if (base != null && base.timestampMillis() < effective) {
        effective = base.timestampMillis();
        notes.add("expiry kept everything since the base of in-flight run " + run.runId() + " (snapshot "
            + base.snapshotId() + ")");
      }
    }
    return effective;
  }

}
