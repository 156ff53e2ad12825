#!/usr/bin/env python3
"""OpenID Connect login through the real binary against a real provider
(glewlwyd, started by CTest's oidc_server fixture: tests/harness/oidc.sh):
the code flow with PKCE from /api/v1/session/oidc/start through the
provider's login to the callback and a session; the admin flag from the
groups claim; a replayed, tampered or unstarted callback, a wrong client
secret, an unverified address and a local account of the same name are
refused (a redirect to /?login_error=..., audited); return_to never leaves
the site."""
import http.client
import json
import os
import sys
import unittest
import urllib.parse

import rqwatch_testlib as t

sys.path.insert(0, str(t.HARNESS))
import oidc_login  # noqa: E402  (tests/harness)

OIDC_DIR = os.environ.get("RQWATCH_TEST_OIDC_DIR", "")
CALLBACK = "/api/v1/session/oidc/callback"
START = "/api/v1/session/oidc/start"


def running_provider() -> "oidc_login.Provider":
    """The provider CTest's oidc_server fixture started (or the test fails)."""
    if not OIDC_DIR or not os.path.exists(os.path.join(OIDC_DIR, "issuer")):
        raise AssertionError("RQWATCH_TEST_OIDC_DIR does not name a running provider "
                             "(run through ctest, or tests/harness/oidc.sh start DIR)")
    return oidc_login.provider(OIDC_DIR)


def get(rq, path, cookies=None):
    """(status, [(header, value)...], body): every Set-Cookie kept."""
    c = http.client.HTTPConnection("127.0.0.1", rq.port, timeout=30)
    try:
        headers = {}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        c.request("GET", path, headers=headers)
        r = c.getresponse()
        body = r.read()
        t.record_api_call("GET", path, r.status)
        return r.status, [(k.lower(), v) for k, v in r.getheaders()], body
    finally:
        c.close()


def header(headers, name):
    return next((v for k, v in headers if k == name), None)


def set_cookies(headers):
    """{name: (value, attributes)} of every Set-Cookie."""
    out = {}
    for k, v in headers:
        if k == "set-cookie":
            first, _, attrs = v.partition(";")
            name, _, value = first.partition("=")
            out[name.strip()] = (value, attrs)
    return out


def local_path(url):
    u = urllib.parse.urlsplit(url)
    return u.path + ("?" + u.query if u.query else "")


def set_email_verified(login, verified: bool):
    """Changes a provider user's email_verified through glewlwyd's admin API."""
    p = oidc_login.provider(OIDC_DIR)
    admin = oidc_login._browser()
    api = p.base_url + "/api"
    st, _, body = oidc_login._request(admin, "POST", api + "/auth/",
                                      json_body={"username": "admin", "password": p.admin_password})
    assert st == 200, body
    st, _, body = oidc_login._request(admin, "GET", f"{api}/user/{login}")
    assert st == 200, body
    user = json.loads(body)
    user.pop("source", None)
    user["email_verified"] = "true" if verified else "false"
    st, _, body = oidc_login._request(admin, "PUT", f"{api}/user/{login}", json_body=user)
    assert st == 200, (st, body)
    oidc_login._request(admin, "DELETE", api + "/auth/")


class OidcLoginTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.p = running_provider()
        cls.rq = cls.make_rqwatch(cls.p.client_secret)
        cls.rq.setup_admin()
        # bob has a local account here: SSO must not take it over.
        cls.rq.add_user("bob", "bob-local-password", admin=False, email="bob.local@example.org")
        cls.rq.start()
        cls.wrong = cls.make_rqwatch("not-the-secret")
        cls.wrong.setup_admin()
        cls.wrong.start()
        oidc_login.set_redirect_uris(OIDC_DIR, [cls.redirect_uri(cls.rq),
                                                cls.redirect_uri(cls.wrong)])

    @classmethod
    def tearDownClass(cls):
        for rq in ("rq", "wrong"):
            if hasattr(cls, rq):
                getattr(cls, rq).cleanup()

    @staticmethod
    def redirect_uri(rq):
        return f"http://127.0.0.1:{rq.port}{CALLBACK}"

    @classmethod
    def make_rqwatch(cls, secret):
        rq = t.Rqwatch()
        secret_file = rq.dir / "oidc-secret"
        secret_file.write_text(secret + "\n")
        rq.config["auth.oidc"] = {
            "issuer": cls.p.issuer, "client_id": cls.p.client_id,
            "client_secret_file": str(secret_file),
            "redirect_uri": cls.redirect_uri(rq),
            "admin_claim": "groups", "admin_values": ["rqwatch-admins"],
            "timeout_ms": 5000}
        rq.write_config()
        return rq

    # ---------------------------------------------------------------- flow
    def start(self, rq, return_to=None):
        path = START + ("?return_to=" + urllib.parse.quote(return_to, safe="") if return_to else "")
        st, h, body = get(rq, path)
        self.assertEqual(st, 302, body)
        pending = set_cookies(h)["rqwatch_oidc"]
        return header(h, "location"), pending

    def provider_login(self, user, authorize_url):
        return oidc_login.login(OIDC_DIR, user, self.p.users[user].password, authorize_url)

    def sso(self, user, rq=None, return_to=None):
        """start -> provider -> callback: (status, headers, callback path, pending cookie)."""
        rq = rq or self.rq
        authorize, pending = self.start(rq, return_to)
        back = self.provider_login(user, authorize)
        self.assertTrue(back.startswith(self.redirect_uri(rq) + "?"), back)
        st, h, _ = get(rq, local_path(back), {"rqwatch_oidc": pending[0]})
        return st, h, local_path(back), pending

    def session_of(self, headers):
        cookies = set_cookies(headers)
        self.assertIn("rqwatch_session", cookies, headers)
        value, attrs = cookies["rqwatch_session"]
        for a in ("HttpOnly", "SameSite=Lax", "Path=/"):
            self.assertIn(a, attrs)
        return value

    def me(self, session):
        st, _, body = get(self.rq, "/api/v1/session", {"rqwatch_session": session})
        self.assertEqual(st, 200, body)
        return json.loads(body)

    def assert_refused(self, st, h, code="login_failed"):
        self.assertEqual(st, 302)
        self.assertEqual(header(h, "location"), f"/?login_error={code}")
        self.assertNotIn("rqwatch_session", set_cookies(h))

    # --------------------------------------------------------------- tests
    def test_check_config_reports_every_oidc_problem(self):
        rq = t.Rqwatch()
        try:
            rq.config["auth.oidc"] = {"issuer": "http://sso.example.org/realm",
                                      "redirect_uri": "/api/v1/session/oidc/callback",
                                      "scopes": ["email"]}
            rq.write_config()
            r = rq.cli("check-config")
            err = r.stderr.decode()
            self.assertEqual(r.returncode, 1, err)
            for key in ("auth.oidc.issuer", "auth.oidc.client_id", "auth.oidc.client_secret",
                        "auth.oidc.redirect_uri", "auth.oidc.scopes"):
                self.assertIn(key, err)
            self.assertIn("5 configuration problems", err)
        finally:
            rq.cleanup()

    def test_methods_name_oidc(self):
        st, _, body = get(self.rq, "/api/v1/auth/methods")
        self.assertEqual(st, 200, body)
        self.assertEqual(json.loads(body), {"password": True, "oidc": True})

    def test_start_sends_the_browser_to_the_provider_with_pkce(self):
        authorize, (value, attrs) = self.start(self.rq)
        self.assertTrue(authorize.startswith(self.p.issuer + "/auth?"), authorize)
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(authorize).query)
        self.assertEqual(q["response_type"], ["code"])
        self.assertEqual(q["client_id"], [self.p.client_id])
        self.assertEqual(q["redirect_uri"], [self.redirect_uri(self.rq)])
        self.assertEqual(q["scope"], ["openid email profile"])
        self.assertEqual(q["code_challenge_method"], ["S256"])
        self.assertEqual(len(q["code_challenge"][0]), 43)
        self.assertGreaterEqual(len(q["state"][0]), 40)
        self.assertGreaterEqual(len(q["nonce"][0]), 40)
        # The state, nonce and verifier are sealed, not readable, in the cookie.
        self.assertNotIn(q["state"][0], value)
        for a in ("HttpOnly", "SameSite=Lax", "Path=/api/v1/session/oidc", "Max-Age=600", "Secure"):
            self.assertIn(a, attrs)

    def test_alice_logs_in_as_a_user(self):
        st, h, _, _ = self.sso("alice", return_to="/mails?view=list")
        self.assertEqual(st, 302)
        self.assertEqual(header(h, "location"), "/mails?view=list")
        cookies = set_cookies(h)
        self.assertIn("Max-Age=0", cookies["rqwatch_oidc"][1])  # the login state is cleared
        me = self.me(self.session_of(h))
        self.assertEqual(me["username"], "alice")
        self.assertEqual(me["email"], self.p.users["alice"].email.lower())
        self.assertEqual(me["provider"], "oidc")
        self.assertFalse(me["is_admin"])
        self.assertEqual(me["first_name"], "Alice")
        # A second login is the same account, in a new session.
        st, h2, _, _ = self.sso("alice")
        self.assertEqual(header(h2, "location"), "/")
        me2 = self.me(self.session_of(h2))
        self.assertEqual(me2["id"], me["id"])

    def test_carol_is_admin_through_her_group_and_sees_the_audit(self):
        st, h, _, _ = self.sso("carol")
        self.assertEqual(st, 302, h)
        session = self.session_of(h)
        self.assertTrue(self.me(session)["is_admin"])
        st, _, body = get(self.rq, "/api/v1/audit?contains=oidc&limit=100",
                          {"rqwatch_session": session})
        self.assertEqual(st, 200, body)
        items = json.loads(body)["items"]
        carol = [e for e in items if e["actor"] == "carol" and e["action"] == "login"]
        self.assertTrue(carol, items)
        self.assertEqual(carol[0]["detail"], "oidc")
        self.assertEqual(carol[0]["ip"], "127.0.0.1")

    def test_a_replayed_callback_is_refused(self):
        st, h, path, pending = self.sso("alice")
        self.assertEqual(st, 302)
        self.session_of(h)
        st, h, _ = get(self.rq, path, {"rqwatch_oidc": pending[0]})
        self.assert_refused(st, h)

    def test_a_tampered_state_is_refused(self):
        authorize, pending = self.start(self.rq)
        back = self.provider_login("alice", authorize)
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(back).query)
        tampered = f"{CALLBACK}?code={q['code'][0]}&state={q['state'][0][:-2]}xx"
        self.assert_refused(*get(self.rq, tampered, {"rqwatch_oidc": pending[0]})[:2])
        # Another browser's login state (its own cookie) does not fit either.
        _, other = self.start(self.rq)
        self.assert_refused(*get(self.rq, local_path(back), {"rqwatch_oidc": other[0]})[:2])
        # Nor a changed cookie.
        forged = pending[0][:-4] + ("AAAA" if not pending[0].endswith("AAAA") else "BBBB")
        self.assert_refused(*get(self.rq, local_path(back), {"rqwatch_oidc": forged})[:2])

    def test_a_callback_without_a_start_is_refused(self):
        self.assert_refused(*get(self.rq, f"{CALLBACK}?code=abc&state=def")[:2])
        self.assert_refused(*get(self.rq, f"{CALLBACK}?error=access_denied&state=def")[:2])

    def test_return_to_never_leaves_the_site(self):
        for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
            st, h, _, _ = self.sso("alice", return_to=evil)
            self.assertEqual(st, 302)
            self.assertEqual(header(h, "location"), "/", evil)

    def test_a_local_account_of_the_same_name_is_not_taken_over(self):
        st, h, _, _ = self.sso("bob")
        self.assert_refused(st, h, "not_allowed")
        b = t.Browser(self.rq)
        st, _, body = b.login("bob", "bob-local-password")
        self.assertEqual(st, 200, body)
        me = json.loads(body)
        self.assertEqual(me["provider"], "local")
        self.assertEqual(me["email"], "bob.local@example.org")
        st, _, body = self.rq.api_get("/api/v1/audit?contains=single%20sign-on")
        self.assertEqual(st, 200, body)
        self.assertTrue(any(e["action"] == "login_failed" and e["actor"] == "bob"
                            for e in json.loads(body)["items"]), body)

    def test_an_unverified_address_is_refused(self):
        set_email_verified("carol", False)
        try:
            st, h, _, _ = self.sso("carol")
            self.assert_refused(st, h, "not_allowed")
        finally:
            set_email_verified("carol", True)
        st, _, body = self.rq.api_get("/api/v1/audit?contains=not%20verified")
        self.assertEqual(st, 200, body)
        self.assertTrue(any(e["actor"] == "carol" for e in json.loads(body)["items"]), body)

    def test_a_wrong_client_secret_fails_cleanly_and_is_audited(self):
        st, h, _, _ = self.sso("alice", rq=self.wrong)
        self.assert_refused(st, h)
        self.assertIsNone(self.wrong.proc.poll())  # still running
        st, _, body = self.wrong.api_get("/api/v1/audit?contains=oidc")
        self.assertEqual(st, 200, body)
        failed = [e for e in json.loads(body)["items"] if e["action"] == "login_failed"]
        self.assertTrue(failed, body)
        self.assertEqual(failed[0]["ip"], "127.0.0.1")
        self.assertIn("refused", failed[0]["detail"])


if __name__ == "__main__":
    t.main()
