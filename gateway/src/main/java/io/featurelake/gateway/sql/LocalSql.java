package io.featurelake.gateway.sql;

import io.featurelake.gateway.errors.ConciseErrors;
import io.featurelake.gateway.cli.LogSetup;
import io.featurelake.gateway.session.LakeSessions;
import io.featurelake.sqlcatalog.config.ConfigException;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs SQL statements in-process against the same lakehouse as the gateway, without a server
 * (like {@code spark-sql}): {@code LocalSql "stmt1" "stmt2" ...}. Prints each result as
 * tab-separated lines; exits 1 on the first failing statement with a one-line error.
 */
public final class LocalSql {

  private LocalSql() {}

  public static void main(String[] args) {
    if (args.length == 0) {
      System.err.println("usage: LocalSql \"<statement>\" [\"<statement>\" ...]");
      System.exit(2);
    }
    FeaturelakeConfig config;
    try {
      config = FeaturelakeConfig.load();
    } catch (ConfigException e) {
      System.err.println("featurelake: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    LogSetup.toHome(config, "local-sql");
    SparkSession spark = LakeSessions.create(config);
    int exit = 0;
    try {
      for (String statement : args) {
        try {
          Dataset<Row> result = spark.sql(statement);
          for (Row row : result.collectAsList()) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length(); i++) {
              line.append(i == 0 ? "" : "\t").append(row.isNullAt(i) ? "NULL" : row.get(i).toString());
            }
            System.out.println(line);
          }
        } catch (RuntimeException e) {
          System.err.println("error: " + ConciseErrors.message(e));
          exit = 1;
          break;
        }
      }
    } finally {
      spark.stop();
    }
    System.exit(exit);
  }
}
