#!/usr/bin/env python3
"""Search through the real binary: GET /api/v1/mails?filter=… and
`rqwatch mails search`, with the bad input the issue lists (unknown field or
operator, invalid or catastrophic regular expressions, over-long values,
quotes and SQL fragments): a clear 400 / CLI error, and nothing else changes."""
import json
import subprocess
import unittest
import urllib.parse

import rqwatch_testlib as t

# Maps 198.51.100.0/24 (the test senders' IP) to FR; see its README.
GEOIP_DB = (t.fixtures_dir().parent / "geoip" / "rqwatch-test-country.mmdb").resolve()


def q(*filters, **params) -> str:
    pairs = [("filter", f) for f in filters] + list(params.items())
    return "/api/v1/mails?" + urllib.parse.urlencode(pairs)


class SearchTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rq = t.Rqwatch({"importer": {"batch_window_ms": 10},
                            "geoip": {"database": str(GEOIP_DB)}})
        cls.rq.setup_admin()
        cls.rq.add_user("alice", "alice-pass-1", admin=False, email="alice@example.org")
        cls.rq.start()
        cls.qids = {}
        for name, action, score, rcpt in [
            ("spam1", "reject", 22.0, ["alice@example.org"]),
            ("spam2", "add header", 7.5, ["bob@example.org", "alice@example.org"]),
            ("ham1", "no action", -1.0, ["carol@example.net"]),
        ]:
            qid = t.unique_qid("S")
            cls.qids[name] = qid
            st, _, body = cls.rq.post_default(
                t.make_message(qid, subject=f"{name} Grüße"),
                t.default_meta(qid, action=action, score=score, rcpt=rcpt))
            assert st == 200, body
        cls.rq.wait_drained(timeout=30, min_imported=3)

    @classmethod
    def tearDownClass(cls):
        cls.rq.cleanup()

    def qids_of(self, path):
        st, _, body = self.rq.api_get(path)
        self.assertEqual(st, 200, body)
        return sorted(m["qid"] for m in json.loads(body)["items"])

    def names(self, *names):
        return sorted(self.qids[n] for n in names)

    def error_of(self, path):
        st, headers, body = self.rq.api_get(path)
        self.assertEqual(st, 400, body)
        doc = json.loads(body)
        self.assertEqual(doc["error"], "invalid_argument", doc)
        return doc["message"]

    def test_filters(self):
        self.assertEqual(self.qids_of(q("action:eq:reject")), self.names("spam1"))
        self.assertEqual(self.qids_of(q("score:ge:7", "rcpt_to:eq:ALICE@example.org")),
                         self.names("spam1", "spam2"))
        self.assertEqual(self.qids_of(q("subject:regexp:^ham[0-9]")), self.names("ham1"))
        self.assertEqual(self.qids_of(q("rcpt_to:ne:alice@example.org")), self.names("ham1"))
        self.assertEqual(self.qids_of(q("subject:contains:grüße", day="today")),
                         self.names("spam1", "spam2", "ham1"))
        self.assertEqual(self.qids_of(q(day="2001-01-01")), [])
        self.assertEqual(self.qids_of(q("symbol.RQWATCH_TEST_SCORE:gt:10")), self.names("spam1"))
        # Values are data, never SQL.
        self.assertEqual(self.qids_of(q("subject:eq:' OR '1'='1")), [])
        self.assertEqual(self.qids_of(q("mail_from:contains:%")), [])
        self.assertEqual(len(self.qids_of(q())), 3)
        # GeoIP at import: the senders' country.
        self.assertEqual(self.qids_of(q("country:eq:fr")), self.names("spam1", "spam2", "ham1"))
        self.assertEqual(self.qids_of(q("country:ne:FR")), [])

    def test_bad_filters_are_400_with_the_reason(self):
        self.assertIn('unknown field "subjekt"', self.error_of(q("subjekt:eq:x")))
        self.assertIn('unknown operator "like"', self.error_of(q("subject:like:x")))
        self.assertIn("FIELD:OP:VALUE", self.error_of(q("subject")))
        self.assertIn("exponential", self.error_of(q("subject:regexp:(a+)+$")))
        self.assertIn("unbalanced", self.error_of(q("subject:regexp:(abc")))
        self.assertIn("longer than 256", self.error_of(q("subject:eq:" + "x" * 300)))
        self.assertIn("score needs a number", self.error_of(q("score:gt:1; DROP TABLE mails")))
        self.assertIn("YYYY-MM-DD", self.error_of(q(day="yesterday")))
        self.assertIn("at most 20 filters", self.error_of(q(*(["stored:eq:1"] * 21))))
        self.assertEqual(len(self.qids_of(q())), 3)  # nothing changed

    def get_json(self, path):
        st, _, body = self.rq.api_get(path)
        self.assertEqual(st, 200, body)
        return json.loads(body)

    def test_stats_reports_and_days(self):
        s = self.get_json("/api/v1/stats")
        self.assertEqual(s["total"], 3)
        self.assertEqual(s["stored"], {"count": 2, "percent": 66.66})  # reject + add header
        self.assertEqual({a["action"]: a["count"] for a in s["actions"]},
                         {"reject": 1, "add header": 1, "no action": 1})
        self.assertIsNotNone(s["oldest"])
        s = self.get_json("/api/v1/stats?" + urllib.parse.urlencode({"filter": "action:eq:reject"}))
        self.assertEqual(s["total"], 1)
        self.assertEqual(s["actions"], [{"action": "reject", "count": 1, "percent": 100.0}])

        r = self.get_json("/api/v1/reports/rcpt_to")
        self.assertEqual(r["field"], "rcpt_to")
        self.assertEqual(r["mode"], "count")
        self.assertEqual(r["rows"][0]["value"], "alice@example.org")
        self.assertEqual(r["rows"][0]["total"], 2)
        self.assertEqual(r["totals"]["total"], 3)
        r = self.get_json("/api/v1/reports/date?mode=day")
        self.assertEqual(len(r["rows"]), 1)
        self.assertRegex(r["rows"][0]["value"], r"^\d{4}-\d{2}-\d{2}$")
        self.assertNotIn("actions", r["rows"][0])  # only when asked for

        # Traffic per day by action, in one request; the filters apply.
        r = self.get_json("/api/v1/reports/date?mode=day&split=action")
        self.assertEqual(r["rows"][0]["actions"], {"reject": 1, "add header": 1, "no action": 1})
        r = self.get_json("/api/v1/reports/date?mode=day&split=action&" +
                          urllib.parse.urlencode({"filter": "score:gt:0"}))
        self.assertEqual(r["rows"][0]["actions"], {"reject": 1, "add header": 1})
        r = self.get_json("/api/v1/reports/date?mode=day&split=action&filter=action:eq:none")
        self.assertEqual(r["rows"], [])
        r = self.get_json("/api/v1/reports/symbol?limit=1&" +
                          urllib.parse.urlencode({"filter": "score:gt:0"}))
        self.assertEqual(r["rows"], [{"value": "RQWATCH_TEST_SCORE", "total": 2, "stored": 2,
                                      "size": r["rows"][0]["size"]}])

        r = self.get_json("/api/v1/reports/country")
        self.assertEqual([(row["value"], row["total"]) for row in r["rows"]], [("FR", 3)])

        days = self.get_json("/api/v1/quarantine/days")["items"]
        self.assertEqual(len(days), 1)
        self.assertEqual(days[0]["count"], 2)

        self.assertIn('unknown report field "nope"', self.error_of("/api/v1/reports/nope"))
        self.assertIn('unknown report mode "top"', self.error_of("/api/v1/reports/ip?mode=top"))
        self.assertIn('"day" is for the field date', self.error_of("/api/v1/reports/ip?mode=day"))
        self.assertIn("limit must be an integer from 1 to 1000",
                      self.error_of("/api/v1/reports/ip?limit=0"))
        self.assertIn('unknown report split "day" (splits: action)',
                      self.error_of("/api/v1/reports/date?mode=day&split=day"))
        self.assertIn('unknown report split ""', self.error_of("/api/v1/reports/date?split="))
        self.assertIn('unknown report split "' + "x" * 64 + '"',
                      self.error_of("/api/v1/reports/date?split=" + "x" * 5000))
        self.assertIn('unknown report split "\'; DROP TABLE mails; --"',
                      self.error_of("/api/v1/reports/date?" +
                                    urllib.parse.urlencode({"split": "'; DROP TABLE mails; --"})))
        self.assertIn("split is for the field date",
                      self.error_of("/api/v1/reports/action?split=action"))
        self.assertIn("YYYY-MM-DD", self.error_of("/api/v1/quarantine/days?before=x"))
        st, _, _ = self.rq.api_get("/api/v1/stats", user=None)
        self.assertEqual(st, 401)
        st, _, _ = self.rq.api_get("/api/v1/reports/date?mode=day&split=action", user=None)
        self.assertEqual(st, 401)
        self.assertEqual(len(self.qids_of(q())), 3)  # nothing changed

    def test_a_user_sees_only_their_own_traffic_per_action(self):
        # alice received spam1 (reject) and spam2 (add header), not ham1.
        st, _, body = self.rq.api_get("/api/v1/reports/date?mode=day&split=action",
                                      user="alice", password="alice-pass-1")
        self.assertEqual(st, 200, body)
        rows = json.loads(body)["rows"]
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["total"], 2)
        self.assertEqual(rows[0]["actions"], {"reject": 1, "add header": 1})
        # A filter cannot widen the scope.
        st, _, body = self.rq.api_get(
            "/api/v1/reports/date?mode=day&split=action&" +
            urllib.parse.urlencode({"filter": "rcpt_to:eq:carol@example.net"}),
            user="alice", password="alice-pass-1")
        self.assertEqual(st, 200, body)
        self.assertEqual(json.loads(body)["rows"], [])

    def test_unreadable_geoip_database_stops_the_start(self):
        rq = t.Rqwatch({"geoip": {"database": str(GEOIP_DB.parent / "README.md")}})
        self.addCleanup(rq.cleanup)
        r = subprocess.run([t.BINARY, "serve", "--config", str(rq.config_path)],
                           capture_output=True, timeout=30)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("cannot open GeoIP database", r.stderr.decode())

    def test_cli_search(self):
        r = self.rq.cli("mails", "search", "--filter", "action:eq:reject", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        doc = json.loads(r.stdout)
        self.assertEqual([m["qid"] for m in doc["items"]], [self.qids["spam1"]])
        self.assertIsNone(doc["next_before"])

        r = self.rq.cli("mails", "search", "--day", "today", "--limit", "2")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.decode().splitlines()
        self.assertEqual(len(lines), 2, lines)
        self.assertIn("more: --before", r.stderr.decode())

        r = self.rq.cli("mails", "search", "--filter", "subject:regexp:(a|aa)*")
        self.assertEqual(r.returncode, 1)
        self.assertIn("regular expression not allowed", r.stderr.decode())
        r = self.rq.cli("mails", "search", "--limit", "0")
        self.assertEqual(r.returncode, 1)
        self.assertIn("--limit", r.stderr.decode())


if __name__ == "__main__":
    t.main()
