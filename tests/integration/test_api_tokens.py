#!/usr/bin/env python3
"""Personal API tokens through the real binary: a user creates a named
token (the secret is shown once), a script uses it as `Authorization:
Bearer` for reads and for state changes without a CSRF token, its changes
are audited as the user "via token"; a revoked or expired token gets 401;
another user's token is 404; tokens are capped per user; neither a token
nor an administrator's "login as" creates tokens; administrators list and
revoke anybody's; bad bodies get a clear 400."""
import json
import sqlite3
import unittest

import rqwatch_testlib as t

JSON = {"Content-Type": "application/json"}


def body(resp: bytes):
    return json.loads(resp)


class ApiTokensTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rq = t.Rqwatch({"session": {"cookie_secure": False},
                            "api_tokens": {"max_per_user": 3}})
        cls.rq.start_with_users([("alice", "alice-password-1", "alice@example.org"),
                                 ("bob", "bob-password-1", "bob@example.org")])
        cls.admin = t.Browser(cls.rq)
        assert cls.admin.login(t.ADMIN_USER, t.ADMIN_PASSWORD)[0] == 200

    @classmethod
    def tearDownClass(cls):
        cls.rq.cleanup()

    def browser(self, user, password):
        b = t.Browser(self.rq)
        st, _, resp = b.login(user, password)
        self.assertEqual(st, 200, resp)
        return b

    def create(self, b, name, **extra):
        st, _, resp = b.send("POST", "/api/v1/profile/tokens",
                             json.dumps({"name": name, **extra}).encode())
        return st, body(resp)

    def bearer(self, method, path, secret, payload=None):
        h = {"Authorization": f"Bearer {secret}"}
        data = None
        if payload is not None:
            h.update(JSON)
            data = json.dumps(payload).encode()
        return self.rq.request(method, path, data, headers=h)

    def revoke_all(self, b):
        for tok in body(b.get("/api/v1/profile/tokens")[2])["items"]:
            self.assertEqual(b.send("DELETE", f"/api/v1/profile/tokens/{tok['id']}")[0], 200)

    def audit(self, contains):
        st, _, resp = self.admin.get(f"/api/v1/audit?contains={contains}")
        self.assertEqual(st, 200, resp)
        return body(resp)["items"]

    def test_create_use_revoke(self):
        alice = self.browser("alice", "alice-password-1")
        self.addCleanup(self.revoke_all, alice)
        st, tok = self.create(alice, "nightly export")
        self.assertEqual(st, 201, tok)
        secret = tok["token"]
        self.assertTrue(secret.startswith("rqw_"), secret)
        self.assertGreaterEqual(len(secret), 4 + 43)  # 32 random bytes, base64url
        self.assertTrue(secret.startswith(tok["prefix"]))
        self.assertLess(len(tok["prefix"]), 16)
        self.assertIsNone(tok["expires_at"])
        self.assertIsNone(tok["last_used_at"])

        # The list never shows the secret again.
        st, _, resp = alice.get("/api/v1/profile/tokens")
        self.assertEqual(st, 200, resp)
        items = body(resp)["items"]
        self.assertEqual([x["name"] for x in items], ["nightly export"])
        self.assertNotIn("token", items[0])
        self.assertNotIn(secret[len(tok["prefix"]):], resp.decode())

        # Reads and a state change without CSRF token, as alice.
        st, _, resp = self.bearer("GET", "/api/v1/mails", secret)
        self.assertEqual(st, 200, resp)
        st, _, resp = self.bearer("GET", "/api/v1/session", secret)
        self.assertEqual((st, body(resp)["username"]), (200, "alice"), resp)
        self.assertNotIn("csrf_token", body(resp))
        st, _, resp = self.bearer("PATCH", "/api/v1/profile", secret,
                                  {"notifications_disabled": True})
        self.assertEqual(st, 200, resp)
        self.assertTrue(body(resp)["notifications_disabled"])
        # As alice, not as an admin.
        self.assertEqual(self.bearer("GET", "/api/v1/users", secret)[0], 403)
        entry = next(e for e in self.audit("profile.update") if e["actor"] == "alice")
        self.assertIn('via token "nightly export"', entry["detail"])
        self.assertEqual(self.audit("api_token.create")[0]["actor"], "alice")
        st, _, resp = alice.get("/api/v1/profile/tokens")
        self.assertIsNotNone(body(resp)["items"][0]["last_used_at"])

        # A token creates no tokens (it would outlive its own revocation).
        st, _, resp = self.bearer("POST", "/api/v1/profile/tokens", secret, {"name": "child"})
        self.assertEqual(st, 403, resp)

        st, _, resp = alice.send("DELETE", f"/api/v1/profile/tokens/{tok['id']}")
        self.assertEqual((st, body(resp)), (200, {"deleted": tok["id"]}), resp)
        st, _, resp = self.bearer("GET", "/api/v1/mails", secret)
        self.assertEqual(st, 401, resp)
        self.assertEqual(alice.send("DELETE", f"/api/v1/profile/tokens/{tok['id']}")[0], 404)
        self.assertEqual(self.audit("api_token.revoke")[0]["actor"], "alice")

    def test_expired_token_is_refused(self):
        bob = self.browser("bob", "bob-password-1")
        self.addCleanup(self.revoke_all, bob)
        st, tok = self.create(bob, "short", expires_in_days=1)
        self.assertEqual(st, 201, tok)
        self.assertEqual(tok["expires_at"] - tok["created_at"], 24 * 3600 * 1000)
        self.assertEqual(self.bearer("GET", "/api/v1/mails", tok["token"])[0], 200)
        # A day later, as far as the token knows.
        with sqlite3.connect(self.rq.db_path) as db:
            db.execute("UPDATE api_tokens SET expires_at = ? WHERE id = ?",
                       (tok["created_at"] - 1, tok["id"]))
        st, h, resp = self.bearer("GET", "/api/v1/mails", tok["token"])
        self.assertEqual(st, 401, resp)
        self.assertEqual(body(resp)["error"], "unauthenticated")
        self.assertIn("expired", body(resp)["message"])

    def test_unknown_and_malformed_bearer(self):
        for value in ["Bearer rqw_" + "A" * 43, "Bearer nonsense", "Bearer ", "bearer rqw_x"]:
            st, _, resp = self.rq.request("GET", "/api/v1/mails", headers={"Authorization": value})
            self.assertEqual(st, 401, (value, resp))

    def test_other_users_token_is_not_found(self):
        alice = self.browser("alice", "alice-password-1")
        bob = self.browser("bob", "bob-password-1")
        self.addCleanup(self.revoke_all, bob)
        st, tok = self.create(bob, "bobs")
        self.assertEqual(st, 201, tok)
        st, _, resp = alice.send("DELETE", f"/api/v1/profile/tokens/{tok['id']}")
        self.assertEqual(st, 404, resp)
        self.assertEqual(self.bearer("GET", "/api/v1/mails", tok["token"])[0], 200)
        self.assertNotIn("bobs", alice.get("/api/v1/profile/tokens")[2].decode())

    def test_cap_and_duplicate_names(self):
        alice = self.browser("alice", "alice-password-1")
        self.addCleanup(self.revoke_all, alice)
        self.assertEqual(self.create(alice, "one")[0], 201)
        st, resp = self.create(alice, "one")
        self.assertEqual(st, 409, resp)
        self.assertEqual(self.create(alice, "two")[0], 201)
        self.assertEqual(self.create(alice, "three")[0], 201)
        st, resp = self.create(alice, "four")
        self.assertEqual(st, 409, resp)
        self.assertIn("at most 3", resp["message"])

    def test_login_as_cannot_create_tokens(self):
        admin = self.browser(t.ADMIN_USER, t.ADMIN_PASSWORD)
        alice_id = self.user_record("alice")["id"]
        st, h, resp = admin.send("POST", f"/api/v1/users/{alice_id}/login-as")
        self.assertEqual(st, 200, resp)
        admin.cookie = t.cookie_of(h)
        admin.csrf = body(resp)["csrf_token"]
        st, resp = self.create(admin, "backdoor")
        self.assertEqual(st, 403, resp)
        self.assertIn("login as", resp["message"])
        self.assertEqual(admin.get("/api/v1/profile/tokens")[0], 200)

    def user_record(self, name):
        st, _, resp = self.admin.get(f"/api/v1/users?contains={name}")
        self.assertEqual(st, 200, resp)
        return next(u for u in body(resp)["items"] if u["username"] == name)

    def test_admin_lists_and_revokes_a_users_tokens(self):
        bob = self.browser("bob", "bob-password-1")
        self.addCleanup(self.revoke_all, bob)
        st, tok = self.create(bob, "for the admin")
        self.assertEqual(st, 201, tok)
        bob_id = self.user_record("bob")["id"]
        st, _, resp = self.admin.get(f"/api/v1/users/{bob_id}/tokens")
        self.assertEqual(st, 200, resp)
        self.assertEqual([x["name"] for x in body(resp)["items"]], ["for the admin"])
        self.assertEqual(self.admin.get("/api/v1/users/999999/tokens")[0], 404)
        self.assertEqual(bob.get(f"/api/v1/users/{bob_id}/tokens")[0], 403)
        self.assertEqual(bob.send("DELETE", f"/api/v1/users/{bob_id}/tokens/{tok['id']}")[0], 403)
        self.assertEqual(self.admin.send("DELETE", f"/api/v1/users/{bob_id}/tokens/{tok['id']}",
                                         csrf=False)[0], 403)
        st, _, resp = self.admin.send("DELETE", f"/api/v1/users/{bob_id}/tokens/{tok['id']}")
        self.assertEqual(st, 200, resp)
        self.assertEqual(self.bearer("GET", "/api/v1/mails", tok["token"])[0], 401)
        self.assertEqual(self.admin.send("DELETE",
                                         f"/api/v1/users/{bob_id}/tokens/{tok['id']}")[0], 404)
        self.assertEqual(self.admin.send("DELETE", f"/api/v1/users/{bob_id}/tokens/x")[0], 400)

    def test_deleting_the_user_deletes_the_tokens(self):
        self.rq.add_user("carol", "carol-password-1", admin=False)
        carol = self.browser("carol", "carol-password-1")
        st, tok = self.create(carol, "c")
        self.assertEqual(st, 201, tok)
        carol_id = self.user_record("carol")["id"]
        self.assertEqual(self.admin.send("DELETE", f"/api/v1/users/{carol_id}")[0], 200)
        self.assertEqual(self.bearer("GET", "/api/v1/mails", tok["token"])[0], 401)

    def test_logout_everywhere_keeps_tokens(self):
        bob = self.browser("bob", "bob-password-1")
        # Revoked with a new session: logout-all ends this one.
        self.addCleanup(lambda: self.revoke_all(self.browser("bob", "bob-password-1")))
        st, tok = self.create(bob, "survives")
        self.assertEqual(st, 201, tok)
        self.assertEqual(bob.send("POST", "/api/v1/session/logout-all")[0], 200)
        self.assertEqual(self.bearer("GET", "/api/v1/mails", tok["token"])[0], 200)

    def test_bad_input(self):
        alice = self.browser("alice", "alice-password-1")
        self.addCleanup(self.revoke_all, alice)
        path = "/api/v1/profile/tokens"
        cases = [
            (b"{not json", "JSON object"),
            (b"[]", "JSON object"),
            (json.dumps({"name": "x", "scope": "all"}).encode(), "unknown field"),
            (json.dumps({}).encode(), "expected"),
            (json.dumps({"name": 7}).encode(), "name must be a string"),
            (json.dumps({"name": "n" * 101}).encode(), "longer than"),
            (json.dumps({"name": ""}).encode(), "name must be"),
            (json.dumps({"name": "a\u0007b"}).encode(), "control"),
            (json.dumps({"name": "x", "expires_in_days": "7"}).encode(), "whole number"),
            (json.dumps({"name": "x", "expires_in_days": 1.5}).encode(), "whole number"),
            (json.dumps({"name": "x", "expires_in_days": 0}).encode(), "whole number"),
            (json.dumps({"name": "x", "expires_in_days": 3651}).encode(), "whole number"),
            (json.dumps({"name": "x", "expires_in_days": 2 ** 70}).encode(), "whole number"),
        ]
        for data, why in cases:
            st, _, resp = alice.send("POST", path, data)
            self.assertEqual(st, 400, (data, resp))
            self.assertIn(why, body(resp)["message"], data)
        st, _, resp = self.rq.request("POST", path, b"name=x", headers={
            "Cookie": f"rqwatch_session={alice.cookie}", "X-CSRF-Token": alice.csrf,
            "Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(st, 400, resp)
        # No credentials; a cookie without the CSRF token.
        self.assertEqual(self.rq.request("GET", path)[0], 401)
        self.assertEqual(self.rq.request("POST", path, b'{"name": "x"}', headers=JSON)[0], 401)
        self.assertEqual(self.rq.request("DELETE", path + "/1")[0], 401)
        self.assertEqual(alice.send("POST", path, b'{"name": "x"}', csrf=False)[0], 403)
        self.assertEqual(alice.send("DELETE", path + "/1", csrf=False)[0], 403)
        self.assertEqual(alice.send("DELETE", path + "/abc")[0], 400)
        self.assertEqual(alice.send("DELETE", path + "/0")[0], 400)
        self.assertEqual(self.rq.request("GET", "/api/v1/users/1/tokens")[0], 401)
        self.assertEqual(body(alice.get(path)[2])["items"], [])


if __name__ == "__main__":
    t.main()
