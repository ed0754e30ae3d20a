#!/usr/bin/env bash
# Starts the featurelake web UI (Vaadin, its own JVM, no Spark) on http://127.0.0.1:8080/.
#   ./run_ui.sh      build if needed, start, print the URL when ready; Ctrl-C stops
# It reads the same configuration (featurelake.properties, $FEATURELAKE_CONFIG, FEATURELAKE_*) and
# state directory as the gateway and the other scripts. Read pages work without a gateway; the
# SQL console and the actions need ./run_gateway.sh. FEATURELAKE_UI_PORT moves it off 8080.
set -euo pipefail
cd "$(dirname "$0")"
source .ci/java-env.sh

version="$(featurelake_version)"
jar="web-ui/target/web-ui-${version}.jar"
driver="web-ui/target/jdbc-driver/hive-jdbc-standalone.jar"
if [[ "${FEATURELAKE_SKIP_BUILD:-0}" != "1" || ! -f "$jar" ]]; then
  if [[ ! -f "$jar" || ! -f "$driver" ]] \
     || [[ -n "$(find pom.xml sql-catalog/pom.xml sql-catalog/src web-ui/pom.xml web-ui/src -newer "$jar" -type f -print -quit 2>/dev/null)" ]]; then
    echo "featurelake: building the web UI (first run or sources changed) ..." >&2
    ./mvnw -B -q -DskipTests -pl web-ui -am package >&2
  fi
fi

exec java -Xmx${FEATURELAKE_UI_HEAP:-512m} ${FEATURELAKE_JAVA_OPTS:-} \
  -Dfeaturelake.ui.jdbc-driver="$driver" -jar "$jar" "$@"
