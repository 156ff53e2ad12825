#!/usr/bin/env python3
"""The TOTP second factor through the real binary, with codes computed
here (RFC 6238, stdlib hmac): enrolment, confirmation, a login that needs
the code (401 totp_required without it), a code accepted once, HTTP Basic
refused for the user (scripts use API tokens, which need no code), turning
it off with the password or a code, an administrator's reset, no
enrolment during "login as", bad bodies."""
import base64
import hashlib
import hmac
import json
import struct
import time
import unittest

import rqwatch_testlib as t

JSON = {"Content-Type": "application/json"}


def body(resp: bytes):
    return json.loads(resp)


def code_at(secret_b32: str, step: int) -> str:
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def step_now() -> int:
    return int(time.time()) // 30


class TotpTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rq = t.Rqwatch({"session": {"cookie_secure": False}})
        cls.rq.start_with_users([(name, f"{name}-password-1") for name in ("tina", "tom", "ursula")])
        cls.admin = t.Browser(cls.rq)
        assert cls.admin.login(t.ADMIN_USER, t.ADMIN_PASSWORD)[0] == 200

    @classmethod
    def tearDownClass(cls):
        cls.rq.cleanup()

    def login(self, user, totp=None):
        b = t.Browser(self.rq)
        payload = {"username": user, "password": f"{user}-password-1"}
        if totp is not None:
            payload["totp"] = totp
        st, h, resp = self.rq.request("POST", "/api/v1/session", json.dumps(payload).encode(),
                                      headers=JSON)
        if st == 200:
            b.cookie = t.cookie_of(h)
            b.csrf = body(resp)["csrf_token"]
        return st, body(resp), b

    def user_id(self, name):
        st, _, resp = self.admin.get(f"/api/v1/users?contains={name}")
        self.assertEqual(st, 200, resp)
        return next(u for u in body(resp)["items"] if u["username"] == name)["id"]

    def turn_on(self, user):
        """Enrols and confirms; returns (browser, secret, the step used)."""
        st, _, b = self.login(user)
        self.assertEqual(st, 200)
        st, _, resp = b.send("POST", "/api/v1/profile/totp")
        self.assertEqual(st, 200, resp)
        secret = body(resp)["secret"]
        self.assertEqual(len(secret), 32)  # 160 bits
        self.assertTrue(body(resp)["uri"].startswith(f"otpauth://totp/rqwatch:{user}?secret={secret}"),
                        resp)
        self.assertIn("issuer=rqwatch", body(resp)["uri"])
        self.assertFalse(body(b.get("/api/v1/session")[2])["totp_enabled"])  # pending
        step = step_now()
        st, _, resp = b.send("POST", "/api/v1/profile/totp/confirm",
                             json.dumps({"code": code_at(secret, step)}).encode())
        self.assertEqual((st, body(resp)), (200, {"totp_enabled": True}), resp)
        self.assertTrue(body(b.get("/api/v1/session")[2])["totp_enabled"])
        return b, secret, step

    def test_login_needs_a_code_used_once(self):
        b, secret, step = self.turn_on("tina")
        st, resp, _ = self.login("tina")
        self.assertEqual(st, 401, resp)
        self.assertEqual(resp["error"], "totp_required")
        self.assertIn("request_id", resp)
        # The confirming code is used up already.
        st, resp, _ = self.login("tina", code_at(secret, step))
        self.assertEqual((st, resp["error"]), (401, "totp_invalid"), resp)
        st, resp, fresh = self.login("tina", code_at(secret, step + 1))
        self.assertEqual(st, 200, resp)
        self.assertTrue(resp["totp_enabled"])
        self.assertEqual(fresh.get("/api/v1/mails")[0], 200)
        st, resp, _ = self.login("tina", code_at(secret, step + 1))
        self.assertEqual((st, resp["error"]), (401, "totp_invalid"), resp)
        st, resp, _ = self.login("tina", "12345")
        self.assertEqual((st, resp["error"]), (401, "totp_invalid"), resp)
        # A wrong password says nothing about TOTP.
        st, _, resp = self.rq.request("POST", "/api/v1/session", json.dumps(
            {"username": "tina", "password": "wrong", "totp": "000000"}).encode(), headers=JSON)
        self.assertEqual((st, body(resp)["error"]), (401, "unauthenticated"), resp)
        audit = body(self.admin.get("/api/v1/audit?contains=wrong%20TOTP")[2])["items"]
        self.assertTrue(any(e["actor"] == "tina" and e["action"] == "login_failed" for e in audit),
                        audit)

        # HTTP Basic is refused; an API token made in the session works without a code.
        st, _, resp = self.rq.request("GET", "/api/v1/mails", headers={
            "Authorization": t.basic_auth("tina", "tina-password-1")})
        self.assertEqual(st, 401, resp)
        self.assertIn("API token", body(resp)["message"])
        st, _, resp = fresh.send("POST", "/api/v1/profile/tokens", b'{"name": "script"}')
        self.assertEqual(st, 201, resp)
        st, _, resp = self.rq.request("GET", "/api/v1/mails", headers={
            "Authorization": f"Bearer {body(resp)['token']}"})
        self.assertEqual(st, 200, resp)

        # Enrolling again while on is a conflict.
        self.assertEqual(fresh.send("POST", "/api/v1/profile/totp")[0], 409)

    def test_admin_reset_and_turning_off(self):
        b, secret, step = self.turn_on("tom")
        tom = self.user_id("tom")
        st, _, resp = self.admin.get(f"/api/v1/users/{tom}")
        self.assertTrue(body(resp)["totp_enabled"], resp)
        self.assertEqual(b.send("DELETE", f"/api/v1/users/{tom}/totp")[0], 403)
        self.assertEqual(self.admin.send("DELETE", f"/api/v1/users/{tom}/totp", csrf=False)[0], 403)
        st, _, resp = self.admin.send("DELETE", f"/api/v1/users/{tom}/totp")
        self.assertEqual((st, body(resp)), (200, {"totp_enabled": False}), resp)
        self.assertEqual(self.admin.send("DELETE", f"/api/v1/users/{tom}/totp")[0], 404)
        self.assertEqual(self.admin.send("DELETE", "/api/v1/users/999999/totp")[0], 404)
        self.assertEqual(self.admin.send("DELETE", "/api/v1/users/abc/totp")[0], 400)
        self.assertEqual(self.rq.request("DELETE", f"/api/v1/users/{tom}/totp")[0], 401)
        audit = body(self.admin.get("/api/v1/audit?contains=totp.reset")[2])["items"]
        self.assertEqual(audit[0]["target"], f"user:{tom}")
        st, resp, b = self.login("tom")
        self.assertEqual(st, 200, resp)

        # Off again with the password, then with a code.
        b, secret, step = self.turn_on("tom")
        st, _, resp = b.send("DELETE", "/api/v1/profile/totp", b'{"password": "wrong"}')
        self.assertEqual(st, 401, resp)
        st, _, resp = b.send("DELETE", "/api/v1/profile/totp", b'{"password": "tom-password-1"}')
        self.assertEqual((st, body(resp)), (200, {"totp_enabled": False}), resp)
        self.assertEqual(b.send("DELETE", "/api/v1/profile/totp",
                                b'{"password": "tom-password-1"}')[0], 404)
        b, secret, step = self.turn_on("tom")
        st, _, resp = b.send("DELETE", "/api/v1/profile/totp",
                             json.dumps({"code": code_at(secret, step + 1)}).encode())
        self.assertEqual(st, 200, resp)
        self.assertEqual(self.login("tom")[0], 200)

    def test_no_enrolment_during_login_as(self):
        admin = t.Browser(self.rq)
        self.assertEqual(admin.login(t.ADMIN_USER, t.ADMIN_PASSWORD)[0], 200)
        st, h, resp = admin.send("POST", f"/api/v1/users/{self.user_id('ursula')}/login-as")
        self.assertEqual(st, 200, resp)
        admin.cookie, admin.csrf = t.cookie_of(h), body(resp)["csrf_token"]
        st, _, resp = admin.send("POST", "/api/v1/profile/totp")
        self.assertEqual(st, 403, resp)
        self.assertEqual(self.login("ursula")[0], 200)

    def test_bad_input(self):
        st, _, b = self.login("ursula")
        self.assertEqual(st, 200)
        for path, method in (("/api/v1/profile/totp/confirm", "POST"),
                             ("/api/v1/profile/totp", "DELETE")):
            for data in (b"{not json", b"[]", b'{"code": "123456", "extra": 1}', b'{"code": 123456}',
                         json.dumps({"code": "1" * 17}).encode()):
                st, _, resp = b.send(method, path, data)
                self.assertEqual(st, 400, (path, data, resp))
            self.assertEqual(self.rq.request(method, path, b'{"code": "123456"}', headers=JSON)[0],
                             401)
            self.assertEqual(b.send(method, path, b'{"code": "123456"}', csrf=False)[0], 403)
        # Missing fields.
        self.assertEqual(b.send("POST", "/api/v1/profile/totp/confirm", b"{}")[0], 400)
        self.assertEqual(b.send("DELETE", "/api/v1/profile/totp", b"{}")[0], 400)
        # Nothing pending or on.
        self.assertEqual(b.send("POST", "/api/v1/profile/totp/confirm", b'{"code": "123456"}')[0],
                         404)
        self.assertEqual(b.send("DELETE", "/api/v1/profile/totp", b'{"code": "123456"}')[0], 404)
        self.assertEqual(self.rq.request("POST", "/api/v1/profile/totp")[0], 401)
        self.assertEqual(b.send("POST", "/api/v1/profile/totp", csrf=False)[0], 403)
        # A wrong confirmation code leaves TOTP off.
        self.assertEqual(b.send("POST", "/api/v1/profile/totp")[0], 200)
        st, _, resp = b.send("POST", "/api/v1/profile/totp/confirm", b'{"code": "abcdef"}')
        self.assertEqual((st, body(resp)["error"]), (401, "totp_invalid"), resp)
        self.assertFalse(body(b.get("/api/v1/session")[2])["totp_enabled"])
        # The login body takes "totp" as a string only.
        st, _, resp = self.rq.request("POST", "/api/v1/session", json.dumps(
            {"username": "ursula", "password": "ursula-password-1", "totp": 123456}).encode(),
            headers=JSON)
        self.assertEqual(st, 400, resp)
        # Cancel the pending enrolment.
        self.assertEqual(b.send("DELETE", "/api/v1/profile/totp", b'{"code": "000000"}')[0], 200)


if __name__ == "__main__":
    t.main()
