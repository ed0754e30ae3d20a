package io.featurelake.sqlcatalog.security;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which permission each {@code lake.platform.*} procedure needs. A procedure missing from this
 * table needs {@link Permission#DIRECT_WRITE} (admin only): a new procedure is closed until
 * someone decides who may call it.
 */
public final class ProcedureGrants {

  private static final Map<String, Permission> GRANTS = Map.ofEntries(
      Map.entry("describe", Permission.READ),
      Map.entry("describe_table", Permission.READ),
      Map.entry("list_runs", Permission.READ),
      Map.entry("run_events", Permission.READ),
      Map.entry("audit_report", Permission.READ),
      Map.entry("lineage_run", Permission.READ),
      Map.entry("lineage_partition", Permission.READ),
      Map.entry("lineage_table", Permission.READ),
      Map.entry("lineage_snapshot", Permission.READ),
      Map.entry("reproduce_run", Permission.READ),
      Map.entry("online_status", Permission.READ),
      Map.entry("maintenance_reports", Permission.READ),
      Map.entry("audit_log", Permission.READ),
      Map.entry("alerts", Permission.READ),
      Map.entry("list_training_sets", Permission.READ),
      Map.entry("describe_training_set", Permission.READ),
      Map.entry("run_status", Permission.READ),
      Map.entry("job_status", Permission.READ),
      // A training set is written to lake.training.*, never to a feature table; it reads published data only.
      Map.entry("build_training_set", Permission.START_BACKFILL),
      Map.entry("rebuild_training_set", Permission.START_BACKFILL),
      Map.entry("cancel_run", Permission.CANCEL_OWN_RUN),
      Map.entry("drop_run", Permission.DROP_RUN),
      Map.entry("start_backfill", Permission.START_BACKFILL),
      Map.entry("generate_events", Permission.START_BACKFILL),
      Map.entry("audit_branch", Permission.REAUDIT),
      Map.entry("publish", Permission.PUBLISH),
      Map.entry("cleanup_runs", Permission.DROP_RUN),
      Map.entry("sync_online", Permission.SYNC),
      Map.entry("verify_online", Permission.VERIFY),
      Map.entry("run_maintenance", Permission.MAINTENANCE),
      // A job is an asynchronous sync_online or run_maintenance: the operator's work (SYNC and
      // MAINTENANCE belong to the same roles), so stopping one takes what starting a sync takes.
      Map.entry("cancel_job", Permission.SYNC),
      Map.entry("create_user", Permission.MANAGE_USERS),
      Map.entry("set_user_role", Permission.MANAGE_USERS),
      Map.entry("disable_user", Permission.MANAGE_USERS),
      Map.entry("enable_user", Permission.MANAGE_USERS),
      Map.entry("list_users", Permission.MANAGE_USERS));

  private ProcedureGrants() {}

  /**
   * The permissions a call needs, given its arguments by name (defaults applied).
   * {@code start_backfill} publishes by default, so it also needs PUBLISH unless {@code publish => false}.
   */
  public static Set<Permission> required(String procedure, Map<String, Object> args) {
    Set<Permission> needed = new LinkedHashSet<>();
    needed.add(GRANTS.getOrDefault(procedure, Permission.DIRECT_WRITE));
    if (procedure.equals("start_backfill") && !Boolean.FALSE.equals(args.get("publish"))) {
      needed.add(Permission.PUBLISH);
    }
    return needed;
  }

  /**
   * Whether a call acts on one run that a holder of only {@link Permission#CANCEL_OWN_RUN} must
   * have started ({@code cancel_run}); the run's id is its {@code run_id} argument.
   */
  public static boolean ownRunOnly(String procedure) {
    return GRANTS.get(procedure) == Permission.CANCEL_OWN_RUN;
  }

  /** Whether calls of this procedure go to the audit log (everything beyond reading). */
  public static boolean privileged(String procedure) {
    return GRANTS.getOrDefault(procedure, Permission.DIRECT_WRITE) != Permission.READ;
  }

  /** The table, for docs and tests. */
  public static Map<String, Permission> table() {
    return GRANTS;
  }
}
