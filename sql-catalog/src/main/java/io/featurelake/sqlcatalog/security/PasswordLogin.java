package io.featurelake.sqlcatalog.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a user name and password against {@code platform_users}. Unknown users, wrong passwords
 * and disabled users fail alike (same exception, same message, a password hash verified in each
 * case so the time is alike too); the audit log, which only admins read, records which it was.
 * The password is never logged or stored in clear.
 */
public final class PasswordLogin {

  private static final Logger LOG = LoggerFactory.getLogger(PasswordLogin.class);

  private final UserRepository users;
  private final AuditLogRepository auditLog;
  private final PasswordHasher hasher;
  private final LoginThrottle throttle;
  private final String decoyHash;

  public PasswordLogin(UserRepository users, AuditLogRepository auditLog, PasswordHasher hasher, LoginThrottle throttle) {
    this.users = users;
    this.auditLog = auditLog;
    this.hasher = hasher;
    this.throttle = throttle;
    this.decoyHash = hasher.decoy();
  }

  public Principal login(String name, char[] password) throws LoginFailedException {
    String user = name == null ? "" : name;
    try {
      throttle.awaitTurn(user);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LoginFailedException();
    }
    var credentials = users.credentials(user);
    boolean passwordOk = hasher.matches(password == null ? new char[0] : password,
        credentials.map(UserRepository.Credentials::passwordHash).orElse(decoyHash));
    String reason = credentials.isEmpty() ? "unknown user"
        : !passwordOk ? "wrong password"
        : credentials.get().user().disabled() ? "user is disabled" : null;
    if (reason != null) {
      throttle.failed(user);
      LOG.info("Login refused for {}: {}", UserNames.quote(user), reason);
      auditLog.record(user, credentials.map(c -> c.user().role()).orElse(null), "login", null,
          AuditEntry.Outcome.REFUSED, reason);
      throw new LoginFailedException();
    }
    throttle.succeeded(user);
    // One line per login: at the gateway, one per JDBC connection (what a client pays a hash for).
    LOG.info("Login accepted for {}", UserNames.quote(user));
    return new Principal(user, credentials.get().user().role());
  }
}
