package io.featurelake.gateway.lake;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.iceberg.Schema;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;

/**
 * What a feature table's schema must do to take a definition's new output: compares the two
 * structurally (names case-insensitively as Spark resolves them, never by field id: the ids of a
 * converted Spark schema and of the table are unrelated), down into structs, lists and maps.
 *
 * <ul>
 *   <li>a new column, or a new field of a struct (also inside a list or map value): added;</li>
 *   <li>a widening Iceberg allows ({@link TypeUtil#isPromotionAllowed}: int to bigint, float to
 *       double, decimal(p, s) to decimal(p', s) with p' > p), at any depth: widened;</li>
 *   <li>a column or struct field no longer produced, any other type change: refused.</li>
 * </ul>
 */
final class SchemaEvolution {

  private final UpdateSchema update;
  private final List<String> changes = new ArrayList<>();
  private final List<String> refused = new ArrayList<>();

  private SchemaEvolution(UpdateSchema update) {
    this.update = update;
  }

  /** Plans the changes from {@code current} to {@code wanted} on {@code update} (not committed). */
  static SchemaEvolution plan(Schema current, Schema wanted, UpdateSchema update) {
    SchemaEvolution e = new SchemaEvolution(update);
    e.struct(null, current.asStruct(), wanted.asStruct());
    return e;
  }

  /** The changes made, as run events show them: "added column x bigint", "widened column s.n int -> bigint". */
  List<String> changes() {
    return changes;
  }

  /** Why the output does not fit, one item per column; empty when it fits. */
  List<String> refused() {
    return refused;
  }

  private void struct(String path, Types.StructType current, Types.StructType wanted) {
    for (Types.NestedField field : current.fields()) {
      if (find(wanted, field.name()) == null) {
        refused.add("column '" + join(path, field.name()) + "' is no longer produced (removing or renaming a column is refused)");
      }
    }
    for (Types.NestedField field : wanted.fields()) {
      Types.NestedField existing = find(current, field.name());
      if (existing == null) {
        update.addColumn(path, field.name(), field.type());
        changes.add("added column " + join(path, field.name()) + " " + field.type());
      } else {
        type(join(path, existing.name()), existing.type(), field.type());
      }
    }
  }

  private void type(String path, Type current, Type wanted) {
    if (current.isPrimitiveType() && wanted.isPrimitiveType()) {
      if (current.equals(wanted)) {
        return;
      }
      if (TypeUtil.isPromotionAllowed(current, wanted.asPrimitiveType())) {
        update.updateColumn(path, wanted.asPrimitiveType());
        changes.add("widened column " + path + " " + current + " -> " + wanted);
        return;
      }
    } else if (current.isStructType() && wanted.isStructType()) {
      struct(path, current.asStructType(), wanted.asStructType());
      return;
    } else if (current.isListType() && wanted.isListType()) {
      type(path + ".element", current.asListType().elementType(), wanted.asListType().elementType());
      return;
    } else if (current.isMapType() && wanted.isMapType()) {
      Type key = current.asMapType().keyType();
      if (!key.isPrimitiveType() || !key.equals(wanted.asMapType().keyType())) {
        refused.add("column '" + path + "' changes its map key type " + key + " -> " + wanted.asMapType().keyType());
        return;
      }
      type(path + ".value", current.asMapType().valueType(), wanted.asMapType().valueType());
      return;
    }
    refused.add("column '" + path + "' changes type " + current + " -> " + wanted);
  }

  private static Types.NestedField find(Types.StructType struct, String name) {
    for (Types.NestedField f : struct.fields()) {
      if (f.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    return null;
  }

  private static String join(String path, String name) {
    return path == null ? name : path + "." + name;
  }
}
