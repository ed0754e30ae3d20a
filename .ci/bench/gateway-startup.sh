#!/usr/bin/env bash
# Benchmark: time from launching ./run_gateway.sh to the first accepted TCP connection on the
# Thrift port, and the gateway JVM's resident memory (VmRSS) at that moment. Fresh state dir per run.
#   .ci/bench/gateway-startup.sh [runs=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-3}"
./mvnw -B -q -DskipTests package >/dev/null
printf '%-4s %-18s %-14s\n' run ready_seconds rss_mib
for i in $(seq "$runs"); do
  home="$(mktemp -d)"
  port=$((20000 + RANDOM % 20000))
  start=$(date +%s.%N)
  FEATURELAKE_HOME="$home" FEATURELAKE_GATEWAY_PORT="$port" FEATURELAKE_SKIP_BUILD=1 ./run_gateway.sh >"$home/out.txt" 2>&1 &
  launcher=$!
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    sleep 0.05
    kill -0 "$launcher" 2>/dev/null || { echo "gateway died:"; cat "$home/out.txt"; exit 1; }
  done
  ready=$(date +%s.%N)
  rss_kib=$(awk '/VmRSS/ {print $2}' "/proc/$launcher/status")
  printf '%-4s %-18.2f %-14.0f\n' "$i" "$(echo "$ready - $start" | bc)" "$(echo "$rss_kib / 1024" | bc)"
  kill -TERM "$launcher"; wait "$launcher" || true
  rm -rf "$home"
done
