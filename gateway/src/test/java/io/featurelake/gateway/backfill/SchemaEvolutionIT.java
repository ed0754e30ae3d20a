package io.featurelake.gateway.backfill;

import static io.featurelake.gateway.testing.JdbcRows.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.gateway.demo.EventGenerator;
import io.featurelake.gateway.demo.GeneratorOptions;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.server.GatewayServer;
import io.featurelake.gateway.session.Platform;
import io.featurelake.gateway.testing.HiveJdbc;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.gateway.testing.TestPorts;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunEvent;
import io.featurelake.sqlcatalog.runs.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Schema evolution end to end: backfills of views whose SQL changes between runs (the rules
 * themselves, one test each, are in {@link SchemaEvolutionTest}). Each test has its own view.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchemaEvolutionIT {

  /** Per user and day: counts, an array of amounts and a struct, from the demo events. */
  private static final String NESTED_SQL = String.join("\n",
      "SELECT user_id, date(event_ts) AS event_date, count(*) AS events,",
      "  array_sort(collect_list(CAST(amount AS DOUBLE))) AS amounts,",
      "  named_struct('views', count_if(event_type = 'view'), 'last_type', max(event_type)) AS profile__EXTRA__",
      "FROM lake.raw.events",
      "WHERE event_ts >= TIMESTAMP '${start_date} 00:00:00' AND event_ts < TIMESTAMP '${end_date} 00:00:00'",
      "GROUP BY user_id, date(event_ts)",
      "");

  private GatewayServer gateway;
  private SparkSession spark;
  private BackfillService service;
  private Path features;

  @BeforeAll
  void start() throws Exception {
    Path home = Files.createTempDirectory("featurelake-schema-it-");
    features = Files.createDirectories(home.resolve("features"));
    int port = TestPorts.free();
    Map<String, String> env = new HashMap<>(TestConfigs.environment(home, port));
    env.put("FEATURELAKE_FEATURES_DIR", features.toString());
    gateway = GatewayServer.start(TestConfigs.load(home, port, env));
    spark = gateway.spark();
    service = new BackfillService(spark, Platform.current());
    new EventGenerator().generate(spark, LocalDate.parse("2023-01-01"), LocalDate.parse("2023-01-05"),
        GeneratorOptions.builder().eventsPerDay(600).users(150).items(40).build());
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  /** Writes the view's files; loose checks, since these tests are about the schema, not drift. */
  private void define(String name, String sql) throws Exception {
    Files.writeString(features.resolve(name + ".yaml"), String.join("\n", "name: " + name, "owner: schema@example.com",
        "entities: [user_id]", "event_timestamp: event_date", "sources: [lake.raw.events]",
        "checks:", "  max_null_rate: 1.0", "  max_psi: 1000", "  max_row_count_change: 1000", ""));
    Files.writeString(features.resolve(name + ".sql"), sql);
  }

  private BackfillRun backfill(String view, String start, String end) {
    return service.start(BackfillRequest.of(view, start, end, true, "test", "tester"), ProgressListener.NONE).run();
  }

  private List<String> schemaEvents(long runId) {
    return service.runs().events(runId).stream().map(RunEvent::message).filter(m -> m != null && m.startsWith("schema: "))
        .toList();
  }

  @Test
  void aViewWithAnArrayAndAStructColumnBackfillsTwiceAndItsStructGainsAField() throws Exception {
    define("nested_probe", NESTED_SQL.replace("__EXTRA__", ""));
    BackfillRun first = backfill("nested_probe", "2023-01-01", "2023-01-03");
    BackfillRun second = backfill("nested_probe", "2023-01-01", "2023-01-03");
    assertThat(first.state()).isEqualTo(RunState.PUBLISHED);
    assertThat(second.state()).isEqualTo(RunState.PUBLISHED);
    assertThat(schemaEvents(second.runId())).isEmpty();

    // A new struct field is an addition, like a new column.
    define("nested_probe", NESTED_SQL.replace("max(event_type)) AS profile__EXTRA__",
        "max(event_type), 'sessions', count(DISTINCT session_id)) AS profile"));
    BackfillRun third = backfill("nested_probe", "2023-01-02", "2023-01-04");
    assertThat(third.state()).isEqualTo(RunState.PUBLISHED);
    assertThat(schemaEvents(third.runId())).containsExactly("schema: added column profile.sessions long");
    assertThat(spark.sql("SELECT count(*) FROM lake.features.nested_probe WHERE event_date = DATE '2023-01-01' "
        + "AND profile.sessions IS NULL").first().getLong(0))
        .isEqualTo(spark.sql("SELECT count(*) FROM lake.features.nested_probe WHERE event_date = DATE '2023-01-01'")
            .first().getLong(0)).isPositive();
    assertThat(spark.sql("SELECT count(*) FROM lake.features.nested_probe WHERE event_date = DATE '2023-01-03' "
        + "AND profile.sessions >= 1").first().getLong(0)).isPositive();
  }

  @Test
  void aColumnAddedThroughCallIsARunEventAndAnOlderRunStillReproduces() throws Exception {
    String base = "SELECT user_id, date(event_ts) AS event_date, count(*) AS events, "
        + "CAST(count_if(event_type = 'view') AS INT) AS views__EXTRA__ FROM lake.raw.events "
        + "WHERE event_ts >= TIMESTAMP '${start_date} 00:00:00' AND event_ts < TIMESTAMP '${end_date} 00:00:00' "
        + "GROUP BY user_id, date(event_ts)\n";
    define("grow_probe", base.replace("__EXTRA__", ""));
    BackfillRun before = backfill("grow_probe", "2023-01-01", "2023-01-03");
    assertThat(before.state()).isEqualTo(RunState.PUBLISHED);

    // Next version: views widened to BIGINT, a new column, names in another case; started by CALL.
    define("grow_probe", base.replace("AS INT) AS views__EXTRA__", "AS BIGINT) AS Views, count(DISTINCT item_id) AS items")
        .replace("AS events", "AS EVENTS"));
    try (Connection c = HiveJdbc.connect(gateway.jdbcUrl())) {
      Map<String, Object> row = query(c, "CALL lake.platform.start_backfill(feature_view => 'grow_probe', "
          + "start_date => '2023-01-03', end_date => '2023-01-05')").get(0);
      long runId = (Long) row.get("run_id");
      assertThat(row.get("state")).isEqualTo("PUBLISHED");
      assertThat(query(c, "CALL lake.platform.run_events(" + runId + ")")).extracting(r -> r.get("message"))
          .contains("schema: widened column views int -> long", "schema: added column items long");

      // The run made before the column existed reproduces: its own columns, computed again from its pinned inputs.
      List<Map<String, Object>> repro = query(c, "CALL lake.platform.reproduce_run(run_id => " + before.runId() + ")");
      assertThat(repro).isNotEmpty().allSatisfy(r -> assertThat(r).containsEntry("verdict", "REPRODUCED"));
    }
    assertThat(spark.table("lake.features.grow_probe").columns()).containsExactly("user_id", "event_date", "events", "views",
        "items");
  }

  @Test
  void refusedChangesNameTheColumnAndWriteNothing() throws Exception {
    define("shrink_probe", "SELECT user_id, date(event_ts) AS event_date, count(*) AS events, "
        + "array_sort(collect_list(CAST(amount AS DOUBLE))) AS amounts FROM lake.raw.events "
        + "WHERE event_ts >= TIMESTAMP '${start_date} 00:00:00' AND event_ts < TIMESTAMP '${end_date} 00:00:00' "
        + "GROUP BY user_id, date(event_ts)\n");
    assertThat(backfill("shrink_probe", "2023-01-01", "2023-01-02").state()).isEqualTo(RunState.PUBLISHED);
    int runsBefore = service.runs().list("shrink_probe", 100).size();

    define("shrink_probe", "SELECT user_id, date(event_ts) AS event_date, "
        + "array_sort(collect_list(CAST(amount AS STRING))) AS amounts FROM lake.raw.events "
        + "WHERE event_ts >= TIMESTAMP '${start_date} 00:00:00' AND event_ts < TIMESTAMP '${end_date} 00:00:00' "
        + "GROUP BY user_id, date(event_ts)\n");
    assertThatThrownBy(() -> backfill("shrink_probe", "2023-01-02", "2023-01-03"))
        .isInstanceOf(PlatformException.class)
        .hasMessage("Definition of shrink_probe does not fit table lake.features.shrink_probe: column "
            + "'events' is no longer produced (removing or renaming a column is refused); column 'amounts.element' "
            + "changes type double -> string. Allowed: adding columns (and struct fields) and the widenings Iceberg "
            + "allows (int->bigint, float->double, decimal precision); for anything else create a new view (or drop "
            + "the table).");
    assertThat(service.runs().list("shrink_probe", 100)).hasSize(runsBefore);
  }
}
