package io.featurelake.gateway.procedures;

import io.featurelake.gateway.backfill.BackfillService;
import io.featurelake.gateway.session.Platform;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.CurrentUserContext$;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What procedures share: the services of this JVM, the calling user, a progress log. */
final class ProcedureContext {

  private static final Logger LOG = LoggerFactory.getLogger("io.featurelake.gateway.progress");

  private ProcedureContext() {}

  static BackfillService backfills() {
    return new BackfillService(SparkSession.active(), Platform.current());
  }

  static io.featurelake.sqlcatalog.lineage.LineageService lineage() {
    return new io.featurelake.sqlcatalog.lineage.LineageService(new io.featurelake.gateway.backfill.FeatureTables(SparkSession.active()).lakeTables(), Platform.current().catalogDatabase());
  }

  static io.featurelake.gateway.lineage.ReproduceService reproduce() {
    return new io.featurelake.gateway.lineage.ReproduceService(SparkSession.active(), Platform.current());
  }

  /** Maintenance that tags each online sync cursor snapshot before expiring snapshots. */
  static io.featurelake.gateway.maintenance.MaintenanceService maintenance() {
    return new io.featurelake.gateway.maintenance.MaintenanceService(SparkSession.active(), Platform.current(),
        io.featurelake.gateway.maintenance.SyncCursorSource.of(Platform.current().catalogDatabase()));
  }

  /** The JDBC session's user (set by the Thrift server), else the OS user. */
  static String user() {
    String user = CurrentUserContext$.MODULE$.CURRENT_USER().get();
    return user == null || user.isBlank() ? System.getProperty("user.name", "unknown") : user;
  }

  static void progress(long runId, String message) {
    LOG.info("run {}: {}", runId, message);
  }
}
