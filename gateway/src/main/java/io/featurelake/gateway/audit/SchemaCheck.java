package io.featurelake.gateway.audit;

import io.featurelake.sqlcatalog.audit.AuditCheck;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;

/** The audit's schema check: the audited snapshot's schema equals main's (both are the table's, so field ids agree). */
final class SchemaCheck {

  private SchemaCheck() {}

  static AuditCheck of(Table table, long snapshotId) {
    Integer schemaId = table.snapshot(snapshotId).schemaId();
    Schema audited = schemaId == null ? table.schema() : table.schemas().get(schemaId);
    Schema main = table.schema();
    boolean same = audited.asStruct().equals(main.asStruct());
    return new AuditCheck("schema", null, same ? 0.0 : 1.0, 0.0, same,
        same ? "schema equals main's (" + main.columns().size() + " columns)"
            : "schema differs from main's: audited " + audited.asStruct() + " vs main " + main.asStruct());
  }
}
