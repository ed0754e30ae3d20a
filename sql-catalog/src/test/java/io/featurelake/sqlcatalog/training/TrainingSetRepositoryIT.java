package io.featurelake.sqlcatalog.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.sqlcatalog.database.CatalogDatabase;
import io.featurelake.sqlcatalog.testing.CatalogDatabases;
import io.featurelake.sqlcatalog.testing.PostgresTestDatabase;
import io.featurelake.sqlcatalog.training.TrainingSetManifest.PinnedSnapshot;
import io.featurelake.sqlcatalog.training.TrainingSetManifest.RunUsage;
import io.featurelake.sqlcatalog.training.TrainingSetManifest.ViewInput;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainingSetRepositoryIT {

  @TempDir static Path dir;
  private PostgresTestDatabase pg;
  private CatalogDatabase h2;
  private CatalogDatabase postgres;

  @BeforeAll
  void openDatabases() throws Exception {
    h2 = CatalogDatabases.embedded(dir);
    pg = PostgresTestDatabase.create("fl_training_it");
    postgres = CatalogDatabases.migrated(pg);
  }

  @AfterAll
  void dropPostgres() throws Exception {
    pg.close();
  }

  List<CatalogDatabase> databases() {
    return List.of(h2, postgres);
  }

  private static TrainingSetManifest manifest(String name) {
    ViewInput users = new ViewInput("user_activity_daily", "lake.features.user_activity_daily", "a".repeat(64), "0123abcd",
        List.of("user_id"), List.of("customer_id"), "event_date", List.of("view_count", "click_count"), 604800L, 37,
        List.of(new PinnedSnapshot(11L, null, 1_700_000_000_000L, "run_1"),
            new PinnedSnapshot(12L, 1_700_000_000_000L, null, "training_" + name + "_12")),
        List.of(new RunUsage(1, 30), new RunUsage(4, 7)));
    ViewInput items = new ViewInput("item_popularity_daily", "lake.features.item_popularity_daily", "b".repeat(64), null,
        List.of("item_id"), List.of("item_id"), "event_date", List.of("view_count"), null, 0, List.of(), List.of());
    return new TrainingSetManifest(name, "lake.training." + name, "as_known_at", "lake.ml.labels", "lake.ml.labels", 99L,
        "label_time", "user_activity_daily.*, item_popularity_daily.view_count", "user_id=customer_id", 1_600_000_000_000L,
        1_650_000_000_000L, 40, 40, 123L, "0123abcd", "alice", OffsetDateTime.of(2026, 12, 1, 10, 0, 0, 0, ZoneOffset.UTC),
        1234, List.of(users, items));
  }

  @ParameterizedTest
  @MethodSource("databases")
  void manifestRoundTripsWithEveryViewPinAndRun(CatalogDatabase db) {
    TrainingSetRepository repository = new TrainingSetRepository(db);
    TrainingSetManifest saved = manifest("churn_" + (db == h2 ? "h2" : "pg"));
    repository.save(saved);

    TrainingSetManifest read = repository.find(saved.name()).orElseThrow();
    assertThat(read.createdAt().toInstant()).isEqualTo(saved.createdAt().toInstant());
    assertThat(read).usingRecursiveComparison().ignoringFields("createdAt").isEqualTo(saved);
    assertThat(repository.usingRun(4)).contains(saved.name());
    assertThat(repository.list()).extracting(TrainingSetManifest::name).contains(saved.name());
    assertThat(repository.exists("nope")).isFalse();
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aSecondManifestOfTheSameNameIsRefusedAndLeavesTheFirst(CatalogDatabase db) {
    TrainingSetRepository repository = new TrainingSetRepository(db);
    String name = "twice_" + (db == h2 ? "h2" : "pg");
    repository.save(manifest(name));
    assertThatThrownBy(() -> repository.save(manifest(name))).hasMessageStartingWith(
        "Cannot store the manifest of training set " + name + ":");
    assertThat(repository.find(name).orElseThrow().views()).hasSize(2);
  }
}
