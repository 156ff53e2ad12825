#!/usr/bin/env python3
"""`rqwatch notify` (issue 7, item 2) with the real binary and a recording
SMTP sink (tests/harness/smtp_sink.py): each recipient of newly quarantined
mail gets one digest (multipart/alternative, text and HTML) in an SMTP
transaction of its own, listing its mails only; mails scoring above
notify.max_score, hit by a blacklist map or for a user who turned
notifications off (by address or alias) are left out; a hostile subject and
sender are escaped in the HTML; a second run sends nothing; a recipient the
relay refuses stays pending without holding up the others; a bad [notify]
section is refused. The digests' one-click links (GET /t/{token} asks, POST
acts once) against used, expired, tampered and foreign tokens. Per-user
schedules (migration 0019), driven by the hidden `notify --now-ms`: a daily
user at hour H in a zone is not sent before H local and is after, in their
zone's time; an hourly user at most once an hour; an immediate user every
run with new mail; the profile and user APIs refuse bad schedules."""
import base64
import email
import email.policy
import hashlib
import hmac
import json
import re
import time
import unittest
import zoneinfo
from datetime import datetime, timedelta

import rqwatch_testlib as t

HOSTILE_SUBJECT = '<script>alert("s")</script> & <b>bold</b>'
HOSTILE_FROM = '"<img src=x onerror=alert(1)>" <evil@example.org>'


def hostile_message(qid):
    return (f"From: {HOSTILE_FROM}\r\nTo: alice@example.org\r\n"
            f"Subject: {HOSTILE_SUBJECT}\r\nDate: Fri, 14 Nov 2025 12:00:00 +0000\r\n"
            f"Message-ID: <{qid}@example.org>\r\n"
            f"Content-Type: text/plain; charset=us-ascii\r\n\r\nhello\r\n").encode()


def notify_config(port):
    return {"importer": {"batch_window_ms": 10},
            "release": {"smtp_host": "127.0.0.1", "smtp_port": port, "starttls": "none",
                        "timeout_seconds": 10, "from": "quarantine@example.org"},
            "notify": {"enabled": True, "from": "quarantine@example.org",
                       "base_url": "https://quarantine.example.org/", "max_score": 50}}


def parts(data: bytes):
    """(message, text part, html part) of a digest."""
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert msg.get_content_type() == "multipart/alternative", msg.get_content_type()
    text = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",)).get_content()
    return msg, text, html


def linked_ids(text: str) -> list[int]:
    return [int(x) for x in re.findall(r"https://quarantine\.example\.org/mails/(\d+)", text)]


class SinkAndRqwatch(unittest.TestCase):
    """A recording SMTP sink and an rqwatch that sends its digests there."""

    @classmethod
    def start(cls, users, refuse=(), notify=None, **sections):
        """`notify`: more [notify] keys; `sections`: more sections."""
        cls.sink = t.SmtpSink(refuse=list(refuse))
        cfg = notify_config(cls.sink.port)
        cfg["notify"].update(notify or {})
        cfg.update(sections)
        try:
            cls.rq = t.Rqwatch(cfg)
            cls.rq.start_with_users(users)
        except BaseException:
            cls.sink.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            cls.rq.cleanup()
        finally:
            cls.sink.cleanup()


class NotifyTest(SinkAndRqwatch):
    @classmethod
    def setUpClass(cls):
        cls.start([("alice", "alice-password-1", "alice@example.org"),
                   ("bob", "bob-password-1", "bob@example.org"),
                   ("carol", "carol-password-1", "carol@example.org")],
                  refuse=["refused@example.net"])
        try:
            cls.prepare()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def prepare(cls):
        rq = cls.rq
        admin = t.Browser(rq)
        assert admin.login(t.ADMIN_USER, t.ADMIN_PASSWORD)[0] == 200
        st, _, resp = admin.get("/api/v1/users?contains=carol")
        carol_id = json.loads(resp)["items"][0]["id"]
        st, _, resp = admin.send("POST", f"/api/v1/users/{carol_id}/aliases",
                                 json.dumps({"alias": "caro@example.org"}).encode())
        assert st == 201, resp
        # carol turns notifications off: neither her address nor her alias is told.
        carol = t.Browser(rq)
        assert carol.login("carol", "carol-password-1")[0] == 200
        st, _, resp = carol.send("PATCH", "/api/v1/profile",
                                 json.dumps({"notifications_disabled": True}).encode())
        assert st == 200, resp

        blacklisted = [{"name": "RQWATCH_SMTP_FROM_BLACKLIST", "score": 1000.0,
                        "group": "rqwatch", "groups": ["rqwatch"], "options": ["x"]}]
        sent = [
            ("plain", t.make_message("plain"), {"rcpt": ["alice@example.org"]}),
            ("hostile", None, {"rcpt": ["Alice@Example.org"], "subject": HOSTILE_SUBJECT}),
            ("shared", t.make_message("shared"),
             {"rcpt": ["alice@example.org", "bob@example.org"]}),
            ("high", t.make_message("high"), {"rcpt": ["alice@example.org"], "score": 60.0}),
            ("blacklisted", t.make_message("bl"),
             {"rcpt": ["alice@example.org"], "symbols": blacklisted}),
            ("carol", t.make_message("carol"), {"rcpt": ["carol@example.org"]}),
            ("carol_alias", t.make_message("caro"), {"rcpt": ["caro@example.org"]}),
            ("ham", t.make_message("ham"), {"rcpt": ["alice@example.org"],
                                             "action": "no action"}),
            ("refused", t.make_message("refused"), {"rcpt": ["refused@example.net"]}),
        ]
        qids = {}
        for name, message, meta in sent:
            qid = t.unique_qid("N")
            kw = dict(meta)
            action = kw.pop("action", "reject")
            score = kw.pop("score", 20.5)
            rcpt = kw.pop("rcpt")
            st, _, resp = rq.post_default(message or hostile_message(qid),
                                          t.default_meta(qid, action=action, score=score,
                                                         rcpt=rcpt, **kw))
            assert st == 200, resp
            qids[name] = qid
        rq.wait_drained(timeout=30, min_imported=len(sent))
        by_qid = {m["qid"]: m["id"] for m in rq.mails()}
        cls.ids = {name: by_qid[q] for name, q in qids.items()}

        cls.first = rq.cli("notify")
        cls.after_first = cls.sink.transactions()
        cls.second = rq.cli("notify")
        cls.after_second = cls.sink.transactions()

    def digests(self):
        """{recipient: (transaction, text, html)} of the first run."""
        out = {}
        for x in self.after_first:
            self.assertEqual(len(x["rcpt_tos"]), 1, "one recipient per transaction")
            out[x["rcpt_tos"][0]] = (x, *parts(x["data"])[1:])
        return out

    def test_each_recipient_gets_one_digest_of_its_mails_only(self):
        d = self.digests()
        self.assertEqual(sorted(d), ["alice@example.org", "bob@example.org"])
        ids = self.ids
        x, text, html = d["alice@example.org"]
        self.assertEqual(x["mail_from"], "quarantine@example.org")
        self.assertEqual(sorted(set(linked_ids(text))),
                         sorted([ids["plain"], ids["hostile"], ids["shared"]]))
        self.assertEqual(sorted(set(linked_ids(html))), sorted(set(linked_ids(text))))
        self.assertIn("3 new messages", text)
        x, text, html = d["bob@example.org"]
        self.assertEqual(linked_ids(text), [ids["shared"]])
        self.assertNotIn("alice@example.org", text + html)
        msg = email.message_from_bytes(x["data"], policy=email.policy.default)
        self.assertEqual([a.addr_spec for a in msg["To"].addresses], ["bob@example.org"])
        self.assertEqual(msg["Subject"], "Quarantine: 1 message held for you")

    def test_excluded_mail_is_not_notified(self):
        all_ids = set()
        for _, text, _ in self.digests().values():
            all_ids.update(linked_ids(text))
        for name in ("high", "blacklisted", "carol", "carol_alias", "ham"):
            if name in self.ids:
                self.assertNotIn(self.ids[name], all_ids, name)
        self.assertFalse(self.rq.mail(self.ids["high"])["notified"])
        self.assertFalse(self.rq.mail(self.ids["carol"])["notified"])
        self.assertTrue(self.rq.mail(self.ids["plain"])["notified"])
        self.assertIsNotNone(self.rq.mail(self.ids["plain"])["notify_date"])

    def test_hostile_subject_and_sender_are_escaped_in_html(self):
        _, text, html = self.digests()["alice@example.org"]
        self.assertNotIn("<script>", html)
        self.assertNotIn("<img", html)
        self.assertNotIn("<b>bold", html)
        self.assertIn("&lt;script&gt;alert(&quot;s&quot;)&lt;/script&gt; &amp; "
                      "&lt;b&gt;bold&lt;/b&gt;", html)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;", html)
        self.assertIn(HOSTILE_SUBJECT, text)

    def test_refused_recipient_stays_pending_and_others_are_sent(self):
        self.assertEqual(self.first.returncode, 1, self.first.stderr)
        self.assertIn(b"refused@example.net", self.first.stderr)
        self.assertIn(b"notify: 2 mails sent for 4 messages, 1 failed", self.first.stdout)
        self.assertFalse(self.rq.mail(self.ids["refused"])["notified"])

    def test_second_run_sends_nothing(self):
        self.assertEqual(len(self.after_second), len(self.after_first))
        self.assertIn(b"notify: 0 mails sent for 0 messages, 1 failed", self.second.stdout)

    def test_new_mail_is_notified_on_the_next_run(self):
        qid = t.unique_qid("N")
        st, _, resp = self.rq.post_default(t.make_message(qid),
                                           t.default_meta(qid, rcpt=["bob@example.org"]))
        self.assertEqual(st, 200, resp)
        self.rq.wait_drained(timeout=30)
        t.wait_until(lambda: qid in self.rq.mails_by_qid(), 30, what="the new mail")
        new_id = self.rq.mails_by_qid()[qid][0]["id"]
        before = len(self.sink.transactions())
        r = self.rq.cli("notify")
        self.assertIn(b"notify: 1 mail sent for 1 message", r.stdout, r.stderr)
        new = self.sink.transactions()[before:]
        self.assertEqual([x["rcpt_tos"] for x in new], [["bob@example.org"]])
        self.assertEqual(linked_ids(parts(new[0]["data"])[1]), [new_id])

    def test_bad_notify_config_is_refused(self):
        for notify, key in ((({"base_url": "javascript:alert(1)"}), "notify.base_url"),
                            ({"from": "a@b>, c@d"}, "notify.from"),
                            ({"token_secret": "short"}, "notify.token_secret"),
                            ({"default_time_zone": "Europe/Atlantis"}, "notify.default_time_zone"),
                            ({"default_time_zone": "../../etc/passwd"}, "notify.default_time_zone"),
                            ({"default_frequency": "monthly"}, "notify.default_frequency"),
                            ({"default_hour": 24}, "notify.default_hour")):
            cfg = notify_config(self.sink.port)
            cfg["notify"].update(notify)
            bad = t.Rqwatch(cfg)
            try:
                r = bad.cli("notify")
                self.assertNotEqual(r.returncode, 0, notify)
                self.assertIn(key.encode(), r.stderr, notify)
            finally:
                bad.cleanup()
        cfg = notify_config(self.sink.port)
        cfg["release"]["smtp_host"] = ""
        bad = t.Rqwatch(cfg)
        try:
            r = bad.cli("notify")
            self.assertNotEqual(r.returncode, 0)
            self.assertIn(b"release.smtp_host", r.stderr)
        finally:
            bad.cleanup()

    def test_notify_off_sends_nothing(self):
        cfg = notify_config(self.sink.port)
        cfg["notify"] = {"enabled": False}
        off = t.Rqwatch(cfg)
        try:
            before = len(self.sink.transactions())
            r = off.cli("notify")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn(b"notify: off", r.stdout)
            self.assertEqual(len(self.sink.transactions()), before)
        finally:
            off.cleanup()


SECRET = "digest-link-secret-0123456789abcdef"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(mail_id, action, recipient, expires, secret=SECRET):
    """A token as rqwatch signs it (auth/sodium_action_signer.hpp)."""
    text = f"v1.{mail_id}.{action}.{expires}.{b64url(recipient.encode())}"
    return text + "." + b64url(hmac.new(secret.encode(), text.encode(), hashlib.sha256).digest())


def links_of(text: str) -> dict[int, dict[str, str]]:
    """{mail id: {"Release": path, "Delete": path}} from a digest's text part."""
    out: dict[int, dict[str, str]] = {}
    current = None
    for line in text.splitlines():
        m = re.match(r"\s+View:\s+https://quarantine\.example\.org/mails/(\d+)$", line)
        if m:
            current = int(m[1])
            out[current] = {}
            continue
        m = re.match(r"\s+(Release|Delete):\s+https://quarantine\.example\.org(/t/\S+)$", line)
        if m and current is not None:
            out[current][m[1]] = m[2]
    return out


class DigestLinkTest(SinkAndRqwatch):
    """The one-click release/delete links of the digests: a GET only shows a
    confirmation page, a POST acts once; used, expired, tampered tokens and
    tokens for another mail, action or recipient get a clear error page."""

    @classmethod
    def setUpClass(cls):
        cls.start([("alice", "alice-password-1", "alice@example.org"),
                   ("bob", "bob-password-1", "bob@example.org")],
                  refuse=["refused@example.net"], notify={"token_secret": SECRET},
                  quarantine={"users_may_delete": True})
        try:
            cls.ids = {}
            for name, rcpt in (("keep", ["alice@example.org"]), ("gone", ["alice@example.org"]),
                               ("shared", ["alice@example.org", "bob@example.org"]),
                               ("hostile", ["alice@example.org"])):
                qid = t.unique_qid("L")
                message = hostile_message(qid) if name == "hostile" else t.make_message(qid)
                st, _, resp = cls.rq.post_default(
                    message, t.default_meta(qid, rcpt=rcpt,
                                            subject=HOSTILE_SUBJECT if name == "hostile"
                                            else "test subject"))
                assert st == 200, resp
                cls.ids[name] = qid
            cls.rq.wait_drained(timeout=30, min_imported=len(cls.ids))
            by_qid = {m["qid"]: m["id"] for m in cls.rq.mails()}
            cls.ids = {name: by_qid[q] for name, q in cls.ids.items()}
            r = cls.rq.cli("notify")
            assert r.returncode == 0, r.stderr
            cls.digests = {x["rcpt_tos"][0]: parts(x["data"])[1] for x in cls.sink.transactions()}
            cls.sink.clear()
        except BaseException:
            cls.tearDownClass()
            raise

    def link(self, name, action, recipient="alice@example.org"):
        return links_of(self.digests[recipient])[self.ids[name]][action]

    def page(self, method, path, status):
        st, h, body = self.rq.request(method, path, b"" if method == "POST" else None)
        self.assertEqual(st, status, body[:500])
        self.assertTrue(h.get("content-type", "").startswith("text/html"), h)
        return body.decode()

    def test_every_line_has_its_links(self):
        for name in ("keep", "gone", "shared", "hostile"):
            self.assertEqual(sorted(links_of(self.digests["alice@example.org"])[self.ids[name]]),
                             ["Delete", "Release"], name)

    def test_release_link_asks_first_then_releases_once_to_that_recipient(self):
        path = self.link("shared", "Release", "bob@example.org")
        before = len(self.sink.transactions())
        body = self.page("GET", path, 200)
        self.assertIn('method="post"', body)
        self.assertIn("Release this message to bob@example.org?", body)
        self.assertEqual(len(self.sink.transactions()), before, "a GET must not act")
        self.assertFalse(self.rq.mail(self.ids["shared"])["released"])
        body = self.page("POST", path, 200)
        self.assertIn("released to bob@example.org", body)
        sent = [x for x in self.sink.transactions() if f"; id {self.ids['shared']}\r\n".encode() in x["data"]]
        self.assertEqual([x["rcpt_tos"] for x in sent], [["bob@example.org"]])
        self.assertTrue(self.rq.mail(self.ids["shared"])["released"])
        self.assertIn("used already", self.page("POST", path, 409))
        self.assertIn("used already", self.page("GET", path, 409))
        self.assertEqual(len(sent), len([x for x in self.sink.transactions()
                                         if f"; id {self.ids['shared']}\r\n".encode() in x["data"]]))

    def test_delete_link_deletes_and_a_shared_mail_is_refused(self):
        path = self.link("gone", "Delete")
        self.assertIn("Delete this message", self.page("GET", path, 200))
        self.assertIn("deleted", self.page("POST", path, 200))
        self.assertTrue(self.rq.mail(self.ids["gone"])["purged"])
        # alice's release link of the deleted mail: the mail is gone.
        self.page("GET", self.link("gone", "Release"), 404)
        # A mail that was also bob's: alice cannot delete it for him.
        self.page("POST", self.link("shared", "Delete"), 403)

    def test_tampered_tokens_are_refused(self):
        before = len(self.sink.transactions())
        good = self.link("keep", "Release")[len("/t/"):]
        other = self.ids["hostile"]
        for bad in (good.replace(f"v1.{self.ids['keep']}.", f"v1.{other}.", 1),  # another mail
                    good.replace(".release.", ".delete.", 1),                   # another action
                    good[:-2],                                                  # cut
                    good[:-1] + ("A" if good[-1] != "A" else "B"),               # changed MAC
                    "v1.1.release.99999999999.YQ.AAAA", "nonsense"):
            self.page("GET", f"/t/{bad}", 400)
        self.page("POST", "/t/" + good.replace(".release.", ".delete.", 1), 400)
        # Signed with another secret.
        self.page("GET", "/t/" + forge(self.ids["keep"], "release", "alice@example.org",
                                       int(time.time()) + 3600, secret="x" * 40), 400)
        self.assertEqual(len(self.sink.transactions()), before)

    def test_expired_token_is_refused(self):
        token = forge(self.ids["keep"], "release", "alice@example.org", int(time.time()) - 1)
        self.assertIn("expired", self.page("GET", f"/t/{token}", 403))
        self.assertIn("expired", self.page("POST", f"/t/{token}", 403))
        self.assertFalse(self.rq.mail(self.ids["keep"])["released"])

    def test_token_for_another_recipient_finds_nothing(self):
        # Correctly signed, but bob was never a recipient of alice's mail.
        token = forge(self.ids["keep"], "release", "bob@example.org", int(time.time()) + 3600)
        before = len(self.sink.transactions())
        self.page("GET", f"/t/{token}", 404)
        self.page("POST", f"/t/{token}", 404)
        self.assertEqual(len(self.sink.transactions()), before)

    def test_release_the_relay_refuses_leaves_the_link_usable(self):
        qid = t.unique_qid("L")
        st, _, resp = self.rq.post_default(t.make_message(qid),
                                           t.default_meta(qid, rcpt=["refused@example.net"]))
        self.assertEqual(st, 200, resp)
        t.wait_until(lambda: qid in self.rq.mails_by_qid(), 30, what="the mail")
        mail_id = self.rq.mails_by_qid()[qid][0]["id"]
        token = forge(mail_id, "release", "refused@example.net", int(time.time()) + 3600)
        self.page("GET", f"/t/{token}", 200)
        self.assertIn("did not take the mail", self.page("POST", f"/t/{token}", 503))
        # A passing failure gives the use back: the link still works.
        self.page("GET", f"/t/{token}", 200)
        self.assertFalse(self.rq.mail(mail_id)["released"])

    def test_confirmation_page_escapes_the_mail(self):
        body = self.page("GET", self.link("hostile", "Release"), 200)
        self.assertNotIn("<script>", body)
        self.assertNotIn("<img", body)
        self.assertIn("&lt;script&gt;", body)


class LinksOffTest(unittest.TestCase):
    def test_links_are_404_without_a_secret(self):
        rq = t.Rqwatch({})
        try:
            rq.start_with_users()
            token = forge(1, "release", "alice@example.org", int(time.time()) + 3600)
            for method in ("GET", "POST"):
                st, _, _ = rq.request(method, f"/t/{token}", b"" if method == "POST" else None)
                self.assertEqual(st, 404, method)
        finally:
            rq.cleanup()


class PerMessageTest(unittest.TestCase):
    def test_per_message_mode_sends_one_mail_per_message(self):
        sink = t.SmtpSink()
        try:
            cfg = notify_config(sink.port)
            cfg["notify"]["per_message"] = True
            rq = t.Rqwatch(cfg)
            try:
                rq.start_with_users()
                qids = [t.unique_qid("P") for _ in range(2)]
                for qid in qids:
                    st, _, resp = rq.post_default(t.make_message(qid),
                                                  t.default_meta(qid, rcpt=["dave@example.org"]))
                    self.assertEqual(st, 200, resp)
                rq.wait_drained(timeout=30, min_imported=2)
                ids = sorted(m["id"] for m in rq.mails() if m["qid"] in qids)
                r = rq.cli("notify")
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertIn(b"notify: 2 mails sent for 2 messages", r.stdout)
                sent = sink.transactions()
                self.assertEqual([x["rcpt_tos"] for x in sent], [["dave@example.org"]] * 2)
                self.assertEqual(sorted(linked_ids(parts(x["data"])[1])[0] for x in sent), ids)
            finally:
                rq.cleanup()
        finally:
            sink.cleanup()


class ScheduleTest(SinkAndRqwatch):
    """One rqwatch; dana daily at 09:00 Asia/Kolkata (set in her profile),
    hank hourly (set by an admin), ivy with the default (immediate)."""

    ZONE = "Asia/Kolkata"  # +05:30 all year: no DST to dodge in the test itself
    HOUR = 9

    @classmethod
    def setUpClass(cls):
        cls.start([("dana", "dana-password-1", "dana@example.org"),
                   ("hank", "hank-password-1", "hank@example.org"),
                   ("ivy", "ivy-password-1", "ivy@example.org")])
        cls.admin = t.Browser(cls.rq)
        assert cls.admin.login(t.ADMIN_USER, t.ADMIN_PASSWORD)[0] == 200
        cls.dana = t.Browser(cls.rq)
        assert cls.dana.login("dana", "dana-password-1")[0] == 200

    def user_id(self, name):
        st, _, resp = self.admin.get(f"/api/v1/users?contains={name}")
        self.assertEqual(st, 200, resp)
        return json.loads(resp)["items"][0]["id"]

    def patch_profile(self, body, browser=None):
        st, _, resp = (browser or self.dana).send("PATCH", "/api/v1/profile",
                                                  json.dumps(body).encode())
        return st, json.loads(resp)

    def mail_to(self, *rcpt):
        qid = t.unique_qid("S")
        st, _, resp = self.rq.post_default(t.make_message(qid),
                                           t.default_meta(qid, rcpt=list(rcpt)))
        self.assertEqual(st, 200, resp)
        self.rq.wait_drained(timeout=30)
        t.wait_until(lambda: qid in self.rq.mails_by_qid(), 30, what="the new mail")

    def run_at(self, when: datetime):
        before = len(self.sink.transactions())
        r = self.rq.cli("notify", "--now-ms", str(int(when.timestamp() * 1000)))
        self.assertEqual(r.returncode, 0, r.stderr)
        return sorted(x["rcpt_tos"][0] for x in self.sink.transactions()[before:]), r

    def test_schedules(self):
        st, body = self.patch_profile({"notify_frequency": "daily", "notify_hour": self.HOUR,
                                       "time_zone": self.ZONE})
        self.assertEqual(st, 200, body)
        self.assertEqual((body["notify_frequency"], body["notify_hour"], body["time_zone"]),
                         ("daily", self.HOUR, self.ZONE))
        st, _, resp = self.admin.send("PATCH", f"/api/v1/users/{self.user_id('hank')}",
                                      json.dumps({"notify_frequency": "hourly"}).encode())
        self.assertEqual(st, 200, resp)
        self.assertEqual(json.loads(resp)["notify_frequency"], "hourly")

        zone = zoneinfo.ZoneInfo(self.ZONE)
        today = datetime.now(zone).date()
        slot = datetime(today.year, today.month, today.day, self.HOUR, tzinfo=zone)
        t0 = slot - timedelta(minutes=1)
        t1 = slot + timedelta(minutes=1)
        t2 = t1 + timedelta(minutes=30)
        t3 = t0 + timedelta(minutes=61)

        self.mail_to("dana@example.org", "hank@example.org", "ivy@example.org")
        sent, r = self.run_at(t0)
        self.assertEqual(sent, ["hank@example.org", "ivy@example.org"],
                         "dana is not sent before 09:00 her time")
        self.assertIn(b"1 not due yet", r.stdout)

        self.mail_to("hank@example.org", "ivy@example.org")
        sent, _ = self.run_at(t1)
        self.assertEqual(sent, ["dana@example.org", "ivy@example.org"],
                         "dana at 09:01 her time, hank not within the hour")
        digest = self.sink.transactions()[-2:]
        dana = next(x for x in digest if x["rcpt_tos"] == ["dana@example.org"])
        _, text, html = parts(dana["data"])
        self.assertRegex(text, r"\d{4}-\d\d-\d\d \d\d:\d\d IST")
        self.assertNotIn(" UTC", text)
        self.assertRegex(html, r"\d\d:\d\d IST")

        self.mail_to("dana@example.org")
        sent, _ = self.run_at(t2)
        self.assertEqual(sent, [], "nothing new for ivy; dana had today's; hank waits")
        sent, _ = self.run_at(t3)
        self.assertEqual(sent, ["hank@example.org"], "an hour after hank's last digest")
        sent, _ = self.run_at(t3 + timedelta(minutes=5))
        self.assertEqual(sent, [])
        sent, _ = self.run_at(slot + timedelta(days=1))
        self.assertEqual(sent, ["dana@example.org"], "the next day at 09:00 her time")

    def test_profile_shows_and_resets_the_schedule(self):
        ivy = t.Browser(self.rq)
        self.assertEqual(ivy.login("ivy", "ivy-password-1")[0], 200)
        st, _, resp = ivy.get("/api/v1/profile")
        self.assertEqual(st, 200, resp)
        body = json.loads(resp)
        self.assertEqual((body["notify_frequency"], body["notify_hour"], body["time_zone"],
                          body["notifications_disabled"]), ("", None, "", False))
        st, body = self.patch_profile({"notify_frequency": "weekly", "notify_hour": 0,
                                       "time_zone": "Pacific/Tongatapu"}, ivy)
        self.assertEqual(st, 200, body)
        st, body = self.patch_profile({"notify_frequency": "", "notify_hour": None,
                                       "time_zone": ""}, ivy)
        self.assertEqual(st, 200, body)
        self.assertEqual((body["notify_frequency"], body["notify_hour"], body["time_zone"]),
                         ("", None, ""))
        # Missing fields change nothing.
        st, body = self.patch_profile({}, ivy)
        self.assertEqual(st, 200, body)
        self.assertEqual(body["notify_frequency"], "")
        st, _, _ = t.Browser(self.rq).get("/api/v1/profile")
        self.assertEqual(st, 401)

    def test_profile_refuses_bad_schedules(self):
        cases = [
            ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
            ({"time_zone": "../../../etc/passwd"}, "time_zone"),
            ({"time_zone": "/etc/localtime"}, "time_zone"),
            ({"time_zone": "+05:00"}, "time_zone"),
            ({"time_zone": "Europe/Berlin\r\nX: y"}, "time_zone"),
            ({"time_zone": "A" * 5000}, "time_zone"),
            ({"time_zone": 5}, "time_zone"),
            ({"notify_hour": 24}, "notify_hour"),
            ({"notify_hour": -1}, "notify_hour"),
            ({"notify_hour": 8.5}, "notify_hour"),
            ({"notify_hour": "8"}, "notify_hour"),
            ({"notify_frequency": "monthly"}, "notify_frequency"),
            ({"notify_frequency": "DAILY"}, "notify_frequency"),
            ({"notify_frequency": None}, "notify_frequency"),
            ({"notify_frequency": ["daily"]}, "notify_frequency"),
            ({"notify_frequncy": "daily"}, "notify_frequncy"),
        ]
        for body, key in cases:
            with self.subTest(body=str(body)[:60]):
                st, resp = self.patch_profile(body)
                self.assertEqual(st, 400, resp)
                self.assertIn(key, resp["message"])
                self.assertNotIn("\n", resp["message"])
        # Nothing half-applied: a valid frequency next to a bad zone is not stored.
        st, resp = self.patch_profile({"notify_frequency": "weekly", "time_zone": "Nowhere"})
        self.assertEqual(st, 400, resp)
        st, _, got = self.dana.get("/api/v1/profile")
        self.assertNotEqual(json.loads(got)["notify_frequency"], "weekly")
        st, _, resp = self.dana.send("PATCH", "/api/v1/profile", b"{not json")
        self.assertEqual(st, 400, resp)

    def test_user_admin_api_sets_and_checks_schedules(self):
        hank = self.user_id("hank")
        for body in ({"notify_hour": 24}, {"time_zone": "Nowhere/Land"},
                     {"notify_frequency": "sometimes"}):
            st, _, resp = self.admin.send("PATCH", f"/api/v1/users/{hank}",
                                          json.dumps(body).encode())
            self.assertEqual(st, 400, resp)
        st, _, resp = self.admin.send("PATCH", f"/api/v1/users/{hank}",
                                      json.dumps({"time_zone": "America/New_York",
                                                  "notify_hour": 7}).encode())
        self.assertEqual(st, 200, resp)
        got = json.loads(resp)
        self.assertEqual((got["time_zone"], got["notify_hour"]), ("America/New_York", 7))
        # A user cannot set another's schedule.
        st, _, _ = self.dana.send("PATCH", f"/api/v1/users/{hank}",
                                  json.dumps({"notify_hour": 3}).encode())
        self.assertEqual(st, 403)


if __name__ == "__main__":
    t.main()
