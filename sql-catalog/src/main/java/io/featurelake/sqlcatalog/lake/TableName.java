package io.featurelake.sqlcatalog.lake;

import io.featurelake.sqlcatalog.errors.PlatformException;
import java.util.Locale;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * A table of the lake catalog, {@code <namespace>.<table>}, and the rules for reading one from
 * a user's argument.
 */
public record TableName(String namespace, String table) {

  public TableName {
    namespace = namespace.toLowerCase(Locale.ROOT);
    table = table.toLowerCase(Locale.ROOT);
  }

  /**
   * A table argument: {@code 'namespace.table'} or {@code 'lake.namespace.table'}.
   *
   * @param context what is asking (e.g. {@code lake.platform.describe_table}), for the message
   */
  public static TableName parse(String context, String argument) {
    String relative = argument.strip().toLowerCase(Locale.ROOT).startsWith(LakeNames.CATALOG + ".")
        ? argument.strip().substring(LakeNames.CATALOG.length() + 1) : argument.strip();
    String[] parts = relative.split("\\.", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw PlatformException.invalidArgument("%s: table must be 'namespace.table', got '%s'", context, argument);
    }
    return new TableName(parts[0], parts[1]);
  }

  /**
   * Like {@link #parse}, but a bare name means that feature view's table ({@code v} is
   * {@code lake.features.v}), as maintenance and its reports accept. Returns null for a name of
   * more than three parts or of another catalog, so the caller can word its own message.
   */
  public static TableName parseViewOrTable(String argument) {
    String[] parts = argument.strip().toLowerCase(Locale.ROOT).split("\\.", -1);
    return switch (parts.length) {
      case 1 -> new TableName(LakeNames.FEATURES_NAMESPACE, parts[0]);
      case 2 -> new TableName(parts[0], parts[1]);
      case 3 -> parts[0].equals(LakeNames.CATALOG) ? new TableName(parts[1], parts[2]) : null;
      default -> null;
    };
  }

  public static TableName of(TableIdentifier id) {
    return new TableName(id.namespace().toString(), id.name());
  }

  /** {@code lake.<namespace>.<table>}: how users and the catalog database name it. */
  public String qualified() {
    return LakeNames.CATALOG + "." + namespace + "." + table;
  }

  /** {@code <namespace>.<table>}: how the Iceberg catalog names it. */
  public TableIdentifier identifier() {
    return TableIdentifier.of(namespace, table);
  }

  /** Whether this is the table of a feature view ({@code lake.features.<view>}). */
  public boolean isFeatureTable() {
    return namespace.equals(LakeNames.FEATURES_NAMESPACE);
  }

  @Override
  public String toString() {
    return qualified();
  }
}
