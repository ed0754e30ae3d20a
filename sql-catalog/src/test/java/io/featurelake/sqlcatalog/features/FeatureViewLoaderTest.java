package io.featurelake.sqlcatalog.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureViewLoaderTest {

  private static final String YAML = String.join("\n",
      "name: clicks_daily",
      "owner: team@example.com",
      "entities: [user_id]",
      "event_timestamp: event_date",
      "sources: [lake.raw.events]",
      "");
  private static final String SQL = String.join("\n",
      "SELECT user_id, date(event_ts) AS event_date, count(*) AS clicks",
      "FROM lake.raw.events",
      "WHERE event_ts >= TIMESTAMP '${start_date} 00:00:00' AND event_ts < TIMESTAMP '${end_date} 00:00:00'",
      "GROUP BY user_id, date(event_ts)",
      "");

  /** The shipped definitions, relative to the module directory the tests run in. */
  private static final Path SHIPPED = Path.of("features");

  @TempDir Path dir;

  private final FeatureViewLoader loader = new FeatureViewLoader();

  // ---- stored definition text (reproducing a run)

  @Test
  void storedDefinitionTextRebuildsTheSameDefinition() {
    FeatureViewDefinition shipped = loader.load(SHIPPED.resolve("user_activity_daily.yaml"));

    FeatureViewDefinition rebuilt = FeatureViewLoader.fromDefinitionText(shipped.definitionText(),
        "feature_view_versions[user_activity_daily]", "abc123", true);

    assertThat(rebuilt.sha256()).isEqualTo(shipped.sha256());
    assertThat(rebuilt.render(LocalDate.of(2023, 1, 2), LocalDate.of(2023, 1, 4)))
        .isEqualTo(shipped.render(LocalDate.of(2023, 1, 2), LocalDate.of(2023, 1, 4)));
    assertThat(rebuilt.lookbackDays()).isEqualTo(6);
    assertThat(rebuilt.gitCommit()).isEqualTo("abc123");
    assertThat(rebuilt.sourcePath()).isEqualTo("feature_view_versions[user_activity_daily]");
  }

  @Test
  void storedDefinitionTextWithoutSqlIsRefused() {
    assertThatThrownBy(() -> FeatureViewLoader.fromDefinitionText(YAML, "stored", null, false))
        .isInstanceOf(FeatureViewDefinitionException.class)
        .hasMessage("stored: stored definition text has no SQL part");
  }

  // ---- shipped definitions

  @Test
  void shippedDefinitionsLoadSortedByName() {
    List<FeatureViewDefinition> views = loader.loadAll(SHIPPED);

    assertThat(views).extracting(FeatureViewDefinition::name).containsExactly("item_popularity_daily", "user_activity_daily");

    FeatureViewDefinition users = views.get(1);
    assertThat(users.entities()).containsExactly("user_id");
    assertThat(users.eventTimestamp()).isEqualTo("event_date");
    assertThat(users.sources()).containsExactly("lake.raw.events");
    assertThat(users.lookbackDays()).isEqualTo(6);
    assertThat(users.onlineTtl()).isEqualTo(Duration.ofDays(7));
    assertThat(users.owner()).isEqualTo("ml-platform@example.com");
    assertThat(users.checks().maxNullRate("avg_purchase_amount")).isEqualTo(1.0);
    assertThat(users.checks().maxNullRate("event_count")).isEqualTo(0.05);
    assertThat(users.checks().maxPsi()).isEqualTo(0.25);
    // The tests run inside the project's git work tree.
    assertThat(users.sourcePath()).isEqualTo("sql-catalog/features/user_activity_daily.yaml");
    assertThat(users.render(LocalDate.of(2023, 1, 8), LocalDate.of(2023, 1, 9)))
        .contains("TIMESTAMP '2023-01-02 00:00:00'", "TIMESTAMP '2023-01-09 00:00:00'", "DATE '2023-01-08'")
        .doesNotContain("${");

    FeatureViewDefinition items = views.get(0);
    assertThat(items.entities()).containsExactly("item_id");
    assertThat(items.lookbackDays()).isZero();
    assertThat(items.onlineTtl()).isEqualTo(Duration.ofDays(2));
    assertThat(items.checks().psiColumns()).contains("conversion_rate");
  }

  @Test
  void shippedSha256IsOverTheFileBytes() throws Exception {
    FeatureViewDefinition view = loader.load(SHIPPED.resolve("user_activity_daily.yaml"));

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(Files.readAllBytes(SHIPPED.resolve("user_activity_daily.yaml")));
    bytes.write("\n--- sql ---\n".getBytes(StandardCharsets.UTF_8));
    bytes.write(Files.readAllBytes(SHIPPED.resolve("user_activity_daily.sql")));
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));

    assertThat(view.sha256()).isEqualTo(expected);
    assertThat(view.definitionText().getBytes(StandardCharsets.UTF_8)).isEqualTo(bytes.toByteArray());
  }

  // ---- model

  @Test
  void optionalFieldsTakeTheirDefaults() throws IOException {
    FeatureViewDefinition view = loader.load(write("clicks_daily", YAML, SQL));

    assertThat(view.name()).isEqualTo("clicks_daily");
    assertThat(view.description()).isEmpty();
    assertThat(view.lookbackDays()).isZero();
    assertThat(view.onlineTtl()).isEqualTo(Duration.ofDays(7));
    assertThat(view.checks()).isEqualTo(Checks.defaults());
    assertThat(view.checks().minRowCount()).isEqualTo(1);
    assertThat(view.checks().maxNullRate()).isEqualTo(0.05);
    assertThat(view.checks().maxDuplicateKeys()).isZero();
    assertThat(view.checks().maxPsi()).isEqualTo(0.25);
    assertThat(view.checks().maxRowCountChange()).isEqualTo(0.5);
    assertThat(view.checks().psiColumns()).isEmpty();
    assertThat(view.sql()).isEqualTo(SQL);
    assertThat(view.yaml()).isEqualTo(YAML);
    assertThat(view.tableName()).isEqualTo("lake.features.clicks_daily");
  }

  @Test
  void everyFieldIsRead() throws IOException {
    String yaml = String.join("\n",
        "name: clicks_daily",
        "description: Clicks per user and day",
        "owner: team@example.com",
        "entities: [user_id, country]",
        "event_timestamp: event_date",
        "sources: [lake.raw.events, lake.raw.users]",
        "lookback_days: 6",
        "online:",
        "  ttl: 36h",
        "checks:",
        "  min_row_count: 100",
        "  max_null_rate: 0.1",
        "  null_rate_overrides: {clicks: 0.9, country: 0}",
        "  max_duplicate_keys: 3",
        "  max_psi: 0.4",
        "  max_row_count_change: 2",
        "  psi_columns: [clicks]",
        "");
    String sql = SQL.replace("${start_date} 00", "${lookback_start} 00")
        .replace("FROM lake.raw.events", "FROM lake.raw.events JOIN lake.raw.users USING (user_id)")
        .replace("\nGROUP BY user_id", " AND date(event_ts) >= DATE '${start_date}'\nGROUP BY user_id, country");

    FeatureViewDefinition view = loader.load(write("clicks_daily", yaml, sql));

    assertThat(view.description()).isEqualTo("Clicks per user and day");
    assertThat(view.entities()).containsExactly("user_id", "country");
    assertThat(view.sources()).containsExactly("lake.raw.events", "lake.raw.users");
    assertThat(view.lookbackDays()).isEqualTo(6);
    assertThat(view.onlineTtl()).isEqualTo(Duration.ofHours(36));
    Checks checks = view.checks();
    assertThat(checks.minRowCount()).isEqualTo(100);
    assertThat(checks.maxNullRate()).isEqualTo(0.1);
    assertThat(checks.maxNullRate("clicks")).isEqualTo(0.9);
    assertThat(checks.maxNullRate("country")).isEqualTo(0.0);
    assertThat(checks.maxNullRate("other")).isEqualTo(0.1);
    assertThat(checks.maxDuplicateKeys()).isEqualTo(3);
    assertThat(checks.maxPsi()).isEqualTo(0.4);
    assertThat(checks.maxRowCountChange()).isEqualTo(2.0);
    assertThat(checks.psiColumns()).containsExactly("clicks");
    assertThat(Checks.fromJson(checks.toJson())).isEqualTo(checks);
    assertThat(checks.toJson()).isEqualTo("{\"min_row_count\": 100, \"max_null_rate\": 0.1, "
        + "\"null_rate_overrides\": {\"clicks\": 0.9, \"country\": 0}, \"max_duplicate_keys\": 3, \"max_psi\": 0.4, "
        + "\"max_row_count_change\": 2, \"psi_columns\": [\"clicks\"]}");
  }

  @Test
  void psiOverridesAndExpectationsAreReadAndRoundTripThroughJson() throws IOException {
    String yaml = YAML + String.join("\n",
        "checks:",
        "  max_psi: 0.2",
        "  psi_overrides: {clicks: 0.5}",
        "  expectations:",
        "    - name: clicks_non_negative",
        "      sql: clicks >= 0",
        "    - name: few_huge_days",
        "      sql: \"clicks < 10000 OR user_id = 'bot'\"",
        "      max_failure_share: 0.01",
        "");
    Checks checks = loader.load(write("clicks_daily", yaml, SQL)).checks();

    assertThat(checks.maxPsi("clicks")).isEqualTo(0.5);
    assertThat(checks.maxPsi("other")).isEqualTo(0.2);
    assertThat(checks.expectations()).containsExactly(new Expectation("clicks_non_negative", "clicks >= 0", 0.0),
        new Expectation("few_huge_days", "clicks < 10000 OR user_id = 'bot'", 0.01));
    assertThat(Checks.fromJson(checks.toJson())).isEqualTo(checks);
    assertThat(checks.toJson()).endsWith("\"psi_columns\": [], \"psi_overrides\": {\"clicks\": 0.5}, \"expectations\": ["
        + "{\"name\": \"clicks_non_negative\", \"sql\": \"clicks >= 0\", \"max_failure_share\": 0}, "
        + "{\"name\": \"few_huge_days\", \"sql\": \"clicks < 10000 OR user_id = 'bot'\", \"max_failure_share\": 0.01}]}");
  }

  @Test
  void badPsiOverridesAndExpectationsAreNamed() throws IOException {
    assertLoadFails(YAML + "checks:\n  psi_overrides: {clicks: -1}\n", SQL,
        "field 'checks.psi_overrides.clicks' must be a number >= 0, got -1");
    assertLoadFails(YAML + "checks:\n  psi_overrides: {clicks: }\n", SQL,
        "field 'checks.psi_overrides.clicks' must be a number >= 0, got null");
    assertLoadFails(YAML + "checks:\n  expectations: [{name: a, sql: ''}]\n", SQL,
        "field 'checks.expectations[0].sql' must be a non-empty SQL boolean expression, got ''");
    assertLoadFails(YAML + "checks:\n  expectations: [{name: a, sql: x > 0, max_failure_share: 2}]\n", SQL,
        "field 'checks.expectations[0].max_failure_share' must be a number between 0 and 1, got 2");
    assertLoadFails(YAML + "checks:\n  expectations: [{name: a, sql: x > 0}, {name: a, sql: x < 9}]\n", SQL,
        "field 'checks.expectations' names 'a' twice");
    assertLoadFails(YAML + "checks:\n  expectations: [{name: a, expr: x > 0}]\n", SQL,
        "unknown field 'checks.expectations[0].expr'");
  }

  @Test
  void renderReplacesEveryPlaceholderWithAnIsoDate() throws IOException {
    String yaml = YAML + "lookback_days: 6\n";
    String sql = "SELECT user_id, event_date FROM lake.raw.events\n"
        + "WHERE d >= DATE '${lookback_start}' AND d < DATE '${end_date}' AND keep >= DATE '${start_date}'";
    FeatureViewDefinition view = loader.load(write("clicks_daily", yaml, sql));

    assertThat(view.render(LocalDate.of(2023, 3, 2), LocalDate.of(2023, 3, 5)))
        .isEqualTo("SELECT user_id, event_date FROM lake.raw.events\n"
            + "WHERE d >= DATE '2023-02-24' AND d < DATE '2023-03-05' AND keep >= DATE '2023-03-02'");
    assertThat(view.lookbackStart(LocalDate.of(2023, 3, 2))).isEqualTo(LocalDate.of(2023, 2, 24));
  }

  @Test
  void renderRejectsAnEmptyWindow() throws IOException {
    FeatureViewDefinition view = loader.load(write("clicks_daily", YAML, SQL));

    assertThatThrownBy(() -> view.render(LocalDate.of(2023, 1, 5), LocalDate.of(2023, 1, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("start_date must be before end_date, got start_date=2023-01-05, end_date=2023-01-02");
    assertThatThrownBy(() -> view.render(LocalDate.of(2023, 1, 2), LocalDate.of(2023, 1, 2)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void durationsParseAndFormat() {
    assertThat(DurationText.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(DurationText.parse("36h")).isEqualTo(Duration.ofHours(36));
    assertThat(DurationText.parse("90m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(DurationText.parse("3600s")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationText.parse("0s")).isEqualTo(Duration.ZERO);
    for (String bad : new String[] {"7 days", "7", "1w", "-1d", "1.5h", "", "d", "7D"}) {
      assertThatThrownBy(() -> DurationText.parse(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Not a duration like 7d, 36h, 90m or 3600s: " + bad);
    }
    assertThat(DurationText.format(Duration.ofDays(7))).isEqualTo("7d");
    assertThat(DurationText.format(Duration.ofHours(36))).isEqualTo("36h");
    assertThat(DurationText.format(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(DurationText.format(Duration.ofSeconds(61))).isEqualTo("61s");
  }

  @Test
  void sha256IsStableAndFollowsEitherFile() throws IOException {
    Path yaml = write("clicks_daily", YAML, SQL);
    String first = loader.load(yaml).sha256();

    assertThat(first).matches("[0-9a-f]{64}");
    assertThat(loader.load(yaml).sha256()).isEqualTo(first);
    assertThat(new FeatureViewLoader().load(yaml).sha256()).isEqualTo(first);

    Files.writeString(dir.resolve("clicks_daily.sql"), SQL + " ");
    String sqlChanged = loader.load(yaml).sha256();
    Files.writeString(dir.resolve("clicks_daily.sql"), SQL);
    Files.writeString(yaml, YAML + "description: x\n");
    String yamlChanged = loader.load(yaml).sha256();

    assertThat(List.of(sqlChanged, yamlChanged)).doesNotContain(first).doesNotHaveDuplicates();
  }

  // ---- validation errors, with exact messages

  @Test
  void negativeLookbackIsRejected() throws IOException {
    assertLoadFails(YAML + "lookback_days: -3\n", SQL, "field 'lookback_days' must be an integer >= 0, got -3");
    assertLoadFails(YAML + "lookback_days: six\n", SQL, "field 'lookback_days' must be an integer >= 0, got 'six'");
    assertLoadFails(YAML + "lookback_days: 1.5\n", SQL, "field 'lookback_days' must be an integer >= 0, got 1.5");
  }

  @Test
  void missingRequiredFieldsAreNamed() throws IOException {
    assertLoadFails(YAML.replace("entities: [user_id]\n", ""), SQL, "missing required field 'entities'");
    assertLoadFails(YAML.replace("owner: team@example.com\n", ""), SQL, "missing required field 'owner'");
    assertLoadFails(YAML.replace("name: clicks_daily\n", ""), SQL, "missing required field 'name'");
    assertLoadFails(YAML.replace("event_timestamp: event_date\n", "event_timestamp:\n"), SQL,
        "missing required field 'event_timestamp'");
    assertLoadFails(YAML.replace("sources: [lake.raw.events]\n", ""), SQL, "missing required field 'sources'");
  }

  @Test
  void unknownFieldsAreRejectedAtEveryLevel() throws IOException {
    assertLoadFails(YAML.replace("entities:", "entitys:"), SQL, "unknown field 'entitys'");
    assertLoadFails(YAML + "online:\n  tll: 7d\n", SQL, "unknown field 'online.tll'");
    assertLoadFails(YAML + "checks:\n  max_nul_rate: 0.1\n", SQL, "unknown field 'checks.max_nul_rate'");
  }

  @Test
  void fieldTypesAndRangesAreChecked() throws IOException {
    assertLoadFails(YAML.replace("entities: [user_id]", "entities: []"), SQL,
        "field 'entities' must be a non-empty list, got []");
    assertLoadFails(YAML.replace("entities: [user_id]", "entities: user_id"), SQL,
        "field 'entities' must be a non-empty list, got 'user_id'");
    assertLoadFails(YAML.replace("entities: [user_id]", "entities: [user_id, user-id]"), SQL,
        "field 'entities[1]' must be a column name matching [A-Za-z_][A-Za-z0-9_]*, got 'user-id'");
    assertLoadFails(YAML.replace("entities: [user_id]", "entities: [user_id, user_id]"), SQL,
        "field 'entities' lists 'user_id' twice");
    assertLoadFails(YAML.replace("event_timestamp: event_date", "event_timestamp: user_id"), SQL,
        "field 'event_timestamp' must not be one of the entities, got 'user_id'");
    assertLoadFails(YAML.replace("sources: [lake.raw.events]", "sources: [raw.events]"), SQL,
        "field 'sources[0]' must be a fully qualified table name catalog.namespace.table, got 'raw.events'");
    assertLoadFails(YAML.replace("owner: team@example.com", "owner: 42"), SQL, "field 'owner' must be a string, got 42");
    assertLoadFails(YAML + "online:\n  ttl: 7 days\n", SQL,
        "field 'online.ttl' must be a positive duration like 7d, 36h, 90m or 3600s, got '7 days'");
    assertLoadFails(YAML + "online:\n  ttl: 0d\n", SQL,
        "field 'online.ttl' must be a positive duration like 7d, 36h, 90m or 3600s, got '0d'");
    assertLoadFails(YAML + "online: 7d\n", SQL, "field 'online' must be a mapping, got '7d'");
    assertLoadFails(YAML + "checks:\n  max_null_rate: 1.5\n", SQL,
        "field 'checks.max_null_rate' must be a number between 0 and 1, got 1.5");
    assertLoadFails(YAML + "checks:\n  null_rate_overrides: {clicks: yes}\n", SQL,
        "field 'checks.null_rate_overrides.clicks' must be a number between 0 and 1, got true");
    assertLoadFails(YAML + "checks:\n  min_row_count: -1\n", SQL,
        "field 'checks.min_row_count' must be an integer >= 0, got -1");
    assertLoadFails(YAML + "checks:\n  max_psi: -0.1\n", SQL, "field 'checks.max_psi' must be a number >= 0, got -0.1");
    assertLoadFails(YAML + "checks:\n  max_row_count_change: .inf\n", SQL,
        "field 'checks.max_row_count_change' must be a number >= 0, got Infinity");
    assertLoadFails(YAML + "checks:\n  psi_columns: [clicks, 'a b']\n", SQL,
        "field 'checks.psi_columns[1]' must be a column name matching [A-Za-z_][A-Za-z0-9_]*, got 'a b'");
  }

  @Test
  void nameMustBeSnakeCaseAndMatchTheFileName() throws IOException {
    Path yaml = write("user_activity_daily", YAML.replace("name: clicks_daily", "name: foo"), SQL);
    assertThatThrownBy(() -> loader.load(yaml))
        .isInstanceOf(FeatureViewDefinitionException.class)
        .hasMessage(yaml + ": name 'foo' does not match the file name 'user_activity_daily'");

    assertLoadFails(YAML.replace("name: clicks_daily", "name: Clicks"), SQL,
        "field 'name' must be lower snake_case matching [a-z][a-z0-9_]{0,62}, got 'Clicks'");
  }

  @Test
  void missingSqlFileIsReported() throws IOException {
    Path yaml = dir.resolve("user_activity_daily.yaml");
    Files.writeString(yaml, YAML.replace("clicks_daily", "user_activity_daily"));

    assertThatThrownBy(() -> loader.load(yaml))
        .isInstanceOf(FeatureViewDefinitionException.class)
        .hasMessage(yaml + ": the SQL file user_activity_daily.sql is missing");
  }

  @Test
  void sqlTemplateIsChecked() throws IOException {
    assertLoadFails(YAML, SQL + "AND x = '${foo}'", "unknown placeholder ${foo} in clicks_daily.sql");
    assertLoadFails(YAML, SQL.replace("${end_date}", "2023-01-02"),
        "clicks_daily.sql does not use ${end_date}: the SQL must compute only the window [${start_date}, ${end_date})");
    assertLoadFails(YAML + "lookback_days: 6\n", SQL, "lookback_days is 6 but clicks_daily.sql does not use ${lookback_start}");
    assertLoadFails(YAML, "  \n", "clicks_daily.sql is empty");
    assertLoadFails(YAML, "INSERT INTO t " + SQL,
        "clicks_daily.sql must be one SELECT statement (optionally starting with WITH), got 'INSERT'");
    assertLoadFails(YAML, SQL + ";\n",
        "clicks_daily.sql must be a single statement without ';' (the backfill wraps it in a larger query)");
    assertLoadFails(YAML.replace("[user_id]", "[customer_id]"), SQL,
        "clicks_daily.sql does not mention the entity column 'customer_id'");
    assertLoadFails(YAML.replace("event_timestamp: event_date", "event_timestamp: event_day"), SQL,
        "clicks_daily.sql does not mention the event timestamp column 'event_day'");
    assertLoadFails(YAML.replace("[lake.raw.events]", "[lake.raw.events, lake.raw.users]"), SQL,
        "clicks_daily.sql does not read the declared source 'lake.raw.users'");
  }

  @Test
  void commentsAndStringLiteralsAreNotCode() throws IOException {
    // A semicolon or column name inside a comment or a string does not count.
    String sql = "-- leading comment; with a semicolon\n/* block; user_id */\n"
        + SQL.replace("count(*) AS clicks", "count(*) AS clicks, 'a;b' AS s, `event_date` AS e2");
    assertThat(loader.load(write("clicks_daily", YAML, sql)).sql()).isEqualTo(sql);

    assertLoadFails(YAML.replace("event_timestamp: event_date", "event_timestamp: hidden"),
        SQL.replace("count(*)", "'hidden' AS x, count(*)") + "-- hidden\n",
        "clicks_daily.sql does not mention the event timestamp column 'hidden'");
  }

  @Test
  void malformedYamlNamesTheLine() throws IOException {
    assertLoadFails(YAML + "checks:\n  max_psi: [0.1\n", SQL,
        "malformed YAML at line 8, column 1: expected ',' or ']', but got <stream end>");
    assertLoadFails(YAML + "name: again\n", SQL, "malformed YAML at line 6, column 1: found duplicate key name");
    assertLoadFails("", SQL, "the file is empty");
    assertLoadFails("- a\n- b\n", SQL, "the top level must be a mapping, got ['a', 'b']");
    assertLoadFails("name: !!java.io.File /etc\n", SQL,
        "malformed YAML at line 1, column 7: Global tag is not allowed: tag:yaml.org,2002:java.io.File");
  }

  @Test
  void invalidUtf8IsReported() throws IOException {
    Path yaml = write("clicks_daily", YAML, SQL);
    Files.write(dir.resolve("clicks_daily.sql"), new byte[] {'S', (byte) 0xC3, '('});

    assertThatThrownBy(() -> loader.load(yaml))
        .isInstanceOf(FeatureViewDefinitionException.class)
        .hasMessage(yaml + ": clicks_daily.sql is not valid UTF-8");
  }

  @Test
  void loadAllReportsDuplicatesOrphansAndEveryBadFile() throws IOException {
    write("clicks_daily", YAML, SQL);
    Files.createDirectories(dir.resolve("team"));
    Files.writeString(dir.resolve("team/clicks_daily.yaml"), YAML);
    Files.writeString(dir.resolve("team/clicks_daily.sql"), SQL);
    Files.writeString(dir.resolve("orphan.sql"), SQL);
    write("broken", YAML.replace("clicks_daily", "broken") + "lookback_days: -1\n", SQL);

    assertThatThrownBy(() -> loader.loadAll(dir))
        .isInstanceOfSatisfying(FeatureViewDefinitionException.class, e -> assertThat(e.problems()).containsExactly(
            dir.resolve("broken.yaml") + ": field 'lookback_days' must be an integer >= 0, got -1",
            dir.resolve("orphan.sql") + ": no definition file orphan.yaml for this SQL file",
            dir.resolve("team/clicks_daily.yaml") + ": feature view 'clicks_daily' is already defined in "
                + dir.resolve("clicks_daily.yaml")))
        .hasMessageContaining("\n");
  }

  @Test
  void loadAllOfAnEmptyOrMissingDirectory() {
    assertThat(loader.loadAll(dir)).isEmpty();
    assertThatThrownBy(() -> loader.loadAll(dir.resolve("nope")))
        .isInstanceOf(FeatureViewDefinitionException.class)
        .hasMessage(dir.resolve("nope") + ": the features directory does not exist");
  }

  // ---- git metadata

  @Test
  void outsideGitThereIsNoCommitAndThePathIsAbsolute() throws IOException {
    Path yaml = write("clicks_daily", YAML, SQL);

    FeatureViewDefinition view = loader.load(yaml);

    assertThat(view.gitCommit()).isNull();
    assertThat(view.gitDirty()).isFalse();
    assertThat(view.sourcePath()).isEqualTo(yaml.toString());
  }

  @Test
  void insideGitTheCommitAndDirtyFlagFollowBothFiles() throws Exception {
    Path repo = dir.resolve("repo");
    Path features = Files.createDirectories(repo.resolve("features"));
    Files.writeString(features.resolve("clicks_daily.yaml"), YAML);
    Files.writeString(features.resolve("clicks_daily.sql"), SQL);
    git(repo, "init", "-q");

    FeatureViewDefinition untracked = loader.loadAll(features).get(0);
    assertThat(untracked.gitCommit()).isNull();
    assertThat(untracked.gitDirty()).isTrue();
    assertThat(untracked.sourcePath()).isEqualTo("features/clicks_daily.yaml");

    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "first");
    String head = git(repo, "rev-parse", "HEAD").trim();
    FeatureViewDefinition committed = loader.load(features.resolve("clicks_daily.yaml"));
    assertThat(committed.gitCommit()).isEqualTo(head);
    assertThat(committed.gitDirty()).isFalse();

    Files.writeString(features.resolve("clicks_daily.sql"), SQL + "\n");
    FeatureViewDefinition edited = loader.load(features.resolve("clicks_daily.yaml"));
    assertThat(edited.gitCommit()).isEqualTo(head);
    assertThat(edited.gitDirty()).isTrue();

    // A commit that touches only the SQL file is the definition's commit.
    git(repo, "commit", "-q", "-am", "sql only");
    assertThat(loader.load(features.resolve("clicks_daily.yaml")).gitCommit())
        .isEqualTo(git(repo, "rev-parse", "HEAD").trim())
        .isNotEqualTo(head);
  }

  // ---- helpers

  private Path write(String name, String yaml, String sql) throws IOException {
    Path yamlFile = dir.resolve(name + ".yaml");
    Files.writeString(yamlFile, yaml);
    Files.writeString(dir.resolve(name + ".sql"), sql);
    return yamlFile;
  }

  private void assertLoadFails(String yaml, String sql, String problem) throws IOException {
    Path yamlFile = write("clicks_daily", yaml, sql);
    assertThatThrownBy(() -> loader.load(yamlFile))
        .isInstanceOf(FeatureViewDefinitionException.class)
        .hasMessage(yamlFile + ": " + problem);
  }

  private static String git(Path repo, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Test", "-c", "user.email=test@example.com",
        "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", "-C", repo.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    return out;
  }
}
