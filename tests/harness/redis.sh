#!/usr/bin/env bash
# Private Redis 7.0 servers and Sentinels (Debian packages redis-server and
# redis-sentinel) for the rqwatch Redis session tests: loopback only, free
# ports, throw-away data, no systemd, nothing read from /etc/redis, never the
# default ports 6379 / 26379.
#
#   redis.sh start DIR   wipe+create DIR, start everything, write the files below
#   redis.sh stop DIR    stop every process recorded in DIR (keeps DIR and the logs)
#
# Env RQWATCH_REDIS_TIMEOUT       seconds to wait for each readiness step [30]
# Env RQWATCH_REDIS_STOP_TIMEOUT  seconds "stop" waits before SIGKILL [20]
#
# What runs (all with requirepass; data nodes also masterauth, same password):
#   standalone   a lone redis-server, for the tests without Sentinel
#   master       redis-server, monitored by the Sentinels
#   replica      redis-server, replicaof master
#   sentinel-1..3  redis-sentinel, monitoring master as MASTER_NAME, quorum 2,
#                down-after-milliseconds 1000, failover-timeout 6000, their
#                own password (requirepass / sentinel-pass)
# After a failover "master" and "replica" are only names: the tests ask the
# Sentinels which node is the master.
#
# "start" writes, once the replica is in sync and every Sentinel sees the
# replica and the two other Sentinels:
#   DIR/redis.url           redis://:PASSWORD@127.0.0.1:PORT   (the standalone server)
#   DIR/sentinels           127.0.0.1:PORT, one line per Sentinel
#   DIR/master_name         the name the Sentinels monitor (one line)
#   DIR/password            password of every data node (0600, no newline)
#   DIR/sentinel_password   password of the Sentinels (0600, no newline)
#   DIR/NODE/pid, DIR/NODE/port, DIR/NODE/log, DIR/NODE/*.conf   per process
# Exit 0 only if everything is up; otherwise the reason and the tail of the
# log go to stderr, everything started is stopped, exit 1. Progress goes to
# stderr, nothing to stdout. Must run as root; the servers run as the redis
# user when it can reach DIR, else as root.
set -euo pipefail
set +m   # no job control: background servers stay in our process group until setsid

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF=$HERE/$(basename "${BASH_SOURCE[0]}")
REDIS_SERVER=/usr/bin/redis-server
REDIS_SENTINEL=/usr/bin/redis-sentinel
MASTER_NAME=rqwatch-test
MARKER=.rqwatch-redis            # only a DIR holding this file is ever wiped
DATA_NODES=(standalone master replica)
SENTINELS=(sentinel-1 sentinel-2 sentinel-3)
READY_TIMEOUT=${RQWATCH_REDIS_TIMEOUT:-30}
STOP_TIMEOUT=${RQWATCH_REDIS_STOP_TIMEOUT:-20}

log() { echo "redis: $*" >&2; }
usage() { sed -n 2,35p "$SELF" >&2; exit 2; }
# shellcheck source=tests/harness/harness_lib.sh
source "$HERE/harness_lib.sh"

# ---------------------------------------------------------------- processes --

# is_redis PID: PID is a live (non-zombie) redis-server or redis-sentinel.
# Guards every signal against a recycled PID.
is_redis() {
  local pid=$1 state comm
  [[ $pid =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/stat" ] || return 1
  # zombies count as stopped: our reaper (PID 1 of a container) may be slow
  state=$(sed -E 's/^.*\) (.).*$/\1/' "/proc/$pid/stat" 2>/dev/null) || return 1
  [ "$state" != Z ] || return 1
  comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
  [ "$comm" = redis-server ] || [ "$comm" = redis-sentinel ]
}

# stop_one DIR/NODE: SIGTERM the recorded process (plus SIGCONT, in case a
# test left it stopped), wait STOP_TIMEOUT s, then SIGKILL. Succeeds if
# nothing is left running.
stop_one() {
  local node=$1 pid i t0
  [ -f "$node/pid" ] || return 0
  pid=$(cat "$node/pid" 2>/dev/null || true)
  if ! is_redis "$pid"; then
    log "$(basename "$node"): not running (pid file said '${pid}')"
    rm -f "$node/pid"
    return 0
  fi
  t0=$(now)
  kill -TERM "$pid" 2>/dev/null || true
  kill -CONT "$pid" 2>/dev/null || true
  for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
    is_redis "$pid" || break
    sleep 0.1
  done
  if is_redis "$pid"; then
    log "$(basename "$node"): pid $pid ignored SIGTERM for ${STOP_TIMEOUT}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      is_redis "$pid" || break
      sleep 0.1
    done
    if is_redis "$pid"; then
      log "$(basename "$node"): pid $pid survived SIGKILL"
      return 1
    fi
  fi
  # a zombie until PID 1 reaps it; give that a moment so ps after stop is clean
  for ((i = 0; i < 30; i++)); do
    [ -e "/proc/$pid" ] || break
    sleep 0.1
  done
  rm -f "$node/pid"
  log "$(basename "$node"): stopped pid $pid in $(elapsed "$t0")s"
}

# do_stop DIR: every process, Sentinels first (so that they do not start a
# failover while the data nodes go down), all of a kind in parallel.
do_stop() {
  local dir=$1 rc=0 n jobs=()
  [ -d "$dir" ] || return 0
  for n in "${SENTINELS[@]}"; do stop_one "$dir/$n" & jobs+=($!); done
  for n in "${jobs[@]}"; do wait "$n" || rc=1; done
  jobs=()
  for n in "${DATA_NODES[@]}"; do stop_one "$dir/$n" & jobs+=($!); done
  for n in "${jobs[@]}"; do wait "$n" || rc=1; done
  return $rc
}

# ----------------------------------------------------------------- helpers ---

# fail NODE REASON: print it and the tail of the node's log, exit 1 (the
# EXIT trap stops everything).
fail() {
  local node=$1
  shift
  log "ERROR: $node: $*"
  log_tail "$DIR/$node/log"
  exit 1
}

# cli PORT PASSWORD_FILE ARGS...: one redis-cli command with a short timeout;
# the password goes through the environment, never argv.
cli() {
  local port=$1 pwfile=$2
  shift 2
  REDISCLI_AUTH=$(cat "$pwfile") timeout 5 redis-cli --no-auth-warning -h 127.0.0.1 -p "$port" "$@"
}

# launch NODE BINARY CONF PORT: start BINARY CONF in its own session as the
# redis user (or root), output to DIR/NODE/log; retried once on a new port
# when the first one was taken meanwhile. Sets LAUNCHED_PORT.
launch() {
  local node=$1 binary=$2 conf=$3 port=$4 attempt pid off deadline pwfile
  local d=$DIR/$node
  pwfile=$DIR/password
  [[ $node == sentinel-* ]] && pwfile=$DIR/sentinel_password
  : >"$d/log"
  for attempt in 1 2; do
    sed -i -E "s/^port [0-9]+$/port $port/" "$d/$conf"
    off=$(stat -c %s "$d/log")
    # setpriv execs in place, so $! is the server itself; setsid does not
    # fork here (a background job of a non-interactive shell leads no group).
    setsid "${AS_USER[@]}" "$binary" "$d/$conf" </dev/null >>"$d/log" 2>&1 &
    pid=$!
    echo "$pid" >"$d/pid"
    echo "$port" >"$d/port"
    deadline=$(($(now) + READY_TIMEOUT * 1000000))
    while [ "$(cli "$port" "$pwfile" PING 2>/dev/null)" != PONG ]; do
      if ! is_redis "$pid"; then
        if [ "$attempt" = 1 ] && tail -c +"$((off + 1))" "$d/log" | grep -q 'Address already in use'; then
          port=$(free_ports 1)
          log "$node: port taken, retrying on $port"
          continue 2
        fi
        fail "$node" "exited during startup"
      fi
      [ "$(now)" -lt "$deadline" ] || fail "$node" "no PONG on 127.0.0.1:$port within ${READY_TIMEOUT}s"
      sleep 0.05
    done
    LAUNCHED_PORT=$port
    return 0
  done
}

# data_conf NODE PORT [MASTER_PORT]: redis.conf of a data node: loopback,
# no persistence, no daemon, log to stdout (DIR/NODE/log).
data_conf() {
  local node=$1 port=$2 master_port=${3:-} password
  password=$(cat "$DIR/password")
  mkdir -p "$DIR/$node/data"
  (umask 077 && cat >"$DIR/$node/redis.conf" <<EOF
# written by tests/harness/redis.sh; nothing here is durable
bind 127.0.0.1
port $port
protected-mode yes
daemonize no
supervised no
logfile ""
dir $DIR/$node/data
save ""
appendonly no
requirepass $password
masterauth $password
# the replica syncs at once (the default waits 5 s for more replicas)
repl-diskless-sync yes
repl-diskless-sync-delay 0
EOF
  )
  [ -z "$master_port" ] || echo "replicaof 127.0.0.1 $master_port" >>"$DIR/$node/redis.conf"
  [ ${#AS_USER[@]} -eq 0 ] || chown -R redis:redis "$DIR/$node/data" "$DIR/$node/redis.conf"
}

# sentinel_conf NODE PORT MASTER_PORT: the Sentinel rewrites this file itself
# (it must be writable), so it lives in DIR/NODE, owned by the server's user.
sentinel_conf() {
  local node=$1 port=$2 master_port=$3
  mkdir -p "$DIR/$node"
  (umask 077 && cat >"$DIR/$node/sentinel.conf" <<EOF
# written by tests/harness/redis.sh
bind 127.0.0.1
port $port
protected-mode no
daemonize no
logfile ""
dir $DIR/$node
requirepass $(cat "$DIR/sentinel_password")
sentinel sentinel-pass $(cat "$DIR/sentinel_password")
sentinel resolve-hostnames no
sentinel monitor $MASTER_NAME 127.0.0.1 $master_port 2
sentinel auth-pass $MASTER_NAME $(cat "$DIR/password")
sentinel down-after-milliseconds $MASTER_NAME 1000
sentinel failover-timeout $MASTER_NAME 6000
sentinel parallel-syncs $MASTER_NAME 1
EOF
  )
  [ ${#AS_USER[@]} -eq 0 ] || chown -R redis:redis "$DIR/$node"
}

# field TEXT NAME: the value after line NAME in redis-cli's one-per-line
# rendering of a flat key/value array (SENTINEL MASTER).
field() { awk -v k="$2" 'found { print; exit } $0 == k { found = 1 }' <<<"$1"; }

# wait_until NODE WHAT CMD...: poll CMD until it succeeds or READY_TIMEOUT
wait_until() {
  local node=$1 what=$2 deadline
  shift 2
  deadline=$(($(now) + READY_TIMEOUT * 1000000))
  until "$@"; do
    [ "$(now)" -lt "$deadline" ] || fail "$node" "$what not reached within ${READY_TIMEOUT}s"
    sleep 0.1
  done
}

replica_in_sync() {
  cli "$(cat "$DIR/replica/port")" "$DIR/password" INFO replication 2>/dev/null |
    tr -d '\r' | grep -qx 'master_link_status:up'
}

# sentinel_ready NODE: it sees the master as a master, one replica and the
# two other Sentinels.
sentinel_ready() {
  local out
  out=$(cli "$(cat "$DIR/$1/port")" "$DIR/sentinel_password" SENTINEL MASTER "$MASTER_NAME" 2>/dev/null) ||
    return 1
  [ "$(field "$out" flags)" = master ] &&
    [ "$(field "$out" num-slaves)" = 1 ] &&
    [ "$(field "$out" num-other-sentinels)" = 2 ]
}

# ------------------------------------------------------------------- start --

# wipe_dir DIR: stop whatever still runs there, then remove DIR. Refuses a
# non-empty DIR that this script did not make.
wipe_dir() {
  local dir=$1
  [ -e "$dir" ] || return 0
  [ -d "$dir" ] || { log "ERROR: $dir exists and is not a directory"; exit 1; }
  if [ -n "$(ls -A "$dir")" ] && [ ! -f "$dir/$MARKER" ]; then
    log "ERROR: $dir is not empty and was not created by redis.sh ($MARKER missing); refusing to wipe it"
    exit 1
  fi
  do_stop "$dir" || { log "ERROR: could not stop the servers still running in $dir"; exit 1; }
  rm -rf -- "$dir"
}

on_start_exit() {
  local rc=$?
  [ "$rc" -ne 0 ] || return 0
  trap '' INT TERM
  set +e
  log "start failed; stopping what was started (logs stay in $DIR)"
  rm -f "$DIR/redis.url" "$DIR/sentinels" "$DIR/master_name"
  do_stop "$DIR" || true
  exit "$rc"
}

do_start() {
  [ "$(id -u)" -eq 0 ] || { log "ERROR: must run as root"; exit 1; }
  local missing=() c
  [ -x "$REDIS_SERVER" ] || missing+=(redis-server)
  [ -x "$REDIS_SENTINEL" ] || missing+=(redis-sentinel)
  for c in redis-cli python3 timeout; do command -v "$c" >/dev/null || missing+=("$c"); done
  if [ ${#missing[@]} -gt 0 ]; then
    log "ERROR: missing: ${missing[*]} (install with scripts/bootstrap or apt-get)"
    exit 1
  fi

  local t0 n
  t0=$(now)
  wipe_dir "$DIR"
  mkdir -p "$DIR"
  chmod 755 "$DIR"
  touch "$DIR/$MARKER"
  trap on_start_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  for n in "${DATA_NODES[@]}" "${SENTINELS[@]}"; do mkdir -p "$DIR/$n"; done

  (umask 077 && printf '%s' "$(random_password)" >"$DIR/password" &&
    printf '%s' "$(random_password)" >"$DIR/sentinel_password")

  # The servers drop nothing themselves: they are started as redis when that
  # user can reach DIR (every component of the path traversable), else as root.
  AS_USER=()
  if getent passwd redis >/dev/null && runuser -u redis -- test -x "$DIR"; then
    AS_USER=(setpriv --reuid=redis --regid=redis --init-groups --reset-env --)
  else
    log "note: redis cannot reach $DIR; the servers run as root"
  fi

  # Ports: never 6379/26379 (a packaged service may own them); free_ports
  # binds port 0, which is from the ephemeral range, far above both.
  local ports
  read -ra ports <<<"$(free_ports 6)"
  data_conf standalone "${ports[0]}"
  launch standalone "$REDIS_SERVER" redis.conf "${ports[0]}"
  data_conf master "${ports[1]}"
  launch master "$REDIS_SERVER" redis.conf "${ports[1]}"
  local master_port=$LAUNCHED_PORT
  data_conf replica "${ports[2]}" "$master_port"
  launch replica "$REDIS_SERVER" redis.conf "${ports[2]}"
  wait_until replica "replication link up" replica_in_sync

  local i=3
  for n in "${SENTINELS[@]}"; do
    sentinel_conf "$n" "${ports[$i]}" "$master_port"
    launch "$n" "$REDIS_SENTINEL" sentinel.conf "${ports[$i]}"
    i=$((i + 1))
  done
  # Sentinels find the replica in the master's INFO and each other through
  # hello messages on the master (every 2 s).
  for n in "${SENTINELS[@]}"; do
    wait_until "$n" "seeing the replica and 2 other Sentinels" sentinel_ready "$n"
  done

  for n in "${SENTINELS[@]}"; do echo "127.0.0.1:$(cat "$DIR/$n/port")"; done >"$DIR/sentinels.tmp"
  echo "$MASTER_NAME" >"$DIR/master_name.tmp"
  echo "redis://:$(cat "$DIR/password")@127.0.0.1:$(cat "$DIR/standalone/port")" >"$DIR/redis.url.tmp"
  chmod 600 "$DIR/redis.url.tmp"
  mv "$DIR/sentinels.tmp" "$DIR/sentinels"
  mv "$DIR/master_name.tmp" "$DIR/master_name"
  mv "$DIR/redis.url.tmp" "$DIR/redis.url"
  log "ready: standalone 127.0.0.1:$(cat "$DIR/standalone/port"), master 127.0.0.1:$master_port," \
    "replica 127.0.0.1:$(cat "$DIR/replica/port"), sentinels $(tr '\n' ' ' <"$DIR/sentinels")in $(elapsed "$t0")s"
}

# --------------------------------------------------------------------- main --

[ $# -eq 2 ] || usage
cmd=$1
DIR=$2
[ -n "$DIR" ] || usage
DIR=$(harness_dir "$DIR")
# the servers (as redis) must not inherit an unreadable working directory
cd /

case "$cmd" in
  start) do_start ;;
  stop)
    do_stop "$DIR" || exit 1
    exit 0 ;;
  *) usage ;;
esac
