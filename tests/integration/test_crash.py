"""Crash safety: every HTTP 200 is durable, replay after kill -9 is idempotent.

Fires a few hundred concurrent POSTs (default shape, action reject, unique
qid, 5-50 KB bodies), kill -9s rqwatch in the middle, restarts it and checks
that every acknowledged qid is in the DB exactly once with a byte-identical
quarantine file; nothing may be duplicated. A second cycle kills rqwatch
while it replays the spool, and a third burst+kill proves it again.
"""
import http.client
import random
import threading
import time
import unittest
from concurrent.futures import ThreadPoolExecutor

import rqwatch_testlib as t

N_POSTS = 400
THREADS = 24
KILL_AFTER_ACKS = 150


class CrashTest(unittest.TestCase):
    def setUp(self):
        self.rq = t.Rqwatch({"importer": {"batch_size": 50, "poll_interval_ms": 20}})
        self.addCleanup(self.rq.cleanup)
        self.rq.setup_admin()
        self.bodies: dict[str, bytes] = {}
        self.acked: set[str] = set()

    def burst(self, tag: str, n: int = N_POSTS, kill_after: int = KILL_AFTER_ACKS):
        """n concurrent POSTs; kill -9 once kill_after of them were acked."""
        rnd = random.Random(tag)
        jobs = []
        for i in range(n):
            qid = f"CR{tag}{i:04d}X{rnd.randrange(16**6):06X}"
            body = t.make_message(qid, size=rnd.randrange(5_000, 50_000))
            self.bodies[qid] = body
            jobs.append(qid)
        acked_now: list[str] = []
        lock = threading.Lock()
        killed = threading.Event()

        def post(qid):
            meta = t.default_meta(qid, action="reject", score=25.0,
                                  rcpt=[f"{qid.lower()}@example.net"], subject=f"crash {qid}")
            try:
                st, _, _ = self.rq.post_default(self.bodies[qid], meta, server="mx-crash")
            except (OSError, http.client.HTTPException):
                return
            if st == 200:
                with lock:
                    acked_now.append(qid)
                    if len(acked_now) >= kill_after and not killed.is_set():
                        killed.set()
                        self.rq.kill9()

        with ThreadPoolExecutor(THREADS) as ex:
            list(ex.map(post, jobs))
        if not killed.is_set():
            self.rq.kill9()
        self.acked.update(acked_now)
        return acked_now

    def verify(self):
        rows = self.rq.mails(limit=100)
        by_qid: dict[str, list] = {}
        for m in rows:
            by_qid.setdefault(m["qid"], []).append(m)
        dups = {q: len(v) for q, v in by_qid.items() if len(v) > 1}
        self.assertEqual(dups, {}, "duplicated rows after replay")
        missing = sorted(self.acked - set(by_qid))
        self.assertEqual(missing, [], f"{len(missing)} acknowledged (HTTP 200) qids missing from the DB")
        spool_ids = [m["spool_id"] for m in rows]
        self.assertEqual(len(spool_ids), len(set(spool_ids)), "duplicate spool_id")
        qdir = self.rq.quarantine_dir
        bad = []
        for q in self.acked:
            m = by_qid[q][0]
            if m.get("stored") is not True or not m.get("quarantine_path"):
                bad.append((q, "not stored"))
                continue
            f = qdir / m["quarantine_path"]
            if not f.is_file():
                bad.append((q, "file missing"))
            elif t.sha256_file(f) != t.sha256(self.bodies[q]):
                bad.append((q, "file differs"))
        self.assertEqual(bad, [], "quarantine files of acknowledged mails")
        unknown = set(by_qid) - set(self.bodies)
        self.assertEqual(unknown, set(), "rows for qids never sent")
        # every quarantine file belongs to exactly one row
        files = t.files_under(qdir)
        paths = {m["quarantine_path"] for m in rows if m.get("quarantine_path")}
        self.assertEqual(sorted(f for f in files if f.endswith(".eml") and f not in paths), [],
                         "orphan quarantine files")
        return rows

    def test_kill9_during_ingest_and_replay(self):
        self.rq.start()
        a1 = self.burst("A")
        self.assertGreaterEqual(len(a1), KILL_AFTER_ACKS)
        print(f"\ncycle 1: {len(a1)} acked of {N_POSTS}", flush=True)

        # restart, and kill again while the spool is being replayed
        h = self.rq.start()
        print(f"after restart: {h}", flush=True)
        time.sleep(0.05)
        self.rq.kill9()
        h = self.rq.start()
        self.rq.wait_drained(timeout=120)
        rows1 = self.verify()
        print(f"after replay kill: rows={len(rows1)}", flush=True)

        # restart once more without new data: nothing may change
        self.rq.stop()
        self.rq.start()
        self.rq.wait_drained(timeout=60)
        rows1b = self.verify()
        self.assertEqual(sorted(m["id"] for m in rows1), sorted(m["id"] for m in rows1b),
                         "a clean restart changed the rows")

        # second crash cycle with new qids
        a2 = self.burst("B")
        print(f"cycle 2: {len(a2)} acked of {N_POSTS}", flush=True)
        self.rq.start()
        self.rq.wait_drained(timeout=120)
        rows2 = self.verify()
        self.assertGreaterEqual(len(rows2), len(self.acked))
        h = self.rq.health()
        self.assertEqual(h["spool_pending"], 0)
        self.assertEqual(self.rq.stop(), 0, "graceful SIGTERM exit code")


if __name__ == "__main__":
    t.main()
