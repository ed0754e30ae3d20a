package io.featurelake.gateway.online;

import io.featurelake.gateway.errors.ConciseErrors;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.cli.CliArgs;
import io.featurelake.gateway.cli.ConsoleClock;
import io.featurelake.gateway.cli.ScriptMain;
import io.featurelake.gateway.session.Platform;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * {@code run_sync.sh}: syncs feature views into Redis in-process on the configured lakehouse,
 * then verifies each one. Exit code 0 when every sync succeeded, 1 when one failed, 2 on bad
 * arguments or an unknown view.
 */
public final class SyncMain {

  static final String USAGE = String.join("\n",
      "usage: ./run_sync.sh [--feature_view v] [--full] [--no-verify] [--sample n]",
      "  --feature_view V   a feature view (repeat or comma-separate; default: every published view)",
      "  --full             write every entity's latest row (still guarded) instead of the changes",
      "  --no-verify        skip the comparison of Redis with main after the sync",
      "  --sample N         verify N random entities instead of all");

  record Options(List<String> views, boolean full, boolean verify, Long sample) {}

  private SyncMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    return new ScriptMain<>("sync", USAGE, SyncMain::parse)
        .banner(config -> stamp() + "starting Spark (" + config.sparkMaster() + "), state in " + config.home() + ", Redis "
            + RedisSettings.fromConfig(config).describe())
        .run(args, out, err, (options, job) -> sync(options, job.spark(), out, err));
  }

  private static int sync(Options options, SparkSession spark, PrintStream out, PrintStream err) {
    int exit = ScriptMain.OK;
    SyncService sync = new SyncService(spark, Platform.current());
    VerifyService verify = new VerifyService(spark, sync);
    List<String> views = options.views();
    if (views.isEmpty()) {
      views = new ArrayList<>();
      for (String v : sync.views().names()) {
        try {
          sync.publishedTable(sync.views().load(v));
          views.add(v);
        } catch (PlatformException notPublished) {
          out.println(stamp() + "skipping " + v + ": " + notPublished.getMessage());
        }
      }
    }
    if (views.isEmpty()) {
      err.println("featurelake: no published feature view to sync; publish a backfill first (./run_backfill.sh)");
      return ScriptMain.USAGE;
    }
    for (String view : views) {
      out.println();
      try {
        SyncResult r = sync.sync(view, options.full(), System.getProperty("user.name", "unknown"),
            line -> out.println(stamp() + line));
        out.println(String.format(Locale.ROOT, "  sync       %d %s: %s", r.syncId(), r.mode(), r.message()));
        out.println(String.format(Locale.ROOT, "  snapshots  %s -> %d", r.fromSnapshotId() == null ? "(none)"
            : r.fromSnapshotId().toString(), r.toSnapshotId()));
        out.println(String.format(Locale.ROOT, "  rows read  %,d%s", r.rowsRead(),
            SyncService.INCREMENTAL.equals(r.mode()) ? " (changelog)" : " (main)"));
        out.println(String.format(Locale.ROOT, "  keys       %,d written through the guard: %,d applied, %,d kept (Redis held a row at least as new)",
            r.keysWritten(), r.keysApplied(), r.keysKeptNewer()));
        if (SyncService.INCREMENTAL.equals(r.mode())) {
          out.println(String.format(Locale.ROOT, "  removed    %,d keys given main's latest row instead of a row removed from main, %,d deleted (no row left)",
              r.keysRetracted(), r.keysDeleted()));
        }
        out.println(String.format(Locale.ROOT, "  time       %.2f s (%,.0f keys/s); cursor -> %d", r.seconds(),
            r.keysPerSecond(), r.toSnapshotId()));
        if (options.verify()) {
          VerifyResult v = verify.verify(view, options.sample());
          out.println(String.format(Locale.ROOT, "  verify     %s%,d checked: %,d matching, %,d missing, %,d stale, %,d extra (%,d keys in Redis) %s",
              v.sampled() ? "sample, " : "", v.checked(), v.matching(), v.missing(), v.stale(), v.extra(), v.redisKeys(),
              v.clean() ? "OK" : "MISMATCH"));
          if (!v.clean()) {
            exit = ScriptMain.FAILED;
          }
        }
      } catch (PlatformException e) {
        err.println(stamp() + "FAILED " + view + ": " + ConciseErrors.message(e));
        exit = Math.max(exit, ScriptMain.exitCode(e));
      }
    }
    return exit;
  }

  static Options parse(String[] args) {
    List<String> views = new ArrayList<>();
    boolean full = false;
    boolean verify = true;
    Long sample = null;
    CliArgs cli = new CliArgs(args);
    while (cli.next()) {
      switch (cli.flag()) {
        case "--feature_view", "--feature-view" -> views.addAll(cli.listValue());
        case "--full" -> full = cli.switchOn();
        case "--no-verify", "--no_verify" -> verify = !cli.switchOn();
        case "--sample" -> {
          sample = cli.longValue();
          if (sample < 1) {
            throw new IllegalArgumentException("--sample must be at least 1, got " + sample);
          }
        }
        case "-h", "--help" -> throw new IllegalArgumentException("help");
        default -> throw cli.unknown();
      }
    }
    return new Options(views, full, verify, sample);
  }

  private static String stamp() {
    return ConsoleClock.stamp();
  }
}
