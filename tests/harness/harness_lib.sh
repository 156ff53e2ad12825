# shellcheck shell=bash
# Shared by the harness scripts that start real servers on loopback
# (db_servers.sh, slapd.sh, redis.sh, oidc.sh); sourced, never run. Safe under
# set -euo pipefail. The sourcing script defines:
#   log MSG...     one progress line to stderr, with the script's prefix
#   SELF           the script's absolute path (usage prints its header)
#   MARKER         the file that marks a DIR the script made (only such a DIR is wiped)
#   STOP_TIMEOUT   seconds stop_recorded waits before SIGKILL
#   READY_TIMEOUT  seconds start_server waits for a server to answer
#   do_start       its "start"; do_stop DIR: stop all that DIR records, succeed
#                  if nothing is left running
# and ends with harness_main "$@", which sets DIR.

now() { echo "${EPOCHREALTIME/[.,]/}"; }                 # microseconds
elapsed() { local d=$(( $(now) - $1 )); printf '%d.%02d' $((d / 1000000)) $((d % 1000000 / 10000)); }

# free_ports N: N distinct currently-free TCP ports on 127.0.0.1. The sockets
# are held open together so the kernel cannot hand out the same port twice;
# another process may still take one before the server binds it, so
# start_server retries a start that fails on a taken port.
free_ports() {
  python3 -c '
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
' "$1"
}

# 32 hex digits: safe unquoted in URLs, libpq conninfo, SOCI connect strings
# and LDAP tools' arguments.
random_password() { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; }

# ------------------------------------------------------------------ messages --

# usage: the script's header comment (line 2 up to the first line that is not
# a comment) to stderr; exit 2.
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1' "$SELF" >&2; exit 2; }

# log_tail FILE: the last lines of a server's log, indented, to stderr.
log_tail() {
  if [ -s "$1" ]; then
    log "last lines of $1:"
    tail -n 25 "$1" | sed "s/^/  | /" >&2
  fi
}

# fail_log LOGFILE REASON...: REASON as an error and the tail of LOGFILE to
# stderr, then exit 1 (during a start, the EXIT trap of stop_on_failed_start
# then stops what was started).
fail_log() {
  local logfile=$1
  shift
  log "ERROR: $*"
  log_tail "$logfile"
  exit 1
}

# exit_if_missing WHAT...: exit 1 naming every WHAT (a command, package or
# path that "start" needs and did not find); with no WHAT, just return.
exit_if_missing() {
  if [ $# -gt 0 ]; then
    log "ERROR: missing: $* (install with scripts/bootstrap or apt-get)"
    exit 1
  fi
}

# run_logged LOGFILE CMD...: CMD with its output in LOGFILE; on failure that
# output goes to stderr and the script exits 1.
run_logged() {
  local logfile=$1
  shift
  if ! "$@" >"$logfile" 2>&1; then
    log "ERROR: $1 failed:"
    sed "s/^/  | /" "$logfile" >&2
    exit 1
  fi
}

# new_log_has FILE OFFSET PATTERN: PATTERN (a grep regex) occurs in FILE after
# byte OFFSET. (grep reads a process substitution: an early match cannot turn
# into a SIGPIPE failure under pipefail.)
new_log_has() { grep -q -e "$3" < <(tail -c +"$(($2 + 1))" "$1" 2>/dev/null); }

# --------------------------------------------------------------- directories --

# harness_dir DIR: DIR as an absolute path; exits when it is one of the
# directories a wrong argument must never wipe.
harness_dir() {
  local dir
  dir=$(realpath -m -- "$1")
  case "$dir" in
    / | /tmp | /work | /work/main | /root | /home | /var | /usr | /etc)
      log "ERROR: refusing to use $dir"; exit 2 ;;
  esac
  echo "$dir"
}

# can_reach USER DIR: system user USER exists and can traverse every component
# of DIR's path, so a server that runs as USER can use files in DIR.
can_reach() { getent passwd "$1" >/dev/null && runuser -u "$1" -- test -x "$2"; }

# wipe_dir DIR WHAT [CLEANUP]: stop what still runs in DIR (do_stop DIR), then
# remove DIR. Nothing to do when DIR does not exist. Exits 1 when DIR is not a
# directory, when it is not empty and lacks MARKER (this script did not make
# it: refuses to wipe it), or when do_stop fails (WHAT, e.g. "the slapd",
# names what still runs in that message). CLEANUP DIR, if given, runs between
# the stop and the removal (db_servers.sh: its data root outside DIR). The
# marker goes last, so that a failed wipe can be retried.
wipe_dir() {
  local dir=$1 what=$2 cleanup=${3:-}
  [ -e "$dir" ] || return 0
  [ -d "$dir" ] || { log "ERROR: $dir exists and is not a directory"; exit 1; }
  if [ -n "$(ls -A "$dir")" ] && [ ! -f "$dir/$MARKER" ]; then
    log "ERROR: $dir is not empty and was not created by ${SELF##*/} ($MARKER missing); refusing to wipe it"
    exit 1
  fi
  do_stop "$dir" || { log "ERROR: could not stop $what still running in $dir"; exit 1; }
  if [ -n "$cleanup" ]; then "$cleanup" "$dir"; fi
  find "$dir" -mindepth 1 -maxdepth 1 ! -name "$MARKER" -exec rm -rf -- {} +
  rm -rf -- "$dir"
}

# fresh_dir DIR WHAT [CLEANUP]: wipe_dir DIR WHAT [CLEANUP], then DIR anew,
# mode 0755 (the servers' users must traverse it), holding only MARKER.
fresh_dir() {
  wipe_dir "$@"
  mkdir -p "$1"
  chmod 755 "$1"
  touch "$1/$MARKER"
}

# ----------------------------------------------------------------- processes --

# proc_state PID: the state letter of process PID (R, S, T, Z, ...); fails
# when there is no such process.
proc_state() { sed -E 's/^.*\) (.).*$/\1/' "/proc/$1/stat" 2>/dev/null; }

# is_running PID COMM...: PID is a live process whose command name is one of
# COMM. A zombie counts as stopped (our reaper, PID 1 of a container, may be
# slow). Guards every signal against a recycled PID.
is_running() {
  local pid=$1 state comm c
  shift
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  state=$(proc_state "$pid") || return 1
  [ "$state" != Z ] || return 1
  comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
  for c in "$@"; do [ "$comm" = "$c" ] && return 0; done
  return 1
}

# stop_recorded [-l LABEL] [-s SIG] [-c] [-k] PIDFILE ALIVE: stop the server
# whose PID PIDFILE holds. ALIVE PID (e.g. a wrapper of is_running) must say
# that PID is still that server, so a recycled PID is never signalled.
#   -l LABEL  prefix of the log lines ("LABEL: ..."), e.g. the node's name [none]
#   -s SIG    the polite signal [TERM]
#   -c        SIGCONT after it, for a process a test left stopped
#   -k        the SIGKILL also hits the process's direct children of the same
#             owner (PostgreSQL backends sit in process groups of their own)
# Sends SIG, waits up to STOP_TIMEOUT s, then SIGKILLs; then waits (up to
# 3 s) until the reaper (PID 1, not us) has collected it, so that ps right
# after is clean, and removes PIDFILE. Succeeds if nothing is left running,
# also when PIDFILE is missing or names no live server (then it is removed).
stop_recorded() {
  local label="" sig=TERM cont=0 kids_too=0 opt OPTIND=1 OPTARG
  while getopts l:s:ck opt; do
    case "$opt" in
      l) label="$OPTARG: " ;;
      s) sig=$OPTARG ;;
      c) cont=1 ;;
      k) kids_too=1 ;;
      *) return 2 ;;
    esac
  done
  shift $((OPTIND - 1))
  local pidfile=$1 alive=$2 pid i t0 uid kids=() k
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile" 2>/dev/null || true)
  if ! "$alive" "$pid"; then
    log "${label}not running (pid file said '${pid}')"
    rm -f "$pidfile"
    return 0
  fi
  t0=$(now)
  kill "-$sig" "$pid" 2>/dev/null || true
  if [ "$cont" = 1 ]; then kill -CONT "$pid" 2>/dev/null || true; fi
  for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
    "$alive" "$pid" || break
    sleep 0.1
  done
  if "$alive" "$pid"; then
    log "${label}pid $pid ignored SIG$sig for ${STOP_TIMEOUT}s, sending SIGKILL"
    if [ "$kids_too" = 1 ]; then
      # collected by PID (and owner) before the parent dies and they are reparented
      uid=$(ps -o uid= -p "$pid" 2>/dev/null | tr -d ' ') || true
      read -ra kids <<<"$(ps -o pid=,uid= --ppid "$pid" 2>/dev/null | awk -v u="$uid" '$2 == u {printf "%s ", $1}')"
    fi
    kill -KILL "$pid" "${kids[@]}" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      "$alive" "$pid" || break
      sleep 0.1
    done
    if "$alive" "$pid"; then
      log "${label}pid $pid survived SIGKILL"
      return 1
    fi
    for k in "${kids[@]}"; do
      if "$alive" "$k"; then log "${label}child pid $k survived SIGKILL"; fi
    done
  fi
  for ((i = 0; i < 30; i++)); do
    [ -e "/proc/$pid" ] || break
    sleep 0.1
  done
  rm -f "$pidfile"
  log "${label}stopped pid $pid in $(elapsed "$t0")s"
}

# start_server LABEL LOGFILE PIDFILE ALIVE LAUNCH READY PORT...: start a
# server on the free loopback PORTs and wait until it answers.
#   LAUNCH PORT...  starts it as the last background job (so $! is its PID,
#                   written to PIDFILE), its output appended to LOGFILE
#   READY PORT...   succeeds once it answers (output discarded); polled every
#                   0.05 s for READY_TIMEOUT s
#   ALIVE PID       it still runs
# When it exits with "Address already in use" in the new part of LOGFILE
# (another process took a port meanwhile), it is launched once more on new
# free ports. LAUNCH and READY run inside start_server, so they see the
# caller's locals. LOGFILE is emptied first; LABEL names the server in
# messages. Sets SERVER_PID and SERVER_PORTS (the ports it answers on); on
# failure the reason and the log tail go to stderr, exit 1 (fail_log).
start_server() {
  local label=$1 logfile=$2 pidfile=$3 alive=$4 launch=$5 ready=$6 attempt off deadline
  shift 6
  local ports=("$@")
  : >"$logfile"
  for attempt in 1 2; do
    off=$(stat -c %s "$logfile")
    "$launch" "${ports[@]}"
    SERVER_PID=$!
    echo "$SERVER_PID" >"$pidfile"
    deadline=$(($(now) + READY_TIMEOUT * 1000000))
    until "$ready" "${ports[@]}" >/dev/null 2>&1; do
      if ! "$alive" "$SERVER_PID"; then
        if [ "$attempt" = 1 ] && new_log_has "$logfile" "$off" 'Address already in use'; then
          read -ra ports <<<"$(free_ports ${#ports[@]})"
          log "port taken, restarting $label on ${ports[*]}"
          continue 2
        fi
        fail_log "$logfile" "$label exited during startup"
      fi
      [ "$(now)" -lt "$deadline" ] ||
        fail_log "$logfile" "no answer from $label on 127.0.0.1:${ports[0]} within ${READY_TIMEOUT}s"
      sleep 0.05
    done
    # shellcheck disable=SC2034  # read by the caller
    SERVER_PORTS=("${ports[@]}")
    return 0
  done
}

# stop_on_failed_start [-b FUNC] FILE...: from here on, when the script exits
# non-zero (an error; SIGINT exits 130, SIGTERM 143), its EXIT trap runs FUNC
# (if given), removes FILE... (the files that announce a ready server), stops
# what DIR records (do_stop DIR; the logs stay) and exits with that status.
stop_on_failed_start() {
  START_ABORT_HOOK=""
  if [ "${1:-}" = -b ]; then
    START_ABORT_HOOK=$2
    shift 2
  fi
  START_ANNOUNCE_FILES=("$@")
  trap on_failed_start EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# on_failed_start: the EXIT trap that stop_on_failed_start sets.
on_failed_start() {
  local rc=$?
  [ "$rc" -ne 0 ] || return 0
  trap '' INT TERM
  set +e   # best effort from here on: clean up as much as possible
  if [ -n "$START_ABORT_HOOK" ]; then "$START_ABORT_HOOK"; fi
  log "start failed; stopping what was started (logs stay in $DIR)"
  rm -f "${START_ANNOUNCE_FILES[@]}"
  do_stop "$DIR" || true
  exit "$rc"
}

# --------------------------------------------------------------------- main --

# cmd_start, cmd_stop: harness_main's "start" (do_start) and "stop" (do_stop
# DIR; exit 1 if something still runs, else 0). A script may replace them or
# add more cmd_NAME commands.
cmd_start() { do_start; }
cmd_stop() { do_stop "$DIR" || exit 1; }

# harness_main ARG...: the command line "COMMAND DIR" of a harness script:
# sets DIR (absolute; see harness_dir), changes to / (the servers, run as
# their own users, must not inherit an unreadable working directory) and runs
# cmd_COMMAND. Anything else prints the usage, exit 2.
harness_main() {
  if [ $# -ne 2 ] || [ -z "$2" ]; then usage; fi
  local cmd=$1
  if ! [[ $cmd =~ ^[a-z]+$ ]] || ! declare -F "cmd_$cmd" >/dev/null; then usage; fi
  DIR=$(harness_dir "$2") || exit
  cd /
  "cmd_$cmd"
}
