package io.featurelake.gateway.session;

import io.featurelake.gateway.procedures.PlatformProcedures;
import java.util.Locale;
import org.apache.iceberg.spark.SparkCatalog;
import org.apache.spark.sql.catalyst.analysis.NoSuchProcedureException;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.iceberg.catalog.Procedure;

/**
 * The Iceberg catalog {@code lake}, serving the platform's procedures under
 * {@code lake.platform.*} next to Iceberg's own {@code lake.system.*}.
 */
public class LakeCatalog extends SparkCatalog {

  public static final String NAME = "lake";
  public static final String PROCEDURE_NAMESPACE = "platform";

  @Override
  public Procedure loadProcedure(Identifier ident) throws NoSuchProcedureException {
    String[] ns = ident.namespace();
    if (ns.length == 1 && ns[0].toLowerCase(Locale.ROOT).equals(PROCEDURE_NAMESPACE)) {
      return PlatformProcedures.load(ident.name());
    }
    return super.loadProcedure(ident);
  }
}
