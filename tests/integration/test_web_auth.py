#!/usr/bin/env python3
"""Sessions, CSRF, roles and login throttling through the real binary
(issue 4): admins see all mail, a user only mail addressed to them; another
user's mail is 404; a state change without the CSRF token is 403; the
session id changes at every login; repeated wrong passwords are throttled
(429) even for the right one; bad login bodies get a clear 400/413."""
import json
import sqlite3
import unittest

import rqwatch_testlib as t

JSON = {"Content-Type": "application/json"}


class WebAuthTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rq = t.Rqwatch({"importer": {"batch_window_ms": 10}})
        cls.rq.setup_admin()
        cls.rq.add_user("alice", "alice-password-1", admin=False, email="Alice@Example.org")
        cls.rq.add_user("bob", "bob-password-1", admin=False, email="bob@example.org")
        cls.rq.start()
        cls.qid = {}
        for name, rcpt in [("to_alice", ["alice@example.org"]), ("to_bob", ["bob@example.org"]),
                           ("to_both", ["BOB@example.org", "alice@example.org"]),
                           ("to_carol", ["carol@example.net"])]:
            qid = t.unique_qid("W")
            cls.qid[name] = qid
            st, _, body = cls.rq.post_default(t.make_message(qid), t.default_meta(qid, rcpt=rcpt))
            assert st == 200, body
        cls.rq.wait_drained(timeout=30, min_imported=4)
        cls.id_of = {m["qid"]: m["id"] for m in cls.rq.mails()}

    @classmethod
    def tearDownClass(cls):
        cls.rq.cleanup()

    def qids(self, browser, path="/api/v1/mails"):
        st, _, body = browser.get(path)
        self.assertEqual(st, 200, body)
        return sorted(m["qid"] for m in json.loads(body)["items"])

    def names(self, *names):
        return sorted(self.qid[n] for n in names)

    def test_login_sets_a_safe_cookie_and_security_headers(self):
        b = t.Browser(self.rq)
        st, h, body = b.login("alice", "alice-password-1")
        self.assertEqual(st, 200, body)
        doc = json.loads(body)
        self.assertEqual(doc["username"], "alice")
        self.assertFalse(doc["is_admin"])
        self.assertEqual(doc["addresses"], ["alice@example.org"])
        self.assertGreaterEqual(len(doc["csrf_token"]), 40)
        sc = h["set-cookie"]
        for attr in ("HttpOnly", "SameSite=Lax", "Secure", "Path=/"):
            self.assertIn(attr, sc)
        self.assertGreaterEqual(len(b.cookie), 40)
        self.assertNotIn(b.cookie, body.decode())  # the id is only in the cookie
        self.assertIn("frame-ancestors 'none'", h["content-security-policy"])
        self.assertEqual(h["x-content-type-options"], "nosniff")
        self.assertEqual(h["x-frame-options"], "DENY")
        self.assertEqual(h["referrer-policy"], "no-referrer")
        st, _, me = b.get("/api/v1/session")
        self.assertEqual(st, 200, me)
        self.assertEqual(json.loads(me)["csrf_token"], b.csrf)

    def test_users_see_only_their_own_mail(self):
        alice, bob, admin = t.Browser(self.rq), t.Browser(self.rq), t.Browser(self.rq)
        self.assertEqual(alice.login("alice", "alice-password-1")[0], 200)
        self.assertEqual(bob.login("bob", "bob-password-1")[0], 200)
        self.assertEqual(admin.login(t.ADMIN_USER, t.ADMIN_PASSWORD)[0], 200)
        self.assertEqual(self.qids(alice), self.names("to_alice", "to_both"))
        self.assertEqual(self.qids(bob), self.names("to_bob", "to_both"))
        self.assertEqual(self.qids(admin), self.names("to_alice", "to_bob", "to_both", "to_carol"))
        # A filter cannot widen the scope.
        self.assertEqual(self.qids(alice, "/api/v1/mails?filter=rcpt_to:eq:bob@example.org"),
                         self.names("to_both"))
        # User A asking for user B's mail by id: 404, the same as a missing id.
        bobs = self.id_of[self.qid["to_bob"]]
        st, _, body = alice.get(f"/api/v1/mails/{bobs}")
        self.assertEqual(st, 404, body)
        st_missing, _, body_missing = alice.get("/api/v1/mails/999999")
        self.assertEqual(st_missing, 404)
        self.assertEqual(json.loads(body)["message"], json.loads(body_missing)["message"])
        self.assertEqual(bob.get(f"/api/v1/mails/{bobs}")[0], 200)
        self.assertEqual(admin.get(f"/api/v1/mails/{bobs}")[0], 200)
        # Statistics and quarantine days are scoped too.
        st, _, stats = alice.get("/api/v1/stats")
        self.assertEqual(st, 200, stats)
        self.assertEqual(json.loads(stats)["total"], 2)
        st, _, days = alice.get("/api/v1/quarantine/days")
        self.assertEqual(st, 200, days)
        self.assertEqual(sum(d["count"] for d in json.loads(days)["items"]), 2)
        st, _, top = alice.get("/api/v1/reports/rcpt_to")
        self.assertEqual(st, 200, top)
        self.assertNotIn("carol@example.net", top.decode())

    def test_state_change_needs_the_csrf_token(self):
        b = t.Browser(self.rq)
        self.assertEqual(b.login("bob", "bob-password-1")[0], 200)
        st, _, body = b.send("DELETE", "/api/v1/session", csrf=False)
        self.assertEqual(st, 403, body)
        b_wrong = b.csrf
        b.csrf = "x" * len(b_wrong)
        self.assertEqual(b.send("DELETE", "/api/v1/session")[0], 403)
        b.csrf = b_wrong
        self.assertEqual(b.get("/api/v1/mails")[0], 200)  # still logged in
        st, h, body = b.send("DELETE", "/api/v1/session")
        self.assertEqual(st, 200, body)
        self.assertIn("Max-Age=0", h["set-cookie"])
        self.assertEqual(b.get("/api/v1/mails")[0], 401)
        self.assertEqual(b.get("/api/v1/session")[0], 401)

    def test_session_id_changes_at_login_and_the_old_one_dies(self):
        b = t.Browser(self.rq)
        self.assertEqual(b.login("alice", "alice-password-1")[0], 200)
        first = b.cookie
        # Log in again with the old cookie still sent (fixation attempt).
        self.assertEqual(b.login("alice", "alice-password-1")[0], 200)
        self.assertNotEqual(b.cookie, first)
        old = t.Browser(self.rq)
        old.cookie = first
        self.assertEqual(old.get("/api/v1/mails")[0], 401)
        self.assertEqual(b.get("/api/v1/mails")[0], 200)

    def test_logout_everywhere(self):
        one, two = t.Browser(self.rq), t.Browser(self.rq)
        self.assertEqual(one.login("bob", "bob-password-1")[0], 200)
        self.assertEqual(two.login("bob", "bob-password-1")[0], 200)
        self.assertEqual(one.send("POST", "/api/v1/session/logout-all")[0], 200)
        self.assertEqual(two.get("/api/v1/mails")[0], 401)

    def test_bad_login_input(self):
        b = t.Browser(self.rq)
        cases = [
            ({"Content-Type": "application/x-www-form-urlencoded"}, b"username=alice&password=x"),
            (JSON, b"{not json"),
            (JSON, b"[]"),
            (JSON, json.dumps({"username": "alice"}).encode()),
            (JSON, json.dumps({"username": 5, "password": "x"}).encode()),
            (JSON, json.dumps({"username": "alice' OR 1=1 --", "password": "x"}).encode()),
        ]
        for headers, body in cases:
            st, _, resp = self.rq.request("POST", "/api/v1/session", body, headers=headers)
            self.assertEqual(st, 400, (body, resp))
            self.assertEqual(json.loads(resp)["error"], "invalid_argument")
        st, _, _ = self.rq.request("POST", "/api/v1/session", b"{" + b" " * (2 << 20) + b"}",
                                   headers=JSON)
        self.assertEqual(st, 413)
        self.assertEqual(b.login("alice", "")[0], 401)
        self.assertEqual(b.login("nobody", "whatever")[0], 401)
        # curl and scripts get a Basic challenge; the UI's requests do not
        # (a browser would show a password dialog).
        st, h, _ = self.rq.request("GET", "/api/v1/mails")
        self.assertEqual(st, 401)
        self.assertIn("Basic", h.get("www-authenticate", ""))
        st, h, _ = self.rq.request("GET", "/api/v1/session", headers={"X-Requested-With": "rqwatch"})
        self.assertEqual(st, 401)
        self.assertNotIn("www-authenticate", h)
        st, h, _ = self.rq.request("GET", "/api/v1/mails", headers={"Cookie": "rqwatch_session=expired"})
        self.assertEqual(st, 401)
        self.assertNotIn("www-authenticate", h)
        self.assertEqual(b.get("/api/v1/mails")[0], 401)
        for cookie in ("garbage", "x" * 5000, "a=b; rqwatch_session=; c", "' OR 1=1 --"):
            st, _, _ = self.rq.request("GET", "/api/v1/mails",
                                       headers={"Cookie": f"rqwatch_session={cookie}"})
            self.assertEqual(st, 401, cookie)
        # A control character is no HTTP at all.
        b.cookie = "bad\x7fvalue"
        self.assertEqual(b.get("/api/v1/mails")[0], 400)

    def test_logins_are_audited_and_admins_search_the_log(self):
        b = t.Browser(self.rq)
        self.assertEqual(b.login("alice", "alice-password-1")[0], 200)
        self.assertEqual(b.login("alice", "not-her-password")[0], 401)
        with sqlite3.connect(self.rq.db_path) as db:
            rows = db.execute("SELECT actor, action, ip FROM audit_log WHERE actor = 'alice'").fetchall()
        self.assertIn(("alice", "login", "127.0.0.1"), rows)
        self.assertIn(("alice", "login_failed", "127.0.0.1"), rows)
        # Users may not read it; admins search it.
        self.assertEqual(b.get("/api/v1/audit")[0], 403)
        admin = t.Browser(self.rq)
        self.assertEqual(admin.login(t.ADMIN_USER, t.ADMIN_PASSWORD)[0], 200)
        st, _, body = admin.get("/api/v1/audit?contains=login_failed&limit=1000")
        self.assertEqual(st, 200, body)
        items = json.loads(body)["items"]
        self.assertTrue(items)
        self.assertTrue(all("login_failed" in (e["action"] + e["detail"] + e["actor"]) for e in items))
        self.assertIn("alice", [e["actor"] for e in items])
        ids = [e["id"] for e in items]
        self.assertEqual(ids, sorted(ids, reverse=True))
        st, _, body = admin.get("/api/v1/audit?limit=1")
        page = json.loads(body)
        self.assertEqual(len(page["items"]), 1)
        st, _, body = admin.get(f"/api/v1/audit?limit=1&before={page['next_before']}")
        self.assertLess(json.loads(body)["items"][0]["id"], page["items"][0]["id"])
        for bad in ("limit=0", "before=x", "since=yesterday", "contains=" + "x" * 300):
            self.assertEqual(admin.get("/api/v1/audit?" + bad)[0], 400, bad)
        self.assertEqual(admin.get("/api/v1/audit?contains=%27%20OR%201%3D1%20--")[0], 200)


class ThrottleTest(unittest.TestCase):
    """Its own instance: the per-IP counter would throttle the other tests."""

    def test_twenty_wrong_passwords_are_throttled(self):
        rq = t.Rqwatch({"login": {"max_failures_per_user": 5, "max_failures_per_ip": 8}})
        try:
            rq.setup_admin()
            rq.add_user("carol", "carol-password-1", admin=False)
            rq.add_user("dave", "dave-password-1", admin=False)
            rq.start()
            b = t.Browser(rq)
            statuses = [b.login("carol", f"guess-{i}")[0] for i in range(20)]
            self.assertEqual(statuses, [401] * 5 + [429] * 15)
            st, h, body = b.login("carol", "carol-password-1")  # right, but throttled
            self.assertEqual(st, 429, body)
            self.assertGreater(int(h["retry-after"]), 0)
            self.assertEqual(json.loads(body)["error"], "too_many_requests")
            # Another name from the same address still may (5 of 8 failures)…
            self.assertEqual(t.Browser(rq).login("dave", "dave-password-1")[0], 200)
            # …until the address has failed 8 times, whatever the names.
            for name in ("x1", "x2", "x3"):
                self.assertEqual(b.login(name, "nope")[0], 401)
            self.assertEqual(t.Browser(rq).login("dave", "dave-password-1")[0], 429)
        finally:
            rq.cleanup()


if __name__ == "__main__":
    t.main()
