#!/usr/bin/env python3
"""Real Rspamd 3.4 obeys rqwatch's maps. `rqwatch maps rspamd-config`
writes the multimap rules and the rqwatch_maps section; Rspamd (map poll
interval 1 s) loads them and lua/rqwatch_maps.lua, and polls
/maps/<name>.txt. Adding a block entry turns a scanned message's action to
reject, disabling it reverts; a combined pair fires only for the listed
recipient; a personal allow entry of one recipient does not change another
recipient's result. `rqwatch maps export` writes the files atomically, only
when changed."""
import json
import os
import time
import unittest
from pathlib import Path

import rqwatch_testlib as t

LUA = Path(__file__).resolve().parents[2] / "lua" / "rqwatch_maps.lua"
WAIT = 40  # seconds: poll interval 1-2 s, plus the scanner's reload


class MapsRspamdTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rq = t.Rqwatch({"session": {"cookie_secure": False}})
        cls.rq.start_with_users([("alice", "alice-password-1", "alice@example.org")])
        cls.admin = t.Browser(cls.rq)
        assert cls.admin.login(t.ADMIN_USER, t.ADMIN_PASSWORD)[0] == 200
        cls.alice = t.Browser(cls.rq)
        assert cls.alice.login("alice", "alice-password-1")[0] == 200
        st, _, resp = cls.admin.send("POST", "/api/v1/maps", json.dumps(
            {"name": "bad.asn", "field": "asn"}).encode())
        assert st == 201, resp
        cls.conf = cls.rq.dir / "rspamd-conf"
        cls.conf.mkdir()
        r = cls.rq.cli("maps", "rspamd-config", "--base-url", f"http://127.0.0.1:{cls.rq.port}",
                       "--lua-path", str(LUA), "--out-dir", str(cls.conf))
        assert r.returncode == 0, r.stderr
        cls.rs = t.Rspamd(extra_args=["-m", str(cls.conf / "multimap.conf"),
                                      "-x", str(cls.conf / "rqwatch_maps.conf"), "-W", "1"])
        cls.msg = cls.rq.dir / "plain.eml"
        cls.msg.write_bytes(t.make_message(t.unique_qid("M"), subject="maps test"))

    @classmethod
    def tearDownClass(cls):
        try:
            cls.rs.cleanup()
        finally:
            cls.rq.cleanup()

    def scan(self, frm, rcpts):
        return self.rs.scan(self.msg, mail_from=frm, rcpts=rcpts, ip="198.51.100.7")

    def wait_scan(self, frm, rcpts, pred, what):
        last = {}

        def ok():
            nonlocal last
            last = self.scan(frm, rcpts)
            return pred(last)
        try:
            t.wait_until(ok, WAIT, interval=1.0, what=what)
        except AssertionError:
            self.fail(f"{what}: last result {json.dumps(last)[:1500]}\n{self.rs.log()[-3000:]}")
        return last

    def add(self, b, name, lines):
        st, _, resp = b.send("POST", f"/api/v1/maps/{name}/entries",
                             json.dumps({"lines": lines}).encode())
        self.assertEqual(st, 201, resp)
        return json.loads(resp)["ids"][0]

    def test_config_is_for_the_maps_that_exist(self):
        multimap = (self.conf / "multimap.conf").read_text()
        self.assertIn("RQWATCH_SMTP_FROM_BLOCK {", multimap)
        self.assertIn(f"http://127.0.0.1:{self.rq.port}/maps/ip_allow.txt", multimap)
        lua = (self.conf / "rqwatch_maps.conf").read_text()
        self.assertIn('name = "personal_smtp_from_rcpt_allow"', lua)
        self.assertIn(str(LUA), lua)
        self.assertIn("RQWATCH_BAD_ASN {\n  type = \"asn\";", multimap)
        # Rspamd loaded them without complaint.
        log = self.rs.log()
        self.assertNotIn("rqwatch_maps: cannot add map", log)
        self.assertFalse([l for l in log.splitlines() if "multimap" in l and
                          ("cannot" in l or "error" in l or "unknown" in l)], log[-3000:])

    def test_block_entry_rejects_and_disabling_reverts(self):
        frm = "spammer@bad.example"
        base = self.scan(frm, ["alice@example.org"])
        self.assertNotEqual(base["action"], "reject", base)
        entry = self.add(self.admin, "smtp_from_block", frm)
        res = self.wait_scan(frm, ["alice@example.org"], lambda r: r["action"] == "reject",
                             "block entry makes rspamd reject")
        self.assertIn("RQWATCH_SMTP_FROM_BLOCK", res["symbols"])
        st, _, resp = self.admin.send("PATCH", f"/api/v1/maps/smtp_from_block/entries/{entry}",
                                      json.dumps({"enabled": False}).encode())
        self.assertEqual(st, 200, resp)
        res = self.wait_scan(frm, ["alice@example.org"],
                             lambda r: "RQWATCH_SMTP_FROM_BLOCK" not in r["symbols"],
                             "disabling the entry reverts")
        self.assertEqual(res["action"], base["action"])

    def test_combined_pair_fires_only_for_the_listed_recipient(self):
        frm = "pair@x.example"
        self.add(self.admin, "smtp_from_rcpt_block", f"{frm} listed@example.org")
        res = self.wait_scan(frm, ["listed@example.org"],
                             lambda r: "RQWATCH_SMTP_FROM_RCPT_BLOCK" in r["symbols"],
                             "combined pair fires")
        self.assertEqual(res["action"], "reject")
        other = self.scan(frm, ["other@example.org"])
        self.assertNotIn("RQWATCH_SMTP_FROM_RCPT_BLOCK", other["symbols"])
        self.assertNotIn("RQWATCH_SMTP_FROM_RCPT_BLOCK_PARTIAL", other["symbols"])
        self.assertNotEqual(other["action"], "reject")
        both = self.scan(frm, ["listed@example.org", "other@example.org"])
        self.assertNotIn("RQWATCH_SMTP_FROM_RCPT_BLOCK", both["symbols"])
        self.assertIn("RQWATCH_SMTP_FROM_RCPT_BLOCK_PARTIAL", both["symbols"])

    def test_ip_pairs_match_ranges_of_both_families(self):
        # Written loosely (host bits set, upper case, zeros); Rspamd must
        # still find the connection's address inside the range.
        self.add(self.admin, "ip_rcpt_block",
                 "198.51.100.99/24 ipv4@example.org\n2001:DB8:0:0::5/48 ipv6@example.org")

        def fires(ip, rcpt):
            r = self.rs.scan(self.msg, mail_from="any@ip.example", rcpts=[rcpt], ip=ip)
            return "RQWATCH_IP_RCPT_BLOCK" in r["symbols"]
        t.wait_until(lambda: fires("198.51.100.7", "ipv4@example.org"), WAIT, interval=1.0,
                     what="an IPv4 range pair fires")
        self.assertTrue(fires("2001:db8:0:1::7", "ipv6@example.org"))
        self.assertFalse(fires("2001:db8:1::7", "ipv6@example.org"))
        self.assertFalse(fires("198.51.101.7", "ipv4@example.org"))
        self.assertFalse(fires("198.51.100.7", "ipv6@example.org"))

    def test_personal_allow_of_one_recipient_leaves_the_other_alone(self):
        frm = "newsletter@shop.example"
        self.add(self.alice, "personal_smtp_from_rcpt_allow", f"{frm} alice@example.org")
        mine = self.wait_scan(frm, ["alice@example.org"],
                              lambda r: "RQWATCH_PERSONAL_SMTP_FROM_RCPT_ALLOW" in r["symbols"],
                              "alice's allow entry fires for her")
        self.assertLess(mine["score"], 0, mine)
        bob = self.scan(frm, ["bob@example.org"])
        both = self.scan(frm, ["alice@example.org", "bob@example.org"])
        self.assertNotIn("RQWATCH_PERSONAL_SMTP_FROM_RCPT_ALLOW", bob["symbols"])
        self.assertNotIn("RQWATCH_PERSONAL_SMTP_FROM_RCPT_ALLOW", both["symbols"])
        self.assertIn("RQWATCH_PERSONAL_SMTP_FROM_RCPT_ALLOW_PARTIAL", both["symbols"])
        # Bob's verdict is the one he gets alone.
        self.assertEqual(both["action"], bob["action"])
        self.assertAlmostEqual(both["score"], bob["score"], places=2)

    def test_export_writes_files_only_when_changed(self):
        out = self.rq.dir / "maps-out"
        r = self.rq.cli("maps", "export", "--dir", str(out))
        self.assertEqual(r.returncode, 0, r.stderr)
        files = {p.name for p in out.iterdir()}
        self.assertIn("ip_block.txt", files)
        self.assertFalse([n for n in files if not n.endswith(".txt")], files)  # no temp files
        self.assertTrue((out / "ip_block.txt").read_bytes().startswith(b"#"))
        inode = os.stat(out / "rcpt_to_block.txt").st_ino
        r = self.rq.cli("maps", "export", "--dir", str(out))
        self.assertIn("0 written", r.stdout.decode())
        self.add(self.admin, "rcpt_to_block", "victim@example.net")
        r = self.rq.cli("maps", "export", "--dir", str(out))
        self.assertIn("1 written", r.stdout.decode())
        self.assertEqual((out / "rcpt_to_block.txt").read_bytes(), b"victim@example.net\n")
        self.assertNotEqual(os.stat(out / "rcpt_to_block.txt").st_ino, inode)  # renamed in
        self.assertLessEqual(abs(os.stat(out / "rcpt_to_block.txt").st_mtime - time.time()), 5)


if __name__ == "__main__":
    t.main()
