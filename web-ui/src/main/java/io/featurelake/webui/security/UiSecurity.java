package io.featurelake.webui.security;

import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.server.VaadinSession;
import io.featurelake.sqlcatalog.config.ConfigException;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import io.featurelake.sqlcatalog.core.PlatformCore;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.security.AccessControl;
import io.featurelake.sqlcatalog.security.AccessDeniedException;
import io.featurelake.sqlcatalog.security.AuditLogRepository;
import io.featurelake.sqlcatalog.security.LoginFailedException;
import io.featurelake.sqlcatalog.security.LoginThrottle;
import io.featurelake.sqlcatalog.security.PasswordHasher;
import io.featurelake.sqlcatalog.security.PasswordLogin;
import io.featurelake.sqlcatalog.security.Permission;
import io.featurelake.sqlcatalog.security.Principal;
import io.featurelake.sqlcatalog.security.ProcedureGrants;
import io.featurelake.sqlcatalog.security.Role;
import io.featurelake.sqlcatalog.security.UserRepository;
import io.featurelake.webui.common.Call;
import io.featurelake.webui.gateway.GatewayClient;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Who uses the UI and what they may do, with the gateway's own rules: the same users and
 * password check ({@link PasswordLogin}: same one-line message, same slow-down, same audit
 * entries), the same role table and grant check ({@link AccessControl}), read again every 2 s so
 * a disabled user stops at once. Pages hide what the role may not do; every action is checked
 * here again before it goes to the gateway, which the session reaches through one connection
 * opened as the logged-in user, and which checks and records a third time. With login off
 * (loopback only) the UI acts as the OS user with role admin, like the scripts.
 */
public final class UiSecurity {

  private final boolean loginOn;
  private final PasswordLogin login;
  private final AccessControl access;
  private final PlatformCore core;
  private final UiUser osUser = new UiUser(System.getProperty("user.name", "unknown"), null);

  public UiSecurity(FeaturelakeConfig config, PlatformCore core, String bindHost) {
    checkStartup(config, bindHost);
    this.loginOn = config.uiLogin();
    this.core = core;
    UserRepository users = new UserRepository(core.database());
    AuditLogRepository log = new AuditLogRepository(core.database());
    this.access = new AccessControl(users, log, loginOn);
    this.login = loginOn ? new PasswordLogin(users, log, new PasswordHasher(), new LoginThrottle()) : null;
  }

  /** Login off serves everyone who reaches the port as admin: only on loopback, and only when the gateway agrees. */
  static void checkStartup(FeaturelakeConfig config, String bindHost) {
    if (config.uiLogin()) {
      return;
    }
    if (config.gatewayAuthentication()) {
      throw new ConfigException(FeaturelakeConfig.UI_LOGIN + " is none but " + FeaturelakeConfig.GATEWAY_AUTHENTICATION
          + " is password: the web UI opens the gateway's connections as the logged-in user, so set "
          + FeaturelakeConfig.UI_LOGIN + "=password");
    }
    if (!isLoopback(bindHost)) {
      throw new ConfigException("FEATURELAKE_UI_BIND_HOST=" + bindHost + " is not a loopback address, so "
          + FeaturelakeConfig.UI_LOGIN + " must be password (it is none); add users with ./run_gateway.sh --add-user NAME --role ROLE");
    }
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The UI's security from a view or a listener (the Spring bean). */
  public static UiSecurity current() {
    return VaadinService.getCurrent().getInstantiator().getOrCreate(UiSecurity.class);
  }

  public boolean loginOn() {
    return loginOn;
  }

  /** The session's user: with login off the OS user, else whoever logged in (empty: nobody yet). */
  public Optional<UiUser> user() {
    if (!loginOn) {
      return Optional.of(osUser);
    }
    VaadinSession session = VaadinSession.getCurrent();
    return Optional.ofNullable(session == null ? null : session.getAttribute(UiUser.class));
  }

  /** The session's user with the role they hold now (a null role: disabled or removed since login). */
  public Principal principal() {
    return access.principal(user().map(UiUser::name).orElse(""));
  }

  public boolean may(Permission permission) {
    return user().isPresent() && principal().may(permission);
  }

  /** Whether the session's user may cancel a run {@code owner} started. */
  public boolean mayCancel(String owner) {
    Principal who = principal();
    return user().isPresent() && (who.may(Permission.CANCEL_ANY_RUN)
        || who.may(Permission.CANCEL_OWN_RUN) && who.name().equals(owner));
  }

  /**
   * Checks the name and password as the gateway does; on success the session gets a new id (no
   * fixation) and keeps the user, password included, for the gateway's connections.
   */
  public void login(String name, char[] password) throws LoginFailedException {
    Principal who = login.login(name, password);
    VaadinService.reinitializeSession(VaadinRequest.getCurrent());
    VaadinSession session = VaadinSession.getCurrent();
    forget(session); // a second login in one session starts afresh: the earlier user's connection closes
    session.setAttribute(UiUser.class, new UiUser(who.name(), password));
    access.forget(who.name());
  }

  /** Forgets the session's user and its password; the HTTP session ends. */
  public void logout() {
    VaadinSession session = VaadinSession.getCurrent();
    if (session == null) {
      return;
    }
    forget(session);
    session.getSession().invalidate();
  }

  /**
   * Closes the session's gateway connection and wipes the password it holds (logout, expiry, a
   * user disabled since login; with login off, the end of the session).
   */
  public static void forget(VaadinSession session) {
    GatewayClient.Login gateway = session.getAttribute(GatewayClient.Login.class);
    if (gateway != null) {
      gateway.close();
      session.setAttribute(GatewayClient.Login.class, null);
    }
    UiUser user = session.getAttribute(UiUser.class);
    if (user != null) {
      user.wipe();
      session.setAttribute(UiUser.class, null);
    }
  }

  /**
   * The session's way into the gateway: one per UI session (so one gateway connection, opened at
   * its first statement and closed by {@link #forget}), as the session's user.
   */
  public GatewayClient.Login gatewayLogin() {
    UiUser user = user().orElseThrow(() -> new IllegalStateException("nobody is logged in"));
    VaadinSession session = VaadinSession.getCurrent();
    GatewayClient.Login login = session.getAttribute(GatewayClient.Login.class);
    if (login == null || !login.user().equals(user.name())) {
      if (login != null) {
        login.close();
      }
      login = new GatewayClient.Login(user.name(), user.password());
      session.setAttribute(GatewayClient.Login.class, login);
    }
    return login;
  }

  /**
   * The server-side re-check of an action before it goes to the gateway: the gateway's grant
   * check (a refusal is recorded in audit_log) with the run's owner for cancel_run. Empty: allowed.
   */
  public Optional<String> refusal(Call call) {
    if (user().isEmpty()) {
      return Optional.of("Log in first");
    }
    String owner = null;
    if (ProcedureGrants.ownRunOnly(call.procedure()) && call.values().get("run_id") instanceof Long runId) {
      owner = core.runs().find(runId).map(BackfillRun::startedBy).orElse(null);
    }
    try {
      access.checkProcedure(principal(), call.procedure(), call.values(), call.target(), owner);
      return Optional.empty();
    } catch (AccessDeniedException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** Why the session's user may not open a page that needs {@code required} (recorded), or empty. */
  public Optional<String> pageRefusal(RequiresPermission required, String path) {
    Principal who = principal();
    if (who.may(required.value())) {
      return Optional.empty();
    }
    String message = who.describe() + " may not open /" + path + ": " + required.what() + " needs role "
        + Role.holdersOf(required.value());
    return Optional.of(access.refuse(who, "web-ui /" + path, path, message).getMessage());
  }
}
