#!/usr/bin/env python3
"""A database outage only delays the import: ingest keeps answering 200, /healthz
says "degraded" with the reason, and once the database is back every acknowledged
mail is imported exactly once.

The outage is a real one for SQLite: another process holds an exclusive lock on
the database file, so every write of the importer fails with SQLITE_BUSY."""
import sqlite3
import time
import unittest

import rqwatch_testlib as t

MAILS = 20


class DbOutageTest(unittest.TestCase):
    def test_outage_delays_import_and_loses_nothing(self):
        rq = t.Rqwatch({"importer": {"retry_interval_seconds": 1, "batch_window_ms": 10}})
        self.addCleanup(rq.cleanup)
        rq.setup_admin()
        rq.start()

        lock = sqlite3.connect(str(rq.db_path), timeout=0.1, isolation_level=None)
        self.addCleanup(lock.close)
        lock.execute("BEGIN EXCLUSIVE")
        locked = True
        try:
            qids = [t.unique_qid("DB") for _ in range(MAILS)]
            for q in qids:
                st, _, body = rq.post_default(t.fixture("reject.eml").read_bytes(), t.default_meta(q))
                self.assertEqual(st, 200, body)

            # The importer's busy timeout is 5 s; wait until it has given up once.
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                h = rq.health()
                if h["status"] == "degraded":
                    break
                time.sleep(0.2)
            self.assertEqual(h["status"], "degraded", h)
            self.assertIn("database", h["import_error"])
            self.assertEqual(h["spool_pending"], MAILS, h)
            self.assertEqual(h["imported_total"], 0, h)

            lock.execute("ROLLBACK")
            locked = False
        finally:
            if locked:
                lock.execute("ROLLBACK")

        rq.wait_drained(timeout=60)
        h = rq.health()
        self.assertEqual(h["status"], "ok", h)
        self.assertIsNone(h["import_error"])
        rows = rq.mails_by_qid()
        for q in qids:
            self.assertEqual(len(rows.get(q, [])), 1, f"{q}: {rows.get(q)}")


if __name__ == "__main__":
    t.main()
