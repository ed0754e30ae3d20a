package io.featurelake.gateway.procedures;

import io.featurelake.gateway.backfill.BackfillService;
import io.featurelake.gateway.lake.FeatureTables;
import io.featurelake.gateway.lineage.ReproduceService;
import io.featurelake.gateway.maintenance.MaintenanceService;
import io.featurelake.gateway.maintenance.SyncCursorSource;
import io.featurelake.gateway.online.SyncService;
import io.featurelake.gateway.runs.JobExecutor;
import io.featurelake.gateway.runs.RunExecutor;
import io.featurelake.gateway.session.Platform;
import io.featurelake.sqlcatalog.core.PlatformCore;
import io.featurelake.sqlcatalog.lineage.LineageService;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.CurrentUserContext$;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the procedures of one catalog instance work with, handed to each procedure when the
 * catalog builds it (as Iceberg's {@code SparkProcedures} builder hands its catalog): the
 * session's Spark services, the Spark-free core, the run executor, the calling user. Built once
 * per {@code lake} catalog, that is per JDBC session; procedures never look these up themselves.
 */
public final class ProcedureServices {

  private static final Logger PROGRESS = LoggerFactory.getLogger("io.featurelake.gateway.progress");

  private final SparkSession spark;
  private final Platform platform;
  private volatile PlatformCore core;

  private ProcedureServices(SparkSession spark, Platform platform) {
    this.spark = spark;
    this.platform = platform;
  }

  public static ProcedureServices of(SparkSession spark, Platform platform) {
    return new ProcedureServices(spark, platform);
  }

  public SparkSession spark() {
    return spark;
  }

  public Platform platform() {
    return platform;
  }

  /** The Spark-free read services over this session's lake catalog and the catalog database. */
  public PlatformCore core() {
    PlatformCore c = core;
    if (c == null) {
      c = PlatformCore.of(platform.catalogDatabase(), new FeatureTables(spark).lakeTables(),
          platform.config().onlineAbandonAfter());
      core = c;
    }
    return c;
  }

  public LineageService lineage() {
    return core().lineage();
  }

  public BackfillService backfills() {
    return new BackfillService(spark, platform);
  }

  public ReproduceService reproduce() {
    return new ReproduceService(spark, platform);
  }

  /** Maintenance that tags each online sync cursor snapshot before expiring snapshots. */
  public MaintenanceService maintenance() {
    return new MaintenanceService(spark, platform, SyncCursorSource.of(platform.catalogDatabase()));
  }

  public io.featurelake.gateway.training.TrainingSetService trainingSets() {
    return new io.featurelake.gateway.training.TrainingSetService(spark, platform);
  }

  public SyncService syncs() {
    return new SyncService(spark, platform);
  }

  public RunExecutor runs() {
    return platform.runs();
  }

  /** Asynchronous sync_online / run_maintenance calls of this gateway. */
  public JobExecutor jobs() {
    return platform.jobs();
  }

  /** Users, roles, grants and the audit log of this gateway ({@code GatewaySecurity}'s, installed at start). */
  public io.featurelake.sqlcatalog.security.AccessControl access() {
    return io.featurelake.gateway.security.GatewaySecurity.access();
  }

  /** Adds users and changes their role or state, with this gateway's password hashing. */
  public io.featurelake.sqlcatalog.security.UserAdministration userAdministration() {
    return new io.featurelake.sqlcatalog.security.UserAdministration(access().users(),
        new io.featurelake.sqlcatalog.security.PasswordHasher());
  }

  /** The calling session's authenticated principal (its name and role). */
  public io.featurelake.sqlcatalog.security.Principal principal() {
    return io.featurelake.gateway.security.GatewaySecurity.principal();
  }

  /** The JDBC session's user (set by the Thrift server for the calling thread), else the OS user. */
  public String user() {
    String user = CurrentUserContext$.MODULE$.CURRENT_USER().get();
    return user == null || user.isBlank() ? System.getProperty("user.name", "unknown") : user;
  }

  /** Where a run's progress lines go (the gateway's progress log). */
  public void progress(long runId, String message) {
    PROGRESS.info("run {}: {}", runId, message);
  }
}
