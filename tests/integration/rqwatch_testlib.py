"""Shared helpers for rqwatch integration tests (stdlib only, Python 3.11).

Every test file is run by CTest as
    python3 tests/integration/test_X.py --binary PATH/rqwatch --bench PATH/rqwatch-bench
with RQWATCH_FIXTURES pointing at tests/fixtures.  Use ``main()`` at the bottom
of each test file: it strips our options and exits non-zero on failure.
"""
from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
HARNESS = REPO / "tests" / "harness"

BINARY: str | None = None
BENCH: str | None = None


def fixtures_dir() -> Path:
    return Path(os.environ.get("RQWATCH_FIXTURES", REPO / "tests" / "fixtures")) / "integration"


def fixture(name: str) -> Path:
    return fixtures_dir() / name


def parse_args() -> list[str]:
    """Take --binary/--bench out of sys.argv; return what is left for unittest."""
    global BINARY, BENCH
    rest = [sys.argv[0]]
    args = sys.argv[1:]
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("--binary", "--bench") and i + 1 < len(args):
            val = args[i + 1]
            i += 2
        elif a.startswith("--binary=") or a.startswith("--bench="):
            a, val = a.split("=", 1)
        else:
            rest.append(a)
            i += 1
            continue
        if a == "--binary":
            BINARY = os.path.abspath(val)
        else:
            BENCH = os.path.abspath(val)
    if BINARY is None:
        BINARY = os.environ.get("RQWATCH_BINARY", str(REPO / "build" / "rqwatch"))
    return rest


def record_api_call(method: str, path: str, status: int) -> None:
    """Notes every answered request for api_conformance.py (which checks
    that routes and statuses are those of docs/api/openapi.yaml) when CTest
    sets RQWATCH_API_RECORD."""
    out = os.environ.get("RQWATCH_API_RECORD")
    if not out:
        return
    name = Path(sys.argv[0]).stem
    with open(Path(out) / f"{name}.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps({"method": method, "path": path.split("?", 1)[0],
                            "status": status}) + "\n")


def main() -> None:
    argv = parse_args()
    prog = unittest.main(argv=argv, exit=False, verbosity=2)
    sys.exit(0 if prog.result.wasSuccessful() else 1)


# --------------------------------------------------------------------- misc

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path | str) -> str:
    return sha256(Path(path).read_bytes())


def unique_qid(prefix: str = "T") -> str:
    return prefix + uuid.uuid4().hex[:16].upper()


def basic_auth(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def wait_until(pred, timeout: float, interval: float = 0.05, what: str = "condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = pred()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timeout after {timeout}s waiting for {what} (last: {last!r})")


def files_under(path: Path) -> set[str]:
    """Relative paths of all regular files below path (empty if missing)."""
    out = set()
    if not path.exists():
        return out
    for root, _dirs, files in os.walk(path):
        for f in files:
            out.add(os.path.relpath(os.path.join(root, f), path))
    return out


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)  # JSON string escapes are valid TOML basic strings
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(f"cannot encode {v!r}")


def to_toml(cfg: dict) -> str:
    lines = []
    for k, v in cfg.items():
        if not isinstance(v, dict):
            lines.append(f"{k} = {_toml_value(v)}")
    for k, v in cfg.items():
        if isinstance(v, dict):
            lines.append(f"\n[{k}]")
            for k2, v2 in v.items():
                lines.append(f"{k2} = {_toml_value(v2)}")
    return "\n".join(lines) + "\n"


def deep_merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = v
    return out


def run_cli(args: list[str], stdin: bytes | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([BINARY, *args], input=stdin, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=timeout)


# --------------------------------------------------------------------- rqwatch

INGEST_USER = "rspamd"
INGEST_PASSWORD = "secret"
ADMIN_USER = "admin"
ADMIN_PASSWORD = "admin-pass-123"


class Rqwatch:
    """One rqwatch instance with its own temp dir, config and free port."""

    def __init__(self, overrides: dict | None = None, workdir: Path | None = None):
        self._own_dir = workdir is None
        self.dir = Path(workdir or tempfile.mkdtemp(prefix="rqwatch-it-"))
        self.data_dir = self.dir / "data"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.config_path = self.dir / "rqwatch.toml"
        self.log_path = self.dir / "rqwatch.log"
        self.proc: subprocess.Popen | None = None
        self._log = None
        self.config = deep_merge({
            "data_dir": str(self.data_dir),
            "server": {"listen": f"127.0.0.1:{self.port}", "io_threads": 2,
                       "read_timeout_seconds": 30, "write_timeout_seconds": 30,
                       "idle_timeout_seconds": 60, "access_log": True},
            "database": {"url": f"sqlite:{self.data_dir / 'rqwatch.db'}"},
            "spool": {"fsync": True, "min_free_mb": 1},
            "ingest": {"enabled": True, "username": INGEST_USER, "password": INGEST_PASSWORD,
                       "allow_from": ["127.0.0.0/8", "::1/128"]},
            "store": {"actions": ["reject", "discard", "add header", "rewrite subject"],
                      "viruses": True},
            "importer": {"batch_size": 200, "poll_interval_ms": 50},
            "log": {"level": "info"},
        }, overrides or {})
        self.write_config()

    # paths (defaults from the spec)
    @property
    def spool_dir(self) -> Path:
        return Path(self.config.get("spool", {}).get("dir") or self.data_dir / "spool")

    @property
    def quarantine_dir(self) -> Path:
        return Path(self.config.get("quarantine", {}).get("dir") or self.data_dir / "quarantine")

    @property
    def db_path(self) -> Path:
        url = self.config.get("database", {}).get("url") or f"sqlite:{self.data_dir / 'rqwatch.db'}"
        assert url.startswith("sqlite:"), "db_path is only for SQLite"
        return Path(url[len("sqlite:"):])

    def write_config(self):
        self.config_path.write_text(to_toml(self.config))

    def cli(self, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
        return run_cli([*args, "--config", str(self.config_path)], stdin=stdin)

    def add_user(self, name: str, password: str, admin: bool, email: str | None = None):
        args = ["user", "add", name, "--email", email or f"{name}@example.org"]
        if admin:
            args.append("--admin")
        args.append("--password-stdin")
        r = self.cli(*args, stdin=(password + "\n").encode())
        if r.returncode != 0:
            raise AssertionError(f"user add {name} failed rc={r.returncode}: "
                                 f"{r.stdout.decode(errors='replace')}{r.stderr.decode(errors='replace')}")
        return r

    def setup_admin(self):
        r = self.cli("migrate")
        if r.returncode != 0:
            raise AssertionError(f"migrate failed rc={r.returncode}: {r.stderr.decode(errors='replace')}")
        self.add_user(ADMIN_USER, ADMIN_PASSWORD, admin=True)

    def start_with_users(self, users=()):
        """The admin and `users` ((name, password) or (name, password, email)
        tuples, not admins), then start; a failure on the way cleans up."""
        try:
            self.setup_admin()
            for u in users:
                self.add_user(u[0], u[1], admin=False, email=u[2] if len(u) > 2 else None)
            self.start()
        except BaseException:
            self.cleanup()
            raise
        return self

    def start(self, timeout: float = 30):
        assert self.proc is None or self.proc.poll() is not None, "already running"
        self._log = open(self.log_path, "ab")
        self._log.write(f"\n==== start {time.strftime('%H:%M:%S')} ====\n".encode())
        self._log.flush()
        self.proc = subprocess.Popen([BINARY, "serve", "--config", str(self.config_path)],
                                     stdin=subprocess.DEVNULL, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"rqwatch exited during startup rc={self.proc.returncode}; "
                                     f"log tail:\n{self.log_tail()}")
            try:
                st, _, body = self.request("GET", "/healthz", timeout=2)
                if st == 200:
                    return json.loads(body)
            except (OSError, http.client.HTTPException, ValueError):
                pass
            time.sleep(0.1)
        raise AssertionError(f"rqwatch not healthy after {timeout}s; log tail:\n{self.log_tail()}")

    def stop(self, timeout: float = 15) -> int | None:
        """SIGTERM, then SIGKILL after timeout. Returns the exit code."""
        p = self.proc
        if p is None:
            return None
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(10)
        self._close_log()
        return p.returncode

    def kill9(self):
        p = self.proc
        if p is not None and p.poll() is None:
            os.kill(p.pid, signal.SIGKILL)
            p.wait(10)
        self._close_log()

    def _close_log(self):
        if self._log:
            self._log.close()
            self._log = None

    def cleanup(self):
        try:
            self.stop(timeout=10)
        finally:
            if self._own_dir and not os.environ.get("RQWATCH_KEEP_TMP"):
                shutil.rmtree(self.dir, ignore_errors=True)

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"

    # ------------------------------------------------------------- HTTP
    def conn(self, timeout: float = 30) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | list | None = None, timeout: float = 30):
        """Returns (status, headers dict lower-case, body bytes)."""
        c = self.conn(timeout)
        try:
            c.putrequest(method, path, skip_accept_encoding=True)
            items = headers.items() if isinstance(headers, dict) else (headers or [])
            names = set()
            for k, v in items:
                c.putheader(k, v)
                names.add(k.lower())
            if body is not None and "content-length" not in names:
                c.putheader("Content-Length", str(len(body)))
            c.endheaders(body)
            r = c.getresponse()
            data = r.read()
            record_api_call(method, path, r.status)
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data
        finally:
            c.close()

    def health(self) -> dict:
        st, _, body = self.request("GET", "/healthz", timeout=5)
        if st != 200:
            raise AssertionError(f"/healthz -> {st}: {body[:200]!r}")
        return json.loads(body)

    def wait_drained(self, timeout: float = 60, min_imported: int | None = None) -> dict:
        def ok():
            h = self.health()
            if h.get("spool_pending") != 0:
                return False
            if min_imported is not None and h.get("imported_total", 0) < min_imported:
                return False
            return h
        return wait_until(ok, timeout, 0.1, "spool_pending == 0")

    # ------------------------------------------------------------- ingest
    def ingest_auth(self, user=INGEST_USER, password=INGEST_PASSWORD) -> dict:
        return {"Authorization": basic_auth(user, password)}

    def post_default(self, message: bytes, meta: dict, server: str | None = "mx-test",
                     path: str = "/api/v1/ingest", auth: bool = True, extra_headers=None):
        """Rspamd 3.4 formatter "default" + meta_headers: raw mail + X-Rspamd-* headers."""
        q = f"?server={server}" if server else ""
        headers = [("Content-Type", "text/plain"), ("User-Agent", "rspamd-3.4"),
                   ("Connection", "close")]
        if auth:
            headers += list(self.ingest_auth().items())
        headers += meta_headers(meta)
        headers += list(extra_headers or [])
        return self.request("POST", path + q, message, headers)

    def post_json(self, meta: dict, server: str | None = "mx-test",
                  path: str = "/api/v1/ingest", with_headers: bool = True):
        """Rspamd formatter "json": JSON metadata object as body (no message)."""
        q = f"?server={server}&format=json" if server else "?format=json"
        headers = [("Content-Type", "text/plain"), ("User-Agent", "rspamd-3.4")]
        headers += list(self.ingest_auth().items())
        if with_headers:
            headers += meta_headers(meta)
        return self.request("POST", path + q, json.dumps(meta).encode(), headers)

    def post_multipart(self, meta: dict | bytes | None, message: bytes | None,
                       server: str | None = "mx-test",
                       path: str = "/api/metadata_importer_multipart.php"):
        q = f"?server={server}" if server else ""
        body, ctype = multipart_body(meta, message)
        headers = [("Content-Type", ctype)] + list(self.ingest_auth().items())
        return self.request("POST", path + q, body, headers)

    # ------------------------------------------------------------- API
    def api_get(self, path: str, user=ADMIN_USER, password=ADMIN_PASSWORD):
        h = {"Authorization": basic_auth(user, password)} if user is not None else {}
        return self.request("GET", path, headers=h)

    def mails(self, limit: int = 100) -> list[dict]:
        """All mails via the API, following next_before (newest first)."""
        out = []
        before = None
        for _ in range(10000):
            path = f"/api/v1/mails?limit={limit}" + (f"&before={before}" if before is not None else "")
            st, _, body = self.api_get(path)
            if st != 200:
                raise AssertionError(f"GET {path} -> {st}: {body[:300]!r}")
            doc = json.loads(body)
            out.extend(doc["items"])
            before = doc.get("next_before")
            if before is None or not doc["items"]:
                break
        return out

    def mail(self, mail_id) -> dict:
        st, _, body = self.api_get(f"/api/v1/mails/{mail_id}")
        if st != 200:
            raise AssertionError(f"GET /api/v1/mails/{mail_id} -> {st}: {body[:300]!r}")
        return json.loads(body)

    def mails_by_qid(self) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for m in self.mails():
            out.setdefault(m.get("qid"), []).append(m)
        return out


def meta_headers(meta: dict) -> list[tuple[str, str | bytes]]:
    """X-Rspamd-* headers the way 3.4 sends them (tables JSON, scalars as is)."""
    out = []
    for k, v in meta.items():
        if isinstance(v, (list, dict)):
            v = json.dumps(v, separators=(",", ":"))
        elif isinstance(v, bool):
            v = "true" if v else "false"
        elif isinstance(v, (int, float)):
            v = str(v)
        elif isinstance(v, str):
            v = v.encode("utf-8")  # raw UTF-8 on the wire, like rspamd
        out.append(("X-Rspamd-" + k, v))
    return out


def default_meta(qid: str, action: str = "reject", score: float = 20.5,
                 rcpt=None, subject: str = "test subject", **kw) -> dict:
    meta = {
        "qid": qid,
        "action": action,
        "score": score,
        "from": "sender@example.org",
        "rcpt": rcpt if rcpt is not None else ["rcpt@example.net"],
        "ip": "198.51.100.7",
        "user": "unknown",
        "subject": subject,
        "scan_time": 12,
        "rspamd_server": "testhost",
        "fuzzy": [],
        "symbols": [{"name": "RQWATCH_TEST_SCORE", "score": score, "group": "rqwatch_test",
                     "groups": ["rqwatch_test"], "options": [str(score)]}],
    }
    meta.update(kw)
    return meta


def make_message(qid: str, size: int = 2000, subject: str | None = None) -> bytes:
    """Deterministic RFC 5322 message of about ``size`` bytes for a qid."""
    subject = subject or f"generated {qid}"
    head = (f"From: Gen Sender <gen@example.org>\r\nTo: rcpt@example.net\r\n"
            f"Subject: {subject}\r\nDate: Fri, 14 Nov 2025 12:00:00 +0000\r\n"
            f"Message-ID: <{qid}@example.org>\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: text/plain; charset=us-ascii\r\n\r\n").encode()
    seed = hashlib.sha256(qid.encode()).hexdigest()
    lines = []
    n = len(head)
    i = 0
    while n < size:
        line = f"{i:06d} {seed} {hashlib.sha1(f'{seed}{i}'.encode()).hexdigest()}\r\n".encode()
        lines.append(line)
        n += len(line)
        i += 1
    return head + b"".join(lines)


def multipart_body(meta, message: bytes | None, boundary: str | None = None):
    boundary = boundary or "----rqwatch" + uuid.uuid4().hex
    parts = []
    if meta is not None:
        mb = meta if isinstance(meta, bytes) else json.dumps(meta).encode()
        parts.append(b"--" + boundary.encode() + b"\r\n"
                     b'Content-Disposition: form-data; name="metadata"\r\n'
                     b"Content-Type: application/json\r\n\r\n" + mb + b"\r\n")
    if message is not None:
        parts.append(b"--" + boundary.encode() + b"\r\n"
                     b'Content-Disposition: form-data; name="message"; filename="message.eml"\r\n'
                     b"Content-Type: message/rfc822\r\n\r\n" + message + b"\r\n")
    body = b"".join(parts) + b"--" + boundary.encode() + b"--\r\n"
    return body, f"multipart/form-data; boundary={boundary}"


def raw_http(port: int, data: bytes, timeout: float = 10, shut_wr: bool = False) -> tuple[int, bytes]:
    """Send raw bytes, return (status, whole response). status 0 = no response."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            s.sendall(data)
            if shut_wr:
                s.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass
        return read_response(s)


def read_response(s: socket.socket) -> tuple[int, bytes]:
    buf = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
            if b"\r\n\r\n" in buf:
                head, _, rest = buf.partition(b"\r\n\r\n")
                cl = None
                for line in head.split(b"\r\n")[1:]:
                    k, _, v = line.partition(b":")
                    if k.strip().lower() == b"content-length":
                        cl = int(v.strip())
                if cl is not None and len(rest) >= cl:
                    break
    except (ConnectionResetError, socket.timeout, TimeoutError):
        pass
    status = 0
    if buf.startswith(b"HTTP/"):
        try:
            status = int(buf.split(b" ", 2)[1])
        except (IndexError, ValueError):
            status = 0
    return status, buf


# --------------------------------------------------------------------- rspamd

class Rspamd:
    """Real rspamd 3.4 via tests/harness/rspamd_start.sh (own temp dir, free ports)."""

    def __init__(self, export_url: str | None = None, formatter: str = "default",
                 selector: str = "default", auth: str | None = f"{INGEST_USER}:{INGEST_PASSWORD}",
                 controller_password: str | None = None, bayes_redis: str | None = None,
                 fuzzy_storage: bool = False, extra_args: list[str] | tuple = ()):
        self.dir = Path(tempfile.mkdtemp(prefix="rqwatch-rspamd-"))
        self.port = free_port()
        self.cport = free_port()
        while self.cport == self.port:
            self.cport = free_port()
        args = [str(HARNESS / "rspamd_start.sh"), "-w", str(self.dir), "-p", str(self.port),
                "-c", str(self.cport), "-F", formatter, "-S", selector]
        if export_url:
            args += ["-e", export_url]
        if auth:
            args += ["-a", auth]
        if controller_password:  # asked of the tests' loopback requests too
            args += ["-P", controller_password]
        if bayes_redis:  # "host:port" of a Redis for the Bayes classifier
            args += ["-r", bayes_redis]
        self.fport = None
        if fuzzy_storage:  # a fuzzy_storage worker (hashes in bayes_redis), writable rule
            self.fport = free_port()
            while self.fport in (self.port, self.cport):
                self.fport = free_port()
            args += ["-z", str(self.fport)]
        args += list(extra_args)  # -m multimap.conf, -x top-level config, -W map interval
        r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=400)
        out = r.stdout.decode().strip().splitlines()
        self.pid = int(out[-1]) if out and out[-1].isdigit() else None
        if r.returncode != 0 or self.pid is None:
            self.stop()
            raise AssertionError(f"rspamd_start.sh failed rc={r.returncode}: {r.stderr.decode(errors='replace')}")

    @property
    def log_path(self) -> Path:
        return self.dir / "log" / "rspamd.log"

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def scan(self, path: Path | str, mail_from: str | None = None, rcpts=(), ip: str | None = None,
             qid: str | None = None, user: str | None = None) -> dict:
        args = ["rspamc", "-h", f"127.0.0.1:{self.port}", "-j", "-t", "30"]
        if mail_from:
            args += ["--from", mail_from]
        for r in rcpts:
            args += ["--rcpt", r]
        if ip:
            args += ["--ip", ip]
        if user:
            args += ["--user", user]
        if qid:
            args += ["--header", f"Queue-Id: {qid}"]
        args.append(str(path))
        r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        if r.returncode != 0:
            raise AssertionError(f"rspamc failed rc={r.returncode}: {r.stderr.decode(errors='replace')}")
        return json.loads(r.stdout)

    def stop(self):
        if self.pid:
            subprocess.run([str(HARNESS / "rspamd_stop.sh", ), str(self.pid)], timeout=60)
            self.pid = None

    def cleanup(self):
        try:
            self.stop()
        finally:
            if not os.environ.get("RQWATCH_KEEP_TMP"):
                shutil.rmtree(self.dir, ignore_errors=True)


# --------------------------------------------------------------------- SMTP

class SmtpSink:
    """An SMTP server that records every transaction (tests/harness/smtp_sink.py,
    run by Debian's /usr/bin/python3, which has python3-aiosmtpd)."""

    PYTHON = "/usr/bin/python3"

    def __init__(self, auth: str | None = None, refuse=()):
        self.dir = Path(tempfile.mkdtemp(prefix="rqwatch-smtp-"))
        args = [self.PYTHON, str(HARNESS / "smtp_sink.py"), "--dir", str(self.dir)]
        if auth:
            args += ["--auth", auth]
        for r in refuse:
            args += ["--refuse", r]
        self._log = open(self.dir / "sink.log", "wb")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        port_file = self.dir / "port"
        try:
            wait_until(lambda: port_file.exists() or self.proc.poll() is not None, 30, 0.05,
                       "the SMTP sink to listen")
            if self.proc.poll() is not None:
                raise AssertionError("smtp_sink.py exited: " +
                                     (self.dir / "sink.log").read_text(errors="replace"))
            self.port = int(port_file.read_text())
        except BaseException:
            self.cleanup()
            raise

    def transactions(self) -> list[dict]:
        """Every recorded transaction, in order: {"mail_from", "rcpt_tos", "data"}."""
        out = []
        for meta in sorted(self.dir.glob("[0-9]*.json")):
            doc = json.loads(meta.read_text())
            doc["data"] = meta.with_suffix(".eml").read_bytes()
            out.append(doc)
        return out

    def clear(self):
        for f in self.dir.glob("[0-9]*.*"):
            f.unlink()

    def cleanup(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._log.close()
        if not os.environ.get("RQWATCH_KEEP_TMP"):
            shutil.rmtree(self.dir, ignore_errors=True)


JSON_TYPE = {"Content-Type": "application/json"}


def cookie_of(headers: dict) -> str:
    """The rqwatch_session value from a Set-Cookie header ("" if none)."""
    sc = headers.get("set-cookie", "")
    first = sc.split(";", 1)[0]
    name, _, value = first.partition("=")
    return value if name.strip() == "rqwatch_session" else ""


class Browser:
    """A cookie-holding client of one rqwatch (urllib's jar would not send a
    Secure cookie over plain HTTP)."""

    def __init__(self, rq: "Rqwatch"):
        self.rq = rq
        self.cookie = ""
        self.csrf = ""

    def login(self, user: str, password: str):
        st, h, body = self.rq.request("POST", "/api/v1/session",
                                      json.dumps({"username": user, "password": password}).encode(),
                                      headers=self._headers(JSON_TYPE))
        if st == 200:
            self.cookie = cookie_of(h)
            self.csrf = json.loads(body)["csrf_token"]
        return st, h, body

    def _headers(self, extra=None):
        h = dict(extra or {})
        if self.cookie:
            h["Cookie"] = f"rqwatch_session={self.cookie}"
        return h

    def get(self, path):
        return self.rq.request("GET", path, headers=self._headers())

    def send(self, method, path, body=b"", csrf=True):
        h = self._headers(JSON_TYPE)
        if csrf:
            h["X-CSRF-Token"] = self.csrf
        return self.rq.request(method, path, body, headers=h)
