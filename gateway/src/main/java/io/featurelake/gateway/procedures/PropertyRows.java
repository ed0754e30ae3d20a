package io.featurelake.gateway.procedures;

import io.featurelake.gateway.procedures.RowSchema.Required;

/** The (property, value) shape of describe and describe_table. */
final class PropertyRows {

  /** One property: the columns, declared once. */
  record Row(@Required String property, String value) {}

  static final RowSchema<Row> SCHEMA = RowSchema.of(Row.class);

  private PropertyRows() {}
}
