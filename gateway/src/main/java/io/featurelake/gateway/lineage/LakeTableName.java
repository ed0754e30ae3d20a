package io.featurelake.gateway.lineage;

import io.featurelake.gateway.errors.PlatformException;
import io.featurelake.gateway.session.LakeCatalog;
import java.util.Locale;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.spark.SparkCatalog;
import org.apache.spark.sql.SparkSession;

/** A table argument ({@code 'features.v'} or {@code 'lake.features.v'}) resolved to its Iceberg table. */
record LakeTableName(String name, Table table) {

  static LakeTableName resolve(SparkSession spark, String procedure, String argument) {
    String relative = argument.toLowerCase(Locale.ROOT).startsWith(LakeCatalog.NAME + ".")
        ? argument.substring(LakeCatalog.NAME.length() + 1) : argument;
    if (relative.split("\\.").length != 2) {
      throw PlatformException.invalidArgument("%s: table must be 'namespace.table', got '%s'", procedure, argument);
    }
    SparkCatalog catalog = (SparkCatalog) spark.sessionState().catalogManager().catalog(LakeCatalog.NAME);
    try {
      return new LakeTableName(LakeCatalog.NAME + "." + relative, catalog.icebergCatalog().loadTable(TableIdentifier.parse(relative)));
    } catch (NoSuchTableException e) {
      throw PlatformException.notFound("Table %s.%s does not exist", LakeCatalog.NAME, relative);
    }
  }
}
