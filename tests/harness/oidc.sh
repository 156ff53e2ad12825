#!/usr/bin/env bash
# A private OpenID Connect provider, Debian's glewlwyd 2.7 (its own HTTP
# server, SQLite backend), for the rqwatch OIDC login tests: loopback only, a
# free port, config, database and keys in DIR only, no systemd, nothing read
# from or written to /etc/glewlwyd.
#
#   oidc.sh start DIR   wipe+create DIR, start glewlwyd, configure it, write DIR/issuer etc.
#   oidc.sh stop DIR    stop the glewlwyd recorded in DIR/pid (keeps DIR and the log)
#
# Env RQWATCH_OIDC_REDIRECT_URI  the client's redirect URI, matched exactly by
#                                glewlwyd (port included)
#                                [http://127.0.0.1:1/api/v1/oidc/callback];
#                                a test that learns its port later changes it
#                                with oidc_login.set_redirect_uris()
# Env RQWATCH_OIDC_TIMEOUT       seconds to wait for glewlwyd to answer [30]
# Env RQWATCH_OIDC_STOP_TIMEOUT  seconds "stop" waits before SIGKILL [20]
#
# "start" writes, once the discovery document answered with the right issuer:
#   DIR/issuer          http://127.0.0.1:PORT/api/oidc (no trailing slash);
#                       ISSUER/.well-known/openid-configuration is the discovery
#   DIR/base_url        http://127.0.0.1:PORT (glewlwyd's own API is BASE/api)
#   DIR/client_id       rqwatch
#   DIR/client_secret   the client's secret (0600, no newline)
#   DIR/redirect_uri    the redirect URI registered (oidc_login.set_redirect_uris
#                       rewrites it: then one URI per line)
#   DIR/users           login:password:email, one line each (alice, bob, carol; 0600)
#   DIR/admin_password  password of glewlwyd's "admin" user (0600, no newline)
#   DIR/pid             glewlwyd's PID
# Users: alice (groups: staff), bob (no groups), carol (groups: staff,
# rqwatch-admins). Each has granted openid/email/profile to the client, so
# no consent page appears. ID token and userinfo carry, with scope email:
# email, email_verified (true); with scope profile: name, preferred_username
# (the login), groups (a JSON array; absent for bob). The client is
# confidential (client_secret_basic or _post), code flow only, PKCE S256
# required. Log in without a browser with oidc_login.py (self-test: run it
# with DIR). Exit 0 only if the discovery document answers;
# otherwise the reason and the tail of DIR/log go to stderr, glewlwyd is
# stopped, exit 1. Progress goes to stderr, nothing to stdout. As root,
# glewlwyd runs as the glewlwyd user when that user can reach DIR.
#
# Plain HTTP: the provider listens on 127.0.0.1 only and the tests talk to it
# over loopback; TLS would only add a CA the relying party must be told about.
set -euo pipefail
set +m   # no job control: the background glewlwyd stays in our process group until setsid

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF=$HERE/$(basename "${BASH_SOURCE[0]}")
GLEWLWYD=/usr/bin/glewlwyd
SCHEMA=/usr/share/dbconfig-common/data/glewlwyd/install/sqlite3   # = init.sqlite3.sql without DROPs
WEBAPP=/usr/share/glewlwyd/webapp
WEBAPP_CONFIG=/usr/share/glewlwyd/templates/config.json
MARKER=.rqwatch-oidc                 # only a DIR holding this file is ever wiped
PLUGIN=oidc                          # plugin instance name: the issuer path is /api/$PLUGIN
CLIENT_ID=rqwatch
REDIRECT_URI=${RQWATCH_OIDC_REDIRECT_URI:-http://127.0.0.1:1/api/v1/oidc/callback}
READY_TIMEOUT=${RQWATCH_OIDC_TIMEOUT:-30}
STOP_TIMEOUT=${RQWATCH_OIDC_STOP_TIMEOUT:-20}

log() { echo "oidc: $*" >&2; }
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1' "$SELF" >&2; exit 2; }
# shellcheck source=tests/harness/harness_lib.sh
source "$HERE/harness_lib.sh"

# ---------------------------------------------------------------- processes --

# is_glewlwyd PID: PID is a live (non-zombie) glewlwyd. Guards every signal
# against a recycled PID.
is_glewlwyd() {
  local pid=$1 state
  [[ $pid =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/stat" ] || return 1
  # zombies count as stopped: our reaper (PID 1 of a container) may be slow
  state=$(sed -E 's/^.*\) (.).*$/\1/' "/proc/$pid/stat" 2>/dev/null) || return 1
  [ "$state" != Z ] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = glewlwyd ]
}

# do_stop DIR: SIGTERM the recorded glewlwyd, wait STOP_TIMEOUT s, then
# SIGKILL. Succeeds if nothing is left running.
do_stop() {
  local dir=$1 pid i t0
  [ -f "$dir/pid" ] || return 0
  pid=$(cat "$dir/pid" 2>/dev/null || true)
  if ! is_glewlwyd "$pid"; then
    log "not running (pid file said '${pid}')"
    rm -f "$dir/pid"
    return 0
  fi
  t0=$(now)
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
    is_glewlwyd "$pid" || break
    sleep 0.1
  done
  if is_glewlwyd "$pid"; then
    log "pid $pid ignored SIGTERM for ${STOP_TIMEOUT}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      is_glewlwyd "$pid" || break
      sleep 0.1
    done
    if is_glewlwyd "$pid"; then
      log "pid $pid survived SIGKILL"
      return 1
    fi
  fi
  # The stopped glewlwyd is a zombie until PID 1 reaps it; give that a moment
  # so that ps right after stop is clean.
  for ((i = 0; i < 30; i++)); do
    [ -e "/proc/$pid" ] || break
    sleep 0.1
  done
  rm -f "$dir/pid"
  log "stopped pid $pid in $(elapsed "$t0")s"
}

# ----------------------------------------------------------------- helpers ---

# fail REASON: print it and the tail of the glewlwyd log, exit 1 (the EXIT
# trap stops glewlwyd).
fail() {
  log "ERROR: $*"
  log_tail "$DIR/log"
  exit 1
}

# run_logged LOGFILE CMD...: CMD with its output in LOGFILE; on failure exit
# with the command's own output.
run_logged() {
  local logfile=$1
  shift
  if ! "$@" >"$logfile" 2>&1; then
    log "ERROR: $1 failed:"
    sed "s/^/  | /" "$logfile" >&2
    exit 1
  fi
}

# http_status URL: the HTTP status of a GET (000 when nothing answers).
http_status() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null || true
}

# ------------------------------------------------------------------ config --

# make_keys: the RS256 signing key pair of the OIDC plugin. The plugin gets the
# PEM text through the admin API, so the files stay root-only.
make_keys() {
  mkdir -p "$DIR/keys"
  chmod 700 "$DIR/keys"
  run_logged "$DIR/keys/openssl.log" openssl genpkey -algorithm RSA \
    -pkeyopt rsa_keygen_bits:2048 -out "$DIR/keys/private.pem"
  run_logged "$DIR/keys/openssl.log" openssl pkey -in "$DIR/keys/private.pem" \
    -pubout -out "$DIR/keys/public.pem"
}

# make_db: the SQLite database from the schema the package ships (it creates
# the "admin" user with the well-known password "password", changed over the
# API right after start). The database user module gets two more user
# properties: "groups" (multi-valued) and "email_verified", the sources of the
# claims of the same names.
make_db() {
  mkdir -p "$DIR/data"
  chmod 700 "$DIR/data"
  # one transaction: statement by statement, the fsyncs take seconds
  # (WAL: fewer fsyncs per write while the setup runs; the mode is stored in
  # the file, so glewlwyd's own connection uses it too)
  { echo 'PRAGMA journal_mode=WAL; BEGIN;'; cat "$SCHEMA"; echo "
    UPDATE g_user_module_instance
       SET gumi_parameters = json_set(gumi_parameters,
             '\$.\"data-format\".groups',
             json('{\"multiple\":true,\"read\":true,\"write\":true,\"profile-read\":true,\"profile-write\":false}'),
             '\$.\"data-format\".email_verified',
             json('{\"multiple\":false,\"read\":true,\"write\":true,\"profile-read\":true,\"profile-write\":false}'))
     WHERE gumi_name = 'database';
    COMMIT;"; } >"$DIR/data/init.sql"
  run_logged "$DIR/sqlite.log" sqlite3 -bail "$DIR/data/glewlwyd.db" ".read $DIR/data/init.sql"
  rm -f "$DIR/data/init.sql"
}

# make_webapp: glewlwyd's login/admin web pages, for a person with a browser
# (the tests log in through the API). A copy (2.6 MB): glewlwyd answers 404
# for a symlinked file, and the package's config.json is a symlink into
# /etc/glewlwyd (to a directory, at that), so it comes from the template.
make_webapp() {
  cp -r "$WEBAPP" "$DIR/webapp"
  rm -f "$DIR/webapp/config.json"
  cp "$WEBAPP_CONFIG" "$DIR/webapp/config.json"
}

# make_config PORT: DIR/glewlwyd.conf (libconfig syntax). No
# use_secure_connection line: glewlwyd 2.7.5 reads "use_secure_connection=false"
# as on and then exits for want of a certificate.
make_config() {
  local port=$1
  cat >"$DIR/glewlwyd.conf" <<EOF
# written by tests/harness/oidc.sh
port=$port
bind_address="127.0.0.1"
external_url="http://127.0.0.1:$port"
login_url="login.html"
api_prefix="api"
static_files_path="$DIR/webapp/"
allow_origin="*"
log_mode="console"
log_level="INFO"
cookie_secure=0
session_key="GLEWLWYD2_SESSION_ID"
session_expiration=3600
admin_session_authentication="cookie"
profile_session_authentication="cookie"
allow_multiple_user_per_session=true
login_api_enabled=true
admin_scope="g_admin"
profile_scope="g_profile"
user_module_path="/usr/lib/glewlwyd/user"
client_module_path="/usr/lib/glewlwyd/client"
user_auth_scheme_module_path="/usr/lib/glewlwyd/scheme"
plugin_module_path="/usr/lib/glewlwyd/plugin"
hash_algorithm="SHA512"
database = { type = "sqlite3"; path = "$DIR/data/glewlwyd.db"; };
static_files_mime_types = (
  { extension = ".html"; mime_type = "text/html"; compress = 1; },
  { extension = ".css"; mime_type = "text/css"; compress = 1; },
  { extension = ".js"; mime_type = "application/javascript"; compress = 1; },
  { extension = ".json"; mime_type = "application/json"; compress = 1; },
  { extension = ".png"; mime_type = "image/png"; compress = 0; },
  { extension = ".ico"; mime_type = "image/x-icon"; compress = 0; },
  { extension = ".woff2"; mime_type = "font/woff2"; compress = 0; },
  { extension = ".ttf"; mime_type = "font/ttf"; compress = 0; }
);
EOF
}

# ------------------------------------------------------------------- setup --

# configure BASE_URL ISSUER: everything else through glewlwyd's admin API, as
# the admin web page would do it: new admin password, the OIDC plugin, the
# scopes email and profile, the client, the users, and each user's consent
# for the client; then the check that the discovery document answers with
# ISSUER and the JWKS holds the RS256 key.
configure() {
  python3 - "$1" "$2" "$DIR" "$PLUGIN" "$CLIENT_ID" "$REDIRECT_URI" <<'PY'
import http.cookiejar, json, sys, urllib.error, urllib.request

base, issuer, d, plugin, client_id, redirect_uri = sys.argv[1:]
api = base + "/api"

def session():
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

def call(op, method, path, body=None, want=200):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(api + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with op.open(req, timeout=10) as r:
            status, text = r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read().decode()
    if status != want:
        sys.exit(f"{method} {api + path}: HTTP {status} {text[:500]}")
    return text

def read(name):
    with open(f"{d}/{name}") as f:
        return f.read()

admin = session()
call(admin, "POST", "/auth/", {"username": "admin", "password": "password"})
call(admin, "PUT", "/user/admin", {"username": "admin", "name": "The Administrator",
                                   "password": read("admin_password"), "enabled": True,
                                   "scope": ["g_admin", "g_profile"]})

call(admin, "POST", "/mod/plugin/", {
    "module": "oidc", "name": plugin, "display_name": "rqwatch test OIDC", "enabled": True,
    "parameters": {
        "iss": issuer,
        "jwt-type": "rsa", "jwt-key-size": "256",      # RS256
        "key": read("keys/private.pem"), "cert": read("keys/public.pem"),
        "jwks-show": True,
        "access-token-duration": 3600, "refresh-token-duration": 1209600,
        "code-duration": 600, "refresh-token-rolling": False,
        "allow-non-oidc": False,
        "auth-type-code-enabled": True, "auth-type-code-revoke-replayed": True,
        "auth-type-token-enabled": False, "auth-type-id-token-enabled": True,
        "auth-type-none-enabled": False, "auth-type-password-enabled": False,
        "auth-type-client-enabled": False, "auth-type-device-enabled": False,
        "auth-type-refresh-enabled": True,
        "subject-type": "public",
        "allowed-scope": ["openid", "email", "profile"],   # scopes_supported
        "pkce-allowed": True, "pkce-method-plain-allowed": False, "pkce-required": True,
        # "no" = not on demand, but present whenever the scope is granted
        "name-claim": "no", "name-claim-scope": ["profile"],
        "email-claim": "no", "email-claim-scope": ["email"],
        "claims": [
            {"name": "preferred_username", "user-property": "username", "scope": ["profile"]},
            {"name": "groups", "user-property": "groups", "scope": ["profile"]},
            {"name": "email_verified", "user-property": "email_verified", "scope": ["email"],
             "type": "boolean", "boolean-value-true": "true", "boolean-value-false": "false"},
        ],
    }})

for name, desc in (("email", "E-mail address"), ("profile", "Name and groups")):
    call(admin, "POST", "/scope/", {"name": name, "display_name": name, "description": desc,
                                    "password_required": True, "password_max_age": 0,
                                    "scheme": {}})

call(admin, "POST", "/client/", {
    "client_id": client_id, "name": "rqwatch", "description": "rqwatch web UI (tests)",
    "enabled": True, "confidential": True, "scope": [],
    "client_secret": read("client_secret"),
    "redirect_uri": [redirect_uri],
    "authorization_type": ["code", "refresh_token"],
    "token_endpoint_auth_method": ["client_secret_basic", "client_secret_post"]})

groups = {"alice": ["staff"], "bob": [], "carol": ["staff", "rqwatch-admins"]}
for line in read("users").splitlines():
    login, password, email = line.split(":")
    user = {"username": login, "name": login.capitalize(), "email": email,
            "password": password, "enabled": True, "email_verified": "true",
            "scope": ["g_profile", "openid", "email", "profile"]}
    if groups[login]:
        user["groups"] = groups[login]
    call(admin, "POST", "/user/", user)
    # the user's own consent, so the authorization endpoint skips the grant page
    s = session()
    call(s, "POST", "/auth/", {"username": login, "password": password})
    call(s, "PUT", f"/auth/grant/{client_id}", {"scope": "openid email profile"})
    call(s, "DELETE", "/auth/")
call(admin, "DELETE", "/auth/")

# the real check: the discovery document, with our issuer, and the JWKS
disc = json.loads(call(session(), "GET", "/" + plugin + "/.well-known/openid-configuration"))
if disc.get("issuer") != issuer:
    sys.exit(f"discovery document has the wrong issuer: {disc}")
keys = json.loads(call(session(), "GET", "/" + plugin + "/jwks")).get("keys", [])
if [k.get("alg") for k in keys] != ["RS256"]:
    sys.exit(f"JWKS is not one RS256 key: {keys}")
PY
}

# ------------------------------------------------------------------- start --

# wipe_dir DIR: stop whatever still runs there, then remove DIR. Refuses a
# non-empty DIR that this script did not make.
wipe_dir() {
  local dir=$1
  [ -e "$dir" ] || return 0
  [ -d "$dir" ] || { log "ERROR: $dir exists and is not a directory"; exit 1; }
  if [ -n "$(ls -A "$dir")" ] && [ ! -f "$dir/$MARKER" ]; then
    log "ERROR: $dir is not empty and was not created by oidc.sh ($MARKER missing); refusing to wipe it"
    exit 1
  fi
  do_stop "$dir" || { log "ERROR: could not stop the glewlwyd still running in $dir"; exit 1; }
  rm -rf -- "$dir"
}

on_start_exit() {
  local rc=$?
  [ "$rc" -ne 0 ] || return 0
  trap '' INT TERM
  set +e
  log "start failed; stopping what was started (logs stay in $DIR)"
  rm -f "$DIR/issuer"
  do_stop "$DIR" || true
  exit "$rc"
}

do_start() {
  local missing=() c
  [ -x "$GLEWLWYD" ] || missing+=(glewlwyd)
  [ -r "$SCHEMA" ] || missing+=("$SCHEMA (glewlwyd)")
  [ -d "$WEBAPP" ] && [ -r "$WEBAPP_CONFIG" ] || missing+=("$WEBAPP (glewlwyd-common)")
  for c in sqlite3 openssl curl python3; do command -v "$c" >/dev/null || missing+=("$c"); done
  if [ ${#missing[@]} -gt 0 ]; then
    log "ERROR: missing: ${missing[*]} (install with scripts/bootstrap or apt-get)"
    exit 1
  fi
  [[ $REDIRECT_URI =~ ^https?://[^[:space:]]+$ ]] ||
    { log "ERROR: RQWATCH_OIDC_REDIRECT_URI '$REDIRECT_URI' is not an http(s) URL"; exit 1; }

  local t0
  t0=$(now)
  wipe_dir "$DIR"
  mkdir -p "$DIR"
  chmod 755 "$DIR"
  touch "$DIR/$MARKER"
  trap on_start_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  make_keys
  make_db
  make_webapp
  (
    umask 077
    printf '%s' "$(random_password)" >"$DIR/admin_password"
    printf '%s' "$(random_password)" >"$DIR/client_secret"
    for u in alice bob carol; do
      echo "$u:$(random_password):$u@example.org"
    done >"$DIR/users"
  )

  # As root, run glewlwyd as its package's system user when it can reach DIR
  # (setpriv execs in place, so $! is glewlwyd itself); it needs to write only
  # DIR/data (the database and its journal).
  local run_as=()
  if [ "$(id -u)" -eq 0 ] && getent passwd glewlwyd >/dev/null &&
    runuser -u glewlwyd -- test -x "$DIR"; then
    # its primary group is nogroup on Debian
    chown -R glewlwyd:"$(id -g glewlwyd)" "$DIR/data"
    run_as=(setpriv --reuid=glewlwyd --regid="$(id -g glewlwyd)" --init-groups --reset-env --)
  elif [ "$(id -u)" -eq 0 ]; then
    log "note: user glewlwyd cannot reach $DIR; glewlwyd runs as root"
  fi

  local attempt port pid off deadline base
  : >"$DIR/log"
  port=$(free_ports 1)
  for attempt in 1 2; do
    make_config "$port"
    off=$(stat -c %s "$DIR/log")
    # console log mode: everything goes to stdout/stderr, i.e. to DIR/log.
    # setsid puts it in its own session.
    setsid "${run_as[@]}" "$GLEWLWYD" -c "$DIR/glewlwyd.conf" </dev/null >>"$DIR/log" 2>&1 &
    pid=$!
    echo "$pid" >"$DIR/pid"

    base=http://127.0.0.1:$port
    deadline=$(($(now) + READY_TIMEOUT * 1000000))
    while [ "$(http_status "$base/config")" != 200 ]; do
      if ! is_glewlwyd "$pid"; then
        if [ "$attempt" = 1 ] && tail -c +"$((off + 1))" "$DIR/log" | grep -q 'Address already in use'; then
          port=$(free_ports 1)
          log "port taken, retrying on $port"
          continue 2
        fi
        fail "glewlwyd exited during startup"
      fi
      [ "$(now)" -lt "$deadline" ] || fail "no answer on $base within ${READY_TIMEOUT}s"
      sleep 0.05
    done
    break
  done

  local issuer=$base/api/$PLUGIN
  configure "$base" "$issuer" 2>"$DIR/setup.log" || {
    sed "s/^/  | /" "$DIR/setup.log" >&2
    fail "configuring glewlwyd through its admin API failed"
  }

  printf '%s\n' "$base" >"$DIR/base_url"
  printf '%s\n' "$CLIENT_ID" >"$DIR/client_id"
  printf '%s\n' "$REDIRECT_URI" >"$DIR/redirect_uri"
  printf '%s\n' "$issuer" >"$DIR/issuer.tmp"
  mv "$DIR/issuer.tmp" "$DIR/issuer"
  log "ready: issuer $issuer (pid $pid) in $(elapsed "$t0")s"
}

# --------------------------------------------------------------------- main --

[ $# -eq 2 ] || usage
cmd=$1
DIR=$2
[ -n "$DIR" ] || usage
DIR=$(harness_dir "$DIR")
# glewlwyd (as its own user) must not inherit an unreadable working directory.
cd /

case "$cmd" in
  start) do_start ;;
  stop)
    do_stop "$DIR" || exit 1
    exit 0 ;;
  *) usage ;;
esac
