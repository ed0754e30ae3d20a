package io.featurelake.gateway.session;

import io.featurelake.sqlcatalog.lake.LakeNames;
import io.featurelake.gateway.procedures.PlatformProcedures;
import io.featurelake.sqlcatalog.tables.TimeTravel;
import java.time.ZoneId;
import java.util.Locale;
import org.apache.iceberg.spark.SparkCatalog;
import org.apache.iceberg.spark.source.SparkTable;
import org.apache.spark.sql.catalyst.analysis.NoSuchProcedureException;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.iceberg.catalog.Procedure;
import org.apache.spark.sql.internal.SQLConf;

/**
 * The Iceberg catalog {@code lake}, serving the platform's procedures under
 * {@code lake.platform.*} next to Iceberg's own {@code lake.system.*}, and checking time-travel
 * clauses ({@link TimeTravel}) so a wrong form or a vanished snapshot is a clear error.
 */
public class LakeCatalog extends SparkCatalog {

  public static final String NAME = LakeNames.CATALOG;
  public static final String PROCEDURE_NAMESPACE = LakeNames.PROCEDURE_NAMESPACE;

  @Override
  public Procedure loadProcedure(Identifier ident) throws NoSuchProcedureException {
    String[] ns = ident.namespace();
    if (ns.length == 1 && ns[0].toLowerCase(Locale.ROOT).equals(PROCEDURE_NAMESPACE)) {
      return PlatformProcedures.load(ident.name());
    }
    return super.loadProcedure(ident);
  }

  /** {@code VERSION AS OF} / {@code FOR SYSTEM_VERSION AS OF}. */
  @Override
  public Table loadTable(Identifier ident, String version) throws NoSuchTableException {
    org.apache.iceberg.Table table = plainTable(ident);
    if (table != null) {
      TimeTravel.checkVersion(display(ident), table, version);
    }
    return super.loadTable(ident, version);
  }

  /** {@code TIMESTAMP AS OF} / {@code FOR SYSTEM_TIME AS OF}; Spark passes microseconds since the epoch. */
  @Override
  public Table loadTable(Identifier ident, long timestamp) throws NoSuchTableException {
    org.apache.iceberg.Table table = plainTable(ident);
    if (table != null) {
      TimeTravel.checkTimestamp(display(ident), table, timestamp, ZoneId.of(SQLConf.get().sessionLocalTimeZone()));
    }
    return super.loadTable(ident, timestamp);
  }

  /**
   * The Iceberg table behind a plain identifier, or null when the checks do not apply (metadata
   * tables, {@code branch_x}/{@code tag_x} identifiers: Iceberg refuses AS OF on those itself).
   */
  private org.apache.iceberg.Table plainTable(Identifier ident) throws NoSuchTableException {
    Table loaded = super.loadTable(ident);
    if (loaded instanceof SparkTable spark && spark.snapshotId() == null && spark.branch() == null
        && !(spark.table() instanceof org.apache.iceberg.BaseMetadataTable)) {
      return spark.table();
    }
    return null;
  }

  private String display(Identifier ident) {
    return name() + "." + String.join(".", ident.namespace()) + "." + ident.name();
  }
}
