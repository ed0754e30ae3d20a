#!/usr/bin/env bash
# Backfills feature views with Write-Audit-Publish, in-process on the configured lakehouse.
#   ./run_backfill.sh --start_date 2023-01-01 --end_date 2023-01-02 [--feature_view v] [--no-publish] [--generate]
# Run with --help for every option. Exit code: 0 published, 1 audit or run failed, 2 bad arguments.
set -euo pipefail
cd "$(dirname "$0")"
source .ci/java-env.sh
featurelake_build_if_needed gateway
CLASSPATH="gateway/target/gateway-$(featurelake_version).jar:$(cat gateway/target/runtime-classpath.txt)"
exec java $FEATURELAKE_JVM_OPTS ${FEATURELAKE_JAVA_OPTS:-} -cp "$CLASSPATH" io.featurelake.gateway.backfill.BackfillMain "$@"
