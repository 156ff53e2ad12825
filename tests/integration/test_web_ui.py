#!/usr/bin/env python3
"""The web UI (issue 5) through the real binary: the embedded files and
their routes (gzip or plain, ETag and 304, cache headers, the page policy,
unknown paths 404), then an end-to-end run in Debian's chromium driven by
playwright-core (web/e2e/ui.e2e.mjs): login as admin and as a user, lists
and the filter builder, a detail, another user's mail refused, a hostile
HTML mail that must run and send nothing, an attachment download, the
admin pages. Screenshots go to the build tree (RQWATCH_WEB_SHOTS or
<tmp>/shots); the first-load size and the 50-row render time are checked
against their budgets (docs/benchmarks.md)."""
import base64
import gzip
import hashlib
import hmac
import json
import os
import re
import socket
import struct
import subprocess
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import rqwatch_testlib as t

WEB = t.REPO / "web"
MARKER = "Quarterly invoice"
HTML_MARKER = "Hello from the hostile mail"
ATTACHMENT = ("report.txt", "attachment body 42\n")


def totp_code(secret_b32: str, step: int) -> str:
    """RFC 6238 (SHA-1, 6 digits, 30 s), as an authenticator app computes it."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return f"{(struct.unpack('>I', mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def run_e2e(test: unittest.TestCase, rq: "t.Rqwatch", script: str, cfg: dict) -> dict:
    """Runs web/e2e/<script> on cfg in node; its results, or the test fails
    with the script's error and the server's log."""
    cfg_path = rq.dir / f"{script}.json"
    out_path = rq.dir / f"{script}-out.json"
    cfg_path.write_text(json.dumps(cfg))
    r = subprocess.run(["node", str(WEB / "e2e" / script), str(cfg_path), str(out_path)],
                       cwd=WEB, capture_output=True, text=True, timeout=600)
    print(r.stdout[-4000:])
    if r.returncode != 0:
        test.fail(f"e2e failed rc={r.returncode}:\n{r.stderr[-6000:]}\nrqwatch log:\n{rq.log_tail(30)}")
    return json.loads(out_path.read_text())


class Canary(BaseHTTPRequestHandler):
    """Stands for the rest of the internet: records every request."""
    hits: list[str] = []

    def _any(self):
        if self.path == "/__hits":
            body = json.dumps(Canary.hits).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        Canary.hits.append(self.path.split("?")[0])
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = _any

    def log_message(self, *args):
        pass


def hostile_message(canary: str) -> bytes:
    html = (
        f"<html><body><p>{HTML_MARKER}</p>"
        f"<script>window.top.__pwned = 1; fetch('{canary}/script');</script>"
        f"<img src=\"x\" onerror=\"window.top.__pwned = 2; new Image().src='{canary}/onerror'\">"
        f"<img src=\"{canary}/remote.png\" alt=\"remote\">"
        f"<form action=\"{canary}/post\" method=\"post\"><input name=\"q\" value=\"1\">"
        f"<input type=\"submit\" value=\"Send\"></form>"
        f"<script>document.forms[0].submit()</script>"
        f"</body></html>")
    return (
        "From: Hostile <evil@example.com>\r\n"
        "To: alice@example.org\r\n"
        f"Subject: {MARKER} <b>html</b>\r\n"
        "Message-ID: <hostile@example.com>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=outer\r\n\r\n"
        "--outer\r\n"
        "Content-Type: multipart/alternative; boundary=alt\r\n\r\n"
        "--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nplain text part\r\n"
        f"--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n"
        "--alt--\r\n"
        "--outer\r\n"
        f"Content-Type: text/plain; name=\"{ATTACHMENT[0]}\"\r\n"
        f"Content-Disposition: attachment; filename=\"{ATTACHMENT[0]}\"\r\n\r\n"
        f"{ATTACHMENT[1]}\r\n"
        "--outer--\r\n").encode()


class WebUiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.canary = ThreadingHTTPServer(("127.0.0.1", 0), Canary)
        threading.Thread(target=cls.canary.serve_forever, daemon=True).start()
        cls.canary_url = f"http://127.0.0.1:{cls.canary.server_address[1]}"
        cls.sink = t.SmtpSink()
        # A controller nobody listens on, for the node that scanned the mails:
        # the statistics panel shows it down, and learning fails in words.
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            dead_port = s.getsockname()[1]
        cls.rq = t.Rqwatch({"importer": {"batch_window_ms": 10},
                            "session": {"cookie_secure": False},
                            "release": {"smtp_host": "127.0.0.1", "smtp_port": cls.sink.port,
                                        "starttls": "none", "timeout_seconds": 10,
                                        "from": "quarantine@example.org"},
                            "rspamd": {"controllers": [f"testhost=http://127.0.0.1:{dead_port}"],
                                       "timeout_seconds": 2, "stats_refresh_seconds": 1}})
        cls.rq.start_with_users([("alice", "alice-password-1", "alice@example.org"),
                                 ("bob", "bob-password-1", "bob@example.org"),
                                 ("carol", "carol-password-1", "carol@example.org")])
        # Carol logs in with a second factor: enrol and confirm it here.
        carol = t.Browser(cls.rq)
        assert carol.login("carol", "carol-password-1")[0] == 200
        st, _, resp = carol.send("POST", "/api/v1/profile/totp")
        assert st == 200, resp
        cls.totp_secret = json.loads(resp)["secret"]
        cls.totp_step = int(time.time()) // 30
        st, _, resp = carol.send("POST", "/api/v1/profile/totp/confirm", json.dumps(
            {"code": totp_code(cls.totp_secret, cls.totp_step)}).encode())
        assert st == 200, resp
        # Alice's and Bob's: the oldest, released from the detail page by Alice.
        qid = t.unique_qid("R")
        st, _, _ = cls.rq.post_default(t.make_message(qid, subject="release me"), t.default_meta(
            qid, rcpt=["alice@example.org", "bob@example.org"], subject="release me"))
        assert st == 200
        cls.rq.wait_drained(min_imported=1)
        actions = ["reject", "add header", "no action", "greylist", "soft reject", "rewrite subject"]
        sent = 0
        for i in range(55):
            qid = t.unique_qid("W")
            subject = f"{MARKER} {i}" if i < 3 else f"newsletter {i}"
            meta = t.default_meta(qid, action=actions[i % len(actions)], score=float(i % 17) - 3,
                                  rcpt=["alice@example.org"], subject=subject)
            st, _, body = cls.rq.post_default(t.make_message(qid, subject=subject), meta)
            assert st == 200, body
            sent += 1
        qid = t.unique_qid("B")
        st, _, _ = cls.rq.post_default(t.make_message(qid, subject="for bob"),
                                       t.default_meta(qid, rcpt=["bob@example.org"], subject="for bob"))
        assert st == 200
        qid = t.unique_qid("H")
        meta = t.default_meta(qid, rcpt=["alice@example.org"], subject=f"{MARKER} <b>html</b>")
        meta["symbols"] = [{"name": "BIG", "score": 9.5, "options": ["x"]},
                           {"name": "NEG", "score": -2.0, "options": []},
                           {"name": "SMALL", "score": 0.3, "options": ["<script>"]}]
        st, _, _ = cls.rq.post_default(hostile_message(cls.canary_url), meta)
        assert st == 200
        cls.rq.wait_drained(min_imported=sent + 3)
        mails = cls.rq.mails()
        by = {m["subject"]: m["id"] for m in mails}
        cls.html_mail = by[f"{MARKER} <b>html</b>"]
        cls.html_mail_at = next(m["received_at"] for m in mails if m["id"] == cls.html_mail)
        cls.jump = next(m for m in mails if m["subject"] == "newsletter 12")  # a reject: kept
        cls.bob_mail = by["for bob"]
        cls.release_mail = next(m for m in mails if m["subject"] == "release me")

    @classmethod
    def tearDownClass(cls):
        cls.rq.cleanup()
        cls.sink.cleanup()
        cls.canary.shutdown()

    def get(self, path, headers=None, method="GET"):
        return self.rq.request(method, path, headers=headers or {})

    def assets_of_index(self) -> list[str]:
        st, _, body = self.get("/")
        self.assertEqual(st, 200)
        return re.findall(r'(?:src|href)="(/assets/[^"]+)"', body.decode())

    def test_index_gzip_plain_etag_and_policy(self):
        st, h, gz = self.get("/", {"Accept-Encoding": "gzip"})
        self.assertEqual(st, 200)
        self.assertEqual(h["content-encoding"], "gzip")
        plain = gzip.decompress(gz)
        self.assertIn(b'<div id="app">', plain)
        st, h2, body = self.get("/")
        self.assertEqual((st, body), (200, plain))
        self.assertNotIn("content-encoding", h2)
        self.assertEqual(h["cache-control"], "no-cache")
        self.assertIn("script-src 'self'", h["content-security-policy"])
        self.assertIn("frame-ancestors 'none'", h["content-security-policy"])
        self.assertRegex(h["etag"], r'^"[0-9a-f]{64}"$')
        st, h3, body = self.get("/", {"If-None-Match": h["etag"]})
        self.assertEqual((st, body), (304, b""))
        self.assertEqual(self.get("/", {"If-None-Match": '"0"'})[0], 200)
        st, h4, body = self.get("/", method="HEAD")
        self.assertEqual((st, body), (200, b""))
        self.assertEqual(self.get("/", {"Accept-Encoding": "gzip;q=0"})[2], plain)

    def test_page_paths_serve_the_app_and_the_rest_is_404(self):
        _, _, index = self.get("/")
        for p in ("/mails", "/today", "/day?d=2026-12-01", "/mail?id=1", "/users", "/stats"):
            st, _, body = self.get(p)
            self.assertEqual((p, st, body), (p, 200, index))
        self.assertEqual(self.get("/mails", method="HEAD")[0], 200)
        for p in ("/api", "/assets", "/maps", "/favicon.ico", "/Mails", "/a%2Fb", "/" + "a" * 40,
                  "/assets/nope.js", "/assets/..%2F..%2Fetc%2Fpasswd", "/api/v1/nope", "/mails/1"):
            st, h, body = self.get(p)
            self.assertEqual((p, st), (p, 404))
            self.assertEqual(h["content-type"], "application/json", p)
            self.assertIn(b'"error"', body)
        self.assertEqual(self.rq.request("POST", "/mails", b"")[0], 405)

    def test_assets_are_immutable_and_within_budget(self):
        assets = self.assets_of_index()
        self.assertTrue(any(a.endswith(".js") for a in assets), assets)
        total = 0
        for a in assets:
            st, h, gz = self.get(a, {"Accept-Encoding": "gzip"})
            self.assertEqual(st, 200, a)
            self.assertEqual(h["cache-control"], "public, max-age=31536000, immutable")
            self.assertEqual(h["content-encoding"], "gzip")
            total += len(gz)
            st, _, _ = self.get(a, {"If-None-Match": h["etag"]})
            self.assertEqual(st, 304)
            st, h, plain = self.get(a)
            self.assertEqual(plain, gzip.decompress(gz))
        print(f"web: first load JS+CSS gzipped: {total} bytes")
        self.assertLessEqual(total, 150 * 1024)

    def test_assets_dir_serves_a_folder_read_at_each_request(self):
        rq = t.Rqwatch({"web": {"assets_dir": "ui"}})  # relative to the config file
        try:
            ui = rq.dir / "ui"
            (ui / "assets").mkdir(parents=True)
            (ui / "index.html").write_text("<p>first</p>")
            (ui / "assets" / "app-1.js").write_text("1;")
            (rq.dir / "secret.txt").write_text("secret")
            rq.start_with_users()
            st, h, body = rq.request("GET", "/mails", headers={"Accept-Encoding": "gzip"})
            self.assertEqual((st, body), (200, b"<p>first</p>"))  # as it is on disk
            self.assertNotIn("content-encoding", h)
            self.assertRegex(h["etag"], r'^"[0-9a-f]{64}"$')
            (ui / "index.html").write_text("<p>second</p>")  # a rebuild, no restart
            st, h2, body = rq.request("GET", "/", headers={"If-None-Match": h["etag"]})
            self.assertEqual((st, body), (200, b"<p>second</p>"))
            self.assertEqual(rq.request("GET", "/assets/app-1.js")[2], b"1;")
            for p in ("/assets/..%2Fsecret.txt", "/assets/%2E%2E", "/assets/missing.js"):
                self.assertEqual(rq.request("GET", p)[0], 404, p)
        finally:
            rq.cleanup()

    def test_browser_end_to_end(self):
        shots = Path(os.environ.get("RQWATCH_WEB_SHOTS") or (self.rq.dir / "shots"))
        shots.mkdir(parents=True, exist_ok=True)
        cfg = {
            "base": f"http://127.0.0.1:{self.rq.port}",
            "admin": {"user": t.ADMIN_USER, "password": t.ADMIN_PASSWORD},
            "user": {"user": "alice", "password": "alice-password-1"},
            "htmlMail": self.html_mail, "htmlMailAt": self.html_mail_at,
            "jump": {"id": self.jump["id"], "qid": self.jump["qid"]}, "otherMail": self.bob_mail,
            "marker": MARKER, "markerCount": 4, "htmlMarker": HTML_MARKER,
            "attachment": {"name": ATTACHMENT[0], "content": ATTACHMENT[1]},
            "canary": self.canary_url,
            "release": {"id": self.release_mail["id"], "ip": self.release_mail["ip"]},
            "totp": {"user": "carol", "password": "carol-password-1",
                     "code": totp_code(self.totp_secret, self.totp_step + 1)}, "screenshots": str(shots),
        }
        # The API answers the same to the browser's requests as to scripts.
        self.assertEqual(self.rq.api_get(f"/api/v1/mails/{self.bob_mail}", "alice",
                                         "alice-password-1")[0], 404)
        result = run_e2e(self, self.rq, "ui.e2e.mjs", cfg)
        # The admin's bulk release and Alice's reached the relay: one copy
        # each, Alice's to her only (not to her co-recipient Bob).
        sent = self.sink.transactions()
        self.assertEqual([x["rcpt_tos"] for x in sent], [["ops@example.org"], ["alice@example.org"]])
        self.assertIn(f"X-Rqwatch-Released: by {t.ADMIN_USER}".encode(), sent[0]["data"])
        self.assertIn(HTML_MARKER.encode(), sent[0]["data"])
        self.assertIn(b"X-Rqwatch-Released: by alice", sent[1]["data"])
        self.assertIn(b"Subject: release me", sent[1]["data"])
        print(f"web: e2e checks passed: {len(result['checks'])}; screenshots in {shots}")
        render = [x for x in result["listRenderMs"] if x is not None]
        self.assertTrue(render, result)
        print(f"web: 50-row list render after data: fastest {min(render):.1f} ms of {render}")
        self.assertLessEqual(min(render), 100)


if __name__ == "__main__":
    t.main()
