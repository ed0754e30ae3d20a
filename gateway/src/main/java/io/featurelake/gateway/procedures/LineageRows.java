package io.featurelake.gateway.procedures;

import io.featurelake.gateway.procedures.RowSchema.Required;
import io.featurelake.sqlcatalog.lineage.LineageRow;
import java.util.List;

/** The (section, key, value) shape of lineage_run and lineage_snapshot. */
final class LineageRows {

  /** One lineage fact: the columns, declared once. */
  record Row(@Required String section, @Required String key, String value) {}

  static final RowSchema<Row> SCHEMA = RowSchema.of(Row.class);

  private LineageRows() {}

  static List<Row> rows(List<LineageRow> rows) {
    return rows.stream().map(r -> new Row(r.section(), r.key(), r.value())).toList();
  }
}
