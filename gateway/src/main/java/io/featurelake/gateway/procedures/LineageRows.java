package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.lineage.LineageRow;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The (section, key, value) shape of lineage_run and lineage_snapshot. */
final class LineageRows {

  static final StructType OUTPUT = new StructType()
      .add("section", DataTypes.StringType, false)
      .add("key", DataTypes.StringType, false)
      .add("value", DataTypes.StringType, true);

  private LineageRows() {}

  static List<Object[]> rows(List<LineageRow> rows) {
    return rows.stream().map(r -> new Object[] {r.section(), r.key(), r.value()}).toList();
  }
}
