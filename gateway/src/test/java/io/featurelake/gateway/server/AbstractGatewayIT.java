package io.featurelake.gateway.server;

import static io.featurelake.gateway.testing.JdbcRows.execute;
import static io.featurelake.gateway.testing.JdbcRows.properties;
import static io.featurelake.gateway.testing.JdbcRows.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.featurelake.gateway.testing.HiveJdbc;
import io.featurelake.gateway.testing.JdbcRows;
import io.featurelake.gateway.testing.TestPorts;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The gateway as a JDBC client sees it, through hive-jdbc 4.0.1 standalone (the DBeaver driver)
 * against the real server. Subclasses choose the catalog database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractGatewayIT {

  protected Path home;
  protected GatewayServer gateway;
  protected String url;

  /** The configuration under test; {@code home} is a fresh directory. */
  protected abstract FeaturelakeConfig config(Path home, int port) throws Exception;

  protected void afterGatewayStopped() throws Exception {}

  @BeforeAll
  void startGateway() throws Exception {
    home = Files.createTempDirectory("featurelake-it-");
    gateway = GatewayServer.start(config(home, TestPorts.free()));
    url = gateway.jdbcUrl();
    try (Connection c = HiveJdbc.connect(url)) {
      execute(c, "CREATE NAMESPACE IF NOT EXISTS lake.demo");
      execute(c, "CREATE TABLE lake.demo.t (id BIGINT COMMENT 'entity key', name STRING, amount DECIMAL(10,2), "
          + "ts TIMESTAMP, day DATE, ok BOOLEAN, score DOUBLE, tags ARRAY<STRING>) USING iceberg "
          + "PARTITIONED BY (day) COMMENT 'demo table'");
    }
  }

  @AfterAll
  void stopGateway() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    afterGatewayStopped();
  }

  @Test
  void insertIsVisibleAtOnceToASecondConnection() throws Exception {
    try (Connection a = HiveJdbc.connect(url); Connection b = HiveJdbc.connect(url)) {
      execute(a, "CREATE TABLE lake.demo.visible (id BIGINT, name STRING) USING iceberg");
      assertThat(query(b, "SELECT count(*) AS n FROM lake.demo.visible")).containsExactly(Map.of("n", 0L));

      execute(a, "INSERT INTO lake.demo.visible VALUES (1, 'first')");
      assertThat(query(a, "SELECT id, name FROM lake.demo.visible"))
          .containsExactly(Map.of("id", 1L, "name", "first"));
      // No table cache: B sees A's commit on its very next statement.
      assertThat(query(b, "SELECT id, name FROM lake.demo.visible"))
          .containsExactly(Map.of("id", 1L, "name", "first"));

      execute(b, "INSERT INTO lake.demo.visible VALUES (2, 'second')");
      assertThat(query(a, "SELECT count(*) AS n FROM lake.demo.visible")).containsExactly(Map.of("n", 2L));
    }
  }

  @Test
  void metadataListsTheLakeCatalogLikeADbeaverTree() throws Exception {
    try (Connection c = HiveJdbc.connect(url)) {
      // Run statements first: the stock server's filter hook used to empty getTables after one.
      query(c, "SELECT 1");
      execute(c, "INSERT INTO lake.demo.t VALUES (7, 'x', 1.50, TIMESTAMP '2023-01-01 10:00:00', DATE '2023-01-01', true, 0.5, array('a'))");
      DatabaseMetaData md = c.getMetaData();

      assertThat(column(JdbcRows.read(md.getCatalogs()), "TABLE_CAT")).containsExactly("lake");
      assertThat(JdbcRows.read(md.getSchemas()))
          .extracting(r -> r.get("TABLE_CATALOG"), r -> r.get("TABLE_SCHEM"))
          .contains(tuple("lake", "demo"), tuple("lake", "default"));
      assertThat(JdbcRows.read(md.getSchemas("lake", "dem%")))
          .extracting(r -> r.get("TABLE_SCHEM")).containsExactly("demo");

      List<Map<String, Object>> tables = JdbcRows.read(md.getTables(null, "demo", "t", null));
      assertThat(tables).hasSize(1);
      assertThat(tables.get(0)).containsEntry("TABLE_CAT", "lake").containsEntry("TABLE_SCHEM", "demo")
          .containsEntry("TABLE_NAME", "t").containsEntry("TABLE_TYPE", "TABLE").containsEntry("REMARKS", "demo table");
      assertThat(column(JdbcRows.read(md.getTables(null, "demo", "%", new String[] {"TABLE"})), "TABLE_NAME")).contains("t");
      assertThat(JdbcRows.read(md.getTables(null, "demo", "%", new String[] {"VIEW"}))).isEmpty();

      List<Map<String, Object>> columns = JdbcRows.read(md.getColumns("lake", "demo", "t", null));
      assertThat(columns).extracting(r -> r.get("COLUMN_NAME"), r -> r.get("DATA_TYPE"), r -> r.get("TYPE_NAME"),
          r -> r.get("ORDINAL_POSITION")).containsExactly(
              tuple("id", Types.BIGINT, "BIGINT", 1),
              tuple("name", Types.VARCHAR, "STRING", 2),
              tuple("amount", Types.DECIMAL, "DECIMAL(10,2)", 3),
              tuple("ts", Types.TIMESTAMP, "TIMESTAMP", 4),
              tuple("day", Types.DATE, "DATE", 5),
              tuple("ok", Types.BOOLEAN, "BOOLEAN", 6),
              tuple("score", Types.DOUBLE, "DOUBLE", 7),
              tuple("tags", Types.ARRAY, "ARRAY<STRING>", 8));
      assertThat(columns.get(0)).containsEntry("REMARKS", "entity key").containsEntry("TABLE_CAT", "lake");
      assertThat(columns.get(2)).containsEntry("COLUMN_SIZE", 10).containsEntry("DECIMAL_DIGITS", 2);
      assertThat(JdbcRows.read(md.getColumns(null, "demo", "t", "am%"))).extracting(r -> r.get("COLUMN_NAME"))
          .containsExactly("amount");

      assertThat(column(JdbcRows.read(md.getTableTypes()), "TABLE_TYPE")).contains("TABLE", "VIEW");

      // And again after more statements on the same connection.
      query(c, "SELECT count(*) FROM lake.demo.t");
      assertThat(JdbcRows.read(md.getTables(null, "demo", "t", null))).hasSize(1);
    }
  }

  @Test
  void viewsAreListedAsViews() throws Exception {
    try (Connection c = HiveJdbc.connect(url)) {
      execute(c, "CREATE NAMESPACE lake.with_views");
      execute(c, "CREATE VIEW lake.with_views.t_names AS SELECT id, name FROM lake.demo.t");
      DatabaseMetaData md = c.getMetaData();
      assertThat(JdbcRows.read(md.getTables(null, "with_views", "t_names", null)))
          .extracting(r -> r.get("TABLE_TYPE")).containsExactly("VIEW");
      assertThat(JdbcRows.read(md.getColumns(null, "with_views", "t_names", null)))
          .extracting(r -> r.get("COLUMN_NAME")).containsExactly("id", "name");
    }
  }

  @Test
  void describeReportsVersionsAndMasksSecrets() throws Exception {
    try (Connection c = HiveJdbc.connect(url)) {
      Map<String, String> d = properties(c, "CALL lake.platform.describe()");
      assertThat(d).containsEntry("spark_version", "3.5.4").containsEntry("iceberg_version", "1.12.0")
          .containsEntry("catalog", "lake").containsEntry("spark_master", "local[2]")
          .containsEntry("gateway_url", url).containsKey("catalog_db_schema_version");
      assertThat(d.get("warehouse")).startsWith(home.toString());
      assertThat(d.get("procedures")).contains("describe", "describe_table");
      // Short name through the default catalog, positional style.
      assertThat(properties(c, "CALL platform.describe()")).containsEntry("catalog", "lake");
    }
  }

  @Test
  void describeTableShowsFormatAndSnapshots() throws Exception {
    try (Connection c = HiveJdbc.connect(url)) {
      execute(c, "CREATE TABLE lake.demo.described (id BIGINT) USING iceberg TBLPROPERTIES ('format-version'='2')");
      execute(c, "INSERT INTO lake.demo.described VALUES (1), (2)");
      Map<String, String> d = properties(c, "CALL lake.platform.describe_table(table => 'demo.described')");
      assertThat(d).containsEntry("table", "lake.demo.described").containsEntry("format_version", "2")
          .containsEntry("total_records", "2").containsEntry("snapshots", "1");
      assertThat(d.get("branches")).startsWith("main@");
      assertThat(properties(c, "CALL lake.platform.describe_table('lake.demo.described')")).containsEntry("total_records", "2");
    }
  }

  @Test
  void badInputGivesShortErrorsAndTheServerKeepsServing() throws Exception {
    try (Connection c = HiveJdbc.connect(url)) {
      assertShortError(c, "SELEC 1", "[PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'");
      assertShortError(c, "SELECT * FROM lake.demo.nope",
          "[TABLE_OR_VIEW_NOT_FOUND] The table or view `lake`.`demo`.`nope` cannot be found");
      assertShortError(c, "CALL lake.platform.nope()", "[UNKNOWN_PROCEDURE] Unknown procedure lake.platform.nope; the ");
      assertShortError(c, "CALL lake.platform.list_run()",
          "[UNKNOWN_PROCEDURE] Unknown procedure lake.platform.list_run; did you mean lake.platform.list_runs? ");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.nope()"))
          .hasMessageContaining("procedures are listed in docs/procedures.md").hasMessageContaining("start_backfill");
      assertShortError(c, "CALL lake.platform.describe(1)",
          "[INVALID_PROCEDURE_ARGUMENT] lake.platform.describe takes no arguments, got 1; usage: lake.platform.describe()");
      assertShortError(c, "CALL lake.platform.describe_table()",
          "[INVALID_PROCEDURE_ARGUMENT] lake.platform.describe_table: missing required argument 'table'; "
              + "usage: lake.platform.describe_table(table STRING)");
      assertShortError(c, "CALL lake.platform.describe_table(tabel => 'demo.t')",
          "[INVALID_PROCEDURE_ARGUMENT] lake.platform.describe_table: unknown argument 'tabel'; "
              + "usage: lake.platform.describe_table(table STRING)");
      assertShortError(c, "CALL lake.platform.describe_table(table => 42)",
          "[INVALID_PROCEDURE_ARGUMENT] lake.platform.describe_table: argument 'table' must be STRING, got INT 42");
      assertShortError(c, "CALL lake.platform.describe_table('demo.t', 'extra')",
          "[INVALID_PROCEDURE_ARGUMENT] lake.platform.describe_table takes at most 1 argument, got 2");
      assertShortError(c, "CALL lake.platform.describe_table(table => 'demo.missing')",
          "[NOT_FOUND] Table lake.demo.missing does not exist");
      assertShortError(c, "CALL lake.platform.describe_table(table => '  ')",
          "[INVALID_PROCEDURE_ARGUMENT] lake.platform.describe_table: argument 'table' must not be empty");

      assertThat(query(c, "SELECT 40 + 2 AS answer")).containsExactly(Map.of("answer", 42));
    }
  }

  @Test
  void icebergSystemProceduresStillWork() throws Exception {
    try (Connection c = HiveJdbc.connect(url)) {
      execute(c, "CREATE TABLE lake.demo.sys (id BIGINT) USING iceberg");
      execute(c, "INSERT INTO lake.demo.sys VALUES (1)");
      List<Map<String, Object>> rows = query(c, "CALL lake.system.rewrite_manifests(table => 'demo.sys')");
      assertThat(rows).hasSize(1);
    }
  }

  private static void assertShortError(Connection c, String sql, String expectedStart) {
    assertThatThrownBy(() -> query(c, sql))
        .isInstanceOf(SQLException.class)
        .satisfies(e -> {
          assertThat(e.getMessage()).startsWith(expectedStart);
          assertThat(e.getMessage()).hasSizeLessThan(500).doesNotContain("\tat ", "Caused by");
        });
  }

  private static List<Object> column(List<Map<String, Object>> rows, String name) {
    return rows.stream().map(r -> r.get(name)).toList();
  }
}
