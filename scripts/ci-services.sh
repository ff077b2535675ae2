#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis servers on loopback for the test suite, so the PostgreSQL adapter,
# Redis rate-limit and multi-instance tests run instead of skipping.
#
#   eval "$(bash scripts/ci-services.sh)"    # install when missing, start, print the test variables
#   bash scripts/ci-services.sh stop         # stop what it started
#
# Installs Debian's postgresql and redis-server when they are missing (root needed for that), keeps
# everything under /tmp/account-router-services, and reuses servers it started earlier that still
# answer. Stdout carries only the `export …` line; progress goes to stderr.
set -euo pipefail

STATE=${ACCOUNT_SERVICES_DIR:-/tmp/account-router-services}
PG_PORT=${ACCOUNT_SERVICES_PG_PORT:-55432}
REDIS_PORT=${ACCOUNT_SERVICES_REDIS_PORT:-56379}
PG_DB=account_test
PG_DATA=$STATE/pgdata

log() { echo "ci-services: $*" >&2; }

pg_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; fi
}

# Commands that touch the data directory run as `postgres` when we are root: initdb refuses root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_services() {
  local bin
  bin=$(pg_bindir)
  if [ -n "$bin" ] && [ -f "$PG_DATA/postmaster.pid" ]; then
    as_pg "$bin/pg_ctl" -D "$PG_DATA" -m immediate -w stop >&2 || true
  fi
  if [ -f "$STATE/redis.pid" ]; then
    local pid
    pid=$(cat "$STATE/redis.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$STATE/redis.pid"
  fi
  log "stopped"
}

if [ "${1:-start}" = stop ]; then
  stop_services
  exit 0
fi

started=$SECONDS
missing=()
[ -n "$(pg_bindir)" ] || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # The packages' own services are not wanted (the servers below run on their own ports), and in a
  # container without an init system they would not start anyway.
  mkdir -p "$STATE"
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$STATE/apt.log" 2>&1; then
    cat "$STATE/apt.log" >&2
    log "could not install ${missing[*]}"
    exit 1
  fi
fi
BIN=$(pg_bindir)
[ -n "$BIN" ] || { log "no PostgreSQL server binaries under /usr/lib/postgresql"; exit 1; }
mkdir -p "$STATE"

# PostgreSQL: a fresh cluster, durability off (nothing here needs to survive a crash).
if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
  log "PostgreSQL already answers on 127.0.0.1:$PG_PORT"
else
  rm -rf "$PG_DATA"
  mkdir -p "$PG_DATA"
  if [ "$(id -u)" = 0 ]; then chown -R postgres: "$STATE"; fi
  as_pg "$BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  as_pg "$BIN/pg_ctl" -D "$PG_DATA" -l "$STATE/postgres.log" -w -t 60 start -o \
    "-h 127.0.0.1 -p $PG_PORT -k $STATE -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >&2
fi
if ! "$BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'" | grep -q 1; then
  "$BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qc "CREATE DATABASE $PG_DB" >&2
fi

# Redis: in memory only, no snapshots.
if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
  log "Redis already answers on 127.0.0.1:$REDIS_PORT"
else
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log" >&2
  for _ in $(seq 50); do
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break
    sleep 0.1
  done
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping | grep -q PONG || { log "redis-server did not start"; exit 1; }
fi

log "PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT ($((SECONDS - started)) s)"
echo "export ACCOUNT_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/$PG_DB ACCOUNT_TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
