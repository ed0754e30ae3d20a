package io.featurelake.sqlcatalog.security;

import java.time.OffsetDateTime;

/**
 * One row of {@code audit_log}: who (user and role at the time), when, what (action and target),
 * and how it ended. {@code entryId} is 0 before it is stored.
 */
public record AuditEntry(long entryId, OffsetDateTime at, String user, String role, String action, String target,
    Outcome outcome, String detail) {

  /** How an action ended. */
  public enum Outcome {
    /** A privileged action began (updated to SUCCEEDED or FAILED when it ends). */
    STARTED,
    SUCCEEDED,
    FAILED,
    /** An admin's out-of-band write, allowed and recorded before it runs. */
    ALLOWED,
    REFUSED
  }
}
