package io.featurelake.sqlcatalog.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The platform configuration: built-in defaults, then an optional file, then environment
 * variables, then JVM system properties. Immutable once loaded.
 *
 * <p>Longer than the project's ~400-line guide on purpose: it is the one flat list of every setting
 * (a key constant and a typed, checked accessor per setting, each a few lines) that every door reads;
 * splitting it by door would put the same key's parsing in two places.
 */
public final class FeaturelakeConfig {

  public static final String HOME = "featurelake.home";
  public static final String SPARK_MASTER = "featurelake.spark.master";
  public static final String SPARK_APP_NAME = "featurelake.spark.app-name";
  public static final String SPARK_UI_ENABLED = "featurelake.spark.ui-enabled";
  public static final String WAREHOUSE = "featurelake.warehouse";
  public static final String CATALOG_DB_URL = "featurelake.catalog-db.url";
  public static final String CATALOG_DB_USER = "featurelake.catalog-db.user";
  public static final String CATALOG_DB_PASSWORD = "featurelake.catalog-db.password";
  public static final String GATEWAY_PORT = "featurelake.gateway.port";
  public static final String GATEWAY_BIND_HOST = "featurelake.gateway.bind-host";
  public static final String GATEWAY_AUTHENTICATION = "featurelake.gateway.authentication";
  public static final String GATEWAY_TLS_KEYSTORE = "featurelake.gateway.tls.keystore";
  public static final String GATEWAY_TLS_KEYSTORE_PASSWORD = "featurelake.gateway.tls.keystore-password";
  public static final String UI_LOGIN = "featurelake.ui.login";
  public static final String UI_SESSION_TIMEOUT_MINUTES = "featurelake.ui.session-timeout-minutes";
  public static final String UI_GATEWAY_CONNECT_TIMEOUT_SECONDS = "featurelake.ui.gateway-connect-timeout-seconds";
  public static final String UI_GATEWAY_READ_TIMEOUT_SECONDS = "featurelake.ui.gateway-read-timeout-seconds";
  public static final String FEATURES_DIR = "featurelake.features.dir";
  public static final String ALERTS_WEBHOOK_URL = "featurelake.alerts.webhook-url";
  public static final String ABANDON_AFTER_MINUTES = "featurelake.backfill.abandon-after-minutes";
  public static final String FAILED_BRANCH_RETENTION_HOURS = "featurelake.audit.failed-branch-retention-hours";
  public static final String REDIS_URL = "featurelake.redis.url";
  public static final String REDIS_PASSWORD = "featurelake.redis.password";
  public static final String REDIS_CLUSTER_NODES = "featurelake.redis.cluster-nodes";
  public static final String REDIS_TIMEOUT_MS = "featurelake.redis.timeout-ms";
  public static final String ONLINE_KEY_PREFIX = "featurelake.online.key-prefix";
  public static final String ONLINE_BATCH_SIZE = "featurelake.online.batch-size";
  public static final String ONLINE_PIPELINE_DEPTH = "featurelake.online.pipeline-depth";
  public static final String ONLINE_ABANDON_AFTER_MINUTES = "featurelake.online.abandon-after-minutes";
  public static final String RUN_WORKERS = "featurelake.runs.workers";
  public static final String RUN_QUEUE = "featurelake.runs.queue";

  /** Environment variable naming the configuration file. */
  public static final String CONFIG_FILE_ENV = "FEATURELAKE_CONFIG";

  private static final String DEFAULTS_RESOURCE = "/featurelake-defaults.properties";
  private static final String DEFAULT_FILE_NAME = "featurelake.properties";
  private static final String HOME_PLACEHOLDER = "${" + HOME + "}";

  private final Map<String, String> values;
  private final Map<String, String> sparkConf;
  private final Optional<Path> sourceFile;

  private FeaturelakeConfig(Map<String, String> values, Map<String, String> sparkConf, Optional<Path> sourceFile) {
    this.values = Collections.unmodifiableMap(values);
    this.sparkConf = Collections.unmodifiableMap(sparkConf);
    this.sourceFile = sourceFile;
  }

  /** Loads from the process environment, system properties and the working directory. */
  public static FeaturelakeConfig load() {
    return load(System.getenv(), System.getProperties(), Path.of("").toAbsolutePath());
  }

  /** Loads with explicit inputs, so tests do not depend on the process environment. */
  public static FeaturelakeConfig load(Map<String, String> env, Properties systemProperties, Path workingDir) {
    Properties defaults = readDefaults();
    Map<String, String> values = new TreeMap<>();
    defaults.stringPropertyNames().forEach(k -> values.put(k, defaults.getProperty(k).trim()));

    Map<String, String> sparkConf = new TreeMap<>();
    Optional<Path> file = locateFile(env, workingDir);
    file.ifPresent(path -> {
      Properties fromFile = readFile(path);
      for (String key : fromFile.stringPropertyNames()) {
        String value = fromFile.getProperty(key).trim();
        if (key.startsWith("spark.")) {
          sparkConf.put(key, value);
        } else if (values.containsKey(key)) {
          values.put(key, value);
        } else {
          throw new ConfigException("Unknown configuration key '" + key + "' in " + path
              + "; known keys: " + String.join(", ", values.keySet()));
        }
      }
    });

    for (String key : values.keySet()) {
      String fromEnv = env.get(environmentName(key));
      if (fromEnv != null) {
        values.put(key, fromEnv.trim());
      }
      String fromSys = systemProperties.getProperty(key);
      if (fromSys != null) {
        values.put(key, fromSys.trim());
      }
    }
    Path home = workingDir.resolve(values.get(HOME)).normalize().toAbsolutePath();
    values.put(HOME, home.toString());
    values.replaceAll((k, v) -> v.replace(HOME_PLACEHOLDER, home.toString()));
    values.put(FEATURES_DIR, workingDir.resolve(values.get(FEATURES_DIR)).normalize().toAbsolutePath().toString());
    FeaturelakeConfig config = new FeaturelakeConfig(values, sparkConf, file);
    config.validate();
    return config;
  }

  /** Environment variable that overrides {@code key}. */
  public static String environmentName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  public String get(String key) {
    String value = values.get(key);
    if (value == null) {
      throw new ConfigException("Unknown configuration key '" + key + "'");
    }
    return value;
  }

  public Path home() {
    return Path.of(get(HOME));
  }

  public String sparkMaster() {
    return get(SPARK_MASTER);
  }

  public String sparkAppName() {
    return get(SPARK_APP_NAME);
  }

  public boolean sparkUiEnabled() {
    return Boolean.parseBoolean(get(SPARK_UI_ENABLED));
  }

  /** Warehouse as a URI string; a plain local path becomes an absolute path. */
  public String warehouse() {
    String raw = get(WAREHOUSE);
    if (raw.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !raw.matches("^[a-zA-Z]:\\\\.*")) {
      return raw;
    }
    return home().resolve(raw).normalize().toAbsolutePath().toString();
  }

  public boolean embeddedCatalogDatabase() {
    return get(CATALOG_DB_URL).isEmpty();
  }

  /** JDBC URL of the catalog database; the embedded H2 file database when none is configured. */
  public String catalogDbUrl() {
    String url = get(CATALOG_DB_URL);
    if (!url.isEmpty()) {
      return url;
    }
    Path file = home().resolve("catalog").resolve("featurelake");
    // DATABASE_TO_LOWER keeps identifiers lower-case like PostgreSQL (Iceberg's JDBC catalog
    // fails on the second connection without it); AUTO_SERVER lets a second JVM share the file.
    // DB_CLOSE_DELAY=-1 keeps the database open until the JVM exits: without it H2 closes the file
    // when the last connection closes and reopens it on the next, and under CPU load a reopen that
    // overlapped the close came back with an older state of the file (committed rows and even
    // migrated columns gone; seen in the repository ITs about one run in two at load average 20).
    return "jdbc:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE;DB_CLOSE_DELAY=-1";
  }

  public String catalogDbUser() {
    return get(CATALOG_DB_USER);
  }

  public String catalogDbPassword() {
    return get(CATALOG_DB_PASSWORD);
  }

  public int gatewayPort() {
    return Integer.parseInt(get(GATEWAY_PORT));
  }

  public String gatewayBindHost() {
    return get(GATEWAY_BIND_HOST);
  }

  /**
   * The JDBC URL a client on this machine uses for the configured gateway: a gateway listening on
   * every interface is reached on loopback (beeline through run_gateway.sh, the web UI).
   */
  public String gatewayClientUrl() {
    String host = gatewayBindHost();
    if (host.equals("0.0.0.0") || host.equals("::") || host.isBlank()) {
      host = "127.0.0.1";
    }
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "jdbc:hive2://" + host + ":" + gatewayPort() + "/";
  }

  /** Whether gateway clients log in with a user name and password ({@code password}) or not ({@code none}). */
  public boolean gatewayAuthentication() {
    return get(GATEWAY_AUTHENTICATION).equals("password");
  }

  /** Whether people log in to the web UI; unset, it follows the gateway's authentication. */
  public boolean uiLogin() {
    String login = get(UI_LOGIN);
    return login.isEmpty() ? gatewayAuthentication() : login.equals("password");
  }

  public int uiSessionTimeoutMinutes() {
    return Integer.parseInt(get(UI_SESSION_TIMEOUT_MINUTES));
  }

  /** How long the web UI waits for the gateway to open a connection (login included) or to answer the check of a kept one. */
  public java.time.Duration uiGatewayConnectTimeout() {
    return java.time.Duration.ofSeconds(Long.parseLong(get(UI_GATEWAY_CONNECT_TIMEOUT_SECONDS)));
  }

  /** How long the web UI waits for any one reply of the gateway while a statement runs (bounds a statement's run time). */
  public java.time.Duration uiGatewayReadTimeout() {
    return java.time.Duration.ofSeconds(Long.parseLong(get(UI_GATEWAY_READ_TIMEOUT_SECONDS)));
  }

  /** Keystore (JKS or PKCS12) that turns on TLS for the gateway's Thrift port; empty = plain TCP. */
  public Optional<Path> gatewayTlsKeystore() {
    String path = get(GATEWAY_TLS_KEYSTORE);
    return path.isBlank() ? Optional.empty() : Optional.of(Path.of(path));
  }

  public String gatewayTlsKeystorePassword() {
    return get(GATEWAY_TLS_KEYSTORE_PASSWORD);
  }

  /** Directory of the feature-view definition files. */
  public Path featuresDir() {
    return Path.of(get(FEATURES_DIR));
  }

  /** Webhook that receives alerts, if configured. */
  public Optional<String> alertsWebhookUrl() {
    String url = get(ALERTS_WEBHOOK_URL);
    return url.isBlank() ? Optional.empty() : Optional.of(url);
  }

  public long abandonAfterMinutes() {
    return Long.parseLong(get(ABANDON_AFTER_MINUTES));
  }

  /** How long the branch of a run that failed its audit is kept for inspection or an override; zero drops it at once. */
  public java.time.Duration failedBranchRetention() {
    return java.time.Duration.ofHours(Long.parseLong(get(FAILED_BRANCH_RETENTION_HOURS)));
  }

  /** Redis URL of the online store: {@code redis://host:port/db} or {@code rediss://} for TLS. */
  public String redisUrl() {
    return get(REDIS_URL);
  }

  public String redisPassword() {
    return get(REDIS_PASSWORD);
  }

  /** Redis Cluster seed nodes ({@code host:port}); empty means a standalone Redis. */
  public java.util.List<String> redisClusterNodes() {
    return java.util.Arrays.stream(get(REDIS_CLUSTER_NODES).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  public int redisTimeoutMs() {
    return Integer.parseInt(get(REDIS_TIMEOUT_MS));
  }

  public String onlineKeyPrefix() {
    return get(ONLINE_KEY_PREFIX);
  }

  public int onlineBatchSize() {
    return Integer.parseInt(get(ONLINE_BATCH_SIZE));
  }

  public int onlinePipelineDepth() {
    return Integer.parseInt(get(ONLINE_PIPELINE_DEPTH));
  }

  /** A RUNNING sync without a heartbeat for this long is abandoned (its process is gone). */
  public java.time.Duration onlineAbandonAfter() {
    return java.time.Duration.ofMinutes(Long.parseLong(get(ONLINE_ABANDON_AFTER_MINUTES)));
  }

  /** How many runs started with {@code wait => false} work at the same time in the gateway. */
  public int runWorkers() {
    return positive(RUN_WORKERS, 1);
  }

  /** How many more such runs may wait (PENDING) for a worker before a start is refused. */
  public int runQueue() {
    return positive(RUN_QUEUE, 0);
  }

  private int positive(String key, int min) {
    String text = get(key);
    try {
      int value = Integer.parseInt(text.strip());
      if (value >= min) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(key + " must be a whole number of at least " + min + ", got '" + text + "'");
  }

  /** Extra {@code spark.*} settings from the configuration file, passed to Spark unchanged. */
  public Map<String, String> sparkConf() {
    return sparkConf;
  }

  public Optional<Path> sourceFile() {
    return sourceFile;
  }

  /** All values with secrets masked, for logs and {@code describe()}. */
  public Map<String, String> masked() {
    Map<String, String> copy = new LinkedHashMap<>(values);
    copy.computeIfPresent(CATALOG_DB_PASSWORD, (k, v) -> v.isEmpty() ? "" : "****");
    copy.put(CATALOG_DB_URL, maskUrl(catalogDbUrl()));
    copy.computeIfPresent(REDIS_PASSWORD, (k, v) -> v.isEmpty() ? "" : "****");
    copy.computeIfPresent(GATEWAY_TLS_KEYSTORE_PASSWORD, (k, v) -> v.isEmpty() ? "" : "****");
    copy.put(REDIS_URL, maskUrl(redisUrl()));
    return copy;
  }

  /** Masks a password given inside a JDBC URL ({@code password=...} or {@code user:pass@}). */
  public static String maskUrl(String url) {
    return url
        .replaceAll("(?i)(password=)[^&;]*", "$1****")
        .replaceAll("(//[^/:@]+:)[^@/]+@", "$1****@");
  }

  private void validate() {
    int port;
    try {
      port = Integer.parseInt(get(GATEWAY_PORT));
    } catch (NumberFormatException e) {
      throw new ConfigException(GATEWAY_PORT + " must be a port number, got '" + get(GATEWAY_PORT) + "'");
    }
    if (port < 0 || port > 65535) {
      throw new ConfigException(GATEWAY_PORT + " must be between 0 and 65535, got " + port);
    }
    try {
      if (Long.parseLong(get(ABANDON_AFTER_MINUTES)) < 1) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new ConfigException(ABANDON_AFTER_MINUTES + " must be a whole number of minutes >= 1, got '"
          + get(ABANDON_AFTER_MINUTES) + "'");
    }
    String webhook = get(ALERTS_WEBHOOK_URL);
    if (!webhook.isBlank() && !webhook.startsWith("http://") && !webhook.startsWith("https://")) {
      throw new ConfigException(ALERTS_WEBHOOK_URL + " must be an http:// or https:// URL, got '" + webhook + "'");
    }
    if (get(SPARK_MASTER).isEmpty()) {
      throw new ConfigException(SPARK_MASTER + " must not be empty (use local[*] for one machine)");
    }
    String auth = get(GATEWAY_AUTHENTICATION);
    if (!auth.equals("none") && !auth.equals("password")) {
      throw new ConfigException(GATEWAY_AUTHENTICATION + " must be none or password, got '" + auth + "'");
    }
    String uiLogin = get(UI_LOGIN);
    if (!uiLogin.isEmpty() && !uiLogin.equals("none") && !uiLogin.equals("password")) {
      throw new ConfigException(UI_LOGIN + " must be none or password (or empty: as the gateway), got '" + uiLogin + "'");
    }
    positive(UI_SESSION_TIMEOUT_MINUTES, 1, 10_080);
    positive(UI_GATEWAY_CONNECT_TIMEOUT_SECONDS, 1, 3_600);
    positive(UI_GATEWAY_READ_TIMEOUT_SECONDS, 1, 86_400);
    String redis = get(REDIS_URL);
    if (!redis.startsWith("redis://") && !redis.startsWith("rediss://")) {
      throw new ConfigException(REDIS_URL + " must be a redis:// or rediss:// URL, got '" + maskUrl(redis) + "'");
    }
    for (String node : redisClusterNodes()) {
      if (!node.matches("[^:\\s]+:\\d{1,5}")) {
        throw new ConfigException(REDIS_CLUSTER_NODES + " must be comma-separated host:port pairs, got '" + node + "'");
      }
    }
    positive(REDIS_TIMEOUT_MS, 1, 3_600_000);
    positive(ONLINE_BATCH_SIZE, 1, 100_000);
    positive(ONLINE_PIPELINE_DEPTH, 1, 10_000);
    positive(ONLINE_ABANDON_AFTER_MINUTES, 1, 10_080);
    positive(FAILED_BRANCH_RETENTION_HOURS, 0, 87_600);
    if (!get(ONLINE_KEY_PREFIX).matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new ConfigException(ONLINE_KEY_PREFIX + " must be 1 to 64 letters, digits, '_', '.' or '-', got '"
          + get(ONLINE_KEY_PREFIX) + "'");
    }
    String url = get(CATALOG_DB_URL);
    if (!url.isEmpty() && !url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
      throw new ConfigException(CATALOG_DB_URL + " must be a jdbc:postgresql: or jdbc:h2: URL, got '" + maskUrl(url) + "'");
    }
  }

  private void positive(String key, long min, long max) {
    long value;
    try {
      value = Long.parseLong(get(key));
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be a whole number, got '" + get(key) + "'");
    }
    if (value < min || value > max) {
      throw new ConfigException(key + " must be between " + min + " and " + max + ", got " + value);
    }
  }

  private static Optional<Path> locateFile(Map<String, String> env, Path workingDir) {
    String named = env.get(CONFIG_FILE_ENV);
    if (named != null && !named.isBlank()) {
      Path path = workingDir.resolve(named);
      if (!Files.isRegularFile(path)) {
        throw new ConfigException(CONFIG_FILE_ENV + " names " + path + ", which is not a readable file");
      }
      return Optional.of(path);
    }
    Path implicit = workingDir.resolve(DEFAULT_FILE_NAME);
    return Files.isRegularFile(implicit) ? Optional.of(implicit) : Optional.empty();
  }

  private static Properties readDefaults() {
    Properties properties = new Properties();
    try (InputStream in = FeaturelakeConfig.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Missing " + DEFAULTS_RESOURCE + " on the class path");
      }
      properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }

  private static Properties readFile(Path path) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new ConfigException("Cannot read configuration file " + path + ": " + e.getMessage());
    }
    return properties;
  }
}
