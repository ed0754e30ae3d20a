#!/usr/bin/env bash
# Syncs published feature views into Redis (incremental from each view's cursor), then verifies them.
#   ./run_sync.sh [--feature_view v] [--full] [--no-verify] [--sample n]
# Exit code: 0 synced (and verified clean), 1 a sync failed or Redis differs from main, 2 bad arguments.
set -euo pipefail
cd "$(dirname "$0")"
source .ci/java-env.sh
featurelake_build_if_needed gateway
CLASSPATH="gateway/target/gateway-$(featurelake_version).jar:$(cat gateway/target/runtime-classpath.txt)"
exec java $FEATURELAKE_JVM_OPTS ${FEATURELAKE_JAVA_OPTS:-} -cp "$CLASSPATH" io.featurelake.gateway.online.SyncMain "$@"
