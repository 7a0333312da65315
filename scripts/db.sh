#!/usr/bin/env bash
# Project-local PostgreSQL + pgvector for thutuc.
#
#   scripts/db.sh ensure   install what is missing, initialise .data/pg, start it, create the database
#   scripts/db.sh url      print the connection URL
#   scripts/db.sh stop     stop the project-local cluster
#   scripts/db.sh flags    print the server settings the cluster is started with
#
# The cluster is durable (fsync, synchronous commits, full page writes: what `make run`
# needs, so that an acknowledged chat turn survives a crash). THUTUC_PG_FAST=1 (set by
# `make test`, whose databases are thrown away) starts it without them when it is not
# running yet; a durable start restarts a fast cluster.
#
# With DATABASE_URL set, nothing is installed or started: that database is used as it is
# (it must already have the vector extension available).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA="$ROOT/.data"
PGDATA="$DATA/pg"
SOCK="$DATA/run"
PORT="${THUTUC_PG_PORT:-54329}"
DB=thutuc
PGUSER_NAME=thutuc
LOCAL_URL="postgres://$PGUSER_NAME@127.0.0.1:$PORT/$DB?sslmode=disable"

log() { printf 'db: %s\n' "$*" >&2; }

FAST="${THUTUC_PG_FAST:-0}"
server_flags() {
  local f="-p $PORT -k $SOCK -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB"
  if [ "$FAST" = 1 ]; then f="$f -c fsync=off -c synchronous_commit=off -c full_page_writes=off"; fi
  echo "$f"
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; exit 1; fi
}

# The cluster must not run as root (initdb refuses); use the postgres system user then.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

apt_updated=0
apt_update_once() {
  if [ "$apt_updated" -eq 0 ]; then as_root apt-get update -qq >&2; apt_updated=1; fi
}

pg_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$d" ] && [ -x "$d/pg_ctl" ] && echo "$d"
}

ensure_postgres() {
  if [ -z "$(pg_bindir)" ]; then
    log "installing PostgreSQL (apt)"
    apt_update_once
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >&2
  fi
  BIN=$(pg_bindir)
  PGVER=$(basename "$(dirname "$BIN")")
  if [ "${PGVER%%.*}" -lt 15 ]; then log "PostgreSQL $PGVER is too old (need >= 15)"; exit 1; fi
}

vector_installed() {
  [ -f "/usr/share/postgresql/$PGVER/extension/vector.control" ]
}

ensure_pgvector() {
  vector_installed && return 0
  apt_update_once
  if apt-cache show "postgresql-$PGVER-pgvector" >/dev/null 2>&1; then
    log "installing postgresql-$PGVER-pgvector (apt)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$PGVER-pgvector" >&2
    vector_installed && return 0
  fi
  # Debian bookworm has no binary package for PostgreSQL 15: build Debian's own source package
  # from the next release.
  log "building pgvector from Debian's source package (about a minute)"
  local list=/etc/apt/sources.list.d/thutuc-pgvector-src.list
  if [ ! -f "$list" ]; then
    echo "deb-src http://deb.debian.org/debian trixie main" | as_root tee "$list" >/dev/null
    apt_updated=0; apt_update_once
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-server-dev-$PGVER" build-essential dpkg-dev >&2
  local build="$DATA/build"
  rm -rf "$build"; mkdir -p "$build"
  (cd "$build" && apt-get source --download-only pgvector >&2 && dpkg-source -x --no-check ./pgvector_*.dsc src >&2)
  as_root make -C "$build/src" PG_CONFIG="/usr/lib/postgresql/$PGVER/bin/pg_config" -j"$(nproc)" >&2
  as_root make -C "$build/src" PG_CONFIG="/usr/lib/postgresql/$PGVER/bin/pg_config" install >&2
  vector_installed || { log "pgvector build did not install vector.control"; exit 1; }
}

running() {
  [ -f "$PGDATA/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1
}

# As root the cluster runs as the postgres user, which must reach .data/. A checkout under a
# private folder (mode 0700, as temporary folders are) cannot be reached: keep the cluster in a
# postgres-owned folder then, linked from .data/.
place_cluster() {
  mkdir -p "$DATA"
  [ "$(id -u)" -eq 0 ] || return 0
  [ -L "$PGDATA" ] && return 0
  if runuser -u postgres -- test -x "$DATA"; then return 0; fi
  local alt
  alt="/var/lib/postgresql/thutuc-$(printf '%s' "$ROOT" | md5sum | cut -c1-12)"
  log "postgres cannot reach $DATA; keeping the cluster in $alt"
  mkdir -p "$alt/pg" "$alt/run"
  chown -R postgres: "$alt"
  rm -rf "$PGDATA" "$SOCK"
  ln -s "$alt/pg" "$PGDATA"
  ln -s "$alt/run" "$SOCK"
}

ensure_cluster() {
  place_cluster
  # Through the link when there is one: the postgres user cannot pass through .data/.
  PGDATA=$(readlink -f "$PGDATA"); SOCK=$(readlink -f "$SOCK")
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    log "initialising cluster in $PGDATA"
    mkdir -p "$PGDATA" "$SOCK"
    [ "$(id -u)" -eq 0 ] && chown -R postgres: "$PGDATA" "$SOCK"
    as_owner "$BIN/initdb" -D "$PGDATA" -U "$PGUSER_NAME" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  mkdir -p "$SOCK"; [ "$(id -u)" -eq 0 ] && chown postgres: "$SOCK"
  local psql=("$BIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U "$PGUSER_NAME")
  if running && [ "$FAST" != 1 ] && [ "$("${psql[@]}" -d postgres -tAc "show fsync" 2>/dev/null)" = off ]; then
    log "the cluster runs with fsync off (started for tests): restarting it durable"
    as_owner "$BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >&2
  fi
  if ! running; then
    if [ "$FAST" = 1 ]; then log "starting cluster on 127.0.0.1:$PORT (fast, not durable: for tests)"; else
      log "starting cluster on 127.0.0.1:$PORT"; fi
    if ! as_owner "$BIN/pg_ctl" -D "$PGDATA" -l "$SOCK/pg.log" -w -t 60 -o "$(server_flags)" start >&2; then
      log "could not start the cluster (is port $PORT taken? set THUTUC_PG_PORT); its log:"
      tail -n 20 "$SOCK/pg.log" >&2 || true
      exit 1
    fi
  fi
  if [ "$("${psql[@]}" -d postgres -tAc "select 1 from pg_database where datname='$DB'")" != 1 ]; then
    "${psql[@]}" -d postgres -c "create database $DB" >&2
  fi
  "${psql[@]}" -d "$DB" -c "set client_min_messages = warning; create extension if not exists vector" >&2
}

case "${1:-}" in
  ensure)
    if [ -n "${DATABASE_URL:-}" ]; then log "DATABASE_URL is set: using it as it is"; exit 0; fi
    ensure_postgres; ensure_pgvector; ensure_cluster ;;
  flags) server_flags ;;
  url)
    if [ -n "${DATABASE_URL:-}" ]; then echo "$DATABASE_URL"; else echo "$LOCAL_URL"; fi ;;
  stop)
    if [ -n "${DATABASE_URL:-}" ]; then log "DATABASE_URL is set: nothing to stop"; exit 0; fi
    BIN=$(pg_bindir) || exit 0
    PGDATA=$(readlink -f "$PGDATA")
    if [ -f "$PGDATA/postmaster.pid" ]; then as_owner "$BIN/pg_ctl" -D "$PGDATA" -m fast stop >&2; fi ;;
  *) echo "usage: $0 ensure|url|stop|flags" >&2; exit 2 ;;
esac
