package io.featurelake.gateway.session;

import io.featurelake.gateway.runs.JobExecutor;
import io.featurelake.gateway.runs.RunExecutor;
import io.featurelake.gateway.runs.WorkPool;
import io.featurelake.sqlcatalog.jobs.JobRepository;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import io.featurelake.sqlcatalog.database.CatalogDatabase;
import io.featurelake.sqlcatalog.runs.RunRepository;
import java.util.Optional;

/**
 * What the platform's code in this JVM shares: configuration and catalog database, plus the
 * gateway's JDBC URL when a gateway runs here. Spark instantiates catalogs and procedures
 * reflectively, so they find it here rather than through constructors.
 */
public final class Platform {

  private static volatile Platform current;

  private final FeaturelakeConfig config;
  private final CatalogDatabase catalogDatabase;
  private volatile String gatewayUrl;
  private WorkPool pool;
  private RunExecutor runs;
  private JobExecutor jobs;

  private Platform(FeaturelakeConfig config, CatalogDatabase catalogDatabase) {
    this.config = config;
    this.catalogDatabase = catalogDatabase;
  }

  /** Makes this JVM's platform context current; replaces a previous one (tests start several). */
  public static Platform install(FeaturelakeConfig config, CatalogDatabase catalogDatabase) {
    Platform platform = new Platform(config, catalogDatabase);
    current = platform;
    return platform;
  }

  public static Platform current() {
    Platform platform = current;
    if (platform == null) {
      throw new IllegalStateException("The featurelake platform is not initialised in this JVM; "
          + "start it through LakeSessions.create (the gateway and the run_*.sh jobs do)");
    }
    return platform;
  }

  public FeaturelakeConfig config() {
    return config;
  }

  public CatalogDatabase catalogDatabase() {
    return catalogDatabase;
  }

  public Optional<String> gatewayUrl() {
    return Optional.ofNullable(gatewayUrl);
  }

  public void gatewayUrl(String url) {
    this.gatewayUrl = url;
  }

  /** The bounded pool shared by asynchronous runs and jobs; created on first use. */
  private synchronized WorkPool pool() {
    if (pool == null) {
      pool = new WorkPool(config.runWorkers(), config.runQueue());
    }
    return pool;
  }

  /** The runs this JVM works on (asynchronous and cancellable ones); created on first use. */
  public synchronized RunExecutor runs() {
    if (runs == null) {
      runs = new RunExecutor(pool(), new RunRepository(catalogDatabase));
    }
    return runs;
  }

  /** The jobs (asynchronous sync_online / run_maintenance) this JVM works on; created on first use. */
  public synchronized JobExecutor jobs() {
    if (jobs == null) {
      jobs = new JobExecutor(pool(), new JobRepository(catalogDatabase));
    }
    return jobs;
  }

  /** Stops taking asynchronous runs and jobs (the gateway is stopping); work in flight is left as it is. */
  public synchronized void closeRuns() {
    if (jobs != null) {
      jobs.close();
    }
    if (pool != null) {
      pool.close();
    }
  }
}
