package io.featurelake.webui.bench;

import io.featurelake.sqlcatalog.audit.AuditCheck;
import io.featurelake.sqlcatalog.audit.AuditMetric;
import io.featurelake.sqlcatalog.audit.AuditReport;
import io.featurelake.sqlcatalog.audit.AuditReportRepository;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import io.featurelake.sqlcatalog.core.PlatformCore;
import io.featurelake.sqlcatalog.features.FeatureViewDefinition;
import io.featurelake.sqlcatalog.features.FeatureViewLoader;
import io.featurelake.sqlcatalog.features.FeatureViewRegistry;
import io.featurelake.sqlcatalog.lake.LakeNames;
import io.featurelake.sqlcatalog.lake.Lineage;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.NewRun;
import io.featurelake.sqlcatalog.runs.RunRepository;
import io.featurelake.sqlcatalog.runs.RunState;
import io.featurelake.sqlcatalog.runs.RunUpdate;
import io.featurelake.webui.WebUiApplication;
import io.featurelake.webui.testing.Browser;
import jakarta.servlet.Filter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.types.Types;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Server time to render the overview, a run page and a table history with {@code runs} runs and
 * {@code snapshots} snapshots in the catalog, and the UI JVM's resident memory. The catalog and
 * the Iceberg metadata are real (H2 + Iceberg's JDBC catalog); the data files the snapshots name
 * are metadata only, since no page reads rows. Server time is the sum of the HTTP requests the
 * page's load makes (bootstrap and UIDL), measured by a servlet filter; the browser's own
 * rendering is not counted. Usage (after ./mvnw -pl web-ui -am package -DskipTests):
 * {@code java -cp <web-ui test class path> io.featurelake.webui.bench.UiRenderBenchmark 1000 1000 5}
 */
public final class UiRenderBenchmark {

  private UiRenderBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int snapshots = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Path home = Files.createTempDirectory("fl-ui-bench");
    System.setProperty("featurelake.home", home.toString());
    System.setProperty("featurelake.gateway.port", "1");
    FeaturelakeConfig config = FeaturelakeConfig.load(System.getenv(), System.getProperties(), Path.of("").toAbsolutePath());
    long t0 = System.nanoTime();
    long lastRun;
    String view = "user_activity_daily";
    try (PlatformCore core = PlatformCore.open(config)) {
      List<FeatureViewDefinition> defs = new FeatureViewLoader().loadAll(Path.of("..", "sql-catalog", "features"));
      new FeatureViewRegistry(core.database()).register(defs);
      FeatureViewDefinition def = defs.stream().filter(d -> d.name().equals(view)).findFirst().orElseThrow();
      List<Long> ids = seedSnapshots(core, view, snapshots);
      lastRun = seedRuns(core, def, runs, ids);
    }
    System.out.printf(Locale.ROOT, "seeded %d runs and %d snapshots in %.1f s (home %s)%n", runs, snapshots,
        (System.nanoTime() - t0) / 1e9, home);

    RequestTimer timer = new RequestTimer();
    SpringApplication app = new SpringApplication(WebUiApplication.class);
    app.addInitializers(ctx -> ctx.getBeanFactory().registerSingleton("benchmarkRequestTimer", (Filter) timer));
    ConfigurableApplicationContext ui = app.run("--server.port=0");
    int port = ((WebServerApplicationContext) ui).getWebServer().getPort();
    long rssStart = rssKb();
    Map<String, String> pages = new java.util.LinkedHashMap<>();
    pages.put("overview", "");
    pages.put("run page (" + runs + " runs, report with 40 checks)", "runs/" + lastRun);
    pages.put("table history (" + snapshots + " snapshots)", "views/" + view + "/history");
    pages.put("runs list", "runs");
    List<String[]> table = new ArrayList<>();
    try (Browser browser = new Browser("http://127.0.0.1:" + port + "/")) {
      String[] waitFor = {"Feature views", "Audit report", "Snapshots", "Runs"};
      int i = 0;
      for (Map.Entry<String, String> page : pages.entrySet()) {
        List<Long> ms = new ArrayList<>();
        for (int r = 0; r <= rounds; r++) {
          timer.reset();
          browser.open(page.getValue());
          browser.waitForText(waitFor[i], java.time.Duration.ofSeconds(120));
          browser.waitForVaadin();
          if (r > 0) { // the first load warms the JIT and the caches; it is reported apart
            ms.add(timer.totalMillis());
          } else {
            table.add(new String[] {page.getKey() + ", first load", String.valueOf(timer.totalMillis()), ""});
          }
        }
        Collections.sort(ms);
        table.add(new String[] {page.getKey(), String.valueOf(ms.get(ms.size() / 2)), String.valueOf(ms.get(ms.size() - 1))});
        i++;
      }
    }
    long rssAfter = rssKb();
    ui.close();
    System.out.printf(Locale.ROOT, "%n| Page | Server ms (median of %d) | max |%n|---|---:|---:|%n", rounds);
    for (String[] row : table) {
      System.out.printf(Locale.ROOT, "| %s | %s | %s |%n", row[0], row[1], row[2]);
    }
    System.out.printf(Locale.ROOT, "%nUI JVM resident memory: %d MB after start, %d MB after the walk (heap max %d MB)%n",
        rssStart / 1024, rssAfter / 1024, Runtime.getRuntime().maxMemory() / (1024 * 1024));
    System.exit(0);
  }

  /** A day-partitioned feature table with {@code n} snapshots on main, each a publish of one day's file. */
  private static List<Long> seedSnapshots(PlatformCore core, String view, int n) {
    Schema schema = new Schema(Types.NestedField.required(1, "user_id", Types.LongType.get()),
        Types.NestedField.required(2, "event_date", Types.DateType.get()),
        Types.NestedField.optional(3, "event_count", Types.LongType.get()));
    PartitionSpec spec = PartitionSpec.builderFor(schema).day("event_date").build();
    if (core.tables().catalog() instanceof SupportsNamespaces ns && !ns.namespaceExists(Namespace.of(LakeNames.FEATURES_NAMESPACE))) {
      ns.createNamespace(Namespace.of(LakeNames.FEATURES_NAMESPACE));
    }
    Table table = core.tables().catalog().createTable(LakeNames.featureTableName(view).identifier(), schema, spec,
        Map.of("format-version", "2"));
    List<Long> ids = new ArrayList<>();
    LocalDate first = LocalDate.of(2023, 1, 1);
    for (int i = 0; i < n; i++) {
      LocalDate day = first.plusDays(i % 365);
      DataFile file = DataFiles.builder(spec).withPath(table.location() + "/data/event_date_day=" + day + "/f" + i + ".parquet")
          .withFormat(FileFormat.PARQUET).withPartitionPath("event_date_day=" + day).withRecordCount(14_000).withFileSizeInBytes(400_000)
          .build();
      AppendFiles append = table.newAppend().appendFile(file);
      append.set(Lineage.RUN_ID, String.valueOf(i + 1));
      append.set(Lineage.FEATURE_VIEW, view);
      append.set(Lineage.WINDOW, "[" + day + "," + day.plusDays(1) + ")");
      append.commit();
      ids.add(table.currentSnapshot().snapshotId());
      if (i % 10 == 9) {
        table.manageSnapshots().createTag(LakeNames.runTag(i + 1), table.currentSnapshot().snapshotId()).commit();
      }
    }
    return ids;
  }

  private static long seedRuns(PlatformCore core, FeatureViewDefinition def, int n, List<Long> snapshots) {
    RunRepository repo = new RunRepository(core.database());
    AuditReportRepository reports = new AuditReportRepository(core.database());
    long last = 0;
    for (int i = 0; i < n; i++) {
      LocalDate day = LocalDate.of(2023, 1, 1).plusDays(i % 365);
      BackfillRun run = repo.create(new NewRun(def.name(), def.tableName(), day, day.plusDays(1), def.sha256(), def.gitCommit(),
          false, Map.of("lake.raw.events", 1000L + i), true, "bench", "script", "bench-host", 1));
      long id = run.runId();
      repo.transition(id, RunState.COMPUTING, RunUpdate.none().baseSnapshotId(snapshots.get(Math.max(0, i - 1) % snapshots.size())), "cut");
      repo.transition(id, RunState.AUDITING, RunUpdate.none().writtenSnapshotId(snapshots.get(i % snapshots.size())).rowCount(14_000L), "wrote");
      AuditReport report = reports.save(report(id, def, snapshots.get(i % snapshots.size()), i == n - 1));
      repo.transition(id, RunState.PASSED, RunUpdate.none().reportId(report.reportId()), "passed");
      repo.transition(id, RunState.PUBLISHED, RunUpdate.none().publishedSnapshotId(snapshots.get(i % snapshots.size())), "published");
      last = id;
    }
    return last;
  }

  /** Checks and metrics of the size a real report of user_activity_daily has (about 40 checks, 13 columns). */
  private static AuditReport report(long runId, FeatureViewDefinition def, long snapshot, boolean full) {
    List<AuditCheck> checks = new ArrayList<>();
    List<AuditMetric> metrics = new ArrayList<>();
    String[] columns = {"event_count", "view_count", "click_count", "add_to_cart_count", "purchase_count", "distinct_items",
        "distinct_sessions", "purchase_amount_sum", "avg_purchase_amount", "purchase_amount_sum_7d", "purchase_count_7d"};
    checks.add(new AuditCheck("row_count", null, 14_000.0, 1.0, true, "14000 rows >= minimum 1"));
    for (String c : columns) {
      checks.add(new AuditCheck("null_rate", c, 0.0, 0.05, true, "0.0% NULL <= 5.0% allowed"));
      checks.add(new AuditCheck("psi", c, 0.01, 0.25, true, "PSI 0.010 <= 0.250 allowed over 10 quantile bins"));
      if (full) {
        for (String side : List.of("run", "baseline")) {
          for (int b = 0; b < 10; b++) {
            metrics.add(new AuditMetric(side, c, String.format(Locale.ROOT, "bin_share:%02d (%d, %d]", b, b * 10, b * 10 + 10), 0.1));
          }
          for (String p : List.of("p01", "p05", "p25", "p50", "p75", "p95", "p99")) {
            metrics.add(new AuditMetric(side, c, p, 1.0 + p.hashCode() % 7));
          }
        }
      }
    }
    return new AuditReport(0, runId, def.tableName(), snapshot, "same_window", snapshot, LocalDate.of(2023, 1, 1),
        LocalDate.of(2023, 1, 2), 14_000, 14_000L, true, 0, OffsetDateTime.now(ZoneOffset.UTC), 120, checks, metrics, null, null);
  }

  private static long rssKb() throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }

  /** Sums the server time of the requests since the last reset. */
  static final class RequestTimer implements Filter {
    private final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();

    void reset() {
      nanos.set(0);
    }

    long totalMillis() {
      return nanos.get() / 1_000_000;
    }

    @Override
    public void doFilter(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse res, jakarta.servlet.FilterChain chain)
        throws java.io.IOException, jakarta.servlet.ServletException {
      long t = System.nanoTime();
      try {
        chain.doFilter(req, res);
      } finally {
        nanos.addAndGet(System.nanoTime() - t);
      }
    }
  }
}
