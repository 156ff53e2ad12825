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
# shellcheck source=tests/harness/harness_lib.sh
source "$HERE/harness_lib.sh"

# ---------------------------------------------------------------- processes --

# is_redis PID: PID is a live redis-server or redis-sentinel (see is_running).
is_redis() { is_running "$1" redis-server redis-sentinel; }

# stop_one DIR/NODE: SIGTERM the recorded process plus SIGCONT (in case a test
# left it stopped), SIGKILL after STOP_TIMEOUT s (see stop_recorded).
# Succeeds if nothing is left running.
stop_one() { stop_recorded -l "$(basename "$1")" -c "$1/pid" is_redis; }

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
  fail_log "$DIR/$node/log" "$node: $*"
}

# cli PORT PASSWORD_FILE ARGS...: one redis-cli command with a short timeout;
# the password goes through the environment, never argv.
cli() {
  local port=$1 pwfile=$2
  shift 2
  REDISCLI_AUTH=$(cat "$pwfile") timeout 5 redis-cli --no-auth-warning -h 127.0.0.1 -p "$port" "$@"
}

# launch NODE BINARY CONF PORT: start BINARY DIR/NODE/CONF on PORT (or, when
# that was taken meanwhile, on a new one) and wait for its PONG; see
# start_server. Sets LAUNCHED_PORT.
launch() {
  local node=$1 binary=$2 conf=$3 pwfile=$DIR/password
  [[ $node == sentinel-* ]] && pwfile=$DIR/sentinel_password
  start_server "$node" "$DIR/$node/log" "$DIR/$node/pid" is_redis launch_node node_pongs "$4"
  LAUNCHED_PORT=${SERVER_PORTS[0]}
}

# launch_node PORT: start_server's LAUNCH for launch (NODE, BINARY and CONF
# are its locals): PORT into CONF and DIR/NODE/port, then BINARY in its own
# session as the redis user (or root), output to DIR/NODE/log. setpriv execs
# in place, so $! is the server itself; setsid does not fork here (a
# background job of a non-interactive shell leads no group).
launch_node() {
  sed -i -E "s/^port [0-9]+$/port $1/" "$DIR/$node/$conf"
  echo "$1" >"$DIR/$node/port"
  setsid "${AS_USER[@]}" "$binary" "$DIR/$node/$conf" </dev/null >>"$DIR/$node/log" 2>&1 &
}

# node_pongs PORT: start_server's READY for launch (PWFILE is its local).
node_pongs() { [ "$(cli "$1" "$pwfile" PING)" = PONG ]; }

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

do_start() {
  [ "$(id -u)" -eq 0 ] || { log "ERROR: must run as root"; exit 1; }
  local missing=() c
  [ -x "$REDIS_SERVER" ] || missing+=(redis-server)
  [ -x "$REDIS_SENTINEL" ] || missing+=(redis-sentinel)
  for c in redis-cli python3 timeout; do command -v "$c" >/dev/null || missing+=("$c"); done
  exit_if_missing "${missing[@]}"

  local t0 n
  t0=$(now)
  fresh_dir "$DIR" "the servers"
  stop_on_failed_start "$DIR/redis.url" "$DIR/sentinels" "$DIR/master_name"
  for n in "${DATA_NODES[@]}" "${SENTINELS[@]}"; do mkdir -p "$DIR/$n"; done

  (umask 077 && printf '%s' "$(random_password)" >"$DIR/password" &&
    printf '%s' "$(random_password)" >"$DIR/sentinel_password")

  # The servers drop nothing themselves: they are started as redis when that
  # user can reach DIR (every component of the path traversable), else as root.
  AS_USER=()
  if can_reach redis "$DIR"; then
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

harness_main "$@"
