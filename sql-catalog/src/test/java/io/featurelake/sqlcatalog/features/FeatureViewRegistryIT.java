package io.featurelake.sqlcatalog.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import io.featurelake.sqlcatalog.database.CatalogDatabase;
import io.featurelake.sqlcatalog.testing.PostgresTestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureViewRegistryIT {

  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final Instant T1 = Instant.parse("2024-05-02T11:30:00Z");

  @TempDir Path workDir;

  private final List<FeatureViewDefinition> shipped = new FeatureViewLoader().loadAll(Path.of("features"));

  @Test
  void registersNewUnchangedAndChangedViewsOnEmbeddedH2() throws Exception {
    CatalogDatabase db = CatalogDatabase.fromConfig(FeaturelakeConfig.load(Map.of(), new Properties(), workDir));
    db.migrate();
    registersNewUnchangedAndChangedViews(db);
  }

  @Test
  void registersNewUnchangedAndChangedViewsOnPostgres() throws Exception {
    try (PostgresTestDatabase pg = PostgresTestDatabase.create("fl_registry_it")) {
      CatalogDatabase db = pg.catalogDatabase();
      db.migrate();
      registersNewUnchangedAndChangedViews(db);
    }
  }

  @Test
  void concurrentFirstRegistrationsBothSucceedOnPostgres() throws Exception {
    try (PostgresTestDatabase pg = PostgresTestDatabase.create("fl_registry_race")) {
      CatalogDatabase db = pg.catalogDatabase();
      db.migrate();
      concurrentFirstRegistrationsBothSucceed(db);
    }
  }

  @Test
  void concurrentFirstRegistrationsBothSucceedOnEmbeddedH2() throws Exception {
    CatalogDatabase db = CatalogDatabase.fromConfig(FeaturelakeConfig.load(Map.of(), new Properties(), workDir));
    db.migrate();
    concurrentFirstRegistrationsBothSucceed(db);
  }

  @Test
  void aViewListedTwiceIsRejected() {
    CatalogDatabase db = CatalogDatabase.fromConfig(FeaturelakeConfig.load(Map.of(), new Properties(), workDir));
    db.migrate();
    FeatureViewRegistry registry = new FeatureViewRegistry(db);

    assertThatThrownBy(() -> registry.register(List.of(shipped.get(0), shipped.get(0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Feature view 'item_popularity_daily' is listed twice");
    assertThat(registry.list()).isEmpty();
  }

  private void registersNewUnchangedAndChangedViews(CatalogDatabase db) throws SQLException {
    FeatureViewDefinition users = view("user_activity_daily");
    FeatureViewDefinition items = view("item_popularity_daily");

    // First start-up: both views are new.
    FeatureViewRegistry atT0 = new FeatureViewRegistry(db, Clock.fixed(T0, ZoneOffset.UTC));
    assertThat(atT0.register(shipped)).containsExactly(
        new RegistrationResult("item_popularity_daily", RegistrationResult.Status.NEW, items.sha256()),
        new RegistrationResult("user_activity_daily", RegistrationResult.Status.NEW, users.sha256()));

    // The stored view reads back as the definition that was loaded.
    RegisteredFeatureView stored = atT0.find("user_activity_daily").orElseThrow();
    assertThat(stored.definition()).isEqualTo(users);
    assertThat(stored.definition().render(LocalDate.of(2023, 1, 8), LocalDate.of(2023, 1, 9)))
        .isEqualTo(users.render(LocalDate.of(2023, 1, 8), LocalDate.of(2023, 1, 9)));
    assertThat(stored.registeredAt()).isEqualTo(OffsetDateTime.ofInstant(T0, ZoneOffset.UTC));
    assertThat(stored.updatedAt()).isEqualTo(stored.registeredAt());
    assertThat(atT0.find("nope")).isEmpty();
    assertThat(atT0.list()).extracting(v -> v.definition().name()).containsExactly("item_popularity_daily", "user_activity_daily");
    assertThat(atT0.versions("user_activity_daily")).containsExactly(new FeatureViewVersion("user_activity_daily",
        users.sha256(), users.definitionText(), users.gitCommit(), users.gitDirty(), OffsetDateTime.ofInstant(T0, ZoneOffset.UTC)));

    // Same files again: unchanged, timestamps kept; fresher git metadata is taken.
    FeatureViewRegistry atT1 = new FeatureViewRegistry(db, Clock.fixed(T1, ZoneId.of("Europe/Paris")));
    FeatureViewDefinition committed = withGit(users, "0123456789abcdef0123456789abcdef01234567", false);
    assertThat(atT1.register(List.of(items, committed))).extracting(RegistrationResult::status)
        .containsExactly(RegistrationResult.Status.UNCHANGED, RegistrationResult.Status.UNCHANGED);
    RegisteredFeatureView unchanged = atT1.find("user_activity_daily").orElseThrow();
    assertThat(unchanged.definition().gitCommit()).isEqualTo("0123456789abcdef0123456789abcdef01234567");
    assertThat(unchanged.updatedAt()).isEqualTo(OffsetDateTime.ofInstant(T0, ZoneOffset.UTC));
    assertThat(atT1.versions("user_activity_daily")).hasSize(1);

    // Edited SQL: changed, a second version is kept, the first stays readable.
    FeatureViewDefinition edited = edit(users, users.sql().replace("6 PRECEDING", "6  PRECEDING"));
    assertThat(atT1.register(List.of(edited))).containsExactly(
        new RegistrationResult("user_activity_daily", RegistrationResult.Status.CHANGED, edited.sha256()));
    RegisteredFeatureView changed = atT1.find("user_activity_daily").orElseThrow();
    assertThat(changed.definition()).isEqualTo(edited);
    assertThat(changed.registeredAt()).isEqualTo(OffsetDateTime.ofInstant(T0, ZoneOffset.UTC));
    assertThat(changed.updatedAt()).isEqualTo(OffsetDateTime.ofInstant(T1, ZoneOffset.UTC));
    assertThat(atT1.versions("user_activity_daily"))
        .extracting(FeatureViewVersion::sha256)
        .containsExactly(users.sha256(), edited.sha256());
    assertThat(atT1.version("user_activity_daily", users.sha256()).orElseThrow().definitionText())
        .isEqualTo(users.definitionText());
    assertThat(atT1.version("user_activity_daily", "0".repeat(64))).isEmpty();

    // Reverting to the first text changes the view back without a third version.
    assertThat(atT1.register(List.of(users))).extracting(RegistrationResult::status)
        .containsExactly(RegistrationResult.Status.CHANGED);
    assertThat(atT1.versions("user_activity_daily")).hasSize(2);
    assertThat(count(db, "feature_view_versions")).isEqualTo(3);
    assertThat(count(db, "feature_views")).isEqualTo(2);

    // The denormalized columns are readable from SQL, e.g. by the web UI.
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT entity_columns, sources, lookback_days, online_ttl_seconds, checks, "
             + "definition_sha256 FROM feature_views WHERE name = 'user_activity_daily'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("user_id");
      assertThat(rs.getString(2)).isEqualTo("lake.raw.events");
      assertThat(rs.getInt(3)).isEqualTo(6);
      assertThat(rs.getLong(4)).isEqualTo(Duration.ofDays(7).getSeconds());
      assertThat(rs.getString(5)).isEqualTo(users.checks().toJson()).contains("\"avg_purchase_amount\": 1");
      assertThat(rs.getString(6)).isEqualTo(users.sha256());
    }
  }

  private void concurrentFirstRegistrationsBothSucceed(CatalogDatabase db) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<List<RegistrationResult>>> jobs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        jobs.add(() -> new FeatureViewRegistry(db).register(shipped));
      }
      List<RegistrationResult.Status> statuses = new ArrayList<>();
      for (Future<List<RegistrationResult>> f : pool.invokeAll(jobs)) {
        f.get().forEach(r -> statuses.add(r.status()));
      }
      assertThat(statuses).filteredOn(s -> s == RegistrationResult.Status.NEW).hasSize(2);
      assertThat(statuses).filteredOn(s -> s == RegistrationResult.Status.UNCHANGED).hasSize(6);
      assertThat(count(db, "feature_views")).isEqualTo(2);
      assertThat(count(db, "feature_view_versions")).isEqualTo(2);
    } finally {
      pool.shutdownNow();
    }
  }

  private FeatureViewDefinition view(String name) {
    return shipped.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
  }

  private static FeatureViewDefinition withGit(FeatureViewDefinition d, String commit, boolean dirty) {
    return new FeatureViewDefinition(d.name(), d.description(), d.owner(), d.entities(), d.eventTimestamp(),
        d.sources(), d.lookbackDays(), d.onlineTtl(), d.checks(), d.yaml(), d.sql(), d.sourcePath(), d.sha256(),
        commit, dirty);
  }

  private static FeatureViewDefinition edit(FeatureViewDefinition d, String sql) {
    return new FeatureViewDefinition(d.name(), d.description(), d.owner(), d.entities(), d.eventTimestamp(),
        d.sources(), d.lookbackDays(), d.onlineTtl(), d.checks(), d.yaml(), sql, d.sourcePath(),
        FeatureViewDefinition.sha256Hex(FeatureViewDefinition.definitionText(d.yaml(), sql)), d.gitCommit(), true);
  }

  private static int count(CatalogDatabase db, String table) throws SQLException {
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
