"""Real rspamd 3.4 (metadata_exporter) -> real rqwatch.

Scans fixture messages with rspamc, then checks that what rqwatch stored equals
what rspamd reported, that quarantined files are byte-identical, and that
rspamd never saw an unexpected HTTP status.
"""
import re
import unittest
from pathlib import Path

import rqwatch_testlib as t

SCORE_TOL = 0.01


def norm_mid(v):
    return (v or "").strip().strip("<>")


class RspamdIngestTest(unittest.TestCase):
    rq: t.Rqwatch = None
    rs: t.Rspamd = None
    cases: dict = {}
    stored_by_qid: dict = {}

    @classmethod
    def setUpClass(cls):
        cls.rq = t.Rqwatch()
        try:
            cls.rq.setup_admin()
            cls.rq.start()
            url = f"http://127.0.0.1:{cls.rq.port}/api/v1/ingest?server=mx-test"
            cls.rs = t.Rspamd(export_url=url, formatter="default", selector="default")
            cls._scan_all()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        for obj in (cls.rs, cls.rq):
            if obj is not None:
                try:
                    obj.cleanup()
                except Exception as e:  # keep cleaning
                    print("cleanup error:", e)

    @classmethod
    def _scan_all(cls):
        F = t.fixture
        specs = [
            # name, file, from, rcpts, ip, expected action, stored?
            ("reject", F("reject.eml"), "Sender@Example.ORG",
             ["alice@example.net", "Bob@Example.NET", "alice@example.net", "carol@example.net"],
             "198.51.100.7", "reject", True),
            ("reject_crlf", F("reject_crlf.eml"), "crlf@example.org",
             ["dave@example.net"], "192.0.2.44", "reject", True),
            ("addheader_v6", F("addheader.eml"), "v6sender@example.org",
             ["erin@example.net", "frank@example.net"], "2001:db8::5", "add header", True),
            ("nonascii", F("nonascii_subject.eml"), "juergen@example.de",
             ["francoise@example.fr"], "198.51.100.8", "add header", True),
            ("attachment", F("attachment_reject.eml"), "carol@example.org",
             ["dave@example.net", "Dave@Example.net", "eve@example.net"], "203.0.113.9", "reject", True),
            ("ham", F("ham.eml"), "alice@example.org",
             ["bob@example.net"], "192.0.2.10", "no action", False),
        ]
        for name, path, frm, rcpts, ip, exp_action, exp_stored in specs:
            qid = t.unique_qid("RS")
            res = cls.rs.scan(path, mail_from=frm, rcpts=rcpts, ip=ip, qid=qid)
            cls.cases[name] = dict(path=Path(path), frm=frm, rcpts=rcpts, ip=ip, qid=qid,
                                   exp_action=exp_action, exp_stored=exp_stored, res=res)
        cls.rq.wait_drained(timeout=60, min_imported=len(specs))
        cls.stored_by_qid = cls.rq.mails_by_qid()

    def row(self, name):
        c = self.cases[name]
        rows = self.stored_by_qid.get(c["qid"], [])
        self.assertEqual(len(rows), 1, f"{name}: expected exactly one row for qid {c['qid']}, got {len(rows)}")
        # also exercise GET /api/v1/mails/{id}
        one = self.rq.mail(rows[0]["id"])
        self.assertEqual(one["id"], rows[0]["id"])
        self.assertEqual(one["qid"], c["qid"])
        return c, one

    def check_common(self, name):
        c, m = self.row(name)
        res = c["res"]
        self.assertEqual(res["action"], c["exp_action"], f"{name}: rspamd action (fixture drift?)")
        self.assertEqual(m["action"], res["action"], name)
        self.assertAlmostEqual(float(m["score"]), float(res["score"]), delta=SCORE_TOL, msg=name)
        self.assertEqual(m["server"], "mx-test", name)
        self.assertEqual(m["mail_from"], c["frm"], f"{name}: mail_from must keep case")
        self.assertEqual(m["rcpt_to"], c["rcpts"], f"{name}: rcpt_to must be the list as sent")
        exp_norm = sorted(set(r.lower() for r in c["rcpts"]))
        self.assertEqual(sorted(m["recipients"]), exp_norm, f"{name}: normalized recipients")
        self.assertEqual(m["ip"], c["ip"], name)
        self.assertTrue(m.get("rspamd_server"), f"{name}: rspamd_server empty")
        self.assertIsInstance(m.get("scan_time_ms"), int, name)
        self.assertGreaterEqual(m["scan_time_ms"], 0)
        self.assertEqual(m["size"], c["path"].stat().st_size, f"{name}: size")
        self.assertEqual(norm_mid(m.get("message_id")), norm_mid(res.get("message-id")), name)
        self.assertIsInstance(m.get("received_at"), int)
        self.assertGreater(m["received_at"], 1_600_000_000_000, "received_at must be unix ms")
        # symbols: same names and scores as rspamc reported
        got = {s["name"]: s for s in m["symbols"]}
        exp = res["symbols"]
        self.assertEqual(sorted(got), sorted(exp), f"{name}: symbol names")
        for sname, s in exp.items():
            self.assertAlmostEqual(float(got[sname]["score"]), float(s["score"]), delta=SCORE_TOL,
                                   msg=f"{name}: score of {sname}")
            if s.get("options"):
                self.assertEqual(got[sname].get("options"), s["options"], f"{name}: options of {sname}")
        if name != "ham":
            self.assertIn("RQWATCH_TEST_SCORE", got, f"{name}: harness Lua rule did not fire")
        for s in m["symbols"]:
            self.assertIn("group", s)
            self.assertIsInstance(s.get("groups"), list)
        # storage
        qdir = self.rq.quarantine_dir
        if c["exp_stored"]:
            self.assertIs(m["stored"], True, f"{name}: stored")
            qp = m["quarantine_path"]
            self.assertRegex(qp, r"^\d{4}-\d{2}-\d{2}/" + re.escape(m["spool_id"]) + r"\.eml$", name)
            f = qdir / qp
            self.assertTrue(f.is_file(), f"{name}: quarantine file {f} missing")
            self.assertEqual(t.sha256_file(f), t.sha256_file(c["path"]),
                             f"{name}: quarantined file not byte-identical to the scanned input")
        else:
            self.assertIs(m["stored"], False, f"{name}: stored")
            self.assertFalse(m.get("quarantine_path"), f"{name}: quarantine_path set for unstored mail")
            leftovers = [p for p in t.files_under(qdir) if m["spool_id"] in p]
            self.assertEqual(leftovers, [], f"{name}: quarantine file for a no-action mail")
        return c, m

    def test_reject_with_duplicate_mixed_case_rcpts(self):
        c, m = self.check_common("reject")
        self.assertEqual(m["subject"], "rqwatch score test (reject, 20)")
        self.assertIn("tester@example.org", m.get("mime_from") or "")
        self.assertEqual(len(m["rcpt_to"]), 4)
        self.assertEqual(len(m["recipients"]), 3)

    def test_reject_crlf_byte_identical(self):
        self.check_common("reject_crlf")

    def test_add_header_ipv6(self):
        c, m = self.check_common("addheader_v6")
        self.assertEqual(m["ip"], "2001:db8::5")

    def test_non_ascii_subject(self):
        c, m = self.check_common("nonascii")
        self.assertEqual(m["subject"], "Grüße aus München — 日本語")

    def test_attachments(self):
        c, m = self.check_common("attachment")
        self.assertEqual(m["subject"], "Invoice 2025-11 attached")
        atts = sorted((a["filename"], a["content_type"]) for a in m["attachments"])
        self.assertEqual(atts, [("inventory.csv", "text/csv"), ("invoice-2025-11.pdf", "application/pdf")])
        for a in m["attachments"]:
            self.assertGreater(a["size"], 0, a)

    def test_no_action_not_stored(self):
        c, m = self.check_common("ham")
        self.assertEqual(m["subject"], "Lunch on Thursday")

    def test_rspamd_log_clean(self):
        log = self.rs.log()
        self.assertTrue((self.rs.dir / "etc/local.d/metadata_exporter.conf").is_file())
        bad = [l for l in log.splitlines() if "unexpected http status" in l
               or ("metadata_exporter" in l and "error" in l.lower())]
        self.assertEqual(bad, [], "rspamd reported export failures")

    def test_zz_formatter_json(self):
        """Second rspamd with formatter json: row stored, no message, no file."""
        url = f"http://127.0.0.1:{self.rq.port}/api/v1/ingest?server=mx-json&format=json"
        rs2 = t.Rspamd(export_url=url, formatter="json", selector="default")
        try:
            qid = t.unique_qid("RJ")
            before = self.rq.health().get("imported_total", 0)
            path = t.fixture("reject.eml")
            res = rs2.scan(path, mail_from="json@example.org",
                           rcpts=["j1@example.net", "J2@Example.net"], ip="198.51.100.77", qid=qid)
            self.assertEqual(res["action"], "reject")
            self.rq.wait_drained(timeout=60, min_imported=before + 1)
            rows = self.rq.mails_by_qid().get(qid, [])
            self.assertEqual(len(rows), 1, f"json formatter: rows for {qid}")
            m = self.rq.mail(rows[0]["id"])
            self.assertEqual(m["server"], "mx-json")
            self.assertEqual(m["action"], "reject")
            self.assertAlmostEqual(float(m["score"]), float(res["score"]), delta=SCORE_TOL)
            self.assertEqual(m["mail_from"], "json@example.org")
            self.assertEqual(m["rcpt_to"], ["j1@example.net", "J2@Example.net"])
            self.assertEqual(sorted(m["recipients"]), ["j1@example.net", "j2@example.net"])
            self.assertEqual(m["ip"], "198.51.100.77")
            self.assertEqual(sorted(s["name"] for s in m["symbols"]), sorted(res["symbols"]))
            self.assertEqual(m["subject"], "rqwatch score test (reject, 20)")
            self.assertIs(m["stored"], False)
            self.assertFalse(m.get("quarantine_path"))
            self.assertEqual([p for p in t.files_under(self.rq.quarantine_dir) if m["spool_id"] in p], [])
            log = rs2.log()
            self.assertNotIn("unexpected http status", log)
        finally:
            rs2.cleanup()


if __name__ == "__main__":
    t.main()
