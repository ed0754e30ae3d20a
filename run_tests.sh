#!/usr/bin/env bash
# The test command (README): on a Debian machine with JDK 17, installs the Debian packages the tests
# need when they are missing (apt-get, non-interactive; .ci/debian-packages.sh lists them), starts
# PostgreSQL and Redis when they are not running, then runs ./mvnw -B verify (extra arguments are
# passed on). Says what it did. Used by CI through .ci/run.
set -euo pipefail
cd "$(dirname "$0")"
source .ci/debian-packages.sh

log() { printf '[tests] %s\n' "$*"; }
did=()

wait_for() { # description, attempts, command...
  local what="$1" tries="$2"; shift 2
  for _ in $(seq "$tries"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  log "$what did not come up"; return 1
}

if ! command -v java >/dev/null; then
  log "no java on PATH: install JDK 17 (apt-get install -y openjdk-17-jdk-headless)"; exit 1
fi

# 1. Debian packages.
missing="$(featurelake_missing_packages "$FEATURELAKE_TEST_PACKAGES")"
installed_postgres=0
if [[ -z "$missing" ]]; then
  log "Debian packages present: $FEATURELAKE_TEST_PACKAGES"
else
  sudo=()
  if [[ "$(id -u)" != 0 ]]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo=(sudo -n); else sudo=(cannot); fi
  fi
  if [[ "${sudo[*]:-}" == cannot ]] || ! command -v apt-get >/dev/null; then
    log "missing Debian packages and no way to install them here (needs root or sudo, and apt-get): $missing"
    log "install them with: sudo apt-get install -y $missing"
    log "continuing: tests that need them fail or skip with that line"
  else
    log "installing missing Debian packages: $missing"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" apt-get install -y -q $missing
    [[ " $missing " == *" postgresql "* ]] && installed_postgres=1
    did+=("installed $missing")
  fi
fi

# 2. PostgreSQL at 127.0.0.1:5432 (the tests connect as postgres without a password by default).
if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  log "PostgreSQL is running"
elif command -v pg_ctlcluster >/dev/null; then
  log "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
  wait_for "PostgreSQL" 60 pg_isready -h 127.0.0.1 -p 5432 -q
  did+=("started PostgreSQL")
fi
if [[ -z "${FEATURELAKE_TEST_PG_PASSWORD:-}" ]] && command -v psql >/dev/null \
   && ! psql -h 127.0.0.1 -U postgres -w -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; then
  if [[ "$installed_postgres" == 1 ]]; then
    # A cluster this script just created holds nothing else: let local TCP logins in, as the tests expect.
    hba="$(ls /etc/postgresql/*/main/pg_hba.conf | sort -V | tail -n 1)"
    sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main reload
    did+=("allowed password-less logins from 127.0.0.1 in $hba (fresh cluster)")
  else
    log "PostgreSQL at 127.0.0.1:5432 refuses user postgres without a password: set FEATURELAKE_TEST_PG_PASSWORD"
    log "(or FEATURELAKE_TEST_PG_URL / FEATURELAKE_TEST_PG_USER for another server)"
    exit 1
  fi
fi

# 3. Redis at 127.0.0.1:6379 (most Redis tests start a private server on a free port as well).
if [[ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" == "PONG" ]]; then
  log "Redis is running"
else
  log "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  wait_for "Redis" 30 bash -c '[[ "$(redis-cli -h 127.0.0.1 -p 6379 ping)" == PONG ]]'
  did+=("started Redis on 127.0.0.1:6379")
fi

# 4. The build and every test, the notebooks included (NotebooksIT).
java -version 2>&1 | head -n 1
start=$(date +%s)
status=0
./mvnw -B verify "$@" || status=$?
log "test suite wall time: $(( $(date +%s) - start )) s, exit code $status"
if [[ ${#did[@]} -gt 0 ]]; then
  summary="$(printf '%s; ' "${did[@]}")"
  log "done before the tests: ${summary%; }"
else
  log "done before the tests: nothing (every package was installed, every service running)"
fi
exit "$status"
