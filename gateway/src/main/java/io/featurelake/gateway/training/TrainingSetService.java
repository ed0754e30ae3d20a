package io.featurelake.gateway.training;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.featurelake.gateway.lake.FeatureTables;
import io.featurelake.gateway.lake.FeatureViewCatalog;
import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.session.Platform;
import io.featurelake.sqlcatalog.features.FeatureViewDefinition;
import io.featurelake.sqlcatalog.training.TrainingSetManifest;
import io.featurelake.sqlcatalog.training.TrainingSetManifest.PinnedSnapshot;
import io.featurelake.sqlcatalog.training.TrainingSetManifest.RunUsage;
import io.featurelake.sqlcatalog.training.TrainingSetManifest.ViewInput;
import io.featurelake.sqlcatalog.training.TrainingSetRepository;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * Builds point-in-time-correct training sets into {@code lake.training.<name>}, records their
 * manifest in the catalog database, rebuilds them from it and compares. Every snapshot a
 * manifest reads is kept by a tag (a run tag when one already marks it, else
 * {@code training_<name>_<snapshot>}), which maintenance never expires.
 */
public final class TrainingSetService {

  /** Prefix of the tags that keep a training set's input snapshots from expiry. */
  public static final String TAG_PREFIX = "training_";
  private static final String LABEL_US = "__label_us";
  private static final String RUN_PREFIX = "__run_";

  private final SparkSession spark;
  private final TrainingSetRepository manifests;
  private final FeatureViewCatalog views;
  private final FeatureTables tables;

  public TrainingSetService(SparkSession spark, Platform platform) {
    this.spark = spark;
    this.manifests = new TrainingSetRepository(platform.catalogDatabase());
    this.views = new FeatureViewCatalog(platform.config().featuresDir(), platform.catalogDatabase());
    this.tables = new FeatureTables(spark);
  }

  /** Checks everything first (nothing is written for bad input), then joins, writes and records. */
  public TrainingSetManifest build(TrainingSetRequest request) {
    long t0 = System.nanoTime();
    if (manifests.exists(request.name()) || spark.catalog().tableExists(request.tableName())) {
      throw PlatformException.invalidState("Training set '%s' already exists (%s); choose another name",
          request.name(), request.tableName());
    }
    Spine spine = Spine.resolve(spark, request.spine());
    String label = spine.column(request.labelTimeColumn());
    if (label == null) {
      throw PlatformException.invalidArgument("Spine %s has no label time column '%s'; its columns: %s",
          spine.description(), request.labelTimeColumn(), spine.columns());
    }
    String labelType = spine.rows().schema().apply(label).dataType().typeName();
    if (!labelType.equals("date") && !labelType.startsWith("timestamp")) {
      throw PlatformException.invalidArgument("Spine %s: label time column '%s' must be TIMESTAMP or DATE, it is %s",
          spine.description(), label, labelType.toUpperCase(java.util.Locale.ROOT));
    }
    List<JoinedView> joined = resolveViews(request, spine);
    Computed computed = compute(spine, label, joined, request.mode(), null);
    if (computed.nullLabels > 0) {
      throw PlatformException.invalidArgument("Spine %s has %d row(s) with a NULL label time in column '%s'; drop or fill "
          + "them first", spine.description(), computed.nullLabels, label);
    }

    List<String> hidden = hiddenColumns(joined.size());
    Dataset<Row> result = computed.rows.persist(StorageLevel.MEMORY_AND_DISK());
    List<String> createdTags = new ArrayList<>();
    boolean written = false;
    try {
      spark.sql("CREATE NAMESPACE IF NOT EXISTS lake." + TrainingSetRequest.NAMESPACE);
      try {
        result.drop(hidden.toArray(new String[0])).writeTo(request.tableName()).using("iceberg")
            .tableProperty("featurelake.training-set", request.name()).create();
      } catch (org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException raced) {
        throw PlatformException.invalidState("Training set '%s' already exists (%s); choose another name",
            request.name(), request.tableName());
      }
      written = true;
      Table output = icebergTable(spark, request.tableName());
      long outputRows = output.currentSnapshot() == null ? 0
          : Long.parseLong(output.currentSnapshot().summary().getOrDefault("total-records", "0"));
      List<ViewInput> inputs = new ArrayList<>();
      for (int i = 0; i < joined.size(); i++) {
        JoinedView v = joined.get(i);
        List<PinnedSnapshot> pins = pin(tables.load(v.name()), computed.pins.get(i), request.name(), createdTags);
        List<RunUsage> runs = new ArrayList<>();
        long matched = 0;
        for (Row r : result.where(col(v.eventTimeOutput()).isNotNull()).groupBy(RUN_PREFIX + i).count().collectAsList()) {
          matched += r.getLong(1);
          if (!r.isNullAt(0)) {
            runs.add(new RunUsage(r.getLong(0), r.getLong(1)));
          }
        }
        runs.sort(java.util.Comparator.comparingLong(RunUsage::runId));
        inputs.add(new ViewInput(v.name(), v.tableName(), v.definitionSha256(), v.definitionCommit(), v.entityColumns(),
            v.spineColumns(), v.eventTimeColumn(), v.features(), v.ttlSeconds(), matched, pins, runs));
      }
      if (spine.iceberg() != null && spine.snapshotId() != null) {
        tag(spine.iceberg(), TAG_PREFIX + request.name(), spine.snapshotId(), createdTags);
      }
      TrainingSetManifest manifest = new TrainingSetManifest(request.name(), request.tableName(), request.mode().sqlName(),
          request.spine(), spine.table(), spine.snapshotId(), label, request.featuresText(), request.entityMappingText(),
          computed.minLabelUs == null ? null : Math.floorDiv(computed.minLabelUs, 1000),
          computed.maxLabelUs == null ? null : Math.floorDiv(computed.maxLabelUs, 1000), computed.spineRows, outputRows,
          output.currentSnapshot() == null ? null : output.currentSnapshot().snapshotId(),
          joined.isEmpty() ? null : joined.get(0).definitionCommit(), request.user(), OffsetDateTime.now(ZoneOffset.UTC),
          (System.nanoTime() - t0) / 1_000_000, inputs);
      manifests.save(manifest);
      return manifest;
    } catch (RuntimeException e) {
      undo(request, written, createdTags);
      throw e;
    } finally {
      result.unpersist();
    }
  }

  /** Recomputes the set from its manifest alone and compares it with the stored table. */
  public RebuildResult rebuild(String name) {
    TrainingSetManifest m = describe(name);
    List<JoinedView> joined = new ArrayList<>();
    List<List<PinnedSnapshot>> pins = new ArrayList<>();
    for (ViewInput v : m.views()) {
      Table table = tables.load(v.featureView());
      for (PinnedSnapshot pin : v.snapshots()) {
        if (table.snapshot(pin.snapshotId()) == null) {
          throw PlatformException.invalidState("Training set %s can no longer be rebuilt: snapshot %d of %s (pinned by "
              + "tag %s) was expired", name, pin.snapshotId(), v.tableName(), pin.pinRef());
        }
      }
      joined.add(new JoinedView(v.featureView(), v.tableName(), v.entityColumns(), v.spineColumns(), v.eventTimeColumn(),
          v.features(), v.ttlSeconds(), v.definitionSha256(), v.definitionCommit()));
      pins.add(v.snapshots());
    }
    Spine spine;
    try {
      spine = Spine.pinned(spark, m.spine(), m.spineTable(), m.spineSnapshotId());
    } catch (PlatformException e) {
      throw PlatformException.invalidState("Training set %s can no longer be rebuilt: %s", name, e.getMessage());
    }
    Computed computed = compute(spine, m.labelTimeColumn(), joined, TrainingMode.parse(m.mode()), pins);
    Dataset<Row> rebuilt = computed.rows.drop(hiddenColumns(joined.size()).toArray(new String[0]))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> stored = spark.sql("SELECT * FROM " + m.tableName()
          + (m.outputSnapshotId() == null ? "" : " VERSION AS OF " + m.outputSnapshotId()));
      long rebuiltRows = rebuilt.count();
      long missing = stored.exceptAll(rebuilt).count();
      long extra = rebuilt.exceptAll(stored).count();
      boolean same = missing == 0 && extra == 0;
      String detail = same ? "every row rebuilt from the manifest equals the stored one"
          : missing + " stored row(s) not rebuilt, " + extra + " rebuilt row(s) not stored"
              + (m.spineTable() == null ? " (the spine is a query: its inputs may have changed)" : "");
      return new RebuildResult(name, same ? RebuildResult.Verdict.IDENTICAL : RebuildResult.Verdict.DIFFERS, m.outputRows(),
          rebuiltRows, missing, extra, detail);
    } finally {
      rebuilt.unpersist();
    }
  }

  public List<TrainingSetManifest> list() {
    return manifests.list();
  }

  public TrainingSetManifest describe(String name) {
    return manifests.find(name).orElseThrow(() -> PlatformException.notFound(
        "Unknown training set '%s'; list them with CALL lake.platform.list_training_sets()", name));
  }

  /** The views of the request, their features and the spine columns of their entities, all checked. */
  private List<JoinedView> resolveViews(TrainingSetRequest request, Spine spine) {
    List<JoinedView> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : request.features().entrySet()) {
      String name = e.getKey();
      if (!views.names().contains(name)) {
        throw new PlatformException(ErrorCode.NOT_FOUND, "Unknown feature view '" + name + "' in features; defined: "
            + String.join(", ", views.names()));
      }
      FeatureViewDefinition view = views.load(name);
      if (!tables.exists(name)) {
        throw PlatformException.invalidState("Feature view %s has no table yet; backfill and publish it first", name);
      }
      List<String> available = new ArrayList<>();
      for (org.apache.iceberg.types.Types.NestedField f : tables.load(name).schema().columns()) {
        if (!view.entities().contains(f.name()) && !f.name().equals(view.eventTimestamp())) {
          available.add(f.name());
        }
      }
      List<String> features = e.getValue().contains("*") ? available : e.getValue();
      for (String f : features) {
        if (!available.contains(f)) {
          throw new PlatformException(ErrorCode.NOT_FOUND, "Unknown feature '" + f + "' of feature view " + name
              + "; its features: " + String.join(", ", available));
        }
      }
      List<String> spineColumns = new ArrayList<>();
      for (String entity : view.entities()) {
        String column = spine.column(request.spineColumnFor(name, entity));
        if (column == null) {
          throw PlatformException.invalidArgument("Spine %s has no column '%s' for entity %s of feature view %s; its "
              + "columns: %s (map another with entity_mapping => '%s=<spine column>')", spine.description(),
              request.spineColumnFor(name, entity), entity, name, spine.columns(), entity);
        }
        spineColumns.add(column);
      }
      JoinedView joined = new JoinedView(name, FeatureTables.tableName(name), view.entities(), spineColumns,
          view.eventTimestamp(), features, view.onlineTtl() == null ? null : view.onlineTtl().toSeconds(), view.sha256(),
          view.gitCommit());
      for (String f : features) {
        if (spine.column(joined.outputColumn(f)) != null) {
          throw PlatformException.invalidArgument("Spine %s already has a column %s; rename it", spine.description(),
              joined.outputColumn(f));
        }
      }
      out.add(joined);
    }
    return out;
  }

  private record Computed(Dataset<Row> rows, List<List<PinnedSnapshot>> pins, long spineRows, long nullLabels,
      Long minLabelUs, Long maxLabelUs) {}

  /** The lazy join of the spine with every view; pins are computed from main's history unless given. */
  private Computed compute(Spine spine, String label, List<JoinedView> joined, TrainingMode mode,
      List<List<PinnedSnapshot>> givenPins) {
    Dataset<Row> rows = spine.rows().withColumn(LABEL_US, functions.unix_micros(col(label).cast(DataTypes.TimestampType)));
    Row stats = rows.agg(functions.count(lit(1)), functions.count_if(col(label).isNull()),
        functions.min(LABEL_US), functions.max(LABEL_US)).first();
    long spineRows = stats.getLong(0);
    long nullLabels = stats.getLong(1);
    Long min = stats.isNullAt(2) ? null : stats.getLong(2);
    Long max = stats.isNullAt(3) ? null : stats.getLong(3);
    List<List<PinnedSnapshot>> pins = new ArrayList<>();
    int partitions = Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions"));
    for (int i = 0; i < joined.size(); i++) {
      JoinedView v = joined.get(i);
      Table table = tables.load(v.name());
      List<PinnedSnapshot> viewPins;
      if (givenPins != null) {
        viewPins = givenPins.get(i);
      } else if (min == null || nullLabels > 0) {
        viewPins = List.of();
      } else {
        viewPins = mode == TrainingMode.AS_KNOWN_AT ? FeatureHistory.asKnownAtPins(table, v.tableName(), min, max)
            : FeatureHistory.currentPin(table);
      }
      pins.add(viewPins);
      long low = min == null ? 0 : v.ttlMicros() == null ? Long.MIN_VALUE / 2 : min - v.ttlMicros();
      long high = max == null ? 0 : max;
      Dataset<Row> history = FeatureHistory.read(spark, table, v.tableName(), v, viewPins, low, high);
      rows = AsOfJoin.join(rows, LABEL_US, v, history, RUN_PREFIX + i, partitions);
    }
    return new Computed(rows, pins, spineRows, nullLabels, min, max);
  }

  private static List<String> hiddenColumns(int views) {
    List<String> hidden = new ArrayList<>(List.of(LABEL_US));
    for (int i = 0; i < views; i++) {
      hidden.add(RUN_PREFIX + i);
    }
    return hidden;
  }

  /** Keeps each pinned snapshot: its run tag if it has one, else a tag of this training set. */
  private static List<PinnedSnapshot> pin(Table table, List<PinnedSnapshot> pins, String name, List<String> created) {
    List<PinnedSnapshot> out = new ArrayList<>();
    for (PinnedSnapshot pin : pins) {
      String ref = table.refs().entrySet().stream()
          .filter(r -> r.getValue().isTag() && r.getKey().startsWith("run_") && r.getValue().snapshotId() == pin.snapshotId())
          .map(Map.Entry::getKey).sorted().findFirst()
          .orElseGet(() -> tag(table, TAG_PREFIX + name + "_" + pin.snapshotId(), pin.snapshotId(), created));
      out.add(new PinnedSnapshot(pin.snapshotId(), pin.visibleFromMs(), pin.visibleUntilMs(), ref));
    }
    return out;
  }

  private static String tag(Table table, String tag, long snapshotId, List<String> created) {
    SnapshotRef existing = table.refs().get(tag);
    if (existing == null) {
      table.manageSnapshots().createTag(tag, snapshotId).commit();
      created.add(table.name() + "#" + tag);
    }
    return tag;
  }

  static Table icebergTable(SparkSession spark, String name) {
    try {
      return org.apache.iceberg.spark.Spark3Util.loadIcebergTable(spark, name);
    } catch (org.apache.spark.sql.catalyst.parser.ParseException | org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw PlatformException.notFound("Table %s does not exist", name);
    }
  }

  /** A failed build leaves nothing behind: no table, no tags. */
  private void undo(TrainingSetRequest request, boolean written, List<String> createdTags) {
    try {
      if (written) {
        spark.sql("DROP TABLE IF EXISTS " + request.tableName() + " PURGE");
      }
      for (String t : createdTags) {
        String tableName = t.substring(0, t.indexOf('#'));
        Table table = icebergTable(spark, tableName);
        table.manageSnapshots().removeTag(t.substring(t.indexOf('#') + 1)).commit();
      }
    } catch (Exception cleanup) {
      org.slf4j.LoggerFactory.getLogger(TrainingSetService.class).error("Cleanup after a failed build of {} failed",
          request.name(), cleanup);
    }
  }
}
