#!/usr/bin/env python3
"""Distributed mode through real binaries (issue 4, item 6 across nodes): an
ingest node keeps the raw mail on its own disk; a web node sharing the
database reads it from there over the node API, each request signed with
the shared node_api.secret and allowed only from node_api.allow_from. The
user scope is the web node's; the node API refuses unsigned, wrongly
signed, stale and foreign requests."""
import hashlib
import hmac
import json
import shutil
import tempfile
import time
import unittest
from pathlib import Path

import rqwatch_testlib as t

SECRET = "node-secret-0123456789"


def signed(target: str, secret: str = SECRET, at: int | None = None) -> dict:
    at = int(time.time()) if at is None else at
    sig = hmac.new(secret.encode(), f"GET\n{target}\n{at}".encode(), hashlib.sha256).hexdigest()
    return {"X-Rqwatch-Time": str(at), "X-Rqwatch-Signature": sig}


class DistributedTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.shared = Path(tempfile.mkdtemp(prefix="rqwatch-it-shared-"))
        db = {"url": f"sqlite:{cls.shared / 'rqwatch.db'}"}
        cls.sink = t.SmtpSink()  # the web node's relay for releases
        cls.mx1 = t.Rqwatch({"database": db, "importer": {"batch_window_ms": 10},
                             "ingest": {"node_name": "mx1"},
                             "node_api": {"secret": SECRET}})
        cls.nodes = [cls.mx1]
        cls.mx1.start_with_users([("alice", "alice-password-1", "alice@example.org"),
                                  ("bob", "bob-password-1", "bob@example.org")])
        cls.web = cls.started({"database": db, "ingest": {"enabled": False, "node_name": "web1"},
                               "quarantine": {"users_may_delete": True},
                               "release": {"smtp_host": "127.0.0.1", "smtp_port": cls.sink.port,
                                           "starttls": "none", "from": "q@example.org"},
                               "node_api": {"secret": SECRET,
                                            "peers": [f"mx1=http://127.0.0.1:{cls.mx1.port}"]}})
        cls.raw = {}
        cls.ids = {}
        for name, rcpt, server in [("alices", "alice@example.org", "mx1"),
                                   ("alices2", "alice@example.org", "mx1"),
                                   ("bobs", "bob@example.org", "mx1"),
                                   ("elsewhere", "alice@example.org", "mx9")]:
            qid = t.unique_qid("N")
            message = t.make_message(qid, size=5000)
            st, _, resp = cls.mx1.post_default(message, t.default_meta(qid, rcpt=[rcpt]),
                                               server=server)
            assert st == 200, resp
            cls.raw[qid] = message
            cls.ids[name] = qid
        cls.mx1.wait_drained(timeout=30, min_imported=4)
        by_qid = {m["qid"]: m["id"] for m in cls.web.mails()}
        cls.raw = {by_qid[q]: m for q, m in cls.raw.items()}
        cls.ids = {n: by_qid[q] for n, q in cls.ids.items()}
        cls.alice = t.Browser(cls.web)
        assert cls.alice.login("alice", "alice-password-1")[0] == 200

    @classmethod
    def started(cls, overrides):
        rq = t.Rqwatch(overrides)
        cls.nodes.append(rq)
        rq.start()
        return rq

    @classmethod
    def tearDownClass(cls):
        for rq in cls.nodes:
            rq.cleanup()
        cls.sink.cleanup()
        shutil.rmtree(cls.shared, ignore_errors=True)

    def test_the_web_node_reads_mail_kept_on_the_ingest_node(self):
        mail_id = self.ids["alices"]
        self.assertFalse(any(self.web.quarantine_dir.rglob("*.eml")))  # nothing kept here
        st, h, resp = self.alice.get(f"/api/v1/mails/{mail_id}/raw")
        self.assertEqual(st, 200, resp)
        self.assertEqual(resp, self.raw[mail_id])
        self.assertEqual(h["content-type"], "application/octet-stream")
        st, _, resp = self.alice.get(f"/api/v1/mails/{mail_id}/body")
        self.assertEqual(st, 200, resp)
        self.assertTrue(json.loads(resp)["text"].startswith("000000 "))

    def test_the_web_node_releases_mail_kept_on_the_ingest_node(self):
        mail_id = self.ids["alices"]
        st, _, resp = self.alice.send("POST", f"/api/v1/mails/{mail_id}/release",
                                      json.dumps({"to_original": True}).encode())
        self.assertEqual(st, 200, resp)
        sent = [x for x in self.sink.transactions()
                if f"; id {mail_id}\r\n".encode() in x["data"]]
        self.assertEqual([x["rcpt_tos"] for x in sent], [["alice@example.org"]])
        trace, _, rest = sent[0]["data"].partition(b"\r\n")
        self.assertTrue(trace.startswith(b"X-Rqwatch-Released: by alice; "), trace)
        self.assertEqual(rest, self.raw[mail_id])  # read from mx1, byte for byte
        self.assertTrue(self.web.mail(mail_id)["released"])
        # Mail of a node the web node does not know cannot be read, so not released.
        st, _, resp = self.alice.send("POST", f"/api/v1/mails/{self.ids['elsewhere']}/release",
                                      json.dumps({"to_original": True}).encode())
        self.assertEqual(st, 503, resp)

    def test_the_web_node_keeps_the_user_scope(self):
        st, _, resp = self.alice.get(f"/api/v1/mails/{self.ids['bobs']}/raw")
        self.assertEqual(st, 404, resp)

    def test_a_node_not_in_the_peers_is_named(self):
        st, _, resp = self.alice.get(f"/api/v1/mails/{self.ids['elsewhere']}/raw")
        self.assertEqual(st, 503, resp)
        self.assertIn('node "mx9", which node_api.peers does not name',
                      json.loads(resp)["message"])

    def test_the_node_api_wants_a_fresh_signature_with_the_secret(self):
        mail_id = self.ids["bobs"]
        target = f"/api/v1/node/mails/{mail_id}/raw"
        st, _, resp = self.mx1.request("GET", target, headers=signed(target))
        self.assertEqual(st, 200, resp)
        self.assertEqual(resp, self.raw[mail_id])
        for headers in ({}, signed(target, secret="another-secret-0123"),
                        signed(target, at=int(time.time()) - 3600),
                        signed(f"/api/v1/node/mails/{self.ids['alices']}/raw"),
                        {"X-Rqwatch-Time": "x", "X-Rqwatch-Signature": "y"}):
            st, _, resp = self.mx1.request("GET", target, headers=headers)
            self.assertEqual(st, 401, (headers, resp))
        st, _, resp = self.mx1.request("GET", "/api/v1/node/mails/999999/raw",
                                       headers=signed("/api/v1/node/mails/999999/raw"))
        self.assertEqual(st, 404, resp)
        st, _, resp = self.mx1.request("GET", "/api/v1/node/mails/x/raw",
                                       headers=signed("/api/v1/node/mails/x/raw"))
        self.assertEqual(st, 400, resp)

    def test_a_web_node_with_another_secret_is_refused(self):
        db = {"url": f"sqlite:{self.shared / 'rqwatch.db'}"}
        wrong = self.started({"database": db, "ingest": {"enabled": False, "node_name": "web2"},
                              "node_api": {"secret": "not-the-shared-secret",
                                           "peers": [f"mx1=http://127.0.0.1:{self.mx1.port}"]}})
        st, _, resp = wrong.api_get(f"/api/v1/mails/{self.ids['alices']}/raw")
        self.assertEqual(st, 503, resp)
        self.assertIn('node "mx1" refuses this node', json.loads(resp)["message"])

    def test_only_allowed_addresses_may_ask(self):
        db = {"url": f"sqlite:{self.shared / 'rqwatch.db'}"}
        guarded = self.started({"database": db, "ingest": {"node_name": "mx1"},
                                "quarantine": {"dir": str(self.mx1.quarantine_dir)},
                                "node_api": {"secret": SECRET, "allow_from": ["10.0.0.0/8"]}})
        target = f"/api/v1/node/mails/{self.ids['alices']}/raw"
        st, _, resp = guarded.request("GET", target, headers=signed(target))
        self.assertEqual(st, 403, resp)
        # Off without a secret: the route is not there.
        plain = self.started({"database": db, "ingest": {"enabled": False, "node_name": "web3"}})
        st, _, resp = plain.request("GET", target, headers=signed(target))
        self.assertEqual(st, 404, resp)

    def test_users_delete_mail_kept_on_the_ingest_node(self):
        mail_id = self.ids["alices2"]
        path = self.mx1.quarantine_dir / self.web.mail(mail_id)["quarantine_path"]
        self.assertTrue(path.is_file())
        target = f"/api/v1/node/mails/{mail_id}/raw"
        st, _, resp = self.mx1.request("DELETE", target)  # unsigned
        self.assertEqual(st, 401, resp)
        self.assertTrue(path.is_file())
        st, _, resp = self.alice.send("DELETE", f"/api/v1/mails/{mail_id}")
        self.assertEqual(st, 200, resp)
        self.assertEqual(json.loads(resp), {"id": mail_id, "ok": True, "deleted": True})
        self.assertFalse(path.exists())
        self.assertTrue(self.web.mail(mail_id)["purged"])
        st, _, resp = self.alice.get(f"/api/v1/mails/{mail_id}/raw")
        self.assertEqual(st, 404, resp)
        self.assertIn("deleted from the quarantine", json.loads(resp)["message"])


if __name__ == "__main__":
    t.main()
