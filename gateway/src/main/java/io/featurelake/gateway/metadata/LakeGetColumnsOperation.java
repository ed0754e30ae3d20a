package io.featurelake.gateway.metadata;

import org.apache.hive.service.cli.session.HiveSession;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.hive.thriftserver.SparkGetColumnsOperation;

/** {@code DatabaseMetaData.getColumns()}: columns of v2 tables and views, JDBC types, 1-based positions. */
public final class LakeGetColumnsOperation extends SparkGetColumnsOperation {

  private final String catalogPattern;
  private final String schemaPattern;
  private final String tablePattern;
  private final String columnPattern;

  public LakeGetColumnsOperation(SQLContext sqlContext, HiveSession session, String catalogName, String schemaName,
      String tableName, String columnName) {
    super(sqlContext, session, catalogName, schemaName, tableName, columnName);
    this.catalogPattern = catalogName;
    this.schemaPattern = schemaName;
    this.tablePattern = tableName;
    this.columnPattern = columnName;
  }

  @Override
  public void runInternal() {
    String description = "Listing columns catalog=" + catalogPattern + " schema=" + schemaPattern
        + " table=" + tablePattern + " column=" + columnPattern;
    MetadataCall.run("getColumns", description, statementId(), getParentSession(), this::setState, () -> {
      for (CatalogBrowser.ColumnEntry c : new CatalogBrowser(sqlContext().sparkSession())
          .columns(catalogPattern, schemaPattern, tablePattern, columnPattern)) {
        rowSet.addRow(new Object[] {
            c.table().catalog(),            // TABLE_CAT
            c.table().namespace(),          // TABLE_SCHEM
            c.table().name(),               // TABLE_NAME
            c.name(),                       // COLUMN_NAME
            JdbcTypes.sqlType(c.type()),    // DATA_TYPE
            c.type().sql(),                 // TYPE_NAME
            JdbcTypes.columnSize(c.type()), // COLUMN_SIZE
            null,                           // BUFFER_LENGTH
            JdbcTypes.decimalDigits(c.type()), // DECIMAL_DIGITS
            JdbcTypes.radix(c.type()),      // NUM_PREC_RADIX
            c.nullable() ? 1 : 0,           // NULLABLE
            c.comment(),                    // REMARKS
            null,                           // COLUMN_DEF
            null,                           // SQL_DATA_TYPE
            null,                           // SQL_DATETIME_SUB
            null,                           // CHAR_OCTET_LENGTH
            c.position(),                   // ORDINAL_POSITION (1-based)
            c.nullable() ? "YES" : "NO",    // IS_NULLABLE
            null, null, null, null,         // SCOPE_CATALOG, SCOPE_SCHEMA, SCOPE_TABLE, SOURCE_DATA_TYPE
            "NO"                            // IS_AUTO_INCREMENT
        });
      }
    });
  }
}
