package io.featurelake.gateway.maintenance;

import io.featurelake.gateway.cli.ScriptMain;
import io.featurelake.gateway.errors.ConciseErrors;
import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.cli.CliArgs;
import io.featurelake.gateway.session.Platform;
import io.featurelake.sqlcatalog.maintenance.MaintenanceReport;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

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

  /** The request's rules, worded with this script's options (older_than_days is --days here). */
  static final MaintenanceRequest.ArgumentNames SCRIPT_ARGUMENTS = canonical -> switch (canonical) {
    case "older_than_days" -> "--days";
    case "retain_last" -> "--retain-last";
    case "orphan_age_hours" -> "--orphan-age-hours";
    case "target_file_size" -> "--target-file-size";
    case "table" -> "--table";
    default -> canonical;
  };

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
    return MaintenanceRequest.of(SCRIPT_ARGUMENTS, table, days, retainLast, target, sort, dryRun, orphanHours);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    return new ScriptMain<>("maintenance", USAGE, MaintenanceMain::parse).run(args, out, err, (request, job) -> {
      Platform platform = Platform.current();
      try {
        List<MaintenanceReport> reports = new MaintenanceService(job.spark(), platform,
            SyncCursorSource.of(platform.catalogDatabase())).run(request);
        reports.forEach(r -> print(out, r));
        return ScriptMain.OK;
      } catch (PlatformException e) {
        if (e.code() != ErrorCode.INVALID_STATE) {
          throw e;
        }
        // Refused by the table's state (e.g. a run tag that expiry would drop): a failed step, as documented.
        err.println("featurelake: " + ConciseErrors.message(e));
        return ScriptMain.FAILED;
      }
    });
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
