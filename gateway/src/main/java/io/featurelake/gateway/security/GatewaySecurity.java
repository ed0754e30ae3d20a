package io.featurelake.gateway.security;

import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.session.Platform;
import io.featurelake.sqlcatalog.config.ConfigException;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import io.featurelake.sqlcatalog.database.CatalogDatabase;
import io.featurelake.sqlcatalog.security.AccessControl;
import io.featurelake.sqlcatalog.security.AccessDeniedException;
import io.featurelake.sqlcatalog.security.AuditLogRepository;
import io.featurelake.sqlcatalog.security.LoginThrottle;
import io.featurelake.sqlcatalog.security.PasswordHasher;
import io.featurelake.sqlcatalog.security.PasswordLogin;
import io.featurelake.sqlcatalog.security.Permission;
import io.featurelake.sqlcatalog.security.Role;
import io.featurelake.sqlcatalog.security.Principal;
import io.featurelake.sqlcatalog.security.UserRepository;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * The gateway's security set-up: the Thrift server's authentication settings, the start-up rule
 * (no authentication only on loopback), and this JVM's {@link AccessControl} and
 * {@link PasswordLogin}, which Spark-instantiated code (the login hook, the statement guard,
 * procedures) finds here.
 */
public final class GatewaySecurity {

  /** Hive reads the custom provider's class from a fresh {@code HiveConf} per login: a system property. */
  static final String CUSTOM_PROVIDER_PROPERTY = "hive.server2.custom.authentication.class";

  private static volatile AccessControl access;
  private static volatile PasswordLogin login;

  private GatewaySecurity() {}

  /**
   * The Thrift server settings for {@code config}; refuses a non-loopback bind address without
   * authentication and a missing keystore with a one-line message naming the setting.
   */
  public static Map<String, String> thriftSettings(FeaturelakeConfig config) {
    String host = config.gatewayBindHost();
    if (!config.gatewayAuthentication() && !isLoopback(host)) {
      throw new ConfigException(FeaturelakeConfig.GATEWAY_BIND_HOST + "=" + host + " is not a loopback address, so "
          + FeaturelakeConfig.GATEWAY_AUTHENTICATION + " must be password (it is none); add users with "
          + "./run_gateway.sh --add-user NAME --role admin");
    }
    Map<String, String> settings = new HashMap<>();
    // With substitution on, a client's hive.server2.proxy.user would make it anyone.
    settings.put("spark.hadoop.hive.server2.allow.user.substitution", "false");
    if (config.gatewayAuthentication()) {
      settings.put("spark.hadoop.hive.server2.authentication", "CUSTOM");
      System.setProperty(CUSTOM_PROVIDER_PROPERTY, LakeAuthenticationProvider.class.getName());
    } else {
      settings.put("spark.hadoop.hive.server2.authentication", "NONE");
    }
    config.gatewayTlsKeystore().ifPresent(keystore -> {
      if (!Files.isReadable(keystore)) {
        throw new ConfigException(FeaturelakeConfig.GATEWAY_TLS_KEYSTORE + " names " + keystore
            + ", which is not a readable file");
      }
      settings.put("spark.hadoop.hive.server2.use.SSL", "true");
      settings.put("spark.hadoop.hive.server2.keystore.path", keystore.toAbsolutePath().toString());
      settings.put("spark.hadoop.hive.server2.keystore.password", config.gatewayTlsKeystorePassword());
    });
    return settings;
  }

  /** Makes the users of {@code db} this JVM's gateway users (called once the catalog database is migrated). */
  public static void install(FeaturelakeConfig config, CatalogDatabase db) {
    UserRepository users = new UserRepository(db);
    AuditLogRepository log = new AuditLogRepository(db);
    access = new AccessControl(users, log, config.gatewayAuthentication());
    login = config.gatewayAuthentication() ? new PasswordLogin(users, log, new PasswordHasher(), new LoginThrottle()) : null;
  }

  static PasswordLogin login() {
    PasswordLogin l = login;
    if (l == null) {
      throw new IllegalStateException("Password authentication is not configured in this JVM");
    }
    return l;
  }

  /**
   * The access control for the code on this thread: the gateway's for a client statement; for a
   * job without a client (run_*.sh, a test's local session) one without authentication on the
   * current platform's database.
   */
  public static AccessControl access() {
    AccessControl a = access;
    if (SessionUser.client() != null && a != null) {
      return a;
    }
    CatalogDatabase db = Platform.current().catalogDatabase();
    return new AccessControl(new UserRepository(db), new AuditLogRepository(db), false);
  }

  /** The principal of the code on this thread: the client's, or the OS user's as admin. */
  public static Principal principal() {
    String client = SessionUser.client();
    return client == null ? AccessControl.script() : access().principal(client);
  }

  /**
   * JDBC metadata calls (DBeaver's tree) follow the read grant: a disabled or removed account's
   * open session lists nothing. {@code sessionUser} is the Thrift session's user; without the
   * gateway's security installed (a test's embedded server) nothing is checked.
   */
  public static void requireRead(String sessionUser, String call) {
    AccessControl a = access;
    if (a == null || sessionUser == null || sessionUser.isEmpty()) {
      return;
    }
    Principal who = a.principal(sessionUser);
    if (!who.may(Permission.READ)) {
      throw denied(a.refuse(who, "metadata " + call, null, who.describe() + " may not call " + call
          + (who.role() == null ? "; an admin can enable_user it" : "; it needs role " + Role.holdersOf(Permission.READ))));
    }
  }

  /** The platform's error for a refusal (already recorded by {@link AccessControl}). */
  static PlatformException denied(AccessDeniedException e) {
    return new PlatformException(ErrorCode.PERMISSION_DENIED, e.getMessage());
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
