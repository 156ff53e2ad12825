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
# shellcheck source=tests/harness/harness_lib.sh
source "$HERE/harness_lib.sh"

# ---------------------------------------------------------------- processes --

# is_glewlwyd PID: PID is a live glewlwyd (see is_running).
is_glewlwyd() { is_running "$1" glewlwyd; }

# do_stop DIR: SIGTERM the recorded glewlwyd, SIGKILL after STOP_TIMEOUT s
# (see stop_recorded). Succeeds if nothing is left running.
do_stop() { stop_recorded "$1/pid" is_glewlwyd; }

# ----------------------------------------------------------------- helpers ---

# fail REASON: print it and the tail of the glewlwyd log, exit 1 (the EXIT
# trap stops glewlwyd).
fail() { fail_log "$DIR/log" "$@"; }

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

# make_webapp: glewlwyd's login/admin web pages, for a browser (the chromium
# SSO test clicks through login.html; the API tests post like it). A copy
# (4.5 MB): glewlwyd answers 404 for a symlinked file, so Debian's links to
# jquery, bootstrap and the fonts become the files; the package's config.json
# is a symlink into /etc/glewlwyd (to a directory, at that), so it comes
# from the template.
make_webapp() {
  cp -r "$WEBAPP" "$DIR/webapp"
  rm -f "$DIR/webapp/config.json"
  local link
  while IFS= read -r -d '' link; do
    # relative links: resolve them where the package put them
    cp --remove-destination "$(readlink -f "$WEBAPP/${link#"$DIR/webapp/"}")" "$link"
  done < <(find "$DIR/webapp" -type l -print0)
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

# launch_glewlwyd PORT: its config for PORT, then glewlwyd in the background
# (start_server's LAUNCH). Console log mode: everything goes to stdout/stderr,
# i.e. to DIR/log. setsid puts it in its own session.
launch_glewlwyd() {
  make_config "$1"
  setsid "${GLEWLWYD_RUN_AS[@]}" "$GLEWLWYD" -c "$DIR/glewlwyd.conf" </dev/null >>"$DIR/log" 2>&1 &
}

# glewlwyd_answers PORT: its /config answers 200 (start_server's READY).
glewlwyd_answers() { [ "$(http_status "http://127.0.0.1:$1/config")" = 200 ]; }

do_start() {
  local missing=() c
  [ -x "$GLEWLWYD" ] || missing+=(glewlwyd)
  [ -r "$SCHEMA" ] || missing+=("$SCHEMA (glewlwyd)")
  [ -d "$WEBAPP" ] && [ -r "$WEBAPP_CONFIG" ] || missing+=("$WEBAPP (glewlwyd-common)")
  for c in sqlite3 openssl curl python3; do command -v "$c" >/dev/null || missing+=("$c"); done
  exit_if_missing "${missing[@]}"
  [[ $REDIRECT_URI =~ ^https?://[^[:space:]]+$ ]] ||
    { log "ERROR: RQWATCH_OIDC_REDIRECT_URI '$REDIRECT_URI' is not an http(s) URL"; exit 1; }

  local t0
  t0=$(now)
  fresh_dir "$DIR" "the glewlwyd"
  stop_on_failed_start "$DIR/issuer"

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
  GLEWLWYD_RUN_AS=()
  if [ "$(id -u)" -eq 0 ] && can_reach glewlwyd "$DIR"; then
    # its primary group is nogroup on Debian
    chown -R glewlwyd:"$(id -g glewlwyd)" "$DIR/data"
    GLEWLWYD_RUN_AS=(setpriv --reuid=glewlwyd --regid="$(id -g glewlwyd)" --init-groups --reset-env --)
  elif [ "$(id -u)" -eq 0 ]; then
    log "note: user glewlwyd cannot reach $DIR; glewlwyd runs as root"
  fi

  local port
  port=$(free_ports 1)
  start_server glewlwyd "$DIR/log" "$DIR/pid" is_glewlwyd launch_glewlwyd glewlwyd_answers "$port"
  local pid=$SERVER_PID base=http://127.0.0.1:${SERVER_PORTS[0]}

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

harness_main "$@"
