package io.featurelake.gateway.session;

import io.featurelake.gateway.procedures.CallStatementExtension;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import io.featurelake.sqlcatalog.database.CatalogDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the SparkSession every featurelake process uses: Iceberg's extensions, our CALL parser,
 * and the Iceberg JDBC catalog {@code lake} on the catalog database. The gateway and the
 * command-line jobs start Spark only through here, so they see the same lakehouse.
 */
public final class LakeSessions {

  private static final Logger LOG = LoggerFactory.getLogger(LakeSessions.class);
  private static final String CATALOG = "spark.sql.catalog." + LakeCatalog.NAME;

  private LakeSessions() {}

  public static SparkSession create(FeaturelakeConfig config) {
    return create(config, Map.of());
  }

  /**
   * Migrates the catalog database, installs the platform context and builds the session;
   * {@code extra} settings win over everything else (the gateway adds its Thrift port).
   */
  public static SparkSession create(FeaturelakeConfig config, Map<String, String> extra) {
    CatalogDatabase db = CatalogDatabase.fromConfig(config);
    db.migrate();
    Platform.install(config, db);
    Path home = config.home();
    Path scratch = home.resolve("tmp");
    try {
      Files.createDirectories(scratch.resolve("hive-local"));
      Files.createDirectories(scratch.resolve("operation-logs"));
      if (!config.warehouse().contains(":")) {
        Files.createDirectories(Path.of(config.warehouse()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create state directories under " + home, e);
    }
    // The Thrift server's in-memory Derby would write derby.log into the working directory.
    System.setProperty("derby.stream.error.file", scratch.resolve("derby.log").toString());

    SparkSession.Builder builder = SparkSession.builder()
        .master(config.sparkMaster())
        .appName(config.sparkAppName())
        .config("spark.ui.enabled", String.valueOf(config.sparkUiEnabled()))
        .config("spark.sql.extensions", CallStatementExtension.extensionsConf())
        .config("spark.sql.catalogImplementation", "in-memory")
        .config("spark.sql.warehouse.dir", home.resolve("spark-warehouse").toUri().toString())
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.debug.maxToStringFields", "1000")
        .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
        .config(CATALOG, LakeCatalog.class.getName())
        .config(CATALOG + ".type", "jdbc")
        .config(CATALOG + ".uri", db.url())
        .config(CATALOG + ".jdbc.user", db.user())
        .config(CATALOG + ".jdbc.password", db.password())
        // V1 stores views and branches metadata; V0 cannot list views.
        .config(CATALOG + ".jdbc.schema-version", "V1")
        .config(CATALOG + ".warehouse", config.warehouse())
        // Every JDBC connection has its own session and catalog instance: a cached table would
        // hide another connection's commit for up to 30 s.
        .config(CATALOG + ".cache-enabled", "false")
        // Several JVMs (gateway, backfill jobs) commit to the same tables: retry optimistic commits
        // longer than Iceberg's default of 4 attempts before giving up.
        .config(CATALOG + ".table-default.commit.retry.num-retries", "20")
        .config(CATALOG + ".table-default.commit.retry.min-wait-ms", "50")
        .config(CATALOG + ".table-default.commit.retry.max-wait-ms", "5000")
        .config("spark.sql.defaultCatalog", LakeCatalog.NAME)
        .config("spark.hadoop.hive.exec.scratchdir", scratch.resolve("hive-scratch").toString())
        .config("spark.hadoop.hive.exec.local.scratchdir", scratch.resolve("hive-local").toString())
        .config("spark.hadoop.hive.downloaded.resources.dir", scratch.resolve("hive-resources").toString())
        .config("spark.hadoop.hive.querylog.location", scratch.resolve("hive-querylog").toString())
        .config("spark.hadoop.hive.server2.logging.operation.log.location", scratch.resolve("operation-logs").toString())
        // Without this a metastore filter hook empties getTables after the first statement.
        .config("spark.hadoop.hive.security.authorization.manager",
            "org.apache.hadoop.hive.ql.security.authorization.DefaultHiveAuthorizationProvider");
    if (onLoopback(config.sparkMaster())) {
      // One machine: stay on loopback instead of whatever the hostname resolves to.
      builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
    }
    config.sparkConf().forEach(builder::config);
    extra.forEach(builder::config);
    if (ExecutorJars.needed(config.sparkMaster())) {
      // Executors in other JVMs get the platform's jars from the driver, after any the user listed.
      String jars = ExecutorJars.sparkJars(extra.getOrDefault("spark.jars", config.sparkConf().get("spark.jars")),
          scratch.resolve("executor-jars"));
      builder.config("spark.jars", jars);
      LOG.info("Shipping to executors: {}", jars);
    }

    SparkSession spark = builder.getOrCreate();
    // USE default (what a JDBC URL without a database sends) must find a namespace in lake.
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + LakeCatalog.NAME + ".`default`");
    LOG.info("Spark {} on {}; catalog lake -> {} (warehouse {})", spark.version(), spark.sparkContext().master(),
        FeaturelakeConfig.maskUrl(db.url()), config.warehouse());
    return spark;
  }

  /** Local mode, or a cluster manager on this machine's loopback (run_cluster.sh): the driver binds there too. */
  static boolean onLoopback(String master) {
    return master.startsWith("local") || master.contains("://127.0.0.1:") || master.contains("://localhost:");
  }
}
