#!/usr/bin/env python3
"""One mail through the real binary (issue 4, item 6): the detail (decoded
header fields, symbols by weight, sender and relays with country and host
name), the raw source, the text and HTML bodies (HTML served sandboxed,
remote content blocked unless asked, inline images inlined), attachments
(always downloads, never rendered), deleting one mail and a selection.
Every user sees only their own mail: another user's mail is 404 on every
route; bad ids and bodies get a clear 400."""
import json
import unittest

import rqwatch_testlib as t

GEOIP_DB = (t.fixtures_dir().parent / "geoip" / "rqwatch-test-country.mmdb").resolve()

HTML_ATTACHMENT = b"<script>alert(document.cookie)</script>"

RICH = (
    b"Received: from relay.example (relay.example [192.0.2.44])\r\n"
    b"\tby mx.example (Postfix) with ESMTPS id 4AbC; Mon, 1 Dec 2025 10:00:01 +0000\r\n"
    b"Received: from localhost (localhost [127.0.0.1]) by relay.example\r\n"
    b"From: =?UTF-8?Q?J=C3=BCrgen?= <juergen@example.org>\r\n"
    b"To: alice@example.org\r\n"
    b"Subject: =?UTF-8?B?R3LDvMOfZQ==?= aus Berlin\r\n"
    b"Message-ID: <rich@example.org>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: multipart/mixed; boundary=outer\r\n"
    b"\r\n"
    b"--outer\r\n"
    b"Content-Type: multipart/related; boundary=rel\r\n"
    b"\r\n"
    b"--rel\r\n"
    b"Content-Type: multipart/alternative; boundary=alt\r\n"
    b"\r\n"
    b"--alt\r\n"
    b"Content-Type: text/plain; charset=iso-8859-1\r\n"
    b"Content-Transfer-Encoding: quoted-printable\r\n"
    b"\r\n"
    b"Sch=F6ne Gr=FC=DFe\r\n"
    b"--alt\r\n"
    b"Content-Type: text/html; charset=utf-8\r\n"
    b"\r\n"
    b"<p>Hallo <img src=\"cid:logo@example\"> <img src=\"https://tracker.example/p.gif\">"
    b"<script>alert(1)</script></p>\r\n"
    b"--alt--\r\n"
    b"--rel\r\n"
    b"Content-Type: image/png\r\n"
    b"Content-ID: <logo@example>\r\n"
    b"Content-Transfer-Encoding: base64\r\n"
    b"\r\n"
    b"iVBORw0K\r\n"
    b"--rel--\r\n"
    b"--outer\r\n"
    b"Content-Type: text/html; name=\"inv\\\"oice.html\"\r\n"
    b"Content-Disposition: attachment; filename=\"../inv\\\"oice.html\"\r\n"
    b"\r\n" + HTML_ATTACHMENT + b"\r\n"
    b"--outer--\r\n")


class MailViewTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rq = t.Rqwatch({"importer": {"batch_window_ms": 10},
                            "geoip": {"database": str(GEOIP_DB)},
                            "quarantine": {"users_may_delete": True}})
        cls.rq.start_with_users([("alice", "alice-password-1", "alice@example.org"),
                                 ("bob", "bob-password-1", "bob@example.org")])
        cls.ids = {}
        sent = [("rich", RICH, "reject", ["alice@example.org"]),
                ("shared", t.make_message("shared"), "reject",
                 ["alice@example.org", "bob@example.org"]),
                ("bobs", t.make_message("bobs"), "reject", ["bob@example.org"]),
                ("bobs2", t.make_message("bobs2"), "reject", ["bob@example.org"]),
                ("ham", t.make_message("ham"), "no action", ["alice@example.org"])]
        cls.raw = {}
        for name, message, action, rcpt in sent:
            qid = t.unique_qid("V")
            meta = t.default_meta(qid, action=action, rcpt=rcpt)
            meta["symbols"] = [
                {"name": "LOW", "score": 0.5, "options": []},
                {"name": "HIGH", "score": 9.0, "options": ["why"]},
                {"name": "NEG", "score": -1.0, "options": []}]
            st, _, resp = cls.rq.post_default(message, meta)
            assert st == 200, resp
            cls.raw[qid] = message
            cls.ids[name] = qid
        cls.rq.wait_drained(timeout=30, min_imported=len(sent))
        by_qid = {m["qid"]: m["id"] for m in cls.rq.mails()}
        cls.raw = {by_qid[q]: m for q, m in cls.raw.items()}
        cls.ids = {name: by_qid[q] for name, q in cls.ids.items()}
        cls.alice = t.Browser(cls.rq)
        assert cls.alice.login("alice", "alice-password-1")[0] == 200
        cls.bob = t.Browser(cls.rq)
        assert cls.bob.login("bob", "bob-password-1")[0] == 200

    @classmethod
    def tearDownClass(cls):
        cls.rq.cleanup()

    def json_of(self, browser, path, status=200):
        st, _, resp = browser.get(path)
        self.assertEqual(st, status, resp)
        return json.loads(resp)

    def test_detail(self):
        rich = self.ids["rich"]
        d = self.json_of(self.alice, f"/api/v1/mails/{rich}")
        self.assertEqual(d["subject"], "Grüße aus Berlin")
        headers = {h["name"]: h["value"] for h in d["headers"]}
        self.assertEqual(headers["From"], "Jürgen <juergen@example.org>")
        self.assertEqual(headers["Subject"], "Grüße aus Berlin")
        self.assertEqual([s["name"] for s in d["symbols"]], ["HIGH", "LOW", "NEG"])
        self.assertEqual(d["sender"]["ip"], "198.51.100.7")
        self.assertEqual(d["sender"]["country"], "FR")  # the test GeoIP database
        self.assertEqual([r["ip"] for r in d["relays"]], ["192.0.2.44", "127.0.0.1"])
        self.assertTrue(d["content_available"])
        self.assertFalse(d["purged"])
        # Host names arrive without blocking the answer: poll until known.
        def loopback_name():
            relays = self.json_of(self.alice, f"/api/v1/mails/{rich}")["relays"]
            return relays[1]["rdns"]
        self.assertTrue(t.wait_until(loopback_name, 10, 0.2, "rdns of 127.0.0.1"))

    def test_raw_source_is_a_download_of_the_exact_bytes(self):
        rich = self.ids["rich"]
        st, h, resp = self.alice.get(f"/api/v1/mails/{rich}/raw")
        self.assertEqual(st, 200)
        self.assertEqual(resp, self.raw[rich])
        self.assertEqual(h["content-type"], "application/octet-stream")
        self.assertTrue(h["content-disposition"].startswith("attachment;"), h)
        self.assertIn(f'filename="mail-{rich}.eml"', h["content-disposition"])
        self.assertEqual(h["x-content-type-options"], "nosniff")
        self.assertIn("sandbox", h["content-security-policy"])

    def test_bodies(self):
        rich = self.ids["rich"]
        b = self.json_of(self.alice, f"/api/v1/mails/{rich}/body")
        self.assertEqual(b["text"], "Schöne Grüße")
        self.assertTrue(b["html"])
        self.assertTrue(b["remote_content"])
        self.assertEqual(b["attachments"], [{"index": 0, "filename": '../inv"oice.html',
                                             "content_type": "text/html",
                                             "size": len(HTML_ATTACHMENT)}])
        plain = self.json_of(self.alice, f"/api/v1/mails/{self.ids['shared']}/body")
        self.assertFalse(plain["html"])
        self.assertFalse(plain["remote_content"])
        err = self.json_of(self.alice, f"/api/v1/mails/{self.ids['shared']}/html", 404)
        self.assertIn("no HTML part", err["message"])

    def test_html_is_sandboxed_and_remote_content_blocked_unless_asked(self):
        rich = self.ids["rich"]
        st, h, resp = self.alice.get(f"/api/v1/mails/{rich}/html")
        self.assertEqual(st, 200, resp)
        self.assertEqual(h["content-type"], "text/html; charset=utf-8")
        csp = h["content-security-policy"]
        self.assertIn("sandbox", csp)
        self.assertNotIn("allow-scripts", csp)
        self.assertNotIn("allow-same-origin", csp)
        self.assertIn("default-src 'none'", csp)
        self.assertIn("img-src data:;", csp)
        self.assertNotIn("https:", csp)
        self.assertIn("frame-ancestors 'self'", csp)
        self.assertEqual(h["x-frame-options"], "SAMEORIGIN")
        self.assertEqual(h["referrer-policy"], "no-referrer")
        self.assertIn(b'src="data:image/png;base64,iVBORw0K"', resp)
        self.assertNotIn(b"cid:", resp)
        st, h, _ = self.alice.get(f"/api/v1/mails/{rich}/html?remote=1")
        self.assertEqual(st, 200)
        self.assertIn("img-src data: https: http:", h["content-security-policy"])
        self.assertIn("sandbox", h["content-security-policy"])
        st, _, resp = self.alice.get(f"/api/v1/mails/{rich}/html?remote=2")
        self.assertEqual(st, 400, resp)

    def test_attachments_are_downloads_never_rendered(self):
        rich = self.ids["rich"]
        st, h, resp = self.alice.get(f"/api/v1/mails/{rich}/attachments/0")
        self.assertEqual(st, 200, resp)
        self.assertEqual(resp, HTML_ATTACHMENT)
        self.assertEqual(h["content-type"], "application/octet-stream")
        self.assertEqual(h["content-disposition"],
                         "attachment; filename=\".._inv_oice.html\"; "
                         "filename*=UTF-8''..%2Finv%22oice.html")
        self.assertEqual(h["x-content-type-options"], "nosniff")
        self.assertIn("sandbox", h["content-security-policy"])
        for index, status in (("1", 404), ("-1", 400), ("x", 400), ("99999999999", 400)):
            st, _, resp = self.alice.get(f"/api/v1/mails/{rich}/attachments/{index}")
            self.assertEqual(st, status, (index, resp))

    def test_a_mail_not_kept_has_metadata_only(self):
        ham = self.ids["ham"]
        d = self.json_of(self.alice, f"/api/v1/mails/{ham}")
        self.assertFalse(d["content_available"])
        for route in ("raw", "body", "html", "attachments/0"):
            err = self.json_of(self.alice, f"/api/v1/mails/{ham}/{route}", 404)
            self.assertIn("not kept in the quarantine", err["message"], route)

    def test_another_users_mail_does_not_exist(self):
        bobs = self.ids["bobs"]
        for route in ("", "/raw", "/body", "/html", "/attachments/0"):
            st, _, resp = self.alice.get(f"/api/v1/mails/{bobs}{route}")
            self.assertEqual(st, 404, (route, resp))
            self.assertEqual(json.loads(resp)["message"], "no such mail")
        st, _, resp = self.alice.send("DELETE", f"/api/v1/mails/{bobs}")
        self.assertEqual(st, 404, resp)
        st, _, resp = self.alice.get("/api/v1/mails/99999999")
        self.assertEqual(st, 404, resp)  # the same answer as for an unknown id
        # Not logged in at all.
        st, _, _ = self.rq.api_get(f"/api/v1/mails/{bobs}/raw", user=None)
        self.assertEqual(st, 401)

    def test_bad_ids(self):
        for path in ("/api/v1/mails/abc", "/api/v1/mails/0/raw", "/api/v1/mails/-5/body",
                     "/api/v1/mails/1e3/html"):
            st, _, resp = self.alice.get(path)
            self.assertEqual(st, 400, (path, resp))
            self.assertIn("positive integer", json.loads(resp)["message"])

    def test_user_deletes_own_mail_only(self):
        shared, bobs2 = self.ids["shared"], self.ids["bobs2"]
        st, _, resp = self.bob.send("DELETE", f"/api/v1/mails/{bobs2}", csrf=False)
        self.assertEqual(st, 403, resp)  # no CSRF token
        st, _, resp = self.bob.send("DELETE", f"/api/v1/mails/{shared}")
        self.assertEqual(st, 403, resp)
        self.assertIn("also addressed to others", json.loads(resp)["message"])
        path = self.rq.quarantine_dir / self.json_of(self.bob, f"/api/v1/mails/{bobs2}")[
            "quarantine_path"]
        self.assertTrue(path.is_file())
        st, _, resp = self.bob.send("DELETE", f"/api/v1/mails/{bobs2}")
        self.assertEqual(st, 200, resp)
        self.assertEqual(json.loads(resp), {"id": bobs2, "ok": True, "deleted": True})
        self.assertFalse(path.exists())
        d = self.json_of(self.bob, f"/api/v1/mails/{bobs2}")
        self.assertTrue(d["purged"])
        self.assertFalse(d["content_available"])
        err = self.json_of(self.bob, f"/api/v1/mails/{bobs2}/raw", 404)
        self.assertIn("deleted from the quarantine", err["message"])
        st, _, resp = self.bob.send("DELETE", f"/api/v1/mails/{bobs2}")
        self.assertEqual((st, json.loads(resp)["deleted"]), (200, False))
        st, _, resp = self.rq.api_get("/api/v1/audit?contains=mail.delete")
        self.assertEqual(st, 200, resp)
        entries = [e for e in json.loads(resp)["items"] if e["actor"] == "bob"]
        self.assertEqual([(e["action"], e["target"]) for e in entries],
                         [("mail.delete", f"mail:{bobs2}")])

    def test_bulk_delete_answers_each_id(self):
        admin = t.Browser(self.rq)
        self.assertEqual(admin.login(t.ADMIN_USER, t.ADMIN_PASSWORD)[0], 200)
        shared, ham = self.ids["shared"], self.ids["ham"]
        body = json.dumps({"action": "delete", "ids": [shared, 99999999, ham, shared]}).encode()
        st, _, resp = admin.send("POST", "/api/v1/mails/bulk", body)
        self.assertEqual(st, 200, resp)
        doc = json.loads(resp)
        self.assertEqual(doc["action"], "delete")
        self.assertEqual(doc["results"], [
            {"id": shared, "ok": True, "deleted": True},
            {"id": 99999999, "ok": False, "error": "not_found", "message": "no such mail"},
            {"id": ham, "ok": True, "deleted": False}])
        self.assertTrue(self.json_of(admin, f"/api/v1/mails/{shared}")["purged"])

    def test_bulk_bad_bodies(self):
        for body, needle in [
            (b"{", "JSON"),
            (b"[]", "object"),
            (json.dumps({"action": "delete"}).encode(), "ids must be a list"),
            (json.dumps({"action": "delete", "ids": []}).encode(), "ids must be a list"),
            (json.dumps({"action": "delete", "ids": "1"}).encode(), "ids must be a list"),
            (json.dumps({"action": "delete", "ids": [1, "2"]}).encode(), "positive integer"),
            (json.dumps({"action": "delete", "ids": [0]}).encode(), "positive integer"),
            (json.dumps({"action": "delete", "ids": [1.5]}).encode(), "positive integer"),
            (json.dumps({"action": "delete", "ids": list(range(1, 1002))}).encode(),
             "1 to 1000"),
            (json.dumps({"action": "archive", "ids": [1]}).encode(), "action must be"),
            (json.dumps({"ids": [1]}).encode(), "action must be"),
            (json.dumps({"action": "delete", "ids": [1], "all": True}).encode(), "all"),
        ]:
            st, _, resp = self.alice.send("POST", "/api/v1/mails/bulk", body)
            self.assertEqual(st, 400, (body[:60], resp))
            self.assertIn(needle, json.loads(resp)["message"], body[:60])
        st, _, resp = self.alice.send("POST", "/api/v1/mails/bulk",
                                      json.dumps({"action": "delete", "ids": [1]}).encode(),
                                      csrf=False)
        self.assertEqual(st, 403, resp)


class DeleteSettingTest(unittest.TestCase):
    def test_users_may_not_delete_by_default(self):
        rq = t.Rqwatch({"importer": {"batch_window_ms": 10}})
        try:
            rq.start_with_users([("carl", "carl-password-1", "carl@example.org")])
            qid = t.unique_qid("D")
            st, _, resp = rq.post_default(t.make_message(qid),
                                          t.default_meta(qid, rcpt=["carl@example.org"]))
            self.assertEqual(st, 200, resp)
            rq.wait_drained(timeout=30, min_imported=1)
            mail_id = rq.mails()[0]["id"]
            carl = t.Browser(rq)
            self.assertEqual(carl.login("carl", "carl-password-1")[0], 200)
            st, _, resp = carl.send("DELETE", f"/api/v1/mails/{mail_id}")
            self.assertEqual(st, 403, resp)
            self.assertIn("only administrators", json.loads(resp)["message"])
            st, _, resp = rq.request("DELETE", f"/api/v1/mails/{mail_id}", headers={
                "Authorization": t.basic_auth(t.ADMIN_USER, t.ADMIN_PASSWORD)})
            self.assertEqual(st, 200, resp)
            self.assertTrue(json.loads(resp)["deleted"])
        finally:
            rq.cleanup()


if __name__ == "__main__":
    t.main()
