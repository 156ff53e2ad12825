"""Malformed / hostile ingest requests: documented status, nothing half-written.

After every rejected request: no row for its qid, no new file in the spool or
quarantine dirs (no leftover temp file), and the server still answers.
"""
import json
import socket
import sqlite3
import time
import unittest

import rqwatch_testlib as t

MiB = 1024 * 1024


class BadInputTest(unittest.TestCase):
    rq: t.Rqwatch = None

    @classmethod
    def setUpClass(cls):
        cls.rq = t.Rqwatch({"server": {"max_body_bytes": 10 * MiB, "max_header_bytes": 128 * 1024,
                                       "read_timeout_seconds": 10}})
        try:
            cls.rq.setup_admin()
            cls.rq.start()
        except BaseException:
            cls.rq.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.rq.cleanup()

    # ------------------------------------------------------------ helpers
    def snapshot(self):
        self.rq.wait_drained(timeout=30)
        return (t.files_under(self.rq.spool_dir), t.files_under(self.rq.quarantine_dir),
                self.rq.health().get("imported_total"))

    def assert_nothing_written(self, before, qid=None, what=""):
        # give the server a moment to clean up, then compare
        def same():
            h = self.rq.health()
            now = (t.files_under(self.rq.spool_dir), t.files_under(self.rq.quarantine_dir),
                   h.get("imported_total"))
            return now == before and h.get("spool_pending") == 0
        try:
            t.wait_until(same, 5, 0.1, "no new files")
        except AssertionError:
            sp, qu, imp = before
            self.fail(f"{what}: something was written: new spool files "
                      f"{sorted(t.files_under(self.rq.spool_dir) - sp)}, new quarantine files "
                      f"{sorted(t.files_under(self.rq.quarantine_dir) - qu)}, imported_total "
                      f"{imp} -> {self.rq.health().get('imported_total')}")
        if qid:
            self.assertNotIn(qid, self.rq.mails_by_qid(), f"{what}: row written for rejected request")
        self.assertEqual(self.rq.request("GET", "/healthz", timeout=5)[0], 200, f"{what}: server unhealthy")

    def expect_rejected(self, status_ok, fn, what, qid=None):
        before = self.snapshot()
        st, _, body = fn()
        if isinstance(status_ok, int):
            status_ok = (status_ok,)
        self.assertIn(st, status_ok, f"{what}: got {st} body={body[:200]!r}")
        self.assert_nothing_written(before, qid, what)
        return st, body

    def good(self, qid, **kw):
        return t.default_meta(qid, **kw)

    def row_for(self, qid):
        self.rq.wait_drained(timeout=30)
        rows = self.rq.mails_by_qid().get(qid, [])
        self.assertEqual(len(rows), 1, f"rows for {qid}")
        return self.rq.mail(rows[0]["id"])

    # ------------------------------------------------------------ controls
    def test_control_shapes_accepted(self):
        """Sanity: the three documented shapes are accepted (200, body OK)."""
        msg = t.fixture("reject.eml").read_bytes()
        q1, q2, q3, q4 = (t.unique_qid("OK") for _ in range(4))
        st, _, body = self.rq.post_default(msg, self.good(q1))
        self.assertEqual((st, body.strip()), (200, b"OK"))
        st, _, body = self.rq.post_default(msg, self.good(q4), path="/api/metadata_importer.php")
        self.assertEqual(st, 200, body)
        st, _, body = self.rq.post_json(self.good(q2), with_headers=False)
        self.assertEqual(st, 200, body)
        st, _, body = self.rq.post_multipart(self.good(q3), msg)
        self.assertEqual(st, 200, body)
        for q in (q1, q4, q3):
            m = self.row_for(q)
            self.assertIs(m["stored"], True, q)
            self.assertEqual(t.sha256_file(self.rq.quarantine_dir / m["quarantine_path"]), t.sha256(msg))
        m = self.row_for(q2)
        self.assertIs(m["stored"], False)
        self.assertEqual(m["action"], "reject")

    # ------------------------------------------------------------ bad input
    def test_empty_body(self):
        q = t.unique_qid("BAD")
        self.expect_rejected(400, lambda: self.rq.post_default(b"", self.good(q)), "empty body", q)

    def test_invalid_symbols_json(self):
        q = t.unique_qid("BAD")
        meta = self.good(q)
        meta["symbols"] = '[{"name":"X","score":1'  # truncated JSON (sent verbatim)
        self.expect_rejected(400, lambda: self.rq.post_default(b"Subject: x\r\n\r\nbody\r\n", meta),
                             "invalid X-Rspamd-symbols", q)

    def test_invalid_rcpt_json(self):
        q = t.unique_qid("BAD")
        meta = self.good(q)
        meta["rcpt"] = '["a@example.net",'
        self.expect_rejected(400, lambda: self.rq.post_default(b"Subject: x\r\n\r\nbody\r\n", meta),
                             "invalid X-Rspamd-rcpt", q)

    def test_rcpt_unknown_accepted(self):
        q = t.unique_qid("UNK")
        meta = self.good(q)
        meta["rcpt"] = "unknown"
        st, _, body = self.rq.post_default(t.fixture("reject.eml").read_bytes(), meta)
        self.assertEqual(st, 200, body)
        m = self.row_for(q)
        self.assertEqual(m["recipients"], [])
        self.assertIn(m["rcpt_to"], ([], None))

    def test_body_too_large_answered_early(self):
        """40 MiB announced, limit 10 MiB: 413 before we send the body."""
        before = self.snapshot()
        q = t.unique_qid("BIG")
        head = (f"POST /api/v1/ingest?server=mx-test HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Content-Type: text/plain\r\nContent-Length: {40 * MiB}\r\n"
                f"Authorization: {t.basic_auth(t.INGEST_USER, t.INGEST_PASSWORD)}\r\n")
        for k, v in t.meta_headers(self.good(q)):
            v = v.decode() if isinstance(v, bytes) else v
            head += f"{k}: {v}\r\n"
        head += "\r\n"
        with socket.create_connection(("127.0.0.1", self.rq.port), timeout=10) as s:
            s.sendall(head.encode())
            t0 = time.monotonic()
            st, resp = t.read_response(s)
            dt = time.monotonic() - t0
        self.assertEqual(st, 413, f"oversized body: response {resp[:200]!r}")
        self.assertLess(dt, 5, "413 must come without waiting for the body")
        self.assert_nothing_written(before, q, "413")

    def test_header_too_large(self):
        q = t.unique_qid("HDR")
        meta = self.good(q)
        req = (f"POST /api/v1/ingest?server=mx-test HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               f"Authorization: {t.basic_auth(t.INGEST_USER, t.INGEST_PASSWORD)}\r\n"
               f"Content-Length: 20\r\n").encode()
        for k, v in t.meta_headers(meta):
            req += k.encode() + b": " + (v if isinstance(v, bytes) else v.encode()) + b"\r\n"
        req += b"X-Padding: " + b"a" * (200 * 1024) + b"\r\n\r\n" + b"Subject: x\r\n\r\nbody\r\n"[:20]
        def go():
            st, resp = t.raw_http(self.rq.port, req)
            return st, {}, resp
        self.expect_rejected((431, 400), go, "200 KB header line", q)

    def test_non_utf8_subject(self):
        q = t.unique_qid("L1")
        meta = self.good(q)
        meta["subject"] = "Caf\xe9 cr\xe8me latin-1".encode("latin-1").decode("latin-1")
        headers = [(k, (meta["subject"].encode("latin-1") if k == "X-Rspamd-subject" else v))
                   for k, v in t.meta_headers(meta)]
        headers = [("Content-Type", "text/plain"), *self.rq.ingest_auth().items(), *headers]
        st, _, body = self.rq.request("POST", "/api/v1/ingest?server=mx-test",
                                      # No Subject header: the message's own Subject would win
                                      # over Rspamd's copy (as in the old Rqwatch).
                                      b"X-Test: no subject\r\n\r\nbody\r\n", headers)
        self.assertEqual(st, 200, body)
        self.rq.wait_drained(timeout=30)
        rows = self.rq.mails_by_qid().get(q, [])
        self.assertEqual(len(rows), 1)
        st, _, raw = self.rq.api_get(f"/api/v1/mails/{rows[0]['id']}")
        self.assertEqual(st, 200)
        doc = json.loads(raw.decode("utf-8"))  # strict: API output must be UTF-8
        subj = doc["subject"]
        subj.encode("utf-8")  # no lone surrogates
        self.assertTrue(subj.startswith("Caf"), subj)
        self.assertIn("latin-1", subj)
        if self.rq.db_path.exists():
            con = sqlite3.connect(f"file:{self.rq.db_path}?mode=ro", uri=True)
            try:
                con.text_factory = bytes
                r = con.execute("SELECT subject FROM mails WHERE qid = ?", (q.encode(),)).fetchone()
            finally:
                con.close()
            if r is not None and r[0] is not None:
                r[0].decode("utf-8")  # raises if the DB holds invalid UTF-8

    def test_wrong_password(self):
        q = t.unique_qid("AUTH")
        headers = [("Authorization", t.basic_auth(t.INGEST_USER, "wrong")), *t.meta_headers(self.good(q))]
        st, body = self.expect_rejected(
            401, lambda: self.rq.request("POST", "/api/v1/ingest?server=x", b"Subject: x\r\n\r\nb\r\n", headers),
            "wrong password", q)

    def test_no_authorization(self):
        q = t.unique_qid("AUTH")
        res = {}

        def go():
            st, h, body = self.rq.post_default(b"Subject: x\r\n\r\nb\r\n", self.good(q), auth=False)
            res["h"] = h
            return st, h, body
        self.expect_rejected(401, go, "no Authorization", q)
        self.assertIn("www-authenticate", res["h"], "401 without WWW-Authenticate")
        self.assertIn("basic", res["h"]["www-authenticate"].lower())

    def test_multipart_without_message(self):
        q = t.unique_qid("MP")
        self.expect_rejected(400, lambda: self.rq.post_multipart(self.good(q), None),
                             "multipart without message part", q)

    def test_client_disconnects_mid_body(self):
        before = self.snapshot()
        q = t.unique_qid("DISC")
        head = (f"POST /api/v1/ingest?server=mx-test HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Content-Type: text/plain\r\nContent-Length: 2000000\r\n"
                f"Authorization: {t.basic_auth(t.INGEST_USER, t.INGEST_PASSWORD)}\r\n")
        for k, v in t.meta_headers(self.good(q)):
            head += f"{k}: {v.decode() if isinstance(v, bytes) else v}\r\n"
        s = socket.create_connection(("127.0.0.1", self.rq.port), timeout=10)
        s.sendall(head.encode() + b"\r\n" + b"Subject: x\r\n\r\n" + b"x" * 500_000)
        time.sleep(0.3)
        s.close()
        time.sleep(0.5)
        self.assert_nothing_written(before, q, "disconnect mid-body")
        # next request is served normally
        q2 = t.unique_qid("AFTER")
        st, _, body = self.rq.post_default(t.fixture("reject.eml").read_bytes(), self.good(q2))
        self.assertEqual(st, 200, body)
        self.row_for(q2)

    def test_missing_action_and_score(self):
        for missing in ("action", "score"):
            q = t.unique_qid("MISS")
            meta = self.good(q)
            del meta[missing]
            self.expect_rejected(400, lambda: self.rq.post_default(b"Subject: x\r\n\r\nbody\r\n", meta),
                                 f"missing X-Rspamd-{missing}", q)

    def test_garbage_json_body(self):
        def go():
            headers = [("Content-Type", "text/plain"), *self.rq.ingest_auth().items()]
            return self.rq.request("POST", "/api/v1/ingest?server=mx-test&format=json",
                                   b"{not json at all", headers)
        self.expect_rejected(400, go, "garbage JSON with ?format=json")

    def test_wrong_method(self):
        st, _, body = self.rq.request("GET", "/api/v1/ingest", headers=self.rq.ingest_auth())
        self.assertEqual(st, 405, body)
        self.assertEqual(self.rq.request("GET", "/healthz")[0], 200)


class DisallowedIpTest(unittest.TestCase):
    def test_client_ip_not_allowed(self):
        rq = t.Rqwatch({"ingest": {"allow_from": ["10.0.0.0/8"]}})
        self.addCleanup(rq.cleanup)
        rq.start()
        spool_before = t.files_under(rq.spool_dir)
        q = t.unique_qid("IP")
        st, _, body = rq.post_default(t.fixture("reject.eml").read_bytes(), t.default_meta(q))
        self.assertEqual(st, 403, body)
        time.sleep(0.3)
        h = rq.health()
        self.assertEqual((h["spool_pending"], h["imported_total"]), (0, 0))
        self.assertEqual(t.files_under(rq.quarantine_dir), set())
        self.assertEqual(t.files_under(rq.spool_dir), spool_before, "spool files after 403")


class SpoolDiskFullTest(unittest.TestCase):
    """Below spool.min_free_mb the answer is 503 (Rspamd logs it; with defer = true
    the MTA retries), nothing is written, and the server stays up."""

    def test_disk_full_is_503(self):
        # More free space required than any test machine has: the disk counts as full.
        rq = t.Rqwatch({"spool": {"min_free_mb": 1 << 40}})
        self.addCleanup(rq.cleanup)
        rq.start()
        spool_before = t.files_under(rq.spool_dir)
        q = t.unique_qid("FULL")
        st, headers, body = rq.post_default(t.fixture("reject.eml").read_bytes(), t.default_meta(q))
        self.assertEqual(st, 503, body)
        self.assertIn(b"spool disk full", body)
        time.sleep(0.3)
        h = rq.health()
        self.assertEqual((h["spool_pending"], h["imported_total"]), (0, 0))
        self.assertEqual(t.files_under(rq.quarantine_dir), set())
        self.assertEqual(t.files_under(rq.spool_dir), spool_before, "spool files after 503")


if __name__ == "__main__":
    t.main()
