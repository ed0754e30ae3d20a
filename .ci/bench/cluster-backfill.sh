#!/usr/bin/env bash
# Benchmark: a backfill of both demo views (Write-Audit-Publish) over N events, in local[*] and on
# the 2-worker Spark standalone cluster of ./run_cluster.sh, each on its own fresh lake with a
# PostgreSQL catalog database. Per mode: WAP wall time and events/s, the same SQL written plainly
# (the WAP overhead), peak RSS (VmHWM) of the driver and of the executors. Prints a table.
#   .ci/bench/cluster-backfill.sh [events=20000000] [days=14]
# The cluster uses its own state directory and ports (FEATURELAKE_CLUSTER_* as in run_cluster.sh,
# defaults below) and is stopped at the end. PostgreSQL at 127.0.0.1:5432, user postgres.
set -euo pipefail
cd "$(dirname "$0")/../.."
events="${1:-20000000}"
days="${2:-14}"
source .ci/java-env.sh
if [[ "${FEATURELAKE_SKIP_BUILD:-0}" != "1" ]]; then
  ./mvnw -B -q -DskipTests -pl gateway -am package dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/test-cp.txt >/dev/null
fi
export FEATURELAKE_SKIP_BUILD=1
export FEATURELAKE_CLUSTER_DIR="${FEATURELAKE_CLUSTER_DIR:-$PWD/featurelake-data/bench-cluster}"
export FEATURELAKE_CLUSTER_SPARK_PORT="${FEATURELAKE_CLUSTER_SPARK_PORT:-17077}"
export FEATURELAKE_CLUSTER_SPARK_UI_PORT="${FEATURELAKE_CLUSTER_SPARK_UI_PORT:-18091}"
export FEATURELAKE_CLUSTER_REDIS_PORTS="${FEATURELAKE_CLUSTER_REDIS_PORTS:-17101,17102,17103}"
# The benchmark is a test-scope class; the platform's own jar is what the executors get.
CLASSPATH="gateway/target/test-classes:gateway/target/gateway-$(featurelake_version).jar:$(cat gateway/target/test-cp.txt)"
pg="${FEATURELAKE_BENCH_PG:-postgresql://127.0.0.1:5432}"

./run_cluster.sh up >/dev/null
trap './run_cluster.sh down >/dev/null' EXIT
results=()
for master in "local[*]" "spark://127.0.0.1:$FEATURELAKE_CLUSTER_SPARK_PORT"; do
  home="$(mktemp -d)"
  db="fl_bench_cluster_$$_$([[ $master == local* ]] && echo local || echo standalone)"
  psql -q "$pg/postgres" -U postgres -c "CREATE DATABASE $db"
  # One executor per worker, nearly all of the worker's 1g.
  printf 'spark.executor.memory=900m\nspark.executor.cores=1\n' >"$home/featurelake.properties"
  out="$(FEATURELAKE_HOME="$home" FEATURELAKE_CONFIG="$home/featurelake.properties" FEATURELAKE_SPARK_MASTER="$master" \
    FEATURELAKE_CATALOG_DB_URL="jdbc:$pg/$db" FEATURELAKE_CATALOG_DB_USER=postgres \
    java $FEATURELAKE_JVM_OPTS -cp "$CLASSPATH" io.featurelake.gateway.bench.ScaleOutBenchmark "$events" "$days" 2>&1 \
    | tee "$home/bench.out" | grep -E '^(generated|RESULT)')" || { cat "$home/bench.out"; exit 1; }
  echo "$out" | grep '^generated'
  results+=("$(echo "$out" | grep '^RESULT')")
  psql -q "$pg/postgres" -U postgres -c "DROP DATABASE $db WITH (FORCE)"
  rm -rf "$home"
done

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
echo
echo "Backfill of user_activity_daily + item_popularity_daily (WAP) over $days days, $(nproc) cores, java $(java -version 2>&1 | sed -n 's/.*version "\(.*\)".*/\1/p')"
printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' master events "WAP s" "WAP events/s" "plain s" "WAP overhead" \
  "driver peak RSS MiB" "executor peak RSS MiB" "load before/after"
printf '|---|---:|---:|---:|---:|---:|---:|---:|---|\n'
for r in "${results[@]}"; do
  master="$(sed -n 's/^RESULT master=\([^ ]*\).*/\1/p' <<<"$r")"
  executors="$(field "$r" executors)"
  exec_peak="$( ((executors > 0)) && echo "$(field "$r" executor_peak_mib) (max of $executors)" || echo "(in the driver)")"
  printf '| %s | %s | %s | %s | %s | %s%% | %s | %s | %s / %s |\n' "$master" "$(printf "%'d" "$(field "$r" events)")" \
    "$(field "$r" wap_s)" "$(printf "%'d" "$(field "$r" wap_events_per_s)")" "$(field "$r" plain_s)" "$(field "$r" overhead_pct)" \
    "$(field "$r" driver_peak_mib)" "$exec_peak" "$(field "$r" load_before)" "$(field "$r" load_after)"
done
