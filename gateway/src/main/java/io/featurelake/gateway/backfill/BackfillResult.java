package io.featurelake.gateway.backfill;

import io.featurelake.sqlcatalog.audit.AuditReport;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import java.util.Optional;

/** Where a run ended up, with the audit report that decided it (if it got that far). */
public record BackfillResult(BackfillRun run, Optional<AuditReport> report) {}
