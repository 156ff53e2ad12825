#!/usr/bin/env python3
"""Releasing quarantined mail through an SMTP relay (issue 7, item 1), with
the real binary and a recording SMTP sink (tests/harness/smtp_sink.py):
`original` mode hands over the quarantined bytes with only the trace and
bypass headers added, one SMTP transaction per recipient, to the original
recipients and/or alternate addresses; users release only their own mail to
their own addresses (aliases included); `attachment` mode with SMTP AUTH
(password from the environment); a relay that refuses, is down or lacks the
required STARTTLS gives 503 and nothing is recorded as released; bad input
gets 400."""
import json
import os
import re
import unittest

import rqwatch_testlib as t

BYPASS = "X-Rqwatch-Bypass: test-bypass-value"

# A line starting with "." (SMTP dot-stuffing must undo itself), 8-bit text,
# and a DKIM-style header whose bytes must not move.
MESSAGE = (
    b"Received: from relay.example (relay.example [192.0.2.44])\r\n"
    b"\tby mx.example (Postfix) with ESMTPS id 4AbC; Mon, 1 Dec 2025 10:00:01 +0000\r\n"
    b"DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=sel;\r\n"
    b"\tbh=AAAA; b=BBBB\r\n"
    b"From: Sender <sender@example.org>\r\n"
    b"To: alice@example.org\r\n"
    b"Subject: invoice\r\n"
    b"Message-ID: <release-test@example.org>\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: 8bit\r\n"
    b"\r\n"
    b"Gr\xc3\xbc\xc3\x9fe\r\n"
    b".a line with a leading dot\r\n"
    b"..two dots\r\n"
    b"last line\r\n")

TRACE = re.compile(rb"^X-Rqwatch-Released: by ([^;]+); at (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ); "
                   rb"id (\d+)\r\n")


def ingest(rq, sent):
    """sent: [(name, message, action, rcpt)] -> ({name: id}, {id: bytes})."""
    qids = {}
    for name, message, action, rcpt in sent:
        qid = t.unique_qid("R")
        st, _, resp = rq.post_default(message, t.default_meta(qid, action=action, rcpt=rcpt))
        assert st == 200, resp
        qids[name] = (qid, message)
    rq.wait_drained(timeout=30, min_imported=len(sent))
    by_qid = {m["qid"]: m["id"] for m in rq.mails()}
    ids = {name: by_qid[q] for name, (q, _) in qids.items()}
    raw = {by_qid[q]: m for q, m in qids.values()}
    return ids, raw


def of_mail(sink, mail_id):
    return [x for x in sink.transactions() if f"; id {mail_id}\r\n".encode() in x["data"]]


class ReleaseTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sink = t.SmtpSink(refuse=["refused@example.net"])
        try:
            cls.rq = t.Rqwatch({"importer": {"batch_window_ms": 10},
                                "release": {"smtp_host": "127.0.0.1", "smtp_port": cls.sink.port,
                                            "starttls": "none", "timeout_seconds": 10,
                                            "from": "quarantine@example.org",
                                            "bypass_header": BYPASS}})
            cls.rq.start_with_users([("alice", "alice-password-1", "alice@example.org"),
                                     ("bob", "bob-password-1", "bob@example.org")])
        except BaseException:
            cls.sink.cleanup()
            raise
        cls.ids, cls.raw = ingest(cls.rq, [
            ("alices", MESSAGE, "reject", ["alice@example.org"]),
            ("alices2", MESSAGE, "reject", ["Alice@Example.org"]),
            ("shared", t.make_message("shared"), "reject",
             ["alice@example.org", "bob@example.org"]),
            ("shared2", t.make_message("shared2"), "reject",
             ["alice@example.org", "bob@example.org"]),
            ("bobs", t.make_message("bobs"), "reject", ["bob@example.org"]),
            ("refused", t.make_message("refused"), "reject", ["bob@example.org"]),
            ("ham", t.make_message("ham"), "no action", ["alice@example.org"])])
        cls.admin = t.Browser(cls.rq)
        assert cls.admin.login(t.ADMIN_USER, t.ADMIN_PASSWORD)[0] == 200
        # alice's alias: hers to release to.
        st, _, resp = cls.admin.get("/api/v1/users?contains=alice")
        alice_id = json.loads(resp)["items"][0]["id"]
        st, _, resp = cls.admin.send("POST", f"/api/v1/users/{alice_id}/aliases",
                                     json.dumps({"alias": "ali@example.org"}).encode())
        assert st == 201, resp
        cls.alice = t.Browser(cls.rq)
        assert cls.alice.login("alice", "alice-password-1")[0] == 200

    @classmethod
    def tearDownClass(cls):
        try:
            cls.rq.cleanup()
        finally:
            cls.sink.cleanup()

    def release(self, browser, mail_id, status, **body):
        st, _, resp = browser.send("POST", f"/api/v1/mails/{mail_id}/release",
                                   json.dumps(body).encode())
        self.assertEqual(st, status, resp)
        return json.loads(resp)

    def test_original_is_the_quarantined_file_with_a_trace_header(self):
        mail_id = self.ids["alices"]
        out = self.release(self.admin, mail_id, 200, to_original=True,
                           alternates=["Archive@Example.net"])
        self.assertEqual(out, {"id": mail_id, "ok": True,
                               "delivered_to": ["alice@example.org", "archive@example.net"]})
        sent = of_mail(self.sink, mail_id)
        # One transaction per recipient: nobody sees the other.
        self.assertEqual([x["rcpt_tos"] for x in sent],
                         [["alice@example.org"], ["archive@example.net"]])
        for x in sent:
            self.assertEqual(x["mail_from"], "quarantine@example.org")
            trace = TRACE.match(x["data"])
            self.assertIsNotNone(trace, x["data"][:200])
            self.assertEqual((trace[1], int(trace[3])), (t.ADMIN_USER.encode(), mail_id))
            rest = x["data"][trace.end():]
            self.assertEqual(rest, BYPASS.encode() + b"\r\n" + self.raw[mail_id])
        d = self.rq.mail(mail_id)
        self.assertTrue(d["released"])
        self.assertIsNotNone(d["release_date"])
        self.assertEqual([(r["to"], r["by"], r["mode"], r["ok"]) for r in d["releases"]],
                         [("alice@example.org", t.ADMIN_USER, "original", True),
                          ("archive@example.net", t.ADMIN_USER, "original", True)])
        self.assertIn("accepted", d["releases"][0]["result"])
        st, _, resp = self.rq.api_get(f"/api/v1/audit?contains=mail:{mail_id}")
        self.assertEqual(st, 200)
        entries = [e for e in json.loads(resp)["items"] if e["action"] == "mail.release"]
        self.assertEqual(len(entries), 1)
        self.assertIn("archive@example.net", entries[0]["detail"])

    def test_user_releases_own_mail_to_own_addresses_only(self):
        shared = self.ids["shared"]
        # The original recipients of a user are theirs only, never bob too.
        out = self.release(self.alice, shared, 200, to_original=True,
                           alternates=["ali@example.org"])
        self.assertEqual(out["delivered_to"], ["alice@example.org", "ali@example.org"])
        self.assertEqual([x["rcpt_tos"] for x in of_mail(self.sink, shared)],
                         [["alice@example.org"], ["ali@example.org"]])
        d = json.loads(self.alice.get(f"/api/v1/mails/{shared}")[2])
        self.assertEqual([r["to"] for r in d["releases"]], ["alice@example.org", "ali@example.org"])
        self.assertNotIn("result", d["releases"][0])  # relay answers are for admins
        # Not to someone else's address, not even a co-recipient's.
        for addr in ("bob@example.org", "someone@elsewhere.example"):
            err = self.release(self.alice, self.ids["shared2"], 403, alternates=[addr])
            self.assertIn("your own addresses", err["message"])
        # Another user's mail does not exist; neither does an unknown id.
        self.release(self.alice, self.ids["bobs"], 404, to_original=True)
        self.release(self.alice, 99999999, 404, to_original=True)
        self.assertEqual(of_mail(self.sink, self.ids["bobs"]), [])
        self.assertEqual(of_mail(self.sink, self.ids["shared2"]), [])
        # Where bob's copy went is not alice's business, nor that bob (maybe a
        # Bcc recipient) got it at all: an admin's release to bob stays out of
        # her history (the admin's copy to her is hers to see), and her detail
        # and list name only her own recipients.
        self.release(self.admin, shared, 200, to_original=True)
        d = json.loads(self.alice.get(f"/api/v1/mails/{shared}")[2])
        self.assertEqual([r["to"] for r in d["releases"]],
                         ["alice@example.org", "ali@example.org", "alice@example.org"])
        self.assertEqual((d["rcpt_to"], d["recipients"]), (["alice@example.org"], ["alice@example.org"]))
        listed = [m for m in json.loads(self.alice.get("/api/v1/mails?limit=1000")[2])["items"]
                  if m["id"] == shared]
        self.assertEqual([m["rcpt_to"] for m in listed], [["alice@example.org"]])
        d = self.rq.mail(shared)  # the admin sees everything
        self.assertEqual(sorted(d["rcpt_to"]), ["alice@example.org", "bob@example.org"])
        self.assertEqual(sorted(r["to"] for r in d["releases"]),
                         ["ali@example.org", "alice@example.org", "alice@example.org",
                          "bob@example.org"])
        self.assertFalse(self.rq.mail(self.ids["shared2"])["released"])

    def test_refused_recipient_is_503_and_nothing_released(self):
        mail_id = self.ids["refused"]
        err = self.release(self.admin, mail_id, 503, alternates=["refused@example.net"])
        self.assertIn("nothing was released", err["message"])
        d = self.rq.mail(mail_id)
        self.assertFalse(d["released"])
        self.assertEqual([(r["to"], r["ok"]) for r in d["releases"]],
                         [("refused@example.net", False)])
        self.assertIn("550", d["releases"][0]["result"])

    def test_bulk_release_answers_each_id(self):
        alices2, ham = self.ids["alices2"], self.ids["ham"]
        body = json.dumps({"action": "release", "ids": [alices2, 99999999, ham, alices2],
                           "to_original": True}).encode()
        st, _, resp = self.admin.send("POST", "/api/v1/mails/bulk", body)
        self.assertEqual(st, 200, resp)
        doc = json.loads(resp)
        self.assertEqual(doc["action"], "release")
        self.assertEqual([(r["id"], r["ok"], r.get("error")) for r in doc["results"]],
                         [(alices2, True, None), (99999999, False, "not_found"),
                          (ham, False, "not_found")])
        self.assertEqual(doc["results"][0]["delivered_to"], ["alice@example.org"])
        self.assertEqual([x["rcpt_tos"] for x in of_mail(self.sink, alices2)],
                         [["alice@example.org"]])
        # A user's bulk release stays in their scope too.
        body = json.dumps({"action": "release", "ids": [self.ids["bobs"]],
                           "alternates": ["alice@example.org"]}).encode()
        st, _, resp = self.alice.send("POST", "/api/v1/mails/bulk", body)
        self.assertEqual(st, 200, resp)
        self.assertEqual(json.loads(resp)["results"][0]["error"], "not_found")

    def test_bad_input(self):
        mail_id = self.ids["shared2"]
        path = f"/api/v1/mails/{mail_id}/release"
        cases = [
            (b"{", "JSON"),
            (b"[]", "object"),
            (json.dumps({}).encode(), "choose the original recipients"),
            (json.dumps({"to_original": False, "alternates": []}).encode(),
             "choose the original recipients"),
            (json.dumps({"to_original": "yes"}).encode(), "to_original"),
            (json.dumps({"alternates": "alice@example.org"}).encode(), "alternates"),
            (json.dumps({"alternates": [1]}).encode(), "alternates"),
            (json.dumps({"alternates": ["not-an-address"]}).encode(), "alternate address"),
            (json.dumps({"alternates": ["a@example.org>\r\nRCPT TO:<x@evil.example"]}).encode(),
             "alternate address"),
            (json.dumps({"alternates": ["a@example.org"] * 21}).encode(), "at most 20"),
            (json.dumps({"alternates": ["x" * 2000 + "@example.org"]}).encode(), "alternates"),
            (json.dumps({"to_original": True, "bcc": ["x@example.org"]}).encode(), "bcc"),
        ]
        for body, words in cases:
            with self.subTest(body=body[:60]):
                st, _, resp = self.admin.send("POST", path, body)
                self.assertEqual(st, 400, resp)
                self.assertIn(words, json.loads(resp)["message"])
        for bad_id in ("0", "-1", "abc", "1.5"):
            st, _, _ = self.admin.send("POST", f"/api/v1/mails/{bad_id}/release",
                                       json.dumps({"to_original": True}).encode())
            self.assertEqual(st, 400)
        # A mail that was never kept cannot be released.
        self.release(self.admin, self.ids["ham"], 404, to_original=True)
        # Without credentials, without the CSRF token.
        st, _, _ = self.rq.request("POST", path, json.dumps({"to_original": True}).encode(),
                                   headers=t.JSON_TYPE)
        self.assertEqual(st, 401)
        st, _, _ = self.alice.send("POST", path, json.dumps({"to_original": True}).encode(),
                                   csrf=False)
        self.assertEqual(st, 403)
        # The bulk form checks its release fields too.
        for body, words in [
                ({"action": "delete", "ids": [1], "to_original": True}, "belong to"),
                ({"action": "release", "ids": [mail_id], "alternates": "x"}, "alternates"),
                ({"action": "purge", "ids": [mail_id]}, "action must be")]:
            st, _, resp = self.admin.send("POST", "/api/v1/mails/bulk", json.dumps(body).encode())
            self.assertEqual(st, 400, resp)
            self.assertIn(words, json.loads(resp)["message"])
        self.assertEqual(of_mail(self.sink, mail_id), [])


class AttachmentModeTest(unittest.TestCase):
    """`attachment` mode through a relay that wants SMTP AUTH (the password
    from the environment); then the relay goes down."""

    @classmethod
    def setUpClass(cls):
        cls.sink = t.SmtpSink(auth="relay-user:relay-pass-1")
        os.environ["RQWATCH_TEST_SMTP_PASSWORD"] = "relay-pass-1"
        try:
            cls.rq = t.Rqwatch({"importer": {"batch_window_ms": 10},
                                "release": {"smtp_host": "127.0.0.1", "smtp_port": cls.sink.port,
                                            "starttls": "optional", "timeout_seconds": 10,
                                            "username": "relay-user",
                                            "password_env": "RQWATCH_TEST_SMTP_PASSWORD",
                                            "from": "quarantine@example.org",
                                            "mode": "attachment"}})
            cls.rq.start_with_users()
        except BaseException:
            cls.sink.cleanup()
            raise
        cls.ids, cls.raw = ingest(cls.rq, [
            ("one", MESSAGE, "reject", ["alice@example.org"]),
            ("two", MESSAGE, "reject", ["alice@example.org"])])
        cls.admin = t.Browser(cls.rq)
        assert cls.admin.login(t.ADMIN_USER, t.ADMIN_PASSWORD)[0] == 200

    @classmethod
    def tearDownClass(cls):
        try:
            cls.rq.cleanup()
        finally:
            cls.sink.cleanup()

    def test_1_attachment_with_auth(self):
        mail_id = self.ids["one"]
        st, _, resp = self.admin.send("POST", f"/api/v1/mails/{mail_id}/release",
                                      json.dumps({"to_original": True}).encode())
        self.assertEqual(st, 200, resp)
        sent = self.sink.transactions()
        self.assertEqual(len(sent), 1)
        x = sent[0]
        self.assertTrue(x["authenticated"])
        self.assertEqual(x["rcpt_tos"], ["alice@example.org"])
        data = x["data"]
        head, _, _ = data.partition(b"\r\n\r\n")
        self.assertIn(b"From: <quarantine@example.org>\r\n", head)
        self.assertIn(b"To: <alice@example.org>\r\n", head)
        self.assertIn(b"Subject: Released: invoice\r\n", head)
        self.assertIn(f"; id {mail_id}\r\n".encode(), head)
        self.assertIn(b"Content-Type: message/rfc822", data)
        self.assertIn(b"Original Message.eml", data)
        self.assertIn(self.raw[mail_id], data)  # the original, whole, inside
        d = self.rq.mail(mail_id)
        self.assertEqual([(r["mode"], r["ok"]) for r in d["releases"]], [("attachment", True)])

    def test_2_relay_down_is_503_and_nothing_released(self):
        self.sink.cleanup()  # the relay goes away
        mail_id = self.ids["two"]
        st, h, resp = self.admin.send("POST", f"/api/v1/mails/{mail_id}/release",
                                      json.dumps({"to_original": True}).encode())
        self.assertEqual(st, 503, resp)
        self.assertIn("retry-after", h)
        self.assertIn("mail relay", json.loads(resp)["message"])
        d = self.rq.mail(mail_id)
        self.assertFalse(d["released"])
        self.assertIsNone(d["release_date"])
        self.assertEqual([r["ok"] for r in d["releases"]], [False])


class StartTlsRequiredTest(unittest.TestCase):
    def test_a_relay_without_starttls_gets_nothing(self):
        sink = t.SmtpSink()  # offers no STARTTLS
        rq = t.Rqwatch({"importer": {"batch_window_ms": 10},
                        "release": {"smtp_host": "127.0.0.1", "smtp_port": sink.port,
                                    "starttls": "required", "from": "q@example.org"}})
        try:
            rq.start_with_users()
            ids, _ = ingest(rq, [("one", MESSAGE, "reject", ["alice@example.org"])])
            st, _, resp = rq.request("POST", f"/api/v1/mails/{ids['one']}/release",
                                     json.dumps({"to_original": True}).encode(),
                                     headers={**t.JSON_TYPE, "Authorization": t.basic_auth(
                                         t.ADMIN_USER, t.ADMIN_PASSWORD)})
            self.assertEqual(st, 503, resp)
            self.assertEqual(sink.transactions(), [])  # never sent in the clear
            self.assertFalse(rq.mail(ids["one"])["released"])
        finally:
            rq.cleanup()
            sink.cleanup()


class ReleaseOffTest(unittest.TestCase):
    def test_release_without_relay_is_503(self):
        rq = t.Rqwatch({"importer": {"batch_window_ms": 10}})
        try:
            rq.start_with_users()
            ids, _ = ingest(rq, [("one", MESSAGE, "reject", ["alice@example.org"])])
            st, _, resp = rq.request("POST", f"/api/v1/mails/{ids['one']}/release",
                                     json.dumps({"to_original": True}).encode(),
                                     headers={**t.JSON_TYPE, "Authorization": t.basic_auth(
                                         t.ADMIN_USER, t.ADMIN_PASSWORD)})
            self.assertEqual(st, 503, resp)
            self.assertIn("not configured", json.loads(resp)["message"])
        finally:
            rq.cleanup()


if __name__ == "__main__":
    t.main()
