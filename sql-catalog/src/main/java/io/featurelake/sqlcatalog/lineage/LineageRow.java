package io.featurelake.sqlcatalog.lineage;

/** One fact of a lineage answer: {@code (section, key, value)}, e.g. {@code (input, lake.raw.events, 123)}. */
public record LineageRow(String section, String key, String value) {

  static LineageRow of(String section, String key, Object value) {
    return new LineageRow(section, key, value == null ? null : String.valueOf(value));
  }
}
