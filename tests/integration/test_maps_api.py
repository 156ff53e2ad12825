#!/usr/bin/env python3
"""Allow/block maps through the real binary: administrators add many lines
at once (bad lines reported one by one, the others added), edit, disable,
delete, search, import and export; the map file Rspamd polls
(/maps/<name>.txt) has only enabled, unexpired entries, is never empty,
answers HEAD, and 304 to If-None-Match / If-Modified-Since, with a
Last-Modified that moves forward on every change; users work only on
personal entries for their own addresses and never see or touch another
user's; hostile names, bodies and lines get clear errors; every change is
audited; map readers are limited by address and optional Basic auth."""
import json
import time
import unittest

import rqwatch_testlib as t

JSON = {"Content-Type": "application/json"}
PERSONAL = "personal_smtp_from_rcpt_allow"


def body(resp: bytes):
    return json.loads(resp)


class MapsApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rq = t.Rqwatch({"session": {"cookie_secure": False},
                            "maps": {"max_lines": 200}})
        cls.rq.start_with_users([("alice", "alice-password-1", "alice@example.org"),
                                 ("bob", "bob-password-1", "bob@example.org")])
        cls.admin = t.Browser(cls.rq)
        assert cls.admin.login(t.ADMIN_USER, t.ADMIN_PASSWORD)[0] == 200
        cls.alice = t.Browser(cls.rq)
        assert cls.alice.login("alice", "alice-password-1")[0] == 200
        cls.bob = t.Browser(cls.rq)
        assert cls.bob.login("bob", "bob-password-1")[0] == 200

    @classmethod
    def tearDownClass(cls):
        cls.rq.cleanup()

    def add(self, b, name, lines, **extra):
        st, _, resp = b.send("POST", f"/api/v1/maps/{name}/entries",
                             json.dumps({"lines": lines, **extra}).encode())
        return st, body(resp)

    def entries(self, b, name, query=""):
        st, _, resp = b.get(f"/api/v1/maps/{name}/entries{query}")
        self.assertEqual(st, 200, resp)
        return body(resp)["items"]

    def map_file(self, name, headers=None):
        return self.rq.request("GET", f"/maps/{name}.txt", headers=headers or {})

    def clear(self, name):
        st, _, resp = self.admin.send("POST", f"/api/v1/maps/{name}/entries/delete",
                                      json.dumps({"all": True, "confirm": name}).encode())
        self.assertEqual(st, 200, resp)

    def test_builtin_maps_are_listed(self):
        st, _, resp = self.admin.get("/api/v1/maps")
        self.assertEqual(st, 200, resp)
        names = {m["name"]: m for m in body(resp)["items"]}
        for n in ("smtp_from_block", "mime_from_allow", "ip_block", "sender_domain_allow",
                  "rcpt_to_block", "smtp_from_rcpt_block", "ip_rcpt_allow", PERSONAL):
            self.assertIn(n, names)
        self.assertEqual(names["ip_block"]["field"], "ip")
        self.assertEqual(names["ip_block"]["url"], "/maps/ip_block.txt")
        self.assertTrue(names["smtp_from_rcpt_block"]["recipient"])
        st, _, resp = self.admin.get("/api/v1/maps/ip_allow")
        self.assertEqual(st, 200, resp)
        self.assertEqual(body(resp)["kind"], "allow")
        # Users see personal (and, by default, combined) maps only.
        st, _, resp = self.alice.get("/api/v1/maps")
        self.assertEqual(st, 200, resp)
        scopes = {m["scope"] for m in body(resp)["items"]}
        self.assertEqual(scopes, {"personal", "combined"})
        self.assertEqual(self.alice.get("/api/v1/maps/ip_block")[0], 404)
        self.assertEqual(self.rq.request("GET", "/api/v1/maps")[0], 401)

    def test_multi_insert_with_per_line_errors_and_map_file(self):
        self.addCleanup(self.clear, "ip_block")
        st, r = self.add(self.admin, "ip_block",
                         "192.0.2.1\n# a comment\n\nnot-an-ip\n2001:db8::/32\n192.0.2.1\n"
                         "10.0.0.0/8\n300.1.1.1\n", comment="spam run")
        self.assertEqual(st, 201, r)
        self.assertEqual(r["added"], 3)
        self.assertEqual([e["line"] for e in r["errors"]], [4, 8])
        # The same again: every line is a duplicate now.
        st, r = self.add(self.admin, "ip_block", "192.0.2.1")
        self.assertEqual(st, 200, r)
        self.assertEqual(r["added"], 0)
        self.assertEqual(r["errors"], [{"line": 1, "message": "already in the map"}])

        st, h, data = self.map_file("ip_block")
        self.assertEqual(st, 200, data)
        self.assertEqual(data, b"192.0.2.1\n2001:db8::/32\n10.0.0.0/8\n")
        self.assertTrue(h["content-type"].startswith("text/plain"))
        self.assertIn("etag", h)
        self.assertIn("last-modified", h)
        # HEAD: the same headers, no body (Rspamd polls with HEAD first).
        st, hh, data = self.rq.request("HEAD", "/maps/ip_block.txt")
        self.assertEqual(st, 200)
        self.assertEqual(data, b"")
        self.assertEqual(hh["etag"], h["etag"])
        self.assertEqual(hh["content-length"], str(len(b"192.0.2.1\n2001:db8::/32\n10.0.0.0/8\n")))

        self.assertEqual(h["x-content-type-options"], "nosniff")
        self.assertIn("default-src 'none'", h["content-security-policy"])

        # 304 flows. A 304 carries the validators and Cache-Control, not the
        # representation's fields (RFC 9110 15.4.5): the cached 200 keeps those.
        st, h304, data = self.map_file("ip_block", {"If-None-Match": h["etag"]})
        self.assertEqual((st, data), (304, b""))
        self.assertEqual(h304["etag"], h["etag"])
        self.assertEqual(h304["last-modified"], h["last-modified"])
        self.assertEqual(h304["cache-control"], "no-cache")
        for field in ("content-type", "content-security-policy", "x-frame-options"):
            self.assertNotIn(field, h304)
        st, _, _ = self.rq.request("HEAD", "/maps/ip_block.txt",
                                   headers={"If-None-Match": h["etag"]})
        self.assertEqual(st, 304)
        st, _, _ = self.map_file("ip_block", {"If-Modified-Since": h["last-modified"]})
        self.assertEqual(st, 304)
        st, _, _ = self.map_file("ip_block", {"If-None-Match": '"other"'})
        self.assertEqual(st, 200)
        st, _, _ = self.map_file("ip_block", {"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"})
        self.assertEqual(st, 200)
        st, _, _ = self.map_file("ip_block", {"If-Modified-Since": "garbage"})
        self.assertEqual(st, 200)

        # Disabling an entry removes it and moves Last-Modified forward.
        items = self.entries(self.admin, "ip_block")
        self.assertEqual([e["line"] for e in items], ["192.0.2.1", "2001:db8::/32", "10.0.0.0/8"])
        self.assertEqual(items[0]["comment"], "spam run")
        self.assertEqual(items[0]["created_by"], t.ADMIN_USER)
        st, _, resp = self.admin.send("PATCH", f"/api/v1/maps/ip_block/entries/{items[0]['id']}",
                                      json.dumps({"enabled": False}).encode())
        self.assertEqual(st, 200, resp)
        self.assertFalse(body(resp)["enabled"])
        st, h2, data = self.map_file("ip_block", {"If-Modified-Since": h["last-modified"]})
        self.assertEqual(st, 200, data)
        self.assertEqual(data, b"2001:db8::/32\n10.0.0.0/8\n")
        self.assertGreater(t_of(h2["last-modified"]), t_of(h["last-modified"]))
        self.assertNotEqual(h2["etag"], h["etag"])

        # Edit the value; a malformed edit is refused.
        st, _, resp = self.admin.send("PATCH", f"/api/v1/maps/ip_block/entries/{items[2]['id']}",
                                      json.dumps({"line": "198.51.100.0/24"}).encode())
        self.assertEqual(st, 200, resp)
        st, _, resp = self.admin.send("PATCH", f"/api/v1/maps/ip_block/entries/{items[2]['id']}",
                                      json.dumps({"line": "1.2.3.4\nevil"}).encode())
        self.assertEqual(st, 400, resp)
        st, _, resp = self.admin.send("PATCH", f"/api/v1/maps/ip_block/entries/{items[2]['id']}",
                                      json.dumps({"line": "2001:db8::/32"}).encode())
        self.assertEqual(st, 409, resp)
        # Search, export, delete one.
        found = self.entries(self.admin, "ip_block", "?q=198.51")
        self.assertEqual([e["value"] for e in found], ["198.51.100.0/24"])
        st, h, data = self.admin.get("/api/v1/maps/ip_block/export")
        self.assertEqual(st, 200, data)
        self.assertEqual(data, b"# 192.0.2.1\n2001:db8::/32\n198.51.100.0/24\n")
        st, _, resp = self.admin.send("DELETE", f"/api/v1/maps/ip_block/entries/{items[1]['id']}")
        self.assertEqual(st, 200, resp)
        self.assertEqual(self.admin.send("DELETE",
                                         f"/api/v1/maps/ip_block/entries/{items[1]['id']}")[0], 404)
        # Audited.
        st, _, resp = self.admin.get("/api/v1/audit?contains=map:ip_block")
        actions = {e["action"] for e in body(resp)["items"]}
        self.assertTrue({"map.entry.add", "map.entry.update", "map.entry.delete"} <= actions, actions)

    def test_empty_map_is_never_empty(self):
        st, h, data = self.map_file("mime_from_block")
        self.assertEqual(st, 200)
        self.assertTrue(data.startswith(b"#") and data.endswith(b"\n"), data)
        self.assertEqual(self.map_file("no_such_map")[0], 404)
        self.assertEqual(self.rq.request("GET", "/maps/..%2Fetc%2Fpasswd.txt")[0], 404)
        # Not through request(): these paths and methods are not in openapi.yaml.
        st, _ = t.raw_http(self.rq.port, b"GET /maps/ip_block.json HTTP/1.1\r\nHost: x\r\n"
                                         b"Connection: close\r\n\r\n")
        self.assertEqual(st, 404)
        st, _ = t.raw_http(self.rq.port, b"POST /maps/ip_block.txt HTTP/1.1\r\nHost: x\r\n"
                                         b"Content-Length: 1\r\nConnection: close\r\n\r\nx")
        self.assertEqual(st, 405)

    def test_expiry_and_import(self):
        self.addCleanup(self.clear, "sender_domain_block")
        soon = int(time.time() * 1000) + 3000
        st, r = self.add(self.admin, "sender_domain_block", "soon.example", expires_at=soon)
        self.assertEqual(st, 201, r)
        st, r = self.add(self.admin, "sender_domain_block", "x.example", expires_at=1000)
        self.assertEqual(st, 400, r)
        st, _, resp = self.rq.request(
            "POST", "/api/v1/maps/sender_domain_block/import",
            b"Spam.Example\nbad domain\nham.example\n",
            headers={"Cookie": f"rqwatch_session={self.admin.cookie}",
                     "X-CSRF-Token": self.admin.csrf, "Content-Type": "text/plain"})
        self.assertEqual(st, 201, resp)
        self.assertEqual(body(resp)["added"], 2)
        self.assertEqual([e["line"] for e in body(resp)["errors"]], [2])
        st, h, data = self.map_file("sender_domain_block")
        self.assertEqual(data, b"soon.example\nspam.example\nham.example\n")
        time.sleep(max(0.0, soon / 1000 - time.time()) + 0.3)
        st, h2, data = self.map_file("sender_domain_block", {"If-None-Match": h["etag"]})
        self.assertEqual(st, 200)
        self.assertEqual(data, b"spam.example\nham.example\n")
        self.assertGreater(t_of(h2["last-modified"]), t_of(h["last-modified"]))
        st, _, resp = self.rq.request(
            "POST", "/api/v1/maps/sender_domain_block/import", b'{"lines": "a.example"}',
            headers={"Cookie": f"rqwatch_session={self.admin.cookie}",
                     "X-CSRF-Token": self.admin.csrf, "Content-Type": "application/json"})
        self.assertEqual(st, 400, resp)

    def test_custom_maps(self):
        st, _, resp = self.admin.send("POST", "/api/v1/maps", json.dumps(
            {"name": "bad.subjects-1", "field": "regexp", "description": "Betreff"}).encode())
        self.assertEqual(st, 201, resp)
        self.addCleanup(self.admin.send, "DELETE", "/api/v1/maps/bad.subjects-1")
        self.assertEqual(body(resp)["scope"], "custom")
        st, r = self.add(self.admin, "bad.subjects-1", "/invoice\\s+\\d{4}/i\n/unclosed(/\nno-slashes\n")
        self.assertEqual(st, 201, r)
        self.assertEqual(r["added"], 1)
        self.assertEqual([e["line"] for e in r["errors"]], [2, 3])
        self.assertEqual(self.map_file("bad.subjects-1")[2], b"/invoice\\s+\\d{4}/i\n")
        for bad, code in ((
                {"name": "../etc", "field": "ip"}, 400), ({"name": "ok-name", "field": "nope"}, 400),
                ({"name": "x" * 65, "field": "ip"}, 400), ({"name": "ip_block", "field": "ip"}, 409),
                ({"field": "ip"}, 400), ({"name": "ok", "field": "ip", "admin": True}, 400)):
            st, _, resp = self.admin.send("POST", "/api/v1/maps", json.dumps(bad).encode())
            self.assertEqual(st, code, (bad, resp))
        self.assertEqual(self.admin.send("DELETE", "/api/v1/maps/ip_block")[0], 409)
        self.assertEqual(self.admin.send("DELETE", "/api/v1/maps/nope")[0], 404)
        self.assertEqual(self.alice.send("POST", "/api/v1/maps", json.dumps(
            {"name": "mine", "field": "ip"}).encode())[0], 403)
        self.assertEqual(self.alice.send("DELETE", "/api/v1/maps/bad.subjects-1")[0], 403)

    def test_rename_custom_map(self):
        st, _, resp = self.admin.send("POST", "/api/v1/maps", json.dumps(
            {"name": "rename.me", "field": "domain"}).encode())
        self.assertEqual(st, 201, resp)
        self.assertEqual(self.add(self.admin, "rename.me", "spam.example")[0], 201)
        self.assertEqual(self.admin.send("POST", "/api/v1/maps", json.dumps(
            {"name": "taken-name", "field": "ip"}).encode())[0], 201)
        self.addCleanup(self.admin.send, "DELETE", "/api/v1/maps/taken-name")
        old_lm = self.map_file("rename.me")[1]["last-modified"]
        for bad, code in (({"name": "../x"}, 400), ({"name": "x" * 65}, 400),
                          ({"name": 7}, 400), ({"name": "ok", "field": "ip"}, 400),
                          ({"description": "d" * 300}, 400), ({"name": "taken-name"}, 409),
                          ({"name": "ip_block"}, 409)):
            st, _, resp = self.admin.send("PATCH", "/api/v1/maps/rename.me",
                                          json.dumps(bad).encode())
            self.assertEqual(st, code, (bad, resp))
        self.assertEqual(self.admin.send("PATCH", "/api/v1/maps/rename.me", b"{nope")[0], 400)
        self.assertEqual(self.admin.send("PATCH", "/api/v1/maps/ip_block", json.dumps(
            {"description": "x"}).encode())[0], 409)
        self.assertEqual(self.admin.send("PATCH", "/api/v1/maps/nope", json.dumps(
            {"name": "nope2"}).encode())[0], 404)
        self.assertEqual(self.alice.send("PATCH", "/api/v1/maps/rename.me", json.dumps(
            {"name": "hers"}).encode())[0], 403)
        time.sleep(1.1)  # Last-Modified has a resolution of one second
        st, _, resp = self.admin.send("PATCH", "/api/v1/maps/rename.me", json.dumps(
            {"name": "renamed.list", "description": "moved"}).encode())
        self.assertEqual(st, 200, resp)
        self.addCleanup(self.admin.send, "DELETE", "/api/v1/maps/renamed.list")
        self.assertEqual(body(resp)["name"], "renamed.list")
        self.assertEqual(body(resp)["url"], "/maps/renamed.list.txt")
        self.assertEqual(self.map_file("rename.me")[0], 404)
        st, headers, data = self.map_file("renamed.list")
        self.assertEqual((st, data), (200, b"spam.example\n"))
        self.assertNotEqual(headers["last-modified"], old_lm)
        self.assertEqual(self.entries(self.admin, "renamed.list")[0]["value"], "spam.example")
        st, _, resp = self.admin.get("/api/v1/audit?contains=map:rename.me")
        self.assertIn("map.rename", resp.decode())

    def test_users_personal_entries(self):
        self.addCleanup(self.clear, PERSONAL)
        st, r = self.add(self.alice, PERSONAL,
                         "friend@partner.org alice@example.org\n"
                         "x@partner.org bob@example.org\n"
                         "onlyone\n")
        self.assertEqual(st, 201, r)
        self.assertEqual(r["added"], 1)
        self.assertEqual([e["line"] for e in r["errors"]], [2, 3])
        self.assertIn("not one of your addresses", r["errors"][0]["message"])
        st, r = self.add(self.bob, PERSONAL, "b@partner.org bob@example.org")
        self.assertEqual(st, 201, r)
        bob_id = r["ids"][0]
        # An admin's entry for alice's address: visible to her, read-only.
        st, r = self.add(self.admin, PERSONAL, "adm@partner.org alice@example.org")
        self.assertEqual(st, 201, r)
        admin_id = r["ids"][0]

        mine = self.entries(self.alice, PERSONAL)
        self.assertEqual([e["line"] for e in mine],
                         ["friend@partner.org alice@example.org", "adm@partner.org alice@example.org"])
        self.assertTrue(mine[0]["personal"])
        self.assertFalse(mine[1]["personal"])
        self.assertEqual([e["id"] for e in self.entries(self.bob, PERSONAL)], [bob_id])
        # Bob's entry does not exist for alice.
        for method, path, data in (
                ("PATCH", f"/api/v1/maps/{PERSONAL}/entries/{bob_id}", {"enabled": False}),
                ("DELETE", f"/api/v1/maps/{PERSONAL}/entries/{bob_id}", None),
                ("POST", f"/api/v1/maps/{PERSONAL}/entries/delete", {"ids": [bob_id]})):
            st, _, resp = self.alice.send(method, path,
                                          json.dumps(data).encode() if data else b"")
            self.assertEqual(st, 404, (method, path, resp))
        self.assertEqual(self.alice.send("PATCH", f"/api/v1/maps/{PERSONAL}/entries/{admin_id}",
                                         json.dumps({"enabled": False}).encode())[0], 403)
        # Nor may she aim her entry at bob's address.
        st, _, resp = self.alice.send("PATCH", f"/api/v1/maps/{PERSONAL}/entries/{mine[0]['id']}",
                                      json.dumps({"line": "friend@partner.org bob@example.org"}).encode())
        self.assertEqual(st, 403, resp)
        # Admin maps and bulk "all" are administrators' only.
        self.assertEqual(self.add(self.alice, "smtp_from_rcpt_block",
                                  "a@b.org alice@example.org")[0], 403)
        self.assertEqual(self.add(self.alice, "ip_block", "192.0.2.9")[0], 404)
        st, _, resp = self.alice.send("POST", f"/api/v1/maps/{PERSONAL}/entries/delete",
                                      json.dumps({"all": True, "confirm": PERSONAL}).encode())
        self.assertEqual(st, 403, resp)
        # Alice toggles and deletes her own.
        st, _, resp = self.alice.send("PATCH", f"/api/v1/maps/{PERSONAL}/entries/{mine[0]['id']}",
                                      json.dumps({"enabled": False, "comment": "pause"}).encode())
        self.assertEqual(st, 200, resp)
        st, _, resp = self.alice.get(f"/api/v1/maps/{PERSONAL}/export")
        self.assertEqual(st, 200, resp)
        self.assertEqual(resp, b"# friend@partner.org alice@example.org\n"
                               b"adm@partner.org alice@example.org\n")
        st, _, resp = self.alice.send("POST", f"/api/v1/maps/{PERSONAL}/entries/delete",
                                      json.dumps({"ids": [mine[0]["id"]]}).encode())
        self.assertEqual((st, body(resp)["deleted"]), (200, 1), resp)
        # The file has everybody's enabled pairs, as from|rcpt.
        self.assertEqual(self.map_file(PERSONAL)[2],
                         b"b@partner.org|bob@example.org\nadm@partner.org|alice@example.org\n")

    def test_bad_input(self):
        path = "/api/v1/maps/ip_block/entries"
        for data, code in (
                (b"not json", 400), (b"[]", 400), (b'{"lines": 5}', 400), (b"{}", 400),
                (b'{"lines": "1.2.3.4", "owner": 1}', 400),
                (b'{"lines": "1.2.3.4", "expires_at": "tomorrow"}', 400),
                (b'{"lines": "1.2.3.4", "enabled": "yes"}', 400),
                (b'{"lines": "1.2.3.4", "comment": "a\\u0000b"}', 400),
                (json.dumps({"lines": "1.1.1.1\n" * 201}).encode(), 400)):
            st, _, resp = self.admin.send("POST", path, data)
            self.assertEqual(st, code, (data[:60], resp))
        # Oversized: more than max_lines lines of the longest length.
        huge = json.dumps({"lines": "a" * (201 * 1025 + 10)}).encode()
        st, _, resp = self.admin.send("POST", path, huge)
        self.assertEqual(st, 400, resp[:200])
        # A value that would break the file: control characters, '#', long lines.
        st, r = self.add(self.admin, "smtp_from_block",
                         "a@b.org\rX\nx@y.org#c\n" + "l" * 2000 + "@x.org\n")
        self.assertEqual(st, 200, r)
        self.assertEqual(r["added"], 0)
        self.assertEqual(len(r["errors"]), 3)
        # Hostile names and ids.
        self.assertEqual(self.admin.get("/api/v1/maps/..%2F..%2Fetc/entries")[0], 404)
        self.assertEqual(self.admin.get("/api/v1/maps/NOPE/entries")[0], 404)
        self.assertEqual(self.admin.send("PATCH", "/api/v1/maps/ip_block/entries/abc", b"{}")[0], 400)
        self.assertEqual(self.admin.send("PATCH", "/api/v1/maps/ip_block/entries/999999",
                                         b'{"enabled": true}')[0], 404)
        self.assertEqual(self.admin.get("/api/v1/maps/ip_block/entries?limit=0")[0], 400)
        self.assertEqual(self.admin.get("/api/v1/maps/ip_block/entries?after=-1")[0], 400)
        for data in (b"{}", b'{"ids": []}', b'{"ids": ["1"]}', b'{"ids": [0]}',
                     b'{"all": true}', b'{"all": true, "confirm": "other"}'):
            st, _, resp = self.admin.send("POST", "/api/v1/maps/ip_block/entries/delete", data)
            self.assertEqual(st, 400, (data, resp))
        # Without the CSRF token, without credentials.
        self.assertEqual(self.admin.send("POST", path, b'{"lines": "1.2.3.4"}', csrf=False)[0], 403)
        self.assertEqual(self.rq.request("POST", path, b'{"lines": "1.2.3.4"}', headers=JSON)[0], 401)
        self.assertEqual(self.rq.request("GET", "/api/v1/maps/ip_block/export")[0], 401)


class MapReaderAccessTest(unittest.TestCase):
    """maps.reader_allow_from and Basic auth for the files."""

    def test_allow_list_and_basic_auth(self):
        rq = t.Rqwatch({"maps": {"reader_username": "rspamd", "reader_password": "map-secret-1"}})
        self.addCleanup(rq.cleanup)
        rq.start_with_users()
        st, h, _ = rq.request("GET", "/maps/ip_block.txt")
        self.assertEqual(st, 401)
        self.assertIn("basic", h.get("www-authenticate", "").lower())
        st, _, _ = rq.request("GET", "/maps/ip_block.txt",
                              headers={"Authorization": t.basic_auth("rspamd", "wrong")})
        self.assertEqual(st, 401)
        st, _, data = rq.request("GET", "/maps/ip_block.txt",
                                 headers={"Authorization": t.basic_auth("rspamd", "map-secret-1")})
        self.assertEqual(st, 200, data)
        st, _, _ = rq.request("HEAD", "/maps/ip_block.txt",
                              headers={"Authorization": t.basic_auth("rspamd", "map-secret-1")})
        self.assertEqual(st, 200)

        other = t.Rqwatch({"maps": {"reader_allow_from": ["192.0.2.0/24"]}})
        self.addCleanup(other.cleanup)
        other.start_with_users()
        self.assertEqual(other.request("GET", "/maps/ip_block.txt")[0], 403)


def t_of(http_date: str) -> float:
    from email.utils import parsedate_to_datetime
    return parsedate_to_datetime(http_date).timestamp()


if __name__ == "__main__":
    t.main()
