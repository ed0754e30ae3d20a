package io.featurelake.sqlcatalog.core;

import io.featurelake.sqlcatalog.audit.AuditQueries;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import io.featurelake.sqlcatalog.database.CatalogDatabase;
import io.featurelake.sqlcatalog.features.FeatureViewQueries;
import io.featurelake.sqlcatalog.jobs.JobQueries;
import io.featurelake.sqlcatalog.lineage.LineageService;
import io.featurelake.sqlcatalog.maintenance.MaintenanceQueries;
import io.featurelake.sqlcatalog.online.SyncQueries;
import io.featurelake.sqlcatalog.runs.RunQueries;
import io.featurelake.sqlcatalog.tables.LakeTables;
import io.featurelake.sqlcatalog.tables.TableHistory;

/**
 * The platform's read side in one object, without Spark: every door (the gateway's procedures,
 * the web UI in its own JVM, a notebook) asks these services, so each answer has one
 * implementation. Build it from the configuration ({@link #open}) in a JVM of its own, or over
 * the gateway's own database and Iceberg catalog ({@link #of}).
 */
public final class PlatformCore implements AutoCloseable {

  private final CatalogDatabase db;
  private final LakeTables tables;
  private final FeatureViewQueries featureViews;
  private final RunQueries runs;
  private final AuditQueries audits;
  private final SyncQueries syncs;
  private final MaintenanceQueries maintenance;
  private final TableHistory tableHistory;
  private final LineageService lineage;
  private final JobQueries jobs;

  /**
   * How long an asynchronous job may go without a heartbeat before another process judges it
   * abandoned, when the core is not opened from a configuration (the online sync's default).
   */
  public static final java.time.Duration DEFAULT_JOB_SILENCE = java.time.Duration.ofMinutes(10);

  private PlatformCore(CatalogDatabase db, LakeTables tables, java.time.Duration jobSilence) {
    this.db = db;
    this.tables = tables;
    this.featureViews = new FeatureViewQueries(db);
    this.runs = new RunQueries(db);
    this.audits = new AuditQueries(db);
    this.syncs = new SyncQueries(db, tables);
    this.maintenance = new MaintenanceQueries(db);
    this.tableHistory = new TableHistory(tables);
    this.lineage = new LineageService(tables, db);
    this.jobs = new JobQueries(db, jobSilence);
  }

  /**
   * Opens the configured catalog database (migrating it, so a fresh installation reads empty
   * lists rather than failing) and Iceberg's JDBC catalog on it and the warehouse.
   */
  public static PlatformCore open(FeaturelakeConfig config) {
    CatalogDatabase db = CatalogDatabase.fromConfig(config);
    db.migrate();
    return new PlatformCore(db, LakeTables.open(config, db), config.onlineAbandonAfter());
  }

  /** Over a database and tables the caller owns (the gateway's). */
  public static PlatformCore of(CatalogDatabase db, LakeTables tables) {
    return new PlatformCore(db, tables, DEFAULT_JOB_SILENCE);
  }

  /** As {@link #of(CatalogDatabase, LakeTables)}, with the configured silence for abandoned jobs. */
  public static PlatformCore of(CatalogDatabase db, LakeTables tables, java.time.Duration jobSilence) {
    return new PlatformCore(db, tables, jobSilence);
  }

  public CatalogDatabase database() {
    return db;
  }

  public LakeTables tables() {
    return tables;
  }

  public FeatureViewQueries featureViews() {
    return featureViews;
  }

  public RunQueries runs() {
    return runs;
  }

  public AuditQueries audits() {
    return audits;
  }

  public SyncQueries syncs() {
    return syncs;
  }

  public MaintenanceQueries maintenance() {
    return maintenance;
  }

  public TableHistory tableHistory() {
    return tableHistory;
  }

  /** Asynchronous jobs ({@code sync_online} / {@code run_maintenance} with {@code wait => false}). */
  public JobQueries jobs() {
    return jobs;
  }

  public LineageService lineage() {
    return lineage;
  }

  @Override
  public void close() throws Exception {
    tables.close();
  }
}
