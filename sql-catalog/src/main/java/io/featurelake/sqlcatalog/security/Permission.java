package io.featurelake.sqlcatalog.security;

/** One thing a role may do. Roles are sets of these ({@link Role}); procedures and statements need one. */
public enum Permission {
  /** SELECT, metadata tables, time travel, lineage, reports, the browse procedures. */
  READ,
  /** Create, alter, write and drop tables outside {@code lake.features} (scratch and raw tables). */
  WRITE_OTHER_TABLES,
  /** {@code start_backfill} (and {@code generate_events}). */
  START_BACKFILL,
  /** {@code audit_branch}: audit a run's branch again. */
  REAUDIT,
  /** {@code cancel_run} on a run the user started. */
  CANCEL_OWN_RUN,
  /** {@code cancel_run} on anyone's run (publishers, operators, admins). */
  CANCEL_ANY_RUN,
  /** {@code publish}, and {@code start_backfill} with {@code publish => true}. */
  PUBLISH,
  /** Drop runs: {@code cleanup_runs}. */
  DROP_RUN,
  /** {@code sync_online}. */
  SYNC,
  /** {@code verify_online}. */
  VERIFY,
  /** {@code run_maintenance}. */
  MAINTENANCE,
  /** Create, disable, enable and re-role users; read everyone's audit log. */
  MANAGE_USERS,
  /**
   * Direct DML/DDL on {@code lake.features.*}, Iceberg procedures that move or rewrite a feature
   * table, any statement the gateway cannot attribute to a table (ADD JAR, path writes, v1
   * tables), and procedures without an entry in the grants table. Recorded as out-of-band.
   */
  DIRECT_WRITE
}
