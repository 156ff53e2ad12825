#!/usr/bin/env bash
# A private OpenLDAP slapd 2.5 (Debian package slapd) for the rqwatch LDAP
# tests: loopback only, free ports, a throw-away CA, data and config in DIR
# only, no systemd, nothing read from or written to /etc/ldap.
#
#   slapd.sh start DIR   wipe+create DIR, start slapd, load the fixture, write DIR/*.url
#   slapd.sh stop DIR    stop the slapd recorded in DIR/slapd.pid (keeps DIR and the log)
#
# Env RQWATCH_LDAP_TIMEOUT       seconds to wait for slapd to answer [30]
# Env RQWATCH_LDAP_STOP_TIMEOUT  seconds "stop" waits before SIGKILL [20]
#
# "start" writes, once ldapsearch found the fixture over both ports (the
# ldaps:// one with the certificate checked against DIR/ca.pem):
#   DIR/ldap.url      ldap://127.0.0.1:PORT    (StartTLS works here too)
#   DIR/ldaps.url     ldaps://127.0.0.1:PORT
#   DIR/ca.pem        the CA of the server certificate (SAN IP:127.0.0.1, DNS:localhost)
#   DIR/other-ca.pem  an unrelated CA, for tests that must see verification fail
#   DIR/slapd.pid     slapd's PID
#   DIR/rootpw        password of the rootdn cn=admin,dc=example,dc=org (0600, no newline)
# The directory is tests/fixtures/ldap/users.ldif (see the README there).
# Exit 0 only if slapd is up; otherwise the reason and the tail of DIR/log go
# to stderr, slapd is stopped, exit 1. Progress goes to stderr, nothing to
# stdout. Must run as root; slapd runs as the openldap user when that user can
# reach DIR, else as root.
set -euo pipefail
set +m   # no job control: the background slapd stays in our process group until setsid

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF=$HERE/$(basename "${BASH_SOURCE[0]}")
FIXTURES=$HERE/../fixtures/ldap
SLAPD=/usr/sbin/slapd
SUFFIX=dc=example,dc=org
ROOTDN=cn=admin,$SUFFIX
READER=cn=reader,$SUFFIX
MARKER=.rqwatch-slapd            # only a DIR holding this file is ever wiped
READY_TIMEOUT=${RQWATCH_LDAP_TIMEOUT:-30}
STOP_TIMEOUT=${RQWATCH_LDAP_STOP_TIMEOUT:-20}

log() { echo "slapd: $*" >&2; }
# shellcheck source=tests/harness/harness_lib.sh
source "$HERE/harness_lib.sh"

# ---------------------------------------------------------------- processes --

# is_slapd PID: PID is a live slapd (see is_running).
is_slapd() { is_running "$1" slapd; }

# do_stop DIR: SIGTERM the recorded slapd, SIGKILL after STOP_TIMEOUT s (see
# stop_recorded). Succeeds if nothing is left running.
do_stop() { stop_recorded "$1/slapd.pid" is_slapd; }

# fail REASON: print it and the tail of the slapd log, exit 1 (the EXIT trap
# stops slapd).
fail() { fail_log "$DIR/log" "$@"; }

# --------------------------------------------------------------------- TLS --

# make_tls: a throw-away CA, a server certificate it signed for 127.0.0.1 and
# localhost, and a second CA that signed nothing (for the wrong-CA tests; it
# has the same subject, so only the signature tells the two apart).
# EC P-256 keys: generated instantly, and GnuTLS (Debian's libldap and slapd
# use it) reads them.
make_tls() {
  local t=$DIR/tls
  mkdir -p "$t"
  cat >"$t/openssl.cnf" <<'EOF'
[req]
distinguished_name = dn
prompt = no
[dn]
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
  local ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc)
  run_logged "$t/openssl.log" openssl req -config "$t/openssl.cnf" -x509 "${ec[@]}" \
    -keyout "$t/ca.key" -out "$t/ca.pem" -days 7 -subj "/CN=rqwatch test CA" -extensions ca_ext
  run_logged "$t/openssl.log" openssl req -config "$t/openssl.cnf" -x509 "${ec[@]}" \
    -keyout "$t/other-ca.key" -out "$t/other-ca.pem" -days 7 -subj "/CN=rqwatch test CA" \
    -extensions ca_ext
  run_logged "$t/openssl.log" openssl req -config "$t/openssl.cnf" -new "${ec[@]}" \
    -keyout "$t/server.key" -out "$t/server.csr" -subj "/CN=localhost"
  run_logged "$t/openssl.log" openssl x509 -req -in "$t/server.csr" -CA "$t/ca.pem" \
    -CAkey "$t/ca.key" -set_serial "0x$(random_password)" -days 7 \
    -extfile "$t/openssl.cnf" -extensions server_ext -out "$t/server.pem"
  rm -f "$t/server.csr" "$t/ca.key" "$t/other-ca.key"
  cp "$t/ca.pem" "$DIR/ca.pem"
  cp "$t/other-ca.pem" "$DIR/other-ca.pem"
}

# ------------------------------------------------------------------ config --

# make_config ROOTPW_HASH: slapd.conf, the fixture loaded offline with
# slapadd, then the config converted to a cn=config directory (DIR/slapd.d),
# which is what slapd reads.
make_config() {
  local hash=$1
  cat >"$DIR/slapd.conf" <<EOF
# written by tests/harness/slapd.sh; slapd reads DIR/slapd.d, converted from this
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
include $FIXTURES/mail-alternate-address.schema

modulepath /usr/lib/ldap
moduleload back_mdb

TLSCACertificateFile $DIR/tls/ca.pem
TLSCertificateFile $DIR/tls/server.pem
TLSCertificateKeyFile $DIR/tls/server.key

database mdb
suffix "$SUFFIX"
rootdn "$ROOTDN"
rootpw $hash
directory $DIR/data
maxsize 16777216

# Users bind with their password (anonymous "auth"); nobody reads one.
access to attrs=userPassword
    by anonymous auth
    by * none
# Only the service account sees the groups, so the admin-group check must
# run with its rights, not with those of the user who just bound.
access to dn.subtree="ou=groups,$SUFFIX"
    by dn.exact="$READER" read
    by * none
# The service account reads everything else; anonymous reads too, for the
# tests of an anonymous service search.
access to *
    by dn.exact="$READER" read
    by self read
    by anonymous read
    by * none
EOF
  mkdir -p "$DIR/slapd.d" "$DIR/data"
  chmod 700 "$DIR/data"
  # slapadd first: slaptest opens every database and fails on a missing one
  # (and with -u it checks but does not convert).
  run_logged "$DIR/slapadd.log" slapadd -f "$DIR/slapd.conf" -b "$SUFFIX" -l "$FIXTURES/users.ldif"
  run_logged "$DIR/slaptest.log" slaptest -f "$DIR/slapd.conf" -F "$DIR/slapd.d"
}

# ------------------------------------------------------------------- start --

# search URL [ldapsearch args...]: one ldapsearch with a short timeout, the
# certificate checked against DIR/ca.pem, no ldap.conf or ~/.ldaprc defaults
# beyond that.
search() {
  local url=$1
  shift
  LDAPTLS_CACERT=$DIR/ca.pem LDAPTLS_REQCERT=demand LDAPCONF=/dev/null LDAPRC=/dev/null \
    ldapsearch -LLL -x -o nettimeout=2 -l 2 -H "$url" "$@"
}

# launch_slapd LDAP_PORT LDAPS_PORT: slapd in the background (start_server's
# LAUNCH). -d keeps it in the foreground (stats: one line per operation, no
# passwords), logging to stderr, i.e. to DIR/log. setsid puts it in its own
# session; it execs in place, so $! is slapd itself.
launch_slapd() {
  setsid "$SLAPD" -d stats -F "$DIR/slapd.d" "${SLAPD_USER_ARGS[@]}" \
    -h "ldap://127.0.0.1:$1/ ldaps://127.0.0.1:$2/" </dev/null >>"$DIR/log" 2>&1 &
}

# slapd_answers LDAP_PORT [LDAPS_PORT]: the suffix is found over ldap://
# (start_server's READY).
slapd_answers() { search "ldap://127.0.0.1:$1" -b "$SUFFIX" -s base dn; }

do_start() {
  [ "$(id -u)" -eq 0 ] || { log "ERROR: must run as root"; exit 1; }
  local missing=() c
  [ -x "$SLAPD" ] || missing+=(slapd)
  for c in slaptest slapadd slappasswd; do command -v "$c" >/dev/null || missing+=("$c (slapd)"); done
  command -v ldapsearch >/dev/null || missing+=(ldap-utils)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v python3 >/dev/null || missing+=(python3)
  [ -d "$FIXTURES" ] || missing+=("$FIXTURES")
  exit_if_missing "${missing[@]}"

  local t0
  t0=$(now)
  fresh_dir "$DIR" "the slapd"
  stop_on_failed_start "$DIR/ldap.url" "$DIR/ldaps.url"

  make_tls
  local rootpw
  rootpw=$(random_password)
  (umask 077 && printf '%s' "$rootpw" >"$DIR/rootpw")
  # the hash goes into the config; the password itself only into DIR/rootpw
  make_config "$(slappasswd -n -h '{SSHA}' -T "$DIR/rootpw")"

  # slapd drops to openldap after binding its ports when that user can reach
  # DIR (every component of the path traversable); otherwise it stays root.
  SLAPD_USER_ARGS=()
  if can_reach openldap "$DIR"; then
    chown -R openldap:openldap "$DIR/slapd.d" "$DIR/data" "$DIR/tls"
    SLAPD_USER_ARGS=(-u openldap -g openldap)
  else
    log "note: openldap cannot reach $DIR; slapd runs as root"
  fi

  local ports
  read -ra ports <<<"$(free_ports 2)"
  start_server slapd "$DIR/log" "$DIR/slapd.pid" is_slapd launch_slapd slapd_answers "${ports[@]}"
  local ldap_port=${SERVER_PORTS[0]} ldaps_port=${SERVER_PORTS[1]} pid=$SERVER_PID

  # the real check: the fixture over ldaps:// with the certificate verified,
  # and the service account's bind and read access
  local got
  got=$(search "ldaps://127.0.0.1:$ldaps_port" -D "$ROOTDN" -y "$DIR/rootpw" -b "$SUFFIX" \
    '(uid=alice)' dn 2>&1) || fail "ldaps:// search as the rootdn failed: $got"
  [ "$got" = "dn: uid=alice,ou=people,$SUFFIX" ] || fail "ldaps:// search as the rootdn gave '$got'"
  got=$(search "ldap://127.0.0.1:$ldap_port" -ZZ -D "$READER" -w reader-secret \
    -b "ou=groups,$SUFFIX" '(cn=rqwatch-admins)' member 2>&1) ||
    fail "StartTLS search as $READER failed: $got"
  grep -q "^member: uid=bob,ou=people,$SUFFIX\$" <<<"$got" ||
    fail "StartTLS search as $READER gave '$got'"

  echo "ldap://127.0.0.1:$ldap_port" >"$DIR/ldap.url.tmp"
  echo "ldaps://127.0.0.1:$ldaps_port" >"$DIR/ldaps.url.tmp"
  mv "$DIR/ldap.url.tmp" "$DIR/ldap.url"
  mv "$DIR/ldaps.url.tmp" "$DIR/ldaps.url"
  log "ready on ldap://127.0.0.1:$ldap_port and ldaps://127.0.0.1:$ldaps_port (pid $pid) in $(elapsed "$t0")s"
}

# --------------------------------------------------------------------- main --

harness_main "$@"
