package io.featurelake.gateway.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.apache.iceberg.types.Types;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One test per rule of docs/architecture.md's schema evolution table, on a real (in-memory) Iceberg table. */
class SchemaEvolutionTest {

  private static final String BASE = "user_id BIGINT, event_date DATE, clicks INT, score FLOAT, amount DECIMAL(10,2), "
      + "items ARRAY<DOUBLE>, profile STRUCT<age: INT, country: STRING>, baskets ARRAY<STRUCT<n: INT>>, "
      + "counts MAP<STRING, BIGINT>";

  private InMemoryCatalog catalog;
  private Table table;

  @BeforeEach
  void createTable() {
    catalog = new InMemoryCatalog();
    catalog.initialize("test", Map.of());
    catalog.createNamespace(Namespace.of("features"));
    Schema schema = SparkSchemaUtil.convert(StructType.fromDDL(BASE));
    table = catalog.createTable(TableIdentifier.of("features", "v"),
        new Schema(schema.columns().stream().map(Types.NestedField::asOptional).toList()));
  }

  /** Plans the change to the output {@code ddl}; commits it when it fits. */
  private SchemaEvolution evolve(String ddl) {
    var update = table.updateSchema();
    SchemaEvolution e = SchemaEvolution.plan(table.schema(), SparkSchemaUtil.convert(StructType.fromDDL(ddl)), update);
    if (e.refused().isEmpty() && !e.changes().isEmpty()) {
      update.commit();
      table.refresh();
    }
    return e;
  }

  private DataType sparkType(String column) {
    return SparkSchemaUtil.convert(table.schema()).apply(column).dataType();
  }

  @Test
  void anUnchangedOutputWithArrayStructAndMapColumnsNeedsNothing() {
    SchemaEvolution e = evolve(BASE);
    assertThat(e.refused()).isEmpty();
    assertThat(e.changes()).isEmpty();
  }

  @Test
  void namesMatchCaseInsensitivelyAsSparkResolvesThem() {
    SchemaEvolution e = evolve(BASE.replace("clicks INT", "Clicks INT").replace("age: INT", "AGE: INT"));
    assertThat(e.refused()).isEmpty();
    assertThat(e.changes()).isEmpty();
  }

  @Test
  void aNewColumnIsAdded() {
    SchemaEvolution e = evolve(BASE + ", visits BIGINT");
    assertThat(e.changes()).containsExactly("added column visits long");
    assertThat(table.schema().findField("visits").isOptional()).isTrue();
  }

  @Test
  void aNewStructFieldIsAnAdditionAlsoInsideAList() {
    SchemaEvolution e = evolve(BASE.replace("country: STRING>", "country: STRING, city: STRING>")
        .replace("ARRAY<STRUCT<n: INT>>", "ARRAY<STRUCT<n: INT, label: STRING>>"));
    assertThat(e.refused()).isEmpty();
    assertThat(e.changes()).containsExactly("added column profile.city string", "added column baskets.element.label string");
    assertThat(table.schema().findField("profile.city")).isNotNull();
    assertThat(table.schema().findField("baskets.element.label")).isNotNull();
  }

  @Test
  void everyWideningIcebergAllowsIsMadeAtAnyDepth() {
    SchemaEvolution e = evolve(BASE.replace("clicks INT", "clicks BIGINT").replace("score FLOAT", "score DOUBLE")
        .replace("DECIMAL(10,2)", "DECIMAL(14,2)").replace("age: INT", "age: BIGINT")
        .replace("MAP<STRING, BIGINT>", "MAP<STRING, BIGINT>"));
    assertThat(e.refused()).isEmpty();
    assertThat(e.changes()).containsExactly("widened column clicks int -> long", "widened column score float -> double",
        "widened column amount decimal(10, 2) -> decimal(14, 2)", "widened column profile.age int -> long");
    assertThat(sparkType("amount").sql()).isEqualTo("DECIMAL(14,2)");
    assertThat(sparkType("profile").sql()).isEqualTo("STRUCT<age: BIGINT, country: STRING>");
  }

  @Test
  void aColumnOrStructFieldNoLongerProducedIsRefused() {
    SchemaEvolution e = evolve(BASE.replace("clicks INT, ", "").replace("age: INT, ", ""));
    assertThat(e.refused()).containsExactly(
        "column 'clicks' is no longer produced (removing or renaming a column is refused)",
        "column 'profile.age' is no longer produced (removing or renaming a column is refused)");
  }

  @Test
  void anyOtherTypeChangeIsRefusedNamingTheColumnAndBothTypes() {
    SchemaEvolution e = evolve(BASE.replace("user_id BIGINT", "user_id INT").replace("score FLOAT", "score STRING")
        .replace("DECIMAL(10,2)", "DECIMAL(10,3)").replace("ARRAY<DOUBLE>", "ARRAY<STRING>")
        .replace("MAP<STRING, BIGINT>", "MAP<INT, BIGINT>"));
    assertThat(e.refused()).containsExactly(
        "column 'user_id' changes type long -> int",
        "column 'score' changes type float -> string",
        "column 'amount' changes type decimal(10, 2) -> decimal(10, 3)",
        "column 'items.element' changes type double -> string",
        "column 'counts' changes its map key type string -> int");
    assertThat(e.changes()).isEmpty();
  }
}
