package io.featurelake.sqlcatalog.security;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The one place where a grant is checked and the outcome recorded. The gateway asks it before
 * every platform procedure and for every client statement that writes; the decision depends only
 * on the principal's current role, read from {@code platform_users} (cached for
 * {@link #ROLE_CACHE} so a statement costs a map lookup, and dropped at once on this JVM when an
 * admin changes the user).
 */
public final class AccessControl {

  public static final Duration ROLE_CACHE = Duration.ofSeconds(2);

  private record CachedRole(Optional<Role> role, long readAtNanos) {}

  private final UserRepository users;
  private final AuditLogRepository auditLog;
  private final boolean authenticationOn;
  private final Map<String, CachedRole> roles = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime = System::nanoTime;

  public AccessControl(UserRepository users, AuditLogRepository auditLog, boolean authenticationOn) {
    this.users = users;
    this.auditLog = auditLog;
    this.authenticationOn = authenticationOn;
  }

  public boolean authenticationOn() {
    return authenticationOn;
  }

  public UserRepository users() {
    return users;
  }

  public AuditLogRepository auditLog() {
    return auditLog;
  }

  /**
   * The principal of a client session. With authentication off (loopback only) every client is
   * admin under the name it gave: one person's machine.
   */
  public Principal principal(String sessionUser) {
    if (!authenticationOn) {
      return new Principal(sessionUser, Role.ADMIN);
    }
    long now = nanoTime.getAsLong();
    CachedRole cached = roles.get(sessionUser);
    if (cached == null || now - cached.readAtNanos() > ROLE_CACHE.toNanos()) {
      Optional<Role> role = users.find(sessionUser).filter(u -> !u.disabled()).map(PlatformUser::role);
      cached = new CachedRole(role, now);
      roles.put(sessionUser, cached);
    }
    return new Principal(sessionUser, cached.role().orElse(null));
  }

  /** The principal of a command-line script: the OS user, as admin (docs/security.md says why). */
  public static Principal script() {
    return new Principal(System.getProperty("user.name", "unknown"), Role.ADMIN);
  }

  /** Forgets the cached role of {@code user} (after an admin changed it). */
  public void forget(String user) {
    roles.remove(user);
  }

  /**
   * Checks a platform procedure call; refused calls are recorded and thrown. Returns the id of
   * the STARTED audit entry of a privileged call (finish it with {@link #finished}), else -1.
   */
  public long beginProcedure(Principal who, String procedure, Map<String, Object> args, String target) {
    return beginProcedure(who, procedure, args, target, null);
  }

  /**
   * As {@link #beginProcedure(Principal, String, Map, String)}, for a call on one run started by
   * {@code runOwner} (null when the run is unknown: the procedure reports that itself). A user
   * who may cancel only their own runs is refused another user's run.
   */
  public long beginProcedure(Principal who, String procedure, Map<String, Object> args, String target, String runOwner) {
    checkProcedure(who, procedure, args, target, runOwner);
    if (!ProcedureGrants.privileged(procedure)) {
      return -1;
    }
    return auditLog.record(who.name(), who.role(), "call " + procedure, target, AuditEntry.Outcome.STARTED, null);
  }

  /**
   * The grant check alone (a refusal is recorded and thrown, an allowed call is not recorded):
   * for a door that checks before it hands the call to the gateway, which checks and records again.
   */
  public void checkProcedure(Principal who, String procedure, Map<String, Object> args, String target, String runOwner) {
    Set<Permission> needed = ProcedureGrants.required(procedure, args);
    String action = "call " + procedure;
    for (Permission p : needed) {
      if (!who.may(p)) {
        String hint = procedure.equals("start_backfill") && p == Permission.PUBLISH && who.may(Permission.START_BACKFILL)
            ? "; call it with publish => false and ask a publisher to publish(run_id)" : "";
        throw refuse(who, action, target, who.describe() + " may not call lake.platform."
            + procedure + (hint.isEmpty() ? "" : " with publish => true") + "; it needs role " + Role.holdersOf(p) + hint);
      }
    }
    if (runOwner != null && ProcedureGrants.ownRunOnly(procedure) && !who.may(Permission.CANCEL_ANY_RUN)
        && !runOwner.equals(who.name())) {
      throw refuse(who, action, target, who.describe() + " may not call lake.platform." + procedure + " on run "
          + args.get("run_id") + ", which " + UserNames.quote(runOwner) + " started: it may cancel only its own runs; "
          + "anyone's run needs role " + Role.holdersOf(Permission.CANCEL_ANY_RUN));
    }
  }

  public void finished(long entryId, boolean succeeded, String detail) {
    if (entryId >= 0) {
      auditLog.finish(entryId, succeeded ? AuditEntry.Outcome.SUCCEEDED : AuditEntry.Outcome.FAILED, detail);
    }
  }

  /** Records a refusal and returns the exception to throw; {@code message} is the one line the client sees. */
  public AccessDeniedException refuse(Principal who, String action, String target, String message) {
    auditLog.record(who.name(), who.role(), action, target, AuditEntry.Outcome.REFUSED, message);
    return new AccessDeniedException(message);
  }

  /** Records an admin's out-of-band write before it runs. */
  public void allowedOutOfBand(Principal who, String action, String target) {
    auditLog.record(who.name(), who.role(), action, target, AuditEntry.Outcome.ALLOWED,
        "out-of-band: bypasses Write-Audit-Publish");
  }
}
