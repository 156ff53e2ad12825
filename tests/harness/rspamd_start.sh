#!/usr/bin/env bash
# Start a private rspamd 3.4 (Debian package) on loopback for rqwatch tests.
#
#   rspamd_start.sh -w WORKDIR -p SCAN_PORT -c CTRL_PORT [-e URL] [-F fmt]
#                   [-S selector] [-a user:pass] [-t timeout_s]
#                   [-P controller_password] [-r redis_host:port]
#                   [-m multimap.conf] [-x extra.conf] [-W map_watch_s]
#
#   -e URL   metadata_exporter rule RQWATCH (backend http, meta_headers = true)
#   -F NAME  formatter (default|json)                          [default]
#   -S NAME  selector  (default|is_spam|is_reject|...)         [default]
#   -a U:P   HTTP Basic credentials for the exporter
#   -t SEC   readiness timeout (first start compiles Hyperscan: ~30-60 s) [240]
#   -P PASS  controller password, asked of loopback clients too (no secure_ip)
#   -r H:P   Redis for the Bayes classifier (learnspam/learnham; min_learns 1)
#   -m FILE  use FILE as local.d/multimap.conf (e.g. `rqwatch maps rspamd-config`)
#   -x FILE  append FILE to rspamd.conf at top level (module sections, lua = …)
#   -W SEC   map_watch_interval (how often HTTP maps are polled)
#   -z PORT  a fuzzy_storage worker on PORT (hashes in the -r Redis) and a
#            writable fuzzy_check rule RQWATCH using it: flag 1 FUZZY_DENIED,
#            flag 2 FUZZY_PROB (fuzzyadd/fuzzydel through the controller)
#
# Generates WORKDIR/etc (network modules disabled, X-Test-Score rule), starts
# rspamd in its own session (setsid) as root, waits until both workers answer
# /ping and prints the main PID on stdout. Progress/errors go to stderr.
# Env RQWATCH_HS_CACHE: shared Hyperscan cache [/tmp/rqwatch-hs-cache].
# Nothing is written to /etc/rspamd or /var/lib/rspamd.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="" PORT="" CPORT="" URL="" FMT=default SEL=default AUTH="" TIMEOUT=240 CPASS="" REDIS=""
MULTIMAP="" EXTRA="" WATCH="" FUZZY=""
HS="${RQWATCH_HS_CACHE:-/tmp/rqwatch-hs-cache}"
while getopts "w:p:c:e:F:S:a:t:P:r:m:x:W:z:" o; do
  case "$o" in
    w) WORK=$OPTARG ;; p) PORT=$OPTARG ;; c) CPORT=$OPTARG ;; e) URL=$OPTARG ;;
    F) FMT=$OPTARG ;; S) SEL=$OPTARG ;; a) AUTH=$OPTARG ;; t) TIMEOUT=$OPTARG ;;
    P) CPASS=$OPTARG ;; r) REDIS=$OPTARG ;;
    m) MULTIMAP=$OPTARG ;; x) EXTRA=$OPTARG ;; W) WATCH=$OPTARG ;; z) FUZZY=$OPTARG ;;
    *) sed -n 2,27p "$0" >&2; exit 2 ;;
  esac
done
[ -n "$WORK" ] && [ -n "$PORT" ] && [ -n "$CPORT" ] || { sed -n 2,27p "$0" >&2; exit 2; }
[ -z "$FUZZY" ] || [ -n "$REDIS" ] || { echo "-z needs -r (the fuzzy hashes live in Redis)" >&2; exit 2; }
command -v rspamd >/dev/null || { echo "rspamd not installed" >&2; exit 1; }
mkdir -p "$WORK"; WORK="$(cd "$WORK" && pwd)"
ETC=$WORK/etc SYS=/etc/rspamd
rm -rf "$ETC" "$WORK/db"
mkdir -p "$ETC/local.d" "$ETC/override.d" "$WORK/run" "$WORK/db" "$WORK/log" "$HS"

{
  echo 'lua = "$RULESDIR/rspamd.lua";'
  for f in metrics actions groups composites statistic; do echo ".include \"\$CONFDIR/$f.conf\""; done
  echo 'modules { path = "${PLUGINSDIR}"; fallback_path = "${SHAREDIR}/lua"; }'
  for f in "$SYS"/modules.d/*.conf; do
    b=$(basename "$f")
    # stock multimap rules pull remote maps: replace with local-only section
    if [ "$b" = multimap.conf ]; then
      echo 'multimap { .include(try=true,priority=1,duplicate=merge) "$LOCAL_CONFDIR/local.d/multimap.conf" }'
    else
      echo ".include \"\$CONFDIR/modules.d/$b\""
    fi
  done
  cat <<EOC
.include "\$CONFDIR/settings.conf"
options {
  pidfile = "\$RUNDIR/rspamd.pid";
  .include "\$CONFDIR/options.inc"
  .include(try=true; priority=1,duplicate=merge) "\$LOCAL_CONFDIR/local.d/options.inc"
}
logging {
  type = "file";
  filename = "\$LOGDIR/rspamd.log";
  .include "\$CONFDIR/logging.inc"
}
worker "normal" {
  bind_socket = "127.0.0.1:$PORT";
  .include "\$CONFDIR/worker-normal.inc"
  count = 1;
}
worker "controller" {
  bind_socket = "127.0.0.1:$CPORT";
  $(if [ -n "$CPASS" ]; then
      # The stock file trusts loopback (secure_ip): leave it out so that the
      # password is checked for the tests' requests too.
      printf 'count = 1;\n  password = "%s";\n  secure_ip = "192.0.2.1";\n' "$CPASS"
    else
      echo '.include "$CONFDIR/worker-controller.inc"'
    fi)
}
lua = "\$LOCAL_CONFDIR/test_score.lua";
EOC
  if [ -n "$FUZZY" ]; then
    cat <<EOC
worker "fuzzy" {
  bind_socket = "127.0.0.1:$FUZZY";
  count = 1;
  backend = "redis";
  servers = "$REDIS";
  expire = 1d;
  # Updates are written in batches: every second, not every minute, so
  # that a rescan right after a fuzzyadd finds the hash.
  sync = 1s;
  allow_update = ["127.0.0.1"];
}
EOC
  fi
} > "$ETC/rspamd.conf"
cp "$HERE/test_score.lua" "$ETC/test_score.lua"
if [ -n "$EXTRA" ]; then cat "$EXTRA" >> "$ETC/rspamd.conf"; fi
if [ -n "$MULTIMAP" ]; then cp "$MULTIMAP" "$ETC/local.d/multimap.conf"; fi

cat > "$ETC/local.d/options.inc" <<EOC
hs_cache_dir = "$HS";
maps_cache_dir = "\$DBDIR";
history_file = "\$DBDIR/rspamd.history";
dns { nameserver = ["127.0.0.1:1"]; timeout = 0.2s; retransmits = 1; }
EOC
if [ -n "$WATCH" ]; then echo "map_watch_interval = ${WATCH}s;" >> "$ETC/local.d/options.inc"; fi

for m in $([ -n "$FUZZY" ] || echo fuzzy_check) rbl surbl spf dkim dmarc arc asn phishing whitelist hfilter \
         mx_check rspamd_update dcc emails url_redirector neural ratelimit greylist \
         replies history_redis reputation bimi p0f clickhouse elastic metric_exporter \
         antivirus external_services spamassassin aws_s3 clustering dkim_signing; do
  echo 'enabled = false;' > "$ETC/override.d/$m.conf"
done

if [ -n "$REDIS" ]; then
  cat > "$ETC/local.d/classifier-bayes.conf" <<EOC
servers = "$REDIS";
min_learns = 1;
EOC
fi

if [ -n "$FUZZY" ]; then
  # Replaces the stock rule (rspamd.com's servers, read only): one local,
  # writable rule, no size minimum so the tests' short mails are hashed.
  cat > "$ETC/override.d/fuzzy_check.conf" <<EOC
min_bytes = 0;
timeout = 2s;
retransmits = 1;
rule "RQWATCH" {
  algorithm = "mumhash";
  servers = "127.0.0.1:$FUZZY";
  symbol = "FUZZY_UNKNOWN";
  mime_types = ["*"];
  max_score = 20.0;
  read_only = false;
  skip_unknown = true;
  short_text_direct_hash = true;
  min_length = 8;
  fuzzy_map = {
    FUZZY_DENIED { max_score = 20.0; flag = 1; }
    FUZZY_PROB { max_score = 10.0; flag = 2; }
  }
}
EOC
fi

if [ -n "$URL" ]; then
  {
    echo 'rules {'
    echo '  RQWATCH {'
    echo '    backend = "http";'
    echo "    url = \"$URL\";"
    echo "    formatter = \"$FMT\";"
    echo "    selector = \"$SEL\";"
    echo '    meta_headers = true;'
    if [ -n "$AUTH" ]; then
      echo "    user = \"${AUTH%%:*}\";"
      echo "    password = \"${AUTH#*:}\";"
    fi
    echo '  }'
    echo '}'
  } > "$ETC/local.d/metadata_exporter.conf"
fi

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then echo "port $PORT busy" >&2; exit 1; fi
: > "$WORK/log/rspamd.log"
setsid rspamd -f -i -u root -g root -c "$ETC/rspamd.conf" \
  --var="LOCAL_CONFDIR=$ETC" --var="RUNDIR=$WORK/run" --var="DBDIR=$WORK/db" --var="LOGDIR=$WORK/log" \
  > "$WORK/log/stdout.log" 2>&1 < /dev/null &
PID=$!
echo "$PID" > "$WORK/run/test.pid"
t0=$(date +%s)
until curl -s -m 2 "http://127.0.0.1:$PORT/ping" 2>/dev/null | grep -q pong &&
      curl -s -m 2 "http://127.0.0.1:$CPORT/ping" 2>/dev/null | grep -q pong; do
  if ! kill -0 "$PID" 2>/dev/null; then
    echo "rspamd exited during startup:" >&2
    tail -n 20 "$WORK/log/rspamd.log" "$WORK/log/stdout.log" >&2 || true
    exit 1
  fi
  if [ $(( $(date +%s) - t0 )) -ge "$TIMEOUT" ]; then
    echo "timeout waiting for rspamd (pid $PID)" >&2; "$HERE/rspamd_stop.sh" "$PID" || true; exit 1
  fi
  sleep 0.3
done
echo "rspamd ready in $(( $(date +%s) - t0 ))s on 127.0.0.1:$PORT (log $WORK/log/rspamd.log)" >&2
echo "$PID"
