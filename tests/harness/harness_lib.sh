# shellcheck shell=bash
# Shared by the harness scripts that start real servers on loopback
# (db_servers.sh, slapd.sh); sourced, never run. The sourcing script
# defines log().

now() { echo "${EPOCHREALTIME/[.,]/}"; }                 # microseconds
elapsed() { local d=$(( $(now) - $1 )); printf '%d.%02d' $((d / 1000000)) $((d % 1000000 / 10000)); }

# free_ports N: N distinct currently-free TCP ports on 127.0.0.1. The sockets
# are held open together so the kernel cannot hand out the same port twice;
# another process may still take one before the server binds it, so the
# callers retry a start that fails on a taken port.
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

# log_tail FILE: the last lines of a server's log, indented, to stderr.
log_tail() {
  if [ -s "$1" ]; then
    log "last lines of $1:"
    tail -n 25 "$1" | sed "s/^/  | /" >&2
  fi
}

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
