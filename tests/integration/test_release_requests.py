#!/usr/bin/env python3
"""Release requests (issue 7, item 3) with the real binary and the recording
SMTP sink: with release.user_release = "request" a user's release asks an
administrator; approving releases to the requested addresses only and mails
the requester a notice; refusing releases nothing and mails the notice; one
open request per mail and user; cancel; a decided request cannot be decided
again; another user's mail is 404, another's address 403; hostile comments
are refused or stored inert; a relay that refuses on approval gives 503 and
the request stays pending; a notice that cannot be sent does not undo the
decision. Mode "off": only administrators release."""
import base64
import email
import email.policy
import json
import sqlite3
import time
import unittest

import rqwatch_testlib as t
import test_notify as tn  # forge(): a one-click token as rqwatch signs it

HOSTILE_SUBJECT = "<script>alert(1)</script> & \"quoted\""
REFUSED = "refused@example.net"   # the sink refuses these recipients
NO_NOTICE = "nonotice@example.net"
ADMINS = "admins@example.org"


def ingest(rq, sent):
    """sent: [(name, rcpt, subject)] -> {name: id}."""
    qids = {}
    for name, rcpt, subject in sent:
        qid = t.unique_qid("Q")
        st, _, resp = rq.post_default(t.make_message(qid, subject=subject),
                                      t.default_meta(qid, rcpt=rcpt, subject=subject))
        assert st == 200, resp
        qids[name] = qid
    rq.wait_drained(timeout=30, min_imported=len(sent))
    by_qid = {m["qid"]: m["id"] for m in rq.mails()}
    return {name: by_qid[q] for name, q in qids.items()}


def released_copies(sink, mail_id):
    return [x for x in sink.transactions() if f"; id {mail_id}\r\n".encode() in x["data"]]


def notices(sink, to, kind):
    """The notices (Subject starting with `kind`) sent to `to`, parsed."""
    out = []
    for x in sink.transactions():
        if x["rcpt_tos"] != [to] or b"X-Rqwatch-Released" in x["data"]:
            continue
        msg = email.message_from_bytes(x["data"], policy=email.policy.default)
        if str(msg["Subject"]).startswith(kind):
            out.append(msg)
    return out


def parts(msg):
    text = html = None
    for p in msg.walk():
        if p.get_content_type() == "text/plain":
            text = p.get_content()
        elif p.get_content_type() == "text/html":
            html = p.get_content()
    return text, html


class ReleaseRequestTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sink = t.SmtpSink(refuse=[REFUSED, NO_NOTICE])
        try:
            cls.rq = t.Rqwatch({"importer": {"batch_window_ms": 10},
                                "release": {"smtp_host": "127.0.0.1", "smtp_port": cls.sink.port,
                                            "starttls": "none", "timeout_seconds": 10,
                                            "from": "quarantine@example.org",
                                            "user_release": "request",
                                            "request_notify": [ADMINS]},
                                "notify": {"token_secret": tn.SECRET}})
            cls.rq.start_with_users([("alice", "alice-password-1", "alice@example.org"),
                                     ("bob", "bob-password-1", "bob@example.org"),
                                     ("carol", "carol-password-1", "carol@example.org"),
                                     ("dave", "dave-password-1", NO_NOTICE)])
        except BaseException:
            cls.sink.cleanup()
            raise
        names = ["approve", "refuse", "cancel", "double", "hostile", "direct", "relaydown",
                 "nonotice", "bulk", "list", "link", "crash"]
        sent = [(n, ["alice@example.org", "bob@example.org"], f"{n} {HOSTILE_SUBJECT}")
                for n in names if n not in ("relaydown", "nonotice")]
        sent += [("relaydown", ["carol@example.org"], "relay down"),
                 ("nonotice", ["dave@example.org"], "no notice")]
        cls.ids = ingest(cls.rq, sent)
        cls.admin = t.Browser(cls.rq)
        assert cls.admin.login(t.ADMIN_USER, t.ADMIN_PASSWORD)[0] == 200
        for user, alias in (("carol", REFUSED), ("dave", "dave@example.org")):
            st, _, resp = cls.admin.get(f"/api/v1/users?contains={user}")
            uid = json.loads(resp)["items"][0]["id"]
            st, _, resp = cls.admin.send("POST", f"/api/v1/users/{uid}/aliases",
                                         json.dumps({"alias": alias}).encode())
            assert st == 201, resp
        cls.users = {}
        for name in ("alice", "bob", "carol", "dave"):
            b = t.Browser(cls.rq)
            assert b.login(name, f"{name}-password-1")[0] == 200
            cls.users[name] = b

    @classmethod
    def tearDownClass(cls):
        try:
            cls.rq.cleanup()
        finally:
            cls.sink.cleanup()

    def ask(self, who, mail_id, status, **body):
        st, _, resp = self.users[who].send("POST", f"/api/v1/mails/{mail_id}/release-requests",
                                           json.dumps(body).encode())
        self.assertEqual(st, status, resp)
        return json.loads(resp)

    def decide(self, browser, req_id, verb, status, body=None):
        st, _, resp = browser.send("POST", f"/api/v1/release-requests/{req_id}/{verb}",
                                   json.dumps(body or {}).encode())
        self.assertEqual(st, status, resp)
        return json.loads(resp)

    def audit(self, req_id):
        st, _, resp = self.rq.api_get(f"/api/v1/audit?contains=release_request:{req_id}")
        self.assertEqual(st, 200)
        return sorted(e["action"] for e in json.loads(resp)["items"]
                      if e["target"] == f"release_request:{req_id}")

    def test_approve_releases_to_the_requested_recipient_only_and_tells_the_user(self):
        mail_id = self.ids["approve"]
        r = self.ask("alice", mail_id, 201, to_original=True, comment="I know this sender")
        self.assertEqual((r["state"], r["recipients"], r["requester"], r["comment"]),
                         ("pending", ["alice@example.org"], "alice", "I know this sender"))
        self.assertEqual(released_copies(self.sink, mail_id), [])
        # The mail detail shows the pending request to its requester only.
        st, _, resp = self.users["alice"].get(f"/api/v1/mails/{mail_id}")
        self.assertEqual(json.loads(resp)["release_request"]["id"], r["id"])
        st, _, resp = self.users["bob"].get(f"/api/v1/mails/{mail_id}")
        self.assertIsNone(json.loads(resp)["release_request"])
        # The administrators were told, the subject escaped in the HTML part.
        told = [m for m in notices(self.sink, ADMINS, "Release requested")
                if "I know this sender" in parts(m)[0]]
        self.assertEqual(len(told), 1)
        self.assertNotIn("<script>", parts(told[0])[1])
        self.assertIn("&lt;script&gt;", parts(told[0])[1])

        out = self.decide(self.admin, r["id"], "approve", 200)
        self.assertEqual((out["state"], out["decided_by"]), ("approved", t.ADMIN_USER))
        copies = released_copies(self.sink, mail_id)
        # bob is a recipient of the same mail: he gets nothing.
        self.assertEqual([x["rcpt_tos"] for x in copies], [["alice@example.org"]])
        told = notices(self.sink, "alice@example.org", "Release approved: approve ")
        self.assertEqual(len(told), 1)
        text, html = parts(told[0])
        self.assertIn("delivered to alice@example.org", text)
        self.assertIn("&lt;script&gt;", html)
        self.assertNotIn("<script>", html)
        # Subject header: no raw controls; the hostile one is ASCII, so it is kept, on one line.
        self.assertNotIn("\n", str(told[0]["Subject"]))
        d = self.rq.mail(mail_id)
        self.assertTrue(d["released"])
        self.assertIsNone(d["release_request"])
        # Approving again: 409; refusing the approved one: 409; nothing sent twice.
        self.decide(self.admin, r["id"], "approve", 409)
        self.decide(self.admin, r["id"], "refuse", 409)
        self.assertEqual(len(released_copies(self.sink, mail_id)), 1)
        self.assertEqual(self.audit(r["id"]),
                         ["release_request.approve", "release_request.create"])

    def test_an_approval_a_crash_cut_short_is_pending_again_after_the_restart(self):
        mail_id = self.ids["crash"]
        r = self.ask("alice", mail_id, 201, to_original=True)
        # What a kill -9 between taking the request and sending leaves: the
        # request approved (an hour ago), no release recorded, nothing sent.
        self.rq.kill9()
        try:
            db = sqlite3.connect(self.rq.db_path)
            with db:
                db.execute("UPDATE release_requests SET state = 'approved', open_one = NULL, "
                           "decided_by = ?, decided_at = ? WHERE id = ?",
                           (t.ADMIN_USER, int(time.time() * 1000) - 3_600_000, r["id"]))
            db.close()
        finally:
            self.rq.start()  # the other tests of the class need it running
        deadline = time.monotonic() + 20
        state = None
        while time.monotonic() < deadline:
            st, _, resp = self.admin.get("/api/v1/release-requests?state=pending")
            self.assertEqual(st, 200, resp)
            state = [x["state"] for x in json.loads(resp)["items"] if x["id"] == r["id"]]
            if state:
                break
            time.sleep(0.2)
        self.assertEqual(state, ["pending"], self.rq.log_tail())
        self.assertIn("release_request.reopen", self.audit(r["id"]))
        self.assertEqual(released_copies(self.sink, mail_id), [])
        out = self.decide(self.admin, r["id"], "approve", 200)
        self.assertEqual(out["state"], "approved")
        self.assertEqual([x["rcpt_tos"] for x in released_copies(self.sink, mail_id)],
                         [["alice@example.org"]])

    def test_refuse_releases_nothing_and_tells_the_reason(self):
        mail_id = self.ids["refuse"]
        r = self.ask("bob", mail_id, 201, to_original=True)
        out = self.decide(self.admin, r["id"], "refuse", 200, {"reason": "<b>phishing</b>"})
        self.assertEqual((out["state"], out["reason"]), ("refused", "<b>phishing</b>"))
        self.assertEqual(released_copies(self.sink, mail_id), [])
        told = notices(self.sink, "bob@example.org", "Release refused")
        self.assertEqual(len(told), 1)
        text, html = parts(told[0])
        self.assertIn("<b>phishing</b>", text)
        self.assertIn("&lt;b&gt;phishing&lt;/b&gt;", html)
        self.assertFalse(self.rq.mail(mail_id)["released"])
        self.decide(self.admin, r["id"], "approve", 409)
        # Refused: the user may ask again.
        self.ask("bob", mail_id, 201, to_original=True)

    def test_users_decide_nothing(self):
        r = self.ask("alice", self.ids["list"], 201, to_original=True)
        self.decide(self.users["alice"], r["id"], "approve", 403)
        self.decide(self.users["alice"], r["id"], "refuse", 403)
        # bob cannot see or cancel alice's request.
        self.decide(self.users["bob"], r["id"], "cancel", 404)
        self.decide(self.admin, 999999, "approve", 404)
        st, _, resp = self.users["bob"].get("/api/v1/release-requests")
        self.assertNotIn(r["id"], [x["id"] for x in json.loads(resp)["items"]])
        st, _, resp = self.users["alice"].get("/api/v1/release-requests?state=pending")
        body = json.loads(resp)
        self.assertIn(r["id"], [x["id"] for x in body["items"]])
        self.assertNotIn("pending_count", body)
        self.assertEqual(body["mode"], "request")
        st, _, resp = self.admin.get("/api/v1/release-requests?state=pending&limit=1")
        body = json.loads(resp)
        self.assertEqual(st, 200)
        self.assertEqual(len(body["items"]), 1)
        self.assertGreaterEqual(body["pending_count"], 1)
        self.assertIsNotNone(body["next_before"])
        for bad in ("state=open", "limit=0", "limit=1001", "before=x", "state=%00"):
            st, _, _ = self.admin.get(f"/api/v1/release-requests?{bad}")
            self.assertEqual(st, 400, bad)

    def test_cancel_by_the_requester_while_pending(self):
        mail_id = self.ids["cancel"]
        r = self.ask("alice", mail_id, 201, to_original=True)
        out = self.decide(self.users["alice"], r["id"], "cancel", 200)
        self.assertEqual(out["state"], "cancelled")
        self.decide(self.users["alice"], r["id"], "cancel", 409)
        self.decide(self.admin, r["id"], "approve", 409)
        self.assertEqual(released_copies(self.sink, mail_id), [])
        self.assertEqual(self.audit(r["id"]),
                         ["release_request.cancel", "release_request.create"])

    def test_one_open_request_per_mail_and_user(self):
        mail_id = self.ids["double"]
        self.ask("alice", mail_id, 201, to_original=True)
        self.ask("alice", mail_id, 409, to_original=True)
        # The release route in request mode asks too, and is refused alike.
        st, _, _ = self.users["alice"].send("POST", f"/api/v1/mails/{mail_id}/release",
                                            json.dumps({"to_original": True}).encode())
        self.assertEqual(st, 409)
        # bob's own request for the same mail is his.
        self.ask("bob", mail_id, 201, to_original=True)

    def test_scope_other_users_mail_and_addresses(self):
        # carol is no recipient of "approve": her request is 404, as the mail does not exist for her.
        self.ask("carol", self.ids["approve"], 404, to_original=True)
        self.ask("alice", self.ids["double"], 403, alternates=["bob@example.org"])
        self.ask("alice", self.ids["double"], 403, alternates=["someone@example.com"])
        self.ask("alice", 999999999, 404, to_original=True)

    def test_malformed_hostile_and_oversized_input(self):
        mail_id = self.ids["hostile"]
        for body, status in ((b"", 400), (b"[]", 400), (b"{", 400),
                             (json.dumps({"to_original": True, "x": 1}).encode(), 400),
                             (json.dumps({"comment": "no recipients"}).encode(), 400),
                             (json.dumps({"to_original": True, "comment": 7}).encode(), 400),
                             (json.dumps({"to_original": True,
                                          "comment": "x" * 100_000}).encode(), 400),
                             (json.dumps({"to_original": True,
                                          "comment": "bell\x07\x00"}).encode(), 400),
                             (json.dumps({"to_original": True,
                                          "comment": "cr\r\nheader: x"}).encode(), 400)):
            st, _, resp = self.users["alice"].send(
                "POST", f"/api/v1/mails/{mail_id}/release-requests", body)
            self.assertEqual(st, status, (body[:60], resp))
        st, _, _ = self.users["alice"].send("POST", "/api/v1/mails/abc/release-requests",
                                            b"{}")
        self.assertEqual(st, 400)
        # No CSRF token: refused.
        st, _, _ = self.users["alice"].send("POST", f"/api/v1/mails/{mail_id}/release-requests",
                                            json.dumps({"to_original": True}).encode(),
                                            csrf=False)
        self.assertEqual(st, 403)
        # Not logged in.
        st, _, _ = self.rq.request("POST", f"/api/v1/mails/{mail_id}/release-requests",
                                   b"{}", headers={"Content-Type": "application/json"})
        self.assertEqual(st, 401)
        # HTML in a comment is kept as text (the UI and the notices escape it).
        html = "<img src=x onerror=alert(1)> ünïcode\n\tsecond line"
        r = self.ask("alice", mail_id, 201, to_original=True, comment=html)
        self.assertEqual(r["comment"], html)
        for reason in ("y" * 1001, "nul\x00"):
            self.decide(self.admin, r["id"], "refuse", 400, {"reason": reason})
        self.decide(self.admin, r["id"], "refuse", 400, {"why": "x"})
        st, _, _ = self.admin.send("POST", "/api/v1/release-requests/0/approve", b"{}")
        self.assertEqual(st, 400)
        st, _, _ = self.admin.send("POST", f"/api/v1/release-requests/{r['id']}/approve",
                                   b"not json")
        self.assertEqual(st, 400)
        # Still pending after all that.
        st, _, resp = self.admin.get("/api/v1/release-requests?state=pending&limit=1000")
        self.assertIn(r["id"], [x["id"] for x in json.loads(resp)["items"]])

    def test_administrators_release_directly(self):
        mail_id = self.ids["direct"]
        st, _, resp = self.admin.send("POST", f"/api/v1/mails/{mail_id}/release",
                                      json.dumps({"to_original": True}).encode())
        self.assertEqual(st, 200, resp)
        self.assertEqual(json.loads(resp)["delivered_to"],
                         ["alice@example.org", "bob@example.org"])

    def test_a_users_release_call_makes_a_request(self):
        mail_id = self.ids["bulk"]
        st, _, resp = self.users["bob"].send("POST", f"/api/v1/mails/{mail_id}/release",
                                             json.dumps({"to_original": True}).encode())
        self.assertEqual(st, 202, resp)
        out = json.loads(resp)
        self.assertTrue(out["requested"])
        self.assertEqual(out["request"]["recipients"], ["bob@example.org"])
        # The bulk release asks too.
        st, _, resp = self.users["alice"].send(
            "POST", "/api/v1/mails/bulk",
            json.dumps({"action": "release", "ids": [mail_id], "to_original": True}).encode())
        self.assertEqual(st, 200, resp)
        self.assertTrue(json.loads(resp)["results"][0]["requested"])
        self.assertEqual(released_copies(self.sink, mail_id), [])

    def test_relay_refusing_on_approval_keeps_the_request_pending(self):
        mail_id = self.ids["relaydown"]
        r = self.ask("carol", mail_id, 201, alternates=[REFUSED])
        self.decide(self.admin, r["id"], "approve", 503)
        st, _, resp = self.admin.get("/api/v1/release-requests?state=pending&limit=1000")
        self.assertIn(r["id"], [x["id"] for x in json.loads(resp)["items"]])
        self.assertFalse(self.rq.mail(mail_id)["released"])
        # Still decidable.
        self.decide(self.admin, r["id"], "refuse", 200, {"reason": "relay refuses"})

    def test_a_notice_that_cannot_be_sent_does_not_undo_the_decision(self):
        mail_id = self.ids["nonotice"]
        r = self.ask("dave", mail_id, 201, to_original=True)
        out = self.decide(self.admin, r["id"], "approve", 200)
        self.assertEqual(out["state"], "approved")
        self.assertEqual([x["rcpt_tos"] for x in released_copies(self.sink, mail_id)],
                         [["dave@example.org"]])
        self.assertTrue(self.rq.mail(mail_id)["released"])

    def test_a_digests_release_link_asks_too(self):
        mail_id = self.ids["link"]
        path = "/t/" + tn.forge(mail_id, "release", "alice@example.org", int(time.time()) + 3600)
        st, _, body = self.rq.request("GET", path)
        self.assertEqual(st, 200, body[:300])
        self.assertIn(b"Request the release of this message to alice@example.org?", body)
        st, _, body = self.rq.request("POST", path, b"")
        self.assertEqual(st, 200, body[:300])
        self.assertIn(b"was requested", body)
        self.assertEqual(released_copies(self.sink, mail_id), [])
        st, _, resp = self.admin.get("/api/v1/release-requests?state=pending&limit=1000")
        mine = [r for r in json.loads(resp)["items"] if r["mail_id"] == mail_id]
        self.assertEqual([(r["requester"], r["recipients"]) for r in mine],
                         [("link:alice@example.org", ["alice@example.org"])])
        self.decide(self.admin, mine[0]["id"], "approve", 200)
        self.assertEqual([x["rcpt_tos"] for x in released_copies(self.sink, mail_id)],
                         [["alice@example.org"]])
        # The link's address is told, as a user would be.
        self.assertEqual(len(notices(self.sink, "alice@example.org", "Release approved: link ")), 1)


class ReleaseOffTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sink = t.SmtpSink()
        try:
            cls.rq = t.Rqwatch({"importer": {"batch_window_ms": 10},
                                "release": {"smtp_host": "127.0.0.1", "smtp_port": cls.sink.port,
                                            "starttls": "none", "timeout_seconds": 10,
                                            "from": "quarantine@example.org",
                                            "user_release": "off"}})
            cls.rq.start_with_users([("alice", "alice-password-1", "alice@example.org")])
        except BaseException:
            cls.sink.cleanup()
            raise
        cls.ids = ingest(cls.rq, [("m", ["alice@example.org"], "off mode")])
        cls.alice = t.Browser(cls.rq)
        assert cls.alice.login("alice", "alice-password-1")[0] == 200
        cls.admin = t.Browser(cls.rq)
        assert cls.admin.login(t.ADMIN_USER, t.ADMIN_PASSWORD)[0] == 200

    @classmethod
    def tearDownClass(cls):
        try:
            cls.rq.cleanup()
        finally:
            cls.sink.cleanup()

    def test_only_administrators_release(self):
        mail_id = self.ids["m"]
        body = json.dumps({"to_original": True}).encode()
        st, _, resp = self.alice.send("POST", f"/api/v1/mails/{mail_id}/release", body)
        self.assertEqual((st, json.loads(resp)["error"]), (403, "release_off"))
        st, _, resp = self.alice.send("POST", f"/api/v1/mails/{mail_id}/release-requests", body)
        self.assertEqual((st, json.loads(resp)["error"]), (403, "release_requests_off"))
        self.assertEqual(self.sink.transactions(), [])
        st, _, resp = self.admin.send("POST", f"/api/v1/mails/{mail_id}/release", body)
        self.assertEqual(st, 200, resp)
        self.assertEqual(len(self.sink.transactions()), 1)


if __name__ == "__main__":
    t.main()
