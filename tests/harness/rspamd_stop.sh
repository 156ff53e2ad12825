#!/usr/bin/env bash
# rspamd_stop.sh PID -- stop an rspamd started by rspamd_start.sh.
# SIGTERM to its process group (setsid made PID the group leader), wait up to
# 10 s, then SIGKILL the group and any recorded child still alive. Never by name.
set -u
PID="${1:?usage: rspamd_stop.sh PID}"
case "$PID" in (*[!0-9]*|'') echo "bad pid: $PID" >&2; exit 2 ;; esac
kill -0 "$PID" 2>/dev/null || exit 0
KIDS="$(ps -o pid= --ppid "$PID" 2>/dev/null | tr -s ' \n' ' ')"
kill -TERM -- "-$PID" 2>/dev/null || kill -TERM "$PID" 2>/dev/null
for _ in $(seq 1 40); do kill -0 "$PID" 2>/dev/null || break; sleep 0.25; done
if kill -0 "$PID" 2>/dev/null; then kill -KILL -- "-$PID" 2>/dev/null || kill -KILL "$PID" 2>/dev/null; fi
for c in $KIDS; do
  for _ in 1 2 3 4; do kill -0 "$c" 2>/dev/null || break; sleep 0.25; done
  kill -0 "$c" 2>/dev/null && kill -KILL "$c" 2>/dev/null
done
# reap the main process if it is our child (no-op otherwise)
wait "$PID" 2>/dev/null
exit 0
