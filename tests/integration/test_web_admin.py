#!/usr/bin/env python3
"""The web UI's admin pages and the rest of issue 5's browser proof, in
Debian's chromium driven by playwright-core (web/e2e/admin.e2e.mjs) against
the real binary: an administrator edits a user, resets their TOTP, revokes
their API token, logs in as them and returns; edits, adds and deletes an
alias; edits a map entry in place and empties the map behind its typed name;
a directory (OIDC) user's directory fields are locked; SSO through the real
provider of test_oidc (glewlwyd's own login page, clicked); a successful
learn against real rspamd (Bayes in Redis, as test_learn); the mail list by
keyboard only (Tab reaches the rows with a visible focus, Enter opens the
detail); the statistics' traffic per day by action; no horizontal scroll at 390 px; screenshots of the main pages in
light and dark (RQWATCH_WEB_SHOTS, or <tmp>/shots)."""
import json
import os
import sqlite3
import sys
import time
import unittest
from pathlib import Path

import rqwatch_testlib as t
from test_learn import CONTROLLER_PASSWORD, Redis, cleanup_all, controller_learned, spammy
from test_oidc import running_provider
from test_web_ui import HTML_MARKER, hostile_message, run_e2e, totp_code

sys.path.insert(0, str(t.HARNESS))
import oidc_login  # noqa: E402  (tests/harness)

OIDC_DIR = os.environ.get("RQWATCH_TEST_OIDC_DIR", "")
CALLBACK = "/api/v1/session/oidc/callback"
DAVE = ("dave", "dave-password-1", "dave@example.org")
ERIN = ("erin", "erin-password-1", "erin@example.org")


class WebAdminTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.p = running_provider()
        cls.redis = Redis()
        cls.rspamd = cls.rq = None
        try:
            cls.rspamd = t.Rspamd(controller_password=CONTROLLER_PASSWORD,
                                  bayes_redis=f"127.0.0.1:{cls.redis.port}")
            os.environ["RQWATCH_TEST_RSPAMD_PASSWORD"] = CONTROLLER_PASSWORD
            cls.rq = t.Rqwatch({"importer": {"batch_window_ms": 10},
                                "session": {"cookie_secure": False},
                                "rspamd": {"controllers": [f"*=http://127.0.0.1:{cls.rspamd.cport}"],
                                           "password_env": "RQWATCH_TEST_RSPAMD_PASSWORD",
                                           "timeout_seconds": 10, "stats_refresh_seconds": 1}})
            secret_file = cls.rq.dir / "oidc-secret"
            secret_file.write_text(cls.p.client_secret + "\n")
            cls.rq.config["auth.oidc"] = {
                "issuer": cls.p.issuer, "client_id": cls.p.client_id,
                "client_secret_file": str(secret_file),
                "redirect_uri": f"http://127.0.0.1:{cls.rq.port}{CALLBACK}",
                "admin_claim": "groups", "admin_values": ["rqwatch-admins"], "timeout_ms": 5000}
            cls.rq.write_config()
            cls.rq.start_with_users([DAVE, ERIN])
            oidc_login.set_redirect_uris(OIDC_DIR, [f"http://127.0.0.1:{cls.rq.port}{CALLBACK}"])
        except BaseException:
            cls.tearDownClass()
            raise
        cls.fill()

    @classmethod
    def fill(cls):
        """Dave: a TOTP, an API token, an alias and mail to it (one to learn, one
        HTML): his own address changes in the test, his alias only later."""
        dave = t.Browser(cls.rq)
        assert dave.login(DAVE[0], DAVE[1])[0] == 200
        st, _, resp = dave.send("POST", "/api/v1/profile/totp")
        assert st == 200, resp
        secret = json.loads(resp)["secret"]
        st, _, resp = dave.send("POST", "/api/v1/profile/totp/confirm", json.dumps(
            {"code": totp_code(secret, int(time.time()) // 30)}).encode())
        assert st == 200, resp
        st, _, resp = dave.send("POST", "/api/v1/profile/tokens", json.dumps({"name": "dave's script"}).encode())
        assert st == 201, resp
        cls.dave_token = json.loads(resp)["token"]
        admin = t.Browser(cls.rq)
        assert admin.login(t.ADMIN_USER, t.ADMIN_PASSWORD)[0] == 200
        st, _, resp = admin.get("/api/v1/users?contains=dave")
        cls.dave_id = json.loads(resp)["items"][0]["id"]
        st, _, resp = admin.send("POST", f"/api/v1/users/{cls.dave_id}/aliases",
                                 json.dumps({"alias": "dave.alias@example.org"}).encode())
        assert st == 201, resp
        qids = []
        for i in range(12):
            qid = t.unique_qid("A")
            st, _, resp = cls.rq.post_default(spammy(qid), t.default_meta(
                qid, action=["reject", "add header", "no action"][i % 3], score=float(i),
                rcpt=["dave.alias@example.org"], subject=f"admin e2e {i}"))
            assert st == 200, resp
            qids.append(qid)
        qid = t.unique_qid("H")
        st, _, resp = cls.rq.post_default(hostile_message("http://127.0.0.1:9"), t.default_meta(
            qid, rcpt=["dave.alias@example.org"], subject="an HTML mail"))
        assert st == 200, resp
        cls.rq.wait_drained(timeout=30, min_imported=13)
        # Traffic on more days, one of them quiet, for the statistics chart: a
        # reject, a spam and a clean mail yesterday and three days ago.
        con = sqlite3.connect(cls.rq.db_path, timeout=10)
        with con:
            now = int(time.time() * 1000)
            for i, days_ago in ((1, 1), (2, 1), (3, 1), (4, 3), (5, 3), (6, 3)):
                at = now - days_ago * 86_400_000
                con.execute("UPDATE mails SET received_at = ?, received_day = ? WHERE qid = ?",
                            (at, at // 86_400_000, qids[i]))
        con.close()
        by_qid = {m["qid"]: m["id"] for m in cls.rq.mails()}
        cls.learn_mail = by_qid[qids[0]]
        cls.html_mail = by_qid[qid]

    @classmethod
    def tearDownClass(cls):
        cleanup_all(cls.rq, cls.rspamd, cls.redis)

    def test_admin_pages_in_the_browser(self):
        shots = Path(os.environ.get("RQWATCH_WEB_SHOTS") or (self.rq.dir / "shots"))
        shots.mkdir(parents=True, exist_ok=True)
        sso_user = "bob"
        cfg = {
            "base": f"http://127.0.0.1:{self.rq.port}",
            "admin": {"user": t.ADMIN_USER, "password": t.ADMIN_PASSWORD},
            "dave": {"id": self.dave_id, "user": DAVE[0], "password": DAVE[1], "token": self.dave_token},
            "erin": ERIN[0],
            "sso": {"user": sso_user, "password": self.p.users[sso_user].password},
            "learnMail": self.learn_mail, "htmlMail": self.html_mail, "htmlMarker": HTML_MARKER,
            "screenshots": str(shots),
        }
        learned_before = controller_learned(self.rspamd)
        result = run_e2e(self, self.rq, "admin.e2e.mjs", cfg)
        print(f"web admin: e2e checks passed: {len(result['checks'])}; screenshots in {shots}")
        # What the browser did, as the server and Rspamd saw it.
        self.assertEqual(controller_learned(self.rspamd), learned_before + 1, "Rspamd learned the mail")
        st, _, body = self.rq.api_get(f"/api/v1/users/{self.dave_id}")
        dave = json.loads(body)
        self.assertEqual((st, dave["last_name"], dave["email"], dave["totp_enabled"], dave["notifications_disabled"]),
                         (200, "Dunn", "dave.dunn@example.org", False, True))
        self.assertEqual([a["alias"] for a in dave["aliases"]], ["dave.new@example.org"])
        st, _, body = self.rq.api_get("/api/v1/audit?limit=500")
        actions = [e["action"] for e in json.loads(body)["items"]]
        for a in ("user.update", "user.delete", "totp.reset", "login_as", "login_as_end",
                  "alias.update", "map.entry.update", "map.entry.delete_all"):
            self.assertIn(a, actions)
        st, _, body = self.rq.api_get(f"/api/v1/users?contains={ERIN[0]}")
        self.assertEqual(json.loads(body)["items"], [], "erin was deleted")


if __name__ == "__main__":
    t.main()
