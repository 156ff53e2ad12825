#!/usr/bin/env python3
"""Training Rspamd from the quarantine and reading its numbers (issue 7,
items 2, 3 and 4), against real rspamd 3.4 (tests/harness/rspamd_start.sh with a
controller password, a Redis-backed Bayes classifier and a fuzzy_storage
worker with a writable fuzzy_check rule): an administrator learns a mail as
spam (Bayes, and its fuzzy hashes are added: a rescan shows FUZZY_DENIED),
again (already learned), then as ham (relearn; the hashes are deleted: the
symbol is gone); the controller's `learned` counter moves; each request is
recorded (the detail's `learns` with their fuzzy result, and `learned_as`)
and audited; GET /api/v1/rspamd/stats answers from the background cache;
users may do neither; bad input gets 400; a fuzzy flag no rule has is a
recorded fuzzy failure, not a failed learn; a wrong controller password and
a controller that does not answer in time give 503 with the reason; a
controller that is down gives 503 and is recorded as failed."""
import hashlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import unittest
import urllib.request

import rqwatch_testlib as t

CONTROLLER_PASSWORD = "ctl-pass-for-tests"


def cleanup_all(*parts):
    """Cleans up each part that was started, even when one fails."""
    for part in parts:
        if part is not None:
            try:
                part.cleanup()
            except Exception:  # the rest must still go
                pass


def controller_learned(rspamd: "t.Rspamd") -> int:
    """The controller's own count of learned mails."""
    req = urllib.request.Request(f"http://127.0.0.1:{rspamd.cport}/stat",
                                 headers={"Password": CONTROLLER_PASSWORD})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())["learned"]


class Redis:
    """A throw-away redis-server (no persistence) on a free loopback port."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="rqwatch-bayes-redis-")
        self.port = t.free_port()
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.dir],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        t.wait_until(self._up, 20, 0.1, "redis-server")

    def _up(self):
        r = subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True)
        return r.stdout.strip() == b"PONG"

    def cleanup(self):
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.dir, ignore_errors=True)


def spammy(qid: str) -> bytes:
    """A mail of 200 words of its own (letters only), so that no two mails
    share tokens and Rspamd never finds one "already in class"."""
    table = str.maketrans("0123456789", "ghijklmnop")
    words = [hashlib.sha1(f"{qid}-{i}".encode()).hexdigest()[:8].translate(table)
             for i in range(200)]
    return (f"From: Winner <winner@example.com>\r\nTo: alice@example.org\r\n"
            f"Subject: You won {qid}\r\nMessage-ID: <{qid}@example.com>\r\n\r\n"
            f"{' '.join(words)}\r\n").encode()


class LearnTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.redis = Redis()
        cls.rspamd = None
        cls.rq = None
        try:
            cls.rspamd = t.Rspamd(controller_password=CONTROLLER_PASSWORD,
                                  bayes_redis=f"127.0.0.1:{cls.redis.port}",
                                  fuzzy_storage=True)
            os.environ["RQWATCH_TEST_RSPAMD_PASSWORD"] = CONTROLLER_PASSWORD
            cls.rq = t.Rqwatch({"importer": {"batch_window_ms": 10},
                                "rspamd": {"controllers": [
                                    f"*=http://127.0.0.1:{cls.rspamd.cport}"],
                                    "password_env": "RQWATCH_TEST_RSPAMD_PASSWORD",
                                    "timeout_seconds": 10, "stats_refresh_seconds": 1,
                                    "fuzzy_flag": 1, "fuzzy_weight": 10}})
            cls.rq.start_with_users([("alice", "alice-password-1", "alice@example.org")])
        except BaseException:
            cls.tearDownClass()
            raise
        cls.ids = {}
        cls.raw = {}
        for name, action in [("one", "reject"), ("two", "reject"), ("three", "reject"),
                             ("ham", "no action")]:
            qid = t.unique_qid("L")
            cls.raw[name] = spammy(qid)
            st, _, resp = cls.rq.post_default(spammy(qid), t.default_meta(
                qid, action=action, rcpt=["alice@example.org"]))
            assert st == 200, resp
            cls.ids[name] = qid
        cls.rq.wait_drained(timeout=30, min_imported=len(cls.ids))
        by_qid = {m["qid"]: m["id"] for m in cls.rq.mails()}
        cls.ids = {name: by_qid[q] for name, q in cls.ids.items()}
        cls.admin = t.Browser(cls.rq)
        assert cls.admin.login(t.ADMIN_USER, t.ADMIN_PASSWORD)[0] == 200
        cls.alice = t.Browser(cls.rq)
        assert cls.alice.login("alice", "alice-password-1")[0] == 200

    @classmethod
    def tearDownClass(cls):
        cleanup_all(cls.rq, cls.rspamd, cls.redis)

    def controller_learned(self) -> int:
        return controller_learned(self.rspamd)

    def learn(self, browser, mail_id, status, body):
        st, _, resp = browser.send("POST", f"/api/v1/mails/{mail_id}/learn",
                                   json.dumps(body).encode())
        self.assertEqual(st, status, resp)
        return json.loads(resp)

    def fuzzy_symbols(self, name) -> set:
        """The FUZZY_* symbols a fresh scan of a mail shows."""
        path = self.rspamd.dir / f"{name}.eml"
        path.write_bytes(self.raw[name])
        return {s for s in self.rspamd.scan(path)["symbols"] if s.startswith("FUZZY_")}

    def stats(self):
        st, _, resp = self.admin.get("/api/v1/rspamd/stats")
        self.assertEqual(st, 200, resp)
        return json.loads(resp)["nodes"]

    def test_1_learn_spam_then_again_then_ham(self):
        mail_id = self.ids["one"]
        before = self.controller_learned()
        self.assertEqual(self.fuzzy_symbols("one"), set())
        out = self.learn(self.admin, mail_id, 200, {"as": "spam"})
        self.assertEqual(out, {"id": mail_id, "ok": True, "learned_as": "spam", "node": "*",
                               "already_learned": False,
                               "fuzzy": {"status": "ok",
                                         "message": "added to flag 1 (weight 10)"}})
        self.assertEqual(self.controller_learned(), before + 1)
        # The storage writes its updates every second (harness: sync = 1s).
        t.wait_until(lambda: self.fuzzy_symbols("one") == {"FUZZY_DENIED"}, 20, 0.5,
                     "the rescan to show FUZZY_DENIED")
        # The same class again: Rspamd normally says it knows it already (its
        # 208), which is no failure; the hashes are added again all the same.
        # Its learn cache has been seen to miss once in a clean CI run (the
        # mail was learned a second time): either answer must then agree
        # with the controller's own counter.
        out = self.learn(self.admin, mail_id, 200, {"as": "spam"})
        again = 0 if out["already_learned"] else 1
        self.assertEqual(self.controller_learned(), before + 1 + again, out)
        self.assertEqual(out["fuzzy"]["status"], "ok")
        # Relearn as ham: Rspamd moves the tokens, and the hashes go.
        out = self.learn(self.admin, mail_id, 200, {"as": "ham"})
        self.assertEqual((out["learned_as"], out["already_learned"]), ("ham", False))
        self.assertEqual(out["fuzzy"], {"status": "ok", "message": "deleted from flag 1"})
        self.assertEqual(self.controller_learned(), before + 2 + again)
        t.wait_until(lambda: self.fuzzy_symbols("one") == set(), 20, 0.5,
                     "the rescan to lose FUZZY_DENIED")
        d = self.rq.mail(mail_id)
        self.assertEqual(d["learned_as"], "ham")
        self.assertEqual([(x["as"], x["by"], x["ok"], x["result"], x["fuzzy"]["status"])
                          for x in d["learns"]],
                         [("spam", t.ADMIN_USER, True, "learned", "ok"),
                          ("spam", t.ADMIN_USER, True, "learned" if again else "already learned",
                           "ok"),
                          ("ham", t.ADMIN_USER, True, "learned", "ok")])
        st, _, resp = self.rq.api_get(f"/api/v1/audit?contains=mail:{mail_id}")
        actions = [e["action"] for e in json.loads(resp)["items"]]
        self.assertEqual(actions.count("mail.learn"), 3)
        # The background cache catches up with the controller.
        t.wait_until(lambda: self.stats()[0]["learned"] >= before + 2 + again, 20, 0.3,
                     "stats to show the learns")
        node = self.stats()[0]
        self.assertEqual((node["node"], node["ok"], node["version"]), ("*", True, "3.4"))
        self.assertIn("reject", node["actions"])
        self.assertGreaterEqual(node["uptime"], 0)

    def test_2_bulk_learn_answers_each_id(self):
        two, three, ham = self.ids["two"], self.ids["three"], self.ids["ham"]
        body = json.dumps({"action": "learn", "as": "spam",
                           "ids": [two, 99999999, ham, three]}).encode()
        st, _, resp = self.admin.send("POST", "/api/v1/mails/bulk", body)
        self.assertEqual(st, 200, resp)
        doc = json.loads(resp)
        self.assertEqual(doc["action"], "learn")
        self.assertEqual([(r["id"], r["ok"], r.get("error")) for r in doc["results"]],
                         [(two, True, None), (99999999, False, "not_found"),
                          (ham, False, "not_found"), (three, True, None)])
        self.assertEqual(self.rq.mail(three)["learned_as"], "spam")

    def test_3_users_may_not_train_nor_read_stats(self):
        mail_id = self.ids["two"]
        self.learn(self.alice, mail_id, 403, {"as": "ham"})
        st, _, resp = self.alice.send("POST", "/api/v1/mails/bulk", json.dumps(
            {"action": "learn", "as": "ham", "ids": [mail_id]}).encode())
        self.assertEqual(st, 403, resp)
        self.assertEqual(self.alice.get("/api/v1/rspamd/stats")[0], 403)
        self.assertEqual(self.rq.request("GET", "/api/v1/rspamd/stats")[0], 401)
        st, _, _ = self.rq.request("POST", f"/api/v1/mails/{mail_id}/learn",
                                   json.dumps({"as": "spam"}).encode(), headers=t.JSON_TYPE)
        self.assertEqual(st, 401)
        # alice still sees what her mail counts as.
        d = json.loads(self.alice.get(f"/api/v1/mails/{mail_id}")[2])
        self.assertEqual(d["learned_as"], "spam")

    def test_4_bad_input(self):
        mail_id = self.ids["two"]
        for body, words in [({}, "as must be"), ({"as": "maybe"}, "as must be"),
                            ({"as": 1}, "as"), ({"as": "spam", "x": 1}, "unknown field"),
                            ({"as": "s" * 100}, "as")]:
            with self.subTest(body=body):
                err = self.learn(self.admin, mail_id, 400, body)
                self.assertIn(words, err["message"])
        st, _, _ = self.admin.send("POST", f"/api/v1/mails/{mail_id}/learn", b"{")
        self.assertEqual(st, 400)
        for bad_id in ("0", "x", "-3"):
            st, _, _ = self.admin.send("POST", f"/api/v1/mails/{bad_id}/learn",
                                       json.dumps({"as": "spam"}).encode())
            self.assertEqual(st, 400)
        self.learn(self.admin, 99999999, 404, {"as": "spam"})
        self.learn(self.admin, self.ids["ham"], 404, {"as": "spam"})  # never kept
        for body, words in [({"action": "learn", "ids": [mail_id]}, "as must be"),
                            ({"action": "learn", "as": "bad", "ids": [mail_id]}, "as must be"),
                            ({"action": "delete", "as": "spam", "ids": [mail_id]}, "belongs to")]:
            st, _, resp = self.admin.send("POST", "/api/v1/mails/bulk", json.dumps(body).encode())
            self.assertEqual(st, 400, resp)
            self.assertIn(words, json.loads(resp)["message"])

    def second_rqwatch(self, rspamd: dict, **meta):
        """Another rqwatch on the same rspamd, with one kept mail ("one")."""
        rq = t.Rqwatch({"importer": {"batch_window_ms": 10},
                        "rspamd": {"timeout_seconds": 1, **rspamd}})
        self.addCleanup(rq.cleanup)
        rq.start_with_users()
        qid = t.unique_qid("L")
        st, _, _ = rq.post_default(spammy(qid), t.default_meta(qid, **meta))
        self.assertEqual(st, 200)
        rq.wait_drained(timeout=30, min_imported=1)
        browser = t.Browser(rq)
        self.assertEqual(browser.login(t.ADMIN_USER, t.ADMIN_PASSWORD)[0], 200)
        return rq, browser, rq.mails()[0]["id"]

    def test_5_a_flag_no_rule_has_fails_the_fuzzy_part_only(self):
        rq, admin, mail_id = self.second_rqwatch({
            "controllers": [f"*=http://127.0.0.1:{self.rspamd.cport}"],
            "password_env": "RQWATCH_TEST_RSPAMD_PASSWORD", "fuzzy_flag": 7})
        out = self.learn(admin, mail_id, 200, {"as": "spam"})
        self.assertEqual((out["learned_as"], out["already_learned"]), ("spam", False))
        self.assertEqual(out["fuzzy"]["status"], "failed")
        self.assertIn("No fuzzy rules matched for flag 7", out["fuzzy"]["message"])
        learns = rq.mail(mail_id)["learns"]
        self.assertEqual([(x["ok"], x["fuzzy"]["status"]) for x in learns], [(True, "failed")])

    def test_6_wrong_password_and_no_answer_are_503_with_the_reason(self):
        # A port that accepts connections (the kernel's backlog) and never answers.
        silent = socket.socket()
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        self.addCleanup(silent.close)
        os.environ["RQWATCH_TEST_RSPAMD_BAD_PASSWORD"] = "not-the-password"
        rq, admin, mail_id = self.second_rqwatch({
            "controllers": [f"*=http://127.0.0.1:{self.rspamd.cport}",
                            f"silent=http://127.0.0.1:{silent.getsockname()[1]}"],
            "password_env": "RQWATCH_TEST_RSPAMD_BAD_PASSWORD", "fuzzy_flag": 1})
        err = self.learn(admin, mail_id, 503, {"as": "spam"})
        self.assertIn("refused rqwatch's password", err["message"])
        learns = rq.mail(mail_id)["learns"]
        self.assertEqual([(x["ok"], x["result"], x["fuzzy"]["status"]) for x in learns],
                         [(False, "the Rspamd controller refused rqwatch's password",
                           "skipped")])
        # A mail scanned by the silent node.
        qid = t.unique_qid("L")
        st, _, _ = rq.post_default(spammy(qid), t.default_meta(qid, rspamd_server="silent"))
        self.assertEqual(st, 200)
        rq.wait_drained(timeout=30, min_imported=2)
        slow_id = next(m["id"] for m in rq.mails() if m["qid"] == qid)
        err = self.learn(admin, slow_id, 503, {"as": "ham"})
        self.assertEqual(err["error"], "timeout")
        self.assertIn("did not answer within 1 s", err["message"])
        self.assertEqual(rq.mail(slow_id)["learns"][-1]["ok"], False)

    def test_7_web_nodes_share_the_stats_through_redis(self):
        prefix = f"rqwatch-stats-{t.unique_qid('P')}:"
        nodes = []
        for _ in range(2):
            rq = t.Rqwatch({"rspamd": {
                "controllers": [f"*=http://127.0.0.1:{self.rspamd.cport}"],
                "password_env": "RQWATCH_TEST_RSPAMD_PASSWORD", "stats_refresh_seconds": 30},
                "redis": {"url": f"redis://127.0.0.1:{self.redis.port}", "key_prefix": prefix}})
            self.addCleanup(rq.cleanup)
            rq.start_with_users()
            nodes.append(rq)

        def stats_of(rq):
            st, _, resp = rq.api_get("/api/v1/rspamd/stats")
            self.assertEqual(st, 200, resp)
            return json.loads(resp)["nodes"][0]

        # One node asked the controller; the other read its answer (the
        # same fetched_at) within a few seconds, not an interval later.
        t.wait_until(lambda: all(stats_of(rq)["ok"] for rq in nodes), 15, 0.3,
                     "both nodes to show the stats")
        first, second = (stats_of(rq) for rq in nodes)
        self.assertEqual(first["fetched_at"], second["fetched_at"])
        self.assertEqual(first["version"], "3.4")
        key = f"{prefix}cache:rspamd-stat:*"
        ttl = subprocess.run(["redis-cli", "-p", str(self.redis.port), "PTTL", key],
                             capture_output=True, text=True).stdout.strip()
        self.assertTrue(0 < int(ttl) <= 30000, ttl)
        cached = json.loads(subprocess.run(
            ["redis-cli", "-p", str(self.redis.port), "GET", key],
            capture_output=True, text=True).stdout)
        self.assertEqual((cached["ok"], cached["fetched_at"]), (True, first["fetched_at"]))

    def test_9_controller_down_is_503_and_recorded(self):
        self.rspamd.stop()
        mail_id = self.ids["three"]
        err = self.learn(self.admin, mail_id, 503, {"as": "ham"})
        self.assertIn("cannot be reached", err["message"])
        d = self.rq.mail(mail_id)
        self.assertEqual(d["learned_as"], "spam")  # unchanged
        self.assertEqual([(x["as"], x["ok"]) for x in d["learns"]][-1], ("ham", False))
        # The cache keeps the last numbers, marked as failing.
        t.wait_until(lambda: not self.stats()[0]["ok"], 20, 0.3, "stats to notice")
        node = self.stats()[0]
        self.assertTrue(node["error"])
        self.assertEqual(node["version"], "3.4")


class LearningOffTest(unittest.TestCase):
    def test_without_controllers(self):
        rq = t.Rqwatch({"importer": {"batch_window_ms": 10}})
        try:
            rq.start_with_users()
            qid = t.unique_qid("L")
            st, _, _ = rq.post_default(spammy(qid), t.default_meta(qid))
            self.assertEqual(st, 200)
            rq.wait_drained(timeout=30, min_imported=1)
            mail_id = rq.mails()[0]["id"]
            auth = {**t.JSON_TYPE, "Authorization": t.basic_auth(t.ADMIN_USER, t.ADMIN_PASSWORD)}
            st, _, resp = rq.request("POST", f"/api/v1/mails/{mail_id}/learn",
                                     json.dumps({"as": "spam"}).encode(), headers=auth)
            self.assertEqual(st, 503, resp)
            self.assertIn("no Rspamd controller", json.loads(resp)["message"])
            st, _, resp = rq.api_get("/api/v1/rspamd/stats")
            self.assertEqual((st, json.loads(resp)), (200, {"nodes": []}))
            self.assertEqual(rq.mail(mail_id)["learns"], [])
        finally:
            rq.cleanup()


if __name__ == "__main__":
    t.main()
