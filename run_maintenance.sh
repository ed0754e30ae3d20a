#!/usr/bin/env bash
# Table maintenance that never breaks history: compaction, manifest rewrite, snapshot expiry
# (run tags, sync cursors and in-flight audit branches are kept), orphan and stale branch removal.
#   ./run_maintenance.sh --days 7 [--table t] [--dry-run] [--retain-last n] [--target-file-size 128MB]
# Run with --help for every option. Exit code: 0 done, 1 a step failed or was refused, 2 bad arguments.
set -euo pipefail
cd "$(dirname "$0")"
source .ci/java-env.sh
featurelake_build_if_needed gateway
CLASSPATH="gateway/target/gateway-$(featurelake_version).jar:$(cat gateway/target/runtime-classpath.txt)"
exec java $FEATURELAKE_JVM_OPTS ${FEATURELAKE_JAVA_OPTS:-} -cp "$CLASSPATH" io.featurelake.gateway.maintenance.MaintenanceMain "$@"
