package io.featurelake.gateway.maintenance;

import io.featurelake.gateway.errors.ConciseErrors;
import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.server.CliArgs;
import io.featurelake.gateway.server.LogSetup;
import io.featurelake.gateway.session.LakeSessions;
import io.featurelake.gateway.session.Platform;
import io.featurelake.sqlcatalog.config.ConfigException;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import io.featurelake.sqlcatalog.maintenance.MaintenanceReport;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * {@code run_maintenance.sh}: maintenance in-process on the configured lakehouse, one readable
 * report per table. Exit code 0 done, 1 a step failed or was refused by the table's state, 2 bad arguments.
 */
public final class MaintenanceMain {

  static final String USAGE = String.join("\n",
      "usage: ./run_maintenance.sh --days N [options]",
      "  --days N               expire snapshots and remove finished runs' audit branches older than N days",
      "  --table T              one table (item_popularity_daily, lake.raw.events); default: every table of lake.features",
      "  --dry-run              report what would be done; change nothing",
      "  --retain-last N        newest snapshots of each branch always kept (default 1)",
      "  --target-file-size S   compaction target, e.g. 128MB (default), 512KB",
      "  --sort                 compaction sorts rows by the view's entity columns",
      "  --orphan-age-hours H   only files older than H hours are orphan candidates (default and minimum 24)");

  private MaintenanceMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static MaintenanceRequest parse(String[] args) {
    String table = "all";
    Integer days = null;
    int retainLast = MaintenanceRequest.DEFAULT_RETAIN_LAST;
    long target = MaintenanceRequest.DEFAULT_TARGET_FILE_SIZE;
    boolean dryRun = false;
    boolean sort = false;
    int orphanHours = (int) MaintenanceRequest.MIN_ORPHAN_AGE.toHours();
    CliArgs cli = new CliArgs(args);
    while (cli.next()) {
      switch (cli.flag()) {
        case "--days", "--older-than-days" -> days = cli.intValue();
        case "--table" -> table = cli.value();
        case "--dry-run", "--dry_run" -> dryRun = cli.switchOn();
        case "--retain-last", "--retain_last" -> retainLast = cli.intValue();
        case "--target-file-size", "--target_file_size" -> target = FileSizes.parse(cli.flag(), cli.value());
        case "--sort" -> sort = cli.switchOn();
        case "--orphan-age-hours" -> orphanHours = cli.intValue();
        case "-h", "--help" -> throw new IllegalArgumentException("help");
        default -> throw cli.unknown();
      }
    }
    if (days == null) {
      throw new IllegalArgumentException("--days is required");
    }
    try {
      return MaintenanceRequest.of(table, days, retainLast, target, sort, dryRun, orphanHours);
    } catch (PlatformException e) {
      // Same rule, script vocabulary: older_than_days is --days here.
      throw new IllegalArgumentException(e.getMessage().replace("older_than_days", "--days")
          .replace("retain_last", "--retain-last").replace("orphan_age_hours", "--orphan-age-hours")
          .replace("target_file_size", "--target-file-size"));
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    MaintenanceRequest request;
    FeaturelakeConfig config;
    try {
      request = parse(args);
      config = FeaturelakeConfig.load();
    } catch (IllegalArgumentException | ConfigException e) {
      err.println("featurelake: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    LogSetup.toHome(config, "maintenance");
    SparkSession spark = LakeSessions.create(config);
    try {
      List<MaintenanceReport> reports = new MaintenanceService(spark, Platform.current(), SyncCursorSource.of(Platform.current().catalogDatabase())).run(request);
      reports.forEach(r -> print(out, r));
      return 0;
    } catch (PlatformException e) {
      err.println("featurelake: " + ConciseErrors.message(e));
      return e.code() == ErrorCode.INVALID_PROCEDURE_ARGUMENT || e.code() == ErrorCode.NOT_FOUND ? 2 : 1;
    } catch (RuntimeException e) {
      err.println("featurelake: " + ConciseErrors.message(e) + " (full trace in " + LogSetup.logFile(config, "maintenance") + ")");
      org.slf4j.LoggerFactory.getLogger(MaintenanceMain.class).error("Maintenance failed", e);
      return 1;
    } finally {
      spark.stop();
    }
  }

  static void print(PrintStream out, MaintenanceReport r) {
    out.println((r.dryRun() ? "DRY RUN " : "") + r.tableName() + " (report " + r.reportId() + ", " + r.durationMs() + " ms)");
    out.println(String.format(Locale.ROOT, "  data files   %,d -> %,d (%,d rewritten, %,d added)", r.dataFilesBefore(),
        r.dataFilesAfter(), r.rewrittenFiles(), r.addedFiles()));
    out.println(String.format(Locale.ROOT, "  data bytes   %,d -> %,d", r.dataBytesBefore(), r.dataBytesAfter()));
    out.println(String.format(Locale.ROOT, "  manifests    %,d -> %,d", r.manifestsBefore(), r.manifestsAfter()));
    out.println(String.format(Locale.ROOT, "  snapshots    %,d -> %,d (%,d expired)", r.snapshotsBefore(), r.snapshotsAfter(),
        r.snapshotsExpired()));
    out.println(String.format(Locale.ROOT, "  orphans      %,d files, %,d bytes", r.orphansRemoved(), r.orphanBytes()));
    out.println("  branches     " + (r.branchesRemoved().isEmpty() ? "none" : String.join(", ", r.branchesRemoved())));
    out.println("  " + r.message());
  }
}
