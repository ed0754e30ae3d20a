#!/usr/bin/env bash
# A small real cluster on this machine, for trying featurelake on executors in other JVMs and for
# ClusterIT: a Spark standalone master and two workers built from the jars the build already has
# (no download), and a Redis Cluster of three masters. Everything binds to 127.0.0.1.
#   ./run_cluster.sh up       start what is not running yet (idempotent), wait until it is ready,
#                             print the settings that point featurelake at it
#   ./run_cluster.sh down     stop what `up` started (by the pids it recorded), nothing else
#   ./run_cluster.sh status   one line per process: running or not
# Settings (environment; defaults in brackets):
#   FEATURELAKE_CLUSTER_DIR            state: pid files, logs, Spark home, Redis files [featurelake-data/cluster]
#   FEATURELAKE_CLUSTER_SPARK_PORT     master RPC port [7077]
#   FEATURELAKE_CLUSTER_SPARK_UI_PORT  master web UI [8091]; the workers' UIs are the next two ports
#   FEATURELAKE_CLUSTER_WORKERS        number of workers [2]
#   FEATURELAKE_CLUSTER_WORKER_CORES   cores each worker offers [1]
#   FEATURELAKE_CLUSTER_WORKER_MEMORY  memory each worker offers to executors [1g]
#   FEATURELAKE_CLUSTER_REDIS_PORTS    Redis Cluster master ports [7001,7002,7003] (bus ports: +10000)
# See docs/deploy.md.
set -euo pipefail
cd "$(dirname "$0")"
source .ci/java-env.sh

dir="${FEATURELAKE_CLUSTER_DIR:-featurelake-data/cluster}"
spark_port="${FEATURELAKE_CLUSTER_SPARK_PORT:-7077}"
ui_port="${FEATURELAKE_CLUSTER_SPARK_UI_PORT:-8091}"
workers="${FEATURELAKE_CLUSTER_WORKERS:-2}"
worker_cores="${FEATURELAKE_CLUSTER_WORKER_CORES:-1}"
worker_memory="${FEATURELAKE_CLUSTER_WORKER_MEMORY:-1g}"
IFS=',' read -r -a redis_ports <<<"${FEATURELAKE_CLUSTER_REDIS_PORTS:-7001,7002,7003}"
master_url="spark://127.0.0.1:$spark_port"

# Jars the platform ships to executors itself through spark.jars (ExecutorJars): the workers'
# Spark home must not have them, so a cluster test fails when the shipping misses one.
shipped_jar() {
  case "$(basename "$1")" in
    gateway-*.jar | sql-catalog-*.jar | iceberg-spark-runtime-*.jar | jedis-*.jar | commons-pool2-*.jar) return 0 ;;
    *) return 1 ;;
  esac
}

# A process counts as running when it exists and is not a zombie: an exited daemon whose parent
# (init, after the script that started it exited) has not reaped it yet still answers kill -0.
pid_running() {
  local state
  kill -0 "$1" 2>/dev/null || return 1
  state="$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" || return 1
  [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

pid_alive() { [[ -f "$1" ]] && pid_running "$(cat "$1")"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # description seconds command...
  local what="$1" seconds="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    if ((SECONDS >= deadline)); then
      echo "run_cluster: $what not ready after ${seconds}s (logs in $dir/logs)" >&2
      return 1
    fi
    sleep 0.2
  done
}

# A Spark home of links: an empty RELEASE file tells the worker it is a distribution, jars/ is
# its class path for executors (Spark, Hadoop, Hive, their dependencies; not the shipped jars).
spark_home() {
  featurelake_build_if_needed gateway
  local home="$dir/spark-home"
  rm -rf "$home"
  mkdir -p "$home/jars"
  : >"$home/RELEASE"
  local entry
  IFS=":" read -r -a entries <"gateway/target/runtime-classpath.txt" || true  # no final newline
  for entry in "${entries[@]}"; do
    shipped_jar "$entry" || ln -s "$(realpath "$entry")" "$home/jars/$(basename "$entry")"
  done
}

start_daemon() { # name class args...
  local name="$1" class="$2"; shift 2
  local pidfile="$dir/pids/$name.pid"
  if pid_alive "$pidfile"; then
    echo "run_cluster: $name already running (pid $(cat "$pidfile"))"
    return 0
  fi
  SPARK_HOME="$(realpath "$dir/spark-home")" SPARK_SCALA_VERSION=2.12 \
    nohup java $FEATURELAKE_JVM_OPTS -Xmx256m -cp "$dir/spark-home/jars/*" "$class" "$@" \
    >"$dir/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  echo "run_cluster: started $name (pid $!)"
}

alive_workers() {
  curl -fsS "http://127.0.0.1:$ui_port/json/" 2>/dev/null | grep -o '"aliveworkers" *: *[0-9]*' | grep -o '[0-9]*$' || echo 0
}

start_redis() {
  local port
  for port in "${redis_ports[@]}"; do
    local pidfile="$dir/pids/redis-$port.pid"
    if pid_alive "$pidfile"; then
      # Running, or on its way out (a master stopped a moment ago closes its port before it
      # exits): give it 20 s to answer or to be gone, and start a new one if it went.
      local deadline=$((SECONDS + 20))
      until port_open "$port" || ! pid_alive "$pidfile" || ((SECONDS >= deadline)); do sleep 0.2; done
      pid_alive "$pidfile" && continue
    fi
    mkdir -p "$dir/redis/node-$port"
    # Append-only file: a master stopped and started again comes back with its keys, as in production.
    nohup redis-server --bind 127.0.0.1 --port "$port" --dir "$(realpath "$dir/redis/node-$port")" \
      --cluster-enabled yes --cluster-config-file "$(realpath "$dir/redis")/nodes-$port.conf" \
      --cluster-node-timeout 2000 --save "" --appendonly yes \
      >"$dir/logs/redis-$port.log" 2>&1 </dev/null &
    echo $! >"$pidfile"
    echo "run_cluster: started redis-$port (pid $!)"
  done
  for port in "${redis_ports[@]}"; do
    wait_for "redis-$port" 30 port_open "$port"
  done
  if ! redis-cli -p "${redis_ports[0]}" cluster info | grep -q 'cluster_slots_assigned:16384'; then
    local seeds=()
    for port in "${redis_ports[@]}"; do seeds+=("127.0.0.1:$port"); done
    redis-cli --cluster create "${seeds[@]}" --cluster-replicas 0 --cluster-yes >"$dir/logs/redis-create.log" 2>&1
  fi
  wait_for "Redis Cluster" 60 redis_ok
}

redis_ok() {
  local port
  for port in "${redis_ports[@]}"; do
    local info
    info="$(redis-cli -p "$port" cluster info 2>/dev/null)" || return 1
    grep -q 'cluster_state:ok' <<<"$info" || return 1
    grep -q "cluster_known_nodes:${#redis_ports[@]}" <<<"$info" || return 1
  done
}

up() {
  mkdir -p "$dir/pids" "$dir/logs" "$dir/work"
  if ! pid_alive "$dir/pids/master.pid" || [[ ! -d "$dir/spark-home/jars" ]]; then
    spark_home
  fi
  start_daemon master org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$spark_port" --webui-port "$ui_port"
  wait_for "Spark master" 60 port_open "$spark_port"
  local i
  for ((i = 1; i <= workers; i++)); do
    start_daemon "worker-$i" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 \
      --webui-port $((ui_port + i)) --cores "$worker_cores" --memory "$worker_memory" \
      --work-dir "$(realpath "$dir/work")" "$master_url"
  done
  start_redis
  wait_for "$workers Spark workers" 90 test_workers
  local nodes=()
  local port
  for port in "${redis_ports[@]}"; do nodes+=("127.0.0.1:$port"); done
  cat <<EOF
run_cluster: ready: Spark $master_url (UI http://127.0.0.1:$ui_port, $workers workers x $worker_cores core, $worker_memory),
  Redis Cluster ${nodes[*]}. Point featurelake at it (featurelake.properties or environment):
FEATURELAKE_SPARK_MASTER=$master_url
FEATURELAKE_REDIS_CLUSTER_NODES=$(IFS=,; echo "${nodes[*]}")
EOF
}

test_workers() { [[ "$(alive_workers)" -ge "$workers" ]]; }

stop_pidfile() {
  local pidfile="$1" name
  name="$(basename "$pidfile" .pid)"
  if pid_alive "$pidfile"; then
    local pid
    pid="$(cat "$pidfile")"
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 15))
    while pid_running "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    echo "run_cluster: stopped $name (pid $pid)"
  fi
  rm -f "$pidfile"
}

down() {
  [[ -d "$dir/pids" ]] || { echo "run_cluster: nothing started in $dir"; return 0; }
  local pidfile
  # Workers first: they stop their executors; then the master, then Redis.
  for pidfile in "$dir"/pids/worker-*.pid "$dir/pids/master.pid" "$dir"/pids/redis-*.pid; do
    [[ -e "$pidfile" ]] && stop_pidfile "$pidfile"
  done
  return 0
}

status() {
  local pidfile found=0
  for pidfile in "$dir"/pids/*.pid; do
    [[ -e "$pidfile" ]] || continue
    found=1
    if pid_alive "$pidfile"; then
      echo "$(basename "$pidfile" .pid): running (pid $(cat "$pidfile"))"
    else
      echo "$(basename "$pidfile" .pid): not running"
    fi
  done
  ((found)) || echo "run_cluster: nothing started in $dir"
  if pid_alive "$dir/pids/master.pid"; then
    echo "spark master $master_url: $(alive_workers) alive workers"
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: ./run_cluster.sh up|down|status" >&2; exit 2 ;;
esac
