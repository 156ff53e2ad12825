#!/usr/bin/env bash
# Private PostgreSQL 15 and MariaDB 10.11 servers (Debian packages) for the
# rqwatch storage tests: loopback only, free ports, throw-away data, no systemd.
#
#   db_servers.sh start DIR   wipe+create DIR, start the servers, write DIR/*.url
#   db_servers.sh stop DIR    stop the servers recorded in DIR (keeps DIR and logs)
#   db_servers.sh clean DIR   stop, then delete DIR (and its /tmp data root, if any)
#
# Env RQWATCH_DB_SERVERS   which servers "start" runs: comma list of
#                          postgresql,mysql (default both; aliases pg, mariadb)
# Env RQWATCH_DB_TIMEOUT   seconds to wait for each server to accept SQL [60]
# Env RQWATCH_DB_STOP_TIMEOUT  seconds "stop" waits before SIGKILL [20]
# Env RQWATCH_DB_BUFFER_MB  shared_buffers / InnoDB buffer pool in MB [64]; benchmarks
#                          at 10 M mails need more (InnoDB reads with O_DIRECT)
#
# "start" writes, once the login works over TCP with its password:
#   DIR/postgresql.url   postgresql://rqwatch:PASSWORD@127.0.0.1:PORT/rqwatch_test
#   DIR/mysql.url        mysql://rqwatch:PASSWORD@127.0.0.1:PORT/rqwatch_test
# plus DIR/{postgresql,mariadb}/{pid,log,...}; see tests/harness/README.md.
# Exit 0 only if every requested server is up; otherwise the reason and the
# tail of the server log go to stderr, everything started is stopped, exit 1.
# Progress goes to stderr, nothing to stdout. Must run as root (it switches to
# the postgres / mysql system users; the servers never run as root).
set -euo pipefail
set +m   # no job control: background jobs stay in our process group (see launch_as)

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF=$HERE/$(basename "${BASH_SOURCE[0]}")
PG_BIN=/usr/lib/postgresql/15/bin
MARIADBD=/usr/sbin/mariadbd
DB_USER=rqwatch
DB_NAME=rqwatch_test
MARKER=.rqwatch-db-servers       # only a DIR holding this file is ever wiped
STOP_TIMEOUT=${RQWATCH_DB_STOP_TIMEOUT:-20}   # seconds between the polite signal and SIGKILL
READY_TIMEOUT=${RQWATCH_DB_TIMEOUT:-60}
MAX_SOCKET_PATH=100              # sun_path is 108 bytes; keep a margin

log() { echo "db_servers: $*" >&2; }
# shellcheck source=tests/harness/harness_lib.sh
source "$HERE/harness_lib.sh"

# ---------------------------------------------------------------- processes --

# is_server PID USER COMM...: PID is a live process of USER whose command name
# is one of COMM (is_running, plus the owner).
is_server() {
  local pid=$1 user=$2 uid
  shift 2
  is_running "$pid" "$@" || return 1
  uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status" 2>/dev/null) || return 1
  [ "$uid" = "$(id -u "$user")" ]
}

is_postgres() { is_server "$1" postgres postgres; }        # is_postgres PID
is_mariadb() { is_server "$1" mysql mariadbd mysqld; }     # is_mariadb PID

# do_stop DIR: both servers, in parallel (see stop_recorded; -k: on SIGKILL
# also the direct children).
do_stop() {
  local dir=$1 rc=0
  [ -d "$dir" ] || return 0
  # PostgreSQL: SIGINT = "fast" shutdown (what pg_ctl stop does by default).
  # SIGTERM would be "smart" shutdown, which waits for every client to
  # disconnect and so can hang on a leaked test connection.
  # MariaDB: SIGTERM = normal shutdown.
  local pg_job my_job
  stop_recorded -l postgresql -s INT -k "$dir/postgresql/pid" is_postgres & pg_job=$!
  stop_recorded -l mariadb -s TERM -k "$dir/mariadb/pid" is_mariadb & my_job=$!
  wait "$pg_job" || rc=1
  wait "$my_job" || rc=1
  return $rc
}

# ----------------------------------------------------------------- helpers ---

# fail NAME LOG REASON: print the reason and the tail of the log, exit 1
# (called inside the per-server subshell; the parent then stops everything).
fail() {
  local name=$1 logfile=$2
  shift 2
  fail_log "$logfile" "$name: $*"
}

# launch_as USER LOG CMD...: start CMD as USER in its own session, in the
# background, stdin from /dev/null and stdout/stderr appended to LOG (opened
# here, by root, so the log may live where the service user cannot write).
# setpriv execs in place, so $! is the server's own PID (runuser would leave a
# watching parent in between, which turns a signal into SIGTERM + SIGKILL
# after 2 s). setsid does not fork here: a background job of a
# non-interactive shell is no group leader.
launch_as() {
  local user=$1 logfile=$2
  shift 2
  setsid setpriv --reuid="$user" --regid="$user" --init-groups --reset-env -- "$@" \
    </dev/null >>"$logfile" 2>&1 &
}

# --------------------------------------------------------------- postgresql --

pg_super() {   # psql as the postgres superuser over the unix socket (peer auth)
  runuser -u postgres -- "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
    -h "$PG_RUN" -p "$PG_PORT" -d postgres "$@"
}

# launch_postgres PORT: start_server's LAUNCH for start_postgresql (DATA and
# LOGFILE are its locals): the settings, in their own file so that a retry
# can rewrite the port, then the postmaster.
launch_postgres() {
  PG_PORT=$1
  # RQWATCH_DB_DURABLE=1 (benchmarks): PostgreSQL's own defaults, every commit fsync'ed.
  local durability="fsync = off
synchronous_commit = off
full_page_writes = off"
  [ "${RQWATCH_DB_DURABLE:-0}" = 1 ] && durability="# durable: PostgreSQL defaults (fsync, synchronous_commit)"
  cat >"$data/rqwatch_harness.conf" <<EOF
# written by tests/harness/db_servers.sh: loopback only, small
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_RUN'
$durability
shared_buffers = ${RQWATCH_DB_BUFFER_MB:-64}MB
max_connections = 100
EOF
  chown postgres:postgres "$data/rqwatch_harness.conf"
  grep -q "^include 'rqwatch_harness.conf'" "$data/postgresql.conf" ||
    echo "include 'rqwatch_harness.conf'" >>"$data/postgresql.conf"
  launch_as postgres "$logfile" "$PG_BIN/postgres" -D "$data"
}

# pg_answers PORT: SQL over the unix socket works (start_server's READY).
pg_answers() { pg_super -Atc 'select 1'; }

start_postgresql() {
  local d=$DIR/postgresql
  local data=$ROOT/postgresql/data
  PG_RUN=$ROOT/postgresql/run
  local logfile=$d/log password url t0 pid
  t0=$(now)
  mkdir -p "$data" "$PG_RUN"
  chown postgres:postgres "$data" "$PG_RUN"
  chmod 700 "$data"

  # --no-sync: nothing here must survive a crash; C.UTF-8 = code point order
  # with Unicode-aware upper()/lower(); peer auth on the socket for the
  # harness itself, scram-sha-256 over TCP for the rqwatch login.
  runuser -u postgres -- "$PG_BIN/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=scram-sha-256 --no-sync --no-instructions \
    >"$d/initdb.log" 2>&1 || fail postgresql "$d/initdb.log" "initdb failed"

  start_server postgresql "$logfile" "$d/pid" is_postgres launch_postgres pg_answers "$1"
  pid=$SERVER_PID
  [ "$(head -n 1 "$data/postmaster.pid" 2>/dev/null)" = "$pid" ] ||
    fail postgresql "$logfile" "pid $pid is not the postmaster in $data/postmaster.pid"

  password=$(random_password)
  # SQL on stdin, not argv, so the password does not show up in ps.
  # CREATEDB: the tests create and drop rqwatch_test_* databases themselves.
  # PG 15: the public schema of a new database is owned by pg_database_owner,
  # so the owner rqwatch may create tables in it.
  pg_super >"$d/setup.log" 2>&1 <<EOF || fail postgresql "$d/setup.log" "creating role/database failed"
CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$password';
CREATE DATABASE $DB_NAME OWNER $DB_USER;
EOF

  url="postgresql://$DB_USER:$password@127.0.0.1:$PG_PORT/$DB_NAME"
  # the real check: TCP + password, exactly as the tests will connect
  local got
  got=$(PGPASSFILE=/dev/null PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -Atq "$url" \
    -c 'select current_user || chr(47) || current_database()' 2>&1) ||
    fail postgresql "$logfile" "login via URL failed: $got"
  [ "$got" = "$DB_USER/$DB_NAME" ] || fail postgresql "$logfile" "login via URL gave '$got'"
  echo "$url" >"$DIR/postgresql.url.tmp"
  mv "$DIR/postgresql.url.tmp" "$DIR/postgresql.url"
  log "postgresql: ready on 127.0.0.1:$PG_PORT (pid $pid) in $(elapsed "$t0")s"
}

# ------------------------------------------------------------------ mariadb --

my_root() {   # mariadb client as MariaDB root over the socket (unix_socket auth as OS root)
  mariadb --no-defaults --protocol=socket --socket="$MY_SOCK" --connect-timeout=2 -uroot "$@"
}

# launch_mariadb PORT: start_server's LAUNCH for start_mariadb (SERVER and
# LOGFILE are its locals). No --log-error: the server logs to stderr, i.e. to
# LOGFILE.
launch_mariadb() { launch_as mysql "$logfile" "$MARIADBD" "${server[@]}" --port="$1"; }

# my_answers PORT: SQL over the unix socket works (start_server's READY).
my_answers() { my_root -Nse 'select 1'; }

start_mariadb() {
  local d=$DIR/mariadb
  local data=$ROOT/mariadb/data run=$ROOT/mariadb/run tmp=$ROOT/mariadb/tmp
  MY_SOCK=$run/mysqld.sock
  local logfile=$d/log port password url t0 pid
  t0=$(now)
  mkdir -p "$data" "$run" "$tmp"
  chown mysql:mysql "$data" "$run" "$tmp"
  chmod 700 "$data" "$tmp"

  # Server options. --no-defaults must come first: nothing from /etc/mysql.
  # Durability is traded for speed (flush the redo log once a second, no
  # doublewrite buffer); sql_mode stays the 10.11 default (STRICT_TRANS_TABLES).
  local common=(--no-defaults --datadir="$data" --tmpdir="$tmp"
    --innodb-buffer-pool-size="${RQWATCH_DB_BUFFER_MB:-64}M" --innodb-log-file-size=32M)
  local fast=(--innodb-flush-log-at-trx-commit=2 --innodb-doublewrite=0)
  # RQWATCH_DB_DURABLE=1 (benchmarks): InnoDB's defaults, every commit flushed.
  [ "${RQWATCH_DB_DURABLE:-0}" = 1 ] && fast=()
  local server=("${common[@]}" --socket="$MY_SOCK" --pid-file="$run/mariadbd.pid"
    --bind-address=127.0.0.1 --skip-name-resolve
    "${fast[@]}" --skip-log-bin
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci)

  # root@localhost authenticates by unix_socket (OS user root, i.e. this
  # script); no anonymous users, no test database.
  runuser -u mysql -- mariadb-install-db "${common[@]}" --auth-root-authentication-method=socket \
    --skip-test-db --skip-name-resolve >"$d/install-db.log" 2>&1 ||
    fail mariadb "$d/install-db.log" "mariadb-install-db failed"

  start_server mariadb "$logfile" "$d/pid" is_mariadb launch_mariadb my_answers "$1"
  port=${SERVER_PORTS[0]} pid=$SERVER_PID
  [ "$(cat "$run/mariadbd.pid" 2>/dev/null)" = "$pid" ] ||
    fail mariadb "$logfile" "pid $pid is not the server in $run/mariadbd.pid"

  password=$(random_password)
  # rqwatch@127.0.0.1 for TCP (no name resolution, so 'localhost' never matches
  # TCP), rqwatch@localhost for the socket. Database-level ALL on rqwatch_test
  # and on the pattern rqwatch\_test\_% (escaped: '_' is a wildcard in grants)
  # lets the tests CREATE/DROP DATABASE rqwatch_test_<anything> themselves.
  my_root >"$d/setup.log" 2>&1 <<EOF || fail mariadb "$d/setup.log" "creating user/database failed"
CREATE USER '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE USER '$DB_USER'@'localhost' IDENTIFIED BY '$password';
CREATE DATABASE \`$DB_NAME\`;
GRANT ALL PRIVILEGES ON \`rqwatch\\_test\`.* TO '$DB_USER'@'127.0.0.1', '$DB_USER'@'localhost';
GRANT ALL PRIVILEGES ON \`rqwatch\\_test\\_%\`.* TO '$DB_USER'@'127.0.0.1', '$DB_USER'@'localhost';
EOF

  url="mysql://$DB_USER:$password@127.0.0.1:$port/$DB_NAME"
  local got
  got=$(MYSQL_PWD=$password mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"$port" \
    --connect-timeout=5 -u"$DB_USER" "$DB_NAME" -Nse 'select concat(current_user(), "/", database())' 2>&1) ||
    fail mariadb "$logfile" "login via TCP failed: $got"
  [ "$got" = "$DB_USER@127.0.0.1/$DB_NAME" ] || fail mariadb "$logfile" "login via TCP gave '$got'"
  echo "$url" >"$DIR/mysql.url.tmp"
  mv "$DIR/mysql.url.tmp" "$DIR/mysql.url"
  log "mariadb: ready on 127.0.0.1:$port (pid $pid) in $(elapsed "$t0")s"
}

# -------------------------------------------------------------------- start --

# can_use_root ROOT USER...: every USER can reach ROOT and sockets fit sun_path
can_use_root() {
  local root=$1 u
  shift
  for u in "$@"; do
    can_reach "$u" "$root" || { log "note: $u cannot traverse $root"; return 1; }
  done
  local longest=$root/postgresql/run/.s.PGSQL.65535
  [ ${#longest} -le $MAX_SOCKET_PATH ] || { log "note: socket paths under $root are too long"; return 1; }
}

# remove_data_root DIR: the /tmp data root that DIR/data-root names, if any
# (wipe_dir's CLEANUP).
remove_data_root() {
  local ext
  [ -f "$1/data-root" ] || return 0
  ext=$(cat "$1/data-root")
  case "$ext" in /tmp/rqwatch-db.*) rm -rf -- "$ext" ;; esac
}

descendants() {   # all descendant PIDs of $1, children first
  local p
  for p in $(ps -o pid= --ppid "$1"); do
    descendants "$p"
    echo "$p"
  done
}

# kill_start_jobs: the first step of a failed start (the -b hook of
# stop_on_failed_start). SIGKILL the per-server jobs and everything they forked
# (runuser, initdb, mariadb-install-db, psql, ...: all one-shot and
# disposable), collected by parent PID before anything dies and gets
# reparented. The servers already recorded in pid files are spared here and
# shut down cleanly by do_stop.
kill_start_jobs() {
  local j p kids=() pids=() recorded
  recorded=" $(cat "$DIR/postgresql/pid" "$DIR/mariadb/pid" 2>/dev/null | tr '\n' ' ') "
  for j in "${START_JOBS[@]}"; do
    read -ra kids <<<"$(descendants "$j" | tr '\n' ' ')"
    for p in "$j" "${kids[@]}"; do
      case "$recorded" in *" $p "*) ;; *) pids+=("$p") ;; esac
    done
  done
  if [ ${#pids[@]} -gt 0 ]; then
    kill -KILL "${pids[@]}" 2>/dev/null || true
    for j in "${START_JOBS[@]}"; do wait "$j" 2>/dev/null || true; done
    for p in "${pids[@]}"; do   # orphans are reaped by PID 1, not by us
      for ((j = 0; j < 50; j++)); do
        [ "$(proc_state "$p")" = Z ] && break
        [ -e "/proc/$p" ] || break
        sleep 0.05
      done
    done
  fi
}

do_start() {
  local servers=${RQWATCH_DB_SERVERS:-postgresql,mysql} s want_pg=0 want_my=0 users=() list=()
  IFS=, read -ra list <<<"$servers"
  for s in "${list[@]}"; do
    case "$s" in
      postgresql | postgres | pg) want_pg=1 ;;
      mysql | mariadb) want_my=1 ;;
      "") ;;
      *) log "ERROR: RQWATCH_DB_SERVERS: unknown server '$s' (use postgresql,mysql)"; exit 2 ;;
    esac
  done
  [ $((want_pg + want_my)) -gt 0 ] || { log "ERROR: RQWATCH_DB_SERVERS selects no server"; exit 2; }

  [ "$(id -u)" -eq 0 ] || { log "ERROR: must run as root (starts the servers as postgres / mysql)"; exit 1; }
  local missing=()
  command -v python3 >/dev/null || missing+=(python3)
  command -v setpriv >/dev/null || missing+=("setpriv (util-linux)")
  if [ $want_pg = 1 ]; then
    [ -x "$PG_BIN/postgres" ] && [ -x "$PG_BIN/initdb" ] || missing+=(postgresql-15)
    [ -x "$PG_BIN/psql" ] || missing+=(postgresql-client-15)
    getent passwd postgres >/dev/null || missing+=("system user postgres (postgresql-15)")
    users+=(postgres)
  fi
  if [ $want_my = 1 ]; then
    [ -x "$MARIADBD" ] && command -v mariadb-install-db >/dev/null || missing+=(mariadb-server)
    command -v mariadb >/dev/null || missing+=(mariadb-client)
    getent passwd mysql >/dev/null || missing+=("system user mysql (mariadb-server)")
    users+=(mysql)
  fi
  exit_if_missing "${missing[@]}"

  fresh_dir "$DIR" "the servers" remove_data_root
  local dirs=()
  [ $want_pg = 0 ] || dirs+=(postgresql)
  [ $want_my = 0 ] || dirs+=(mariadb)
  for s in "${dirs[@]}"; do mkdir -p "$DIR/$s"; done

  # Data directories and sockets live in DIR when the service users can
  # traverse every component of DIR's path and the socket paths are short
  # enough; otherwise (e.g. DIR under a 0700 home, or a very deep build dir)
  # in a fresh /tmp/rqwatch-db.XXXXXX, recorded in DIR/data-root and linked
  # as DIR/<server>/{data,run}. Logs, pid files and URLs are always in DIR:
  # they are written by root. Nothing chmods directories outside DIR.
  if can_use_root "$DIR" "${users[@]}"; then
    ROOT=$DIR
  else
    ROOT=$(mktemp -d /tmp/rqwatch-db.XXXXXX)
    chmod 755 "$ROOT"
    echo "$ROOT" >"$DIR/data-root"
    log "data directories and sockets go to $ROOT"
    local sub
    for s in "${dirs[@]}"; do
      mkdir -p "$ROOT/$s"
      for sub in data run; do ln -s "$ROOT/$s/$sub" "$DIR/$s/$sub"; done
    done
  fi

  # On failure or interruption (Ctrl-C, a test-runner timeout) stop the
  # per-server jobs first so that they cannot launch anything afterwards,
  # then stop whatever they recorded in DIR.
  START_JOBS=()
  stop_on_failed_start -b kill_start_jobs "$DIR/postgresql.url" "$DIR/mysql.url"

  local t0 pg_port my_port pg_job="" my_job="" rc=0
  t0=$(now)
  read -r pg_port my_port <<<"$(free_ports 2)"
  # Both servers initialise and start in parallel; each job exits non-zero
  # (after printing why) on failure.
  if [ $want_pg = 1 ]; then start_postgresql "$pg_port" & pg_job=$!; START_JOBS+=("$pg_job"); fi
  if [ $want_my = 1 ]; then start_mariadb "$my_port" & my_job=$!; START_JOBS+=("$my_job"); fi
  if [ -n "$pg_job" ]; then wait "$pg_job" || rc=1; fi
  if [ -n "$my_job" ]; then wait "$my_job" || rc=1; fi
  START_JOBS=()
  [ $rc = 0 ] || exit 1
  log "all up in $(elapsed "$t0")s; URLs in $DIR"
}

# --------------------------------------------------------------------- main --

# cmd_stop: "stop", which also says how long it took.
cmd_stop() {
  local t0
  t0=$(now)
  do_stop "$DIR" || exit 1
  [ -d "$DIR" ] && log "stopped in $(elapsed "$t0")s (logs stay in $DIR)"
  exit 0
}

# cmd_clean: "clean": stop, then delete DIR and its data root.
cmd_clean() { wipe_dir "$DIR" "the servers" remove_data_root; }

harness_main "$@"
