#!/usr/bin/env python3
"""Administration of users and aliases, and the user's own profile, through
the real binary (issue 4, item 5): admins list, search, add, edit and
delete users and aliases; a user is never able to; the last admin and one's
own account are kept; an alias gives its owner that address's mail at once;
a new password needs the current one and logs every other browser out;
every change is in the audit log; bad bodies get a clear 400."""
import json
import unittest

import rqwatch_testlib as t


def body(resp: bytes) -> dict:
    return json.loads(resp)


class UserAdminTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rq = t.Rqwatch({"importer": {"batch_window_ms": 10}})
        cls.rq.setup_admin()
        cls.rq.add_user("plain", "plain-password-1", admin=False, email="plain@example.org")
        cls.rq.start()
        qid = t.unique_qid("U")
        st, _, resp = cls.rq.post_default(t.make_message(qid),
                                          t.default_meta(qid, rcpt=["shared@example.org"]))
        assert st == 200, resp
        cls.rq.wait_drained(timeout=30, min_imported=1)
        cls.admin = t.Browser(cls.rq)
        st, _, resp = cls.admin.login(t.ADMIN_USER, t.ADMIN_PASSWORD)
        assert st == 200, resp

    @classmethod
    def tearDownClass(cls):
        cls.rq.cleanup()

    def add(self, **fields):
        st, _, resp = self.admin.send("POST", "/api/v1/users", json.dumps(fields).encode())
        return st, body(resp)

    def test_add_edit_search_delete(self):
        st, u = self.add(username="carol", email="Carol@Example.org", password="carol-password",
                         first_name="Carol", admin_domains=["Example.org"])
        self.assertEqual(st, 201, u)
        self.assertEqual(u["email"], "carol@example.org")
        self.assertEqual(u["admin_domains"], ["example.org"])
        self.assertEqual(u["aliases"], [])
        self.assertNotIn("password_hash", u)
        self.assertNotIn("password", u)
        st, again = self.add(username="carol", email="c2@example.org", password="carol-password")
        self.assertEqual(st, 409, again)

        st, _, resp = self.admin.get("/api/v1/users?contains=caro")
        self.assertEqual(st, 200)
        self.assertEqual([x["username"] for x in body(resp)["items"]], ["carol"])
        st, _, resp = self.admin.get(f"/api/v1/users/{u['id']}")
        self.assertEqual((st, body(resp)["first_name"]), (200, "Carol"))

        st, _, resp = self.admin.send("PATCH", f"/api/v1/users/{u['id']}",
                                      json.dumps({"last_name": "Jones",
                                                  "notifications_disabled": True}).encode())
        self.assertEqual(st, 200, resp)
        self.assertEqual((body(resp)["last_name"], body(resp)["first_name"]), ("Jones", "Carol"))
        self.assertTrue(body(resp)["notifications_disabled"])

        carol = t.Browser(self.rq)
        self.assertEqual(carol.login("carol", "carol-password")[0], 200)
        st, _, resp = self.admin.send("PATCH", f"/api/v1/users/{u['id']}",
                                      json.dumps({"password": "reset-by-admin"}).encode())
        self.assertEqual(st, 200, resp)
        self.assertEqual(carol.get("/api/v1/session")[0], 401)  # a reset logs out
        self.assertEqual(carol.login("carol", "reset-by-admin")[0], 200)

        st, _, resp = self.admin.send("DELETE", f"/api/v1/users/{u['id']}")
        self.assertEqual(st, 200, resp)
        self.assertEqual(carol.get("/api/v1/session")[0], 401)
        self.assertEqual(self.admin.send("DELETE", f"/api/v1/users/{u['id']}")[0], 404)
        self.assertEqual(self.admin.get(f"/api/v1/users/{u['id']}")[0], 404)

        st, _, resp = self.admin.get("/api/v1/audit?contains=user:" + str(u["id"]))
        actions = [e["action"] for e in body(resp)["items"]]
        for a in ("user.add", "user.update", "user.delete"):
            self.assertIn(a, actions)
        for e in body(resp)["items"]:
            self.assertNotIn("reset-by-admin", json.dumps(e))

    def test_alias_gives_its_mail_at_once(self):
        st, u = self.add(username="dave", email="dave@example.org", password="dave-password")
        self.assertEqual(st, 201, u)
        dave = t.Browser(self.rq)
        self.assertEqual(dave.login("dave", "dave-password")[0], 200)
        st, _, resp = dave.get("/api/v1/mails")
        self.assertEqual((st, body(resp)["items"]), (200, []))

        st, _, resp = self.admin.send("POST", f"/api/v1/users/{u['id']}/aliases",
                                      json.dumps({"alias": "Shared@Example.org"}).encode())
        self.assertEqual(st, 201, resp)
        alias = body(resp)
        self.assertEqual(alias["alias"], "shared@example.org")
        st, _, resp = dave.get("/api/v1/mails")
        self.assertEqual(len(body(resp)["items"]), 1, resp)  # same session, new scope
        st, _, resp = self.admin.get("/api/v1/aliases?contains=shared")
        self.assertEqual([a["id"] for a in body(resp)["items"]], [alias["id"]])

        st, _, resp = self.admin.send("PATCH", f"/api/v1/aliases/{alias['id']}",
                                      json.dumps({"alias": "other@example.org"}).encode())
        self.assertEqual((st, body(resp)["alias"]), (200, "other@example.org"))
        self.assertEqual(body(dave.get("/api/v1/mails")[2])["items"], [])
        self.assertEqual(self.admin.send("DELETE", f"/api/v1/aliases/{alias['id']}")[0], 200)
        self.assertEqual(self.admin.send("DELETE", f"/api/v1/aliases/{alias['id']}")[0], 404)
        self.assertEqual(self.admin.send("POST", "/api/v1/users/999999/aliases",
                                         json.dumps({"alias": "x@example.org"}).encode())[0], 404)

    def test_only_admins_and_with_csrf(self):
        plain = t.Browser(self.rq)
        self.assertEqual(plain.login("plain", "plain-password-1")[0], 200)
        self.assertEqual(plain.get("/api/v1/users")[0], 403)
        self.assertEqual(plain.get("/api/v1/aliases")[0], 403)
        st, _, _ = plain.send("POST", "/api/v1/users",
                              json.dumps({"username": "evil", "email": "e@example.org",
                                          "password": "evil-password"}).encode())
        self.assertEqual(st, 403)
        me = body(plain.get("/api/v1/session")[2])
        self.assertEqual(plain.send("PATCH", f"/api/v1/users/{me['id']}",
                                    json.dumps({"is_admin": True}).encode())[0], 403)
        self.assertFalse(body(plain.get("/api/v1/session")[2])["is_admin"])
        # An admin's state change without the CSRF token.
        st, _, _ = self.admin.send("POST", "/api/v1/users",
                                   json.dumps({"username": "nocsrf", "email": "n@example.org",
                                               "password": "nocsrf-password"}).encode(), csrf=False)
        self.assertEqual(st, 403)
        self.assertEqual(self.rq.request("GET", "/api/v1/users")[0], 401)

    def test_last_and_own_admin_are_kept(self):
        me = body(self.admin.get("/api/v1/session")[2])
        st, _, resp = self.admin.send("DELETE", f"/api/v1/users/{me['id']}")
        self.assertEqual(st, 409, resp)
        st, _, resp = self.admin.send("PATCH", f"/api/v1/users/{me['id']}",
                                      json.dumps({"is_admin": False}).encode())
        self.assertEqual(st, 409, resp)
        # A second admin cannot remove the first's rights when it is the last one either.
        st, other = self.add(username="admin2", email="admin2@example.org",
                             password="admin2-password", is_admin=True)
        self.assertEqual(st, 201, other)
        a2 = t.Browser(self.rq)
        self.assertEqual(a2.login("admin2", "admin2-password")[0], 200)
        st, _, resp = a2.send("PATCH", f"/api/v1/users/{other['id']}",
                              json.dumps({"is_admin": False}).encode())
        self.assertEqual(st, 409, resp)  # their own
        st, _, resp = self.admin.send("PATCH", f"/api/v1/users/{other['id']}",
                                      json.dumps({"is_admin": False}).encode())
        self.assertEqual(st, 200, resp)
        self.assertEqual(a2.get("/api/v1/users")[0], 401)  # demotion ended the session
        self.assertEqual(self.admin.send("DELETE", f"/api/v1/users/{other['id']}")[0], 200)

    def test_profile_and_password(self):
        st, _ = self.add(username="erin", email="erin@example.org", password="erin-password")
        self.assertEqual(st, 201)
        erin, elsewhere = t.Browser(self.rq), t.Browser(self.rq)
        self.assertEqual(erin.login("erin", "erin-password")[0], 200)
        self.assertEqual(elsewhere.login("erin", "erin-password")[0], 200)
        st, _, resp = erin.send("PATCH", "/api/v1/profile",
                                json.dumps({"first_name": "Erin",
                                            "notifications_disabled": True}).encode())
        self.assertEqual(st, 200, resp)
        self.assertEqual(body(resp)["first_name"], "Erin")
        self.assertEqual(erin.send("PATCH", "/api/v1/profile",
                                   json.dumps({"is_admin": True}).encode())[0], 400)
        self.assertEqual(erin.send("PATCH", "/api/v1/profile",
                                   json.dumps({"first_name": "x"}).encode(), csrf=False)[0], 403)

        pw = "/api/v1/profile/password"
        st, _, resp = erin.send("POST", pw, json.dumps({"current_password": "wrong",
                                                        "new_password": "erin-new-pass"}).encode())
        self.assertEqual(st, 401, resp)
        self.assertEqual(erin.get("/api/v1/session")[0], 200)  # a wrong one does not log out
        st, _, resp = erin.send("POST", pw, json.dumps({"current_password": "erin-password",
                                                        "new_password": "short"}).encode())
        self.assertEqual(st, 400, resp)
        st, h, resp = erin.send("POST", pw, json.dumps({"current_password": "erin-password",
                                                        "new_password": "erin-new-pass"}).encode())
        self.assertEqual(st, 200, resp)
        new_cookie = t.cookie_of(h)
        self.assertTrue(new_cookie)
        self.assertNotEqual(new_cookie, erin.cookie)
        erin.cookie, erin.csrf = new_cookie, body(resp)["csrf_token"]
        self.assertEqual(erin.get("/api/v1/session")[0], 200)
        self.assertEqual(elsewhere.get("/api/v1/session")[0], 401)
        self.assertEqual(t.Browser(self.rq).login("erin", "erin-password")[0], 401)
        self.assertEqual(t.Browser(self.rq).login("erin", "erin-new-pass")[0], 200)
        st, _, resp = self.admin.get("/api/v1/audit?contains=password.change")
        self.assertIn("password.change", [e["action"] for e in body(resp)["items"]])

    def test_login_as_and_back(self):
        st, u = self.add(username="frank", email="frank@example.org", password="frank-password")
        self.assertEqual(st, 201, u)
        admin = t.Browser(self.rq)
        self.assertEqual(admin.login(t.ADMIN_USER, t.ADMIN_PASSWORD)[0], 200)
        before = admin.cookie
        st, h, resp = admin.send("POST", f"/api/v1/users/{u['id']}/login-as")
        self.assertEqual(st, 200, resp)
        me = body(resp)
        self.assertEqual((me["username"], me["impersonated_by"], me["is_admin"]),
                         ("frank", t.ADMIN_USER, False))
        admin.cookie, admin.csrf = t.cookie_of(h), me["csrf_token"]
        self.assertNotEqual(admin.cookie, before)
        # The old admin cookie is dead; the browser sees only Frank's mail.
        old = t.Browser(self.rq)
        old.cookie = before
        self.assertEqual(old.get("/api/v1/session")[0], 401)
        self.assertEqual(admin.get("/api/v1/users")[0], 403)
        self.assertEqual(body(admin.get("/api/v1/mails")[2])["items"], [])
        # A change made meanwhile names the admin.
        self.assertEqual(admin.send("PATCH", "/api/v1/profile",
                                    json.dumps({"first_name": "F"}).encode())[0], 200)
        st, h, resp = admin.send("POST", "/api/v1/session/return")
        self.assertEqual(st, 200, resp)
        me = body(resp)
        self.assertEqual((me["username"], me["impersonated_by"]), (t.ADMIN_USER, None))
        admin.cookie, admin.csrf = t.cookie_of(h), me["csrf_token"]
        self.assertEqual(admin.get("/api/v1/users")[0], 200)
        self.assertEqual(admin.send("POST", "/api/v1/session/return")[0], 409)

        st, _, resp = admin.get(f"/api/v1/audit?contains=user:{u['id']}")
        entries = body(resp)["items"]
        actions = [e["action"] for e in entries]
        self.assertIn("login_as", actions)
        self.assertIn("login_as_end", actions)
        update = [e for e in entries if e["action"] == "profile.update"][0]
        self.assertEqual((update["actor"], update["on_behalf_of"]), ("frank", t.ADMIN_USER))

        # Not for admins, oneself, unknown ids, users, HTTP Basic, or without CSRF.
        mine = body(admin.get("/api/v1/session")[2])["id"]
        self.assertEqual(admin.send("POST", f"/api/v1/users/{mine}/login-as")[0], 409)
        self.assertEqual(admin.send("POST", "/api/v1/users/999999/login-as")[0], 404)
        self.assertEqual(admin.send("POST", f"/api/v1/users/{u['id']}/login-as", csrf=False)[0], 403)
        st, _, _ = self.rq.request("POST", f"/api/v1/users/{u['id']}/login-as",
                                   headers={"Authorization": t.basic_auth(t.ADMIN_USER, t.ADMIN_PASSWORD)})
        self.assertEqual(st, 400)
        frank = t.Browser(self.rq)
        self.assertEqual(frank.login("frank", "frank-password")[0], 200)
        self.assertEqual(frank.send("POST", f"/api/v1/users/{u['id']}/login-as")[0], 403)

    def test_domain_admin_sees_the_domains_mail(self):
        ids = {}
        for rcpt in ("ann@dom.example", "bob@else.example", "carl@sub.dom.example"):
            qid = t.unique_qid("D")
            st, _, resp = self.rq.post_default(t.make_message(qid), t.default_meta(qid, rcpt=[rcpt]))
            self.assertEqual(st, 200, resp)
            ids[rcpt] = qid
        self.rq.wait_drained(timeout=30, min_imported=4)
        by_qid = {m["qid"]: m["id"] for m in self.rq.mails()}
        st, u = self.add(username="gina", email="gina@example.org", password="gina-password",
                         admin_domains=["DOM.example"])
        self.assertEqual(st, 201, u)
        gina = t.Browser(self.rq)
        self.assertEqual(gina.login("gina", "gina-password")[0], 200)
        seen = {m["qid"] for m in body(gina.get("/api/v1/mails")[2])["items"]}
        self.assertEqual(seen, {ids["ann@dom.example"]})  # not else.example, not a subdomain
        self.assertEqual(gina.get(f"/api/v1/mails/{by_qid[ids['ann@dom.example']]}")[0], 200)
        self.assertEqual(gina.get(f"/api/v1/mails/{by_qid[ids['bob@else.example']]}")[0], 404)
        self.assertEqual(gina.get("/api/v1/users")[0], 403)  # mail, not the accounts
        st, _, resp = self.admin.send("PATCH", f"/api/v1/users/{u['id']}",
                                      json.dumps({"admin_domains": []}).encode())
        self.assertEqual(st, 200, resp)
        self.assertEqual(body(gina.get("/api/v1/mails")[2])["items"], [])

    def test_bad_input(self):
        cases = [
            ("POST", "/api/v1/users", b"{not json"),
            ("POST", "/api/v1/users", b"[]"),
            ("POST", "/api/v1/users", json.dumps({"username": "x"}).encode()),
            ("POST", "/api/v1/users", json.dumps({"username": "x", "email": "x@example.org",
                                                  "password": "long enough", "admin": True}).encode()),
            ("POST", "/api/v1/users", json.dumps({"username": "x y", "email": "x@example.org",
                                                  "password": "long enough"}).encode()),
            ("POST", "/api/v1/users", json.dumps({"username": "x", "email": "x@example.org\r\nBcc: a@b",
                                                  "password": "long enough"}).encode()),
            ("POST", "/api/v1/users", json.dumps({"username": "x", "email": "x@example.org",
                                                  "password": "long enough",
                                                  "is_admin": "yes"}).encode()),
            ("POST", "/api/v1/users", json.dumps({"username": "x", "email": "x@example.org",
                                                  "password": "p" * 5000}).encode()),
            ("POST", "/api/v1/users", json.dumps({"username": "x", "email": "x@example.org",
                                                  "password": "long enough",
                                                  "admin_domains": "example.org"}).encode()),
            ("PATCH", "/api/v1/users/abc", b"{}"),
            ("PATCH", "/api/v1/users/0", b"{}"),
            ("GET", "/api/v1/users?limit=0", b""),
            ("GET", "/api/v1/users?before=x", b""),
            ("GET", "/api/v1/aliases?contains=" + "x" * 300, b""),
            ("POST", "/api/v1/users/1/aliases", json.dumps({"alias": "no address"}).encode()),
            ("POST", "/api/v1/users/1/aliases", json.dumps({"alias": 5}).encode()),
            ("PATCH", "/api/v1/aliases/1", b"{}"),
        ]
        for method, path, data in cases:
            st, _, resp = self.admin.send(method, path, data)
            self.assertEqual(st, 400, (method, path, data[:80], resp))
            self.assertEqual(body(resp)["error"], "invalid_argument")
        st, _, resp = self.rq.request(
            "POST", "/api/v1/users", b"username=x",
            headers={**self.admin._headers({"Content-Type": "application/x-www-form-urlencoded"}),
                     "X-CSRF-Token": self.admin.csrf})
        self.assertEqual(st, 400, resp)
        users = body(self.admin.get("/api/v1/users?limit=1000")[2])["items"]
        self.assertNotIn("x", [u["username"] for u in users])


if __name__ == "__main__":
    t.main()
