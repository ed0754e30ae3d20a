#!/usr/bin/env bash
# Starts the featurelake JDBC gateway (Spark + Iceberg catalog "lake" + Thrift/HiveServer2 server).
#   ./run_gateway.sh             build if needed, start, print the JDBC URL when ready; Ctrl-C stops
#   ./run_gateway.sh --beeline   open beeline (from Spark's dependencies) on the running gateway
#   ./run_gateway.sh --add-user NAME --role ROLE   add a gateway user (password from
#                                $FEATURELAKE_NEW_USER_PASSWORD or a prompt; see docs/security.md)
# Configuration: featurelake.properties in this directory, $FEATURELAKE_CONFIG, or FEATURELAKE_* variables
# (see docs/configuration.md). FEATURELAKE_SKIP_BUILD=1 skips the staleness check.
set -euo pipefail
cd "$(dirname "$0")"
source .ci/java-env.sh

featurelake_build_if_needed gateway
CLASSPATH="gateway/target/gateway-$(featurelake_version).jar:$(cat gateway/target/runtime-classpath.txt)"

if [[ "${1:-}" == "--beeline" ]]; then
  shift
  # The port and host as the gateway resolves them: featurelake.properties, $FEATURELAKE_CONFIG, FEATURELAKE_* variables.
  url="$(java $FEATURELAKE_JVM_OPTS ${FEATURELAKE_JAVA_OPTS:-} -cp "$CLASSPATH" io.featurelake.gateway.cli.ClientUrl)"
  exec java $FEATURELAKE_JVM_OPTS -cp "$CLASSPATH" org.apache.hive.beeline.BeeLine \
    -u "$url" -n "${FEATURELAKE_USER:-${USER:-featurelake}}" "$@"
fi

if [[ "${1:-}" == "--add-user" ]]; then
  exec java $FEATURELAKE_JVM_OPTS -cp "$CLASSPATH" io.featurelake.gateway.security.AddUserMain "$@"
fi

# exec: the JVM receives SIGTERM / SIGINT directly and its shutdown hook stops the server cleanly.
# Class data sharing: the first start records an archive at exit, later starts use it (java-env.sh).
exec java $(featurelake_cds_opts gateway "$CLASSPATH") $FEATURELAKE_JVM_OPTS ${FEATURELAKE_JAVA_OPTS:-} -cp "$CLASSPATH" \
  io.featurelake.gateway.server.GatewayMain "$@"
