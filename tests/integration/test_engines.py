#!/usr/bin/env python3
"""rqwatch on the shared engines of distributed mode: the real binary against a
real PostgreSQL 15 and a real MariaDB 10.11 (tests/harness/db_servers.sh, own
servers on free loopback ports).

For each engine: the schema is created by `rqwatch migrate`, users and mails
go to the server, ingest -> importer -> API works, and a database outage
(every rqwatch connection killed and logins refused, as during a server
restart) only delays the import: ingest keeps answering 200, /healthz says
degraded, and once logins work again the dead pooled connections are
replaced and every acknowledged mail is imported exactly once."""
import os
import shutil
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

import rqwatch_testlib as t

HARNESS = t.REPO / "tests" / "harness" / "db_servers.sh"
MAILS = 30
DURING_OUTAGE = 10


class DbServers:
    """Private servers of one engine, stopped and removed at cleanup."""

    def __init__(self, engine: str):
        self.engine = engine
        self.dir = Path(tempfile.mkdtemp(prefix=f"rqwatch-it-{engine}-"))
        env = dict(os.environ, RQWATCH_DB_SERVERS=engine)
        r = subprocess.run([str(HARNESS), "start", str(self.dir)], env=env,
                           capture_output=True, timeout=180)
        if r.returncode != 0:
            raise AssertionError(f"db_servers start {engine} failed: {r.stderr.decode(errors='replace')}")
        self.url = (self.dir / f"{engine}.url").read_text().strip()

    def admin_sql(self, sql: str) -> str:
        """Runs SQL as the server's superuser (unix socket, no password)."""
        if self.engine == "postgresql":
            port = self.url.rsplit(":", 1)[1].split("/")[0]
            cmd = ["runuser", "-u", "postgres", "--", "psql", "-X", "-q", "-At",
                   "-v", "ON_ERROR_STOP=1", "-h", str(self._data_root() / "postgresql" / "run"),
                   "-p", port, "-d", "postgres", "-c", sql]
        else:
            cmd = ["mariadb", "--no-defaults", "-uroot", "-N", "-S",
                   str(self._data_root() / "mariadb" / "run" / "mysqld.sock"), "-e", sql]
        r = subprocess.run(cmd, capture_output=True, timeout=60)
        if r.returncode != 0:
            raise AssertionError(f"{sql}: {r.stderr.decode(errors='replace')}")
        return r.stdout.decode()

    def _data_root(self) -> Path:
        # The harness keeps data and sockets under DIR unless it had to use /tmp.
        moved = self.dir / "data-root"
        return Path(moved.read_text().strip()) if moved.exists() else self.dir

    def block_rqwatch(self):
        """Refuse new logins of the rqwatch role and kill its open connections."""
        if self.engine == "postgresql":
            self.admin_sql("ALTER ROLE rqwatch NOLOGIN")
            self.admin_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE usename = 'rqwatch'")
        else:
            for host in ("127.0.0.1", "localhost"):
                self.admin_sql(f"ALTER USER 'rqwatch'@'{host}' ACCOUNT LOCK")
            ids = self.admin_sql("SELECT id FROM information_schema.processlist "
                                 "WHERE user = 'rqwatch'").split()
            for i in ids:
                try:
                    self.admin_sql(f"KILL {int(i)}")
                except AssertionError:
                    pass  # it ended on its own

    def unblock_rqwatch(self):
        if self.engine == "postgresql":
            self.admin_sql("ALTER ROLE rqwatch LOGIN")
        else:
            for host in ("127.0.0.1", "localhost"):
                self.admin_sql(f"ALTER USER 'rqwatch'@'{host}' ACCOUNT UNLOCK")

    def cleanup(self):
        subprocess.run([str(HARNESS), "stop", str(self.dir)], capture_output=True, timeout=120)
        if not os.environ.get("RQWATCH_KEEP_TMP"):
            shutil.rmtree(self.dir, ignore_errors=True)


class EngineTest:
    engine = ""

    def test_ingest_import_and_outage(self):
        db = DbServers(self.engine)
        self.addCleanup(db.cleanup)
        rq = t.Rqwatch({"database": {"url": db.url, "pool_size": 4},
                        "importer": {"retry_interval_seconds": 1, "batch_window_ms": 10}})
        self.addCleanup(rq.cleanup)
        rq.setup_admin()
        rq.start()

        message = t.fixture("reject.eml").read_bytes()
        qids = [t.unique_qid(self.engine[:2].upper()) for _ in range(MAILS)]
        for i, q in enumerate(qids):
            action = ("reject", "add header", "no action")[i % 3]
            st, _, body = rq.post_default(
                t.make_message(q, subject="Grüße ✉️ " + q),
                t.default_meta(q, action=action, rcpt=["Alice@Example.NET", "bob@example.net"]))
            self.assertEqual(st, 200, body)
        rq.wait_drained(timeout=60, min_imported=MAILS)
        rows = rq.mails_by_qid()
        for i, q in enumerate(qids):
            self.assertEqual(len(rows.get(q, [])), 1, f"{q}: {rows.get(q)}")
            m = rows[q][0]
            self.assertEqual(m["action"], ("reject", "add header", "no action")[i % 3])
            self.assertEqual(m["subject"], "Grüße ✉️ " + q)
            self.assertEqual(m["stored"], i % 3 != 2, m)

        # Outage: connections die and logins are refused, as in a restart.
        db.block_rqwatch()
        late = [t.unique_qid("OUT") for _ in range(DURING_OUTAGE)]
        try:
            for q in late:
                st, _, body = rq.post_default(message, t.default_meta(q))
                self.assertEqual(st, 200, body)
            deadline = time.monotonic() + 60
            h = rq.health()
            while time.monotonic() < deadline and h["status"] != "degraded":
                time.sleep(0.2)
                h = rq.health()
            self.assertEqual(h["status"], "degraded", h)
            self.assertIn("database", h["import_error"])
            self.assertEqual(h["spool_pending"], DURING_OUTAGE, h)
            # Nothing half-written: the mails waiting are exactly the late ones.
            self.assertEqual(h["imported_total"], MAILS, h)
        finally:
            db.unblock_rqwatch()

        rq.wait_drained(timeout=90, min_imported=MAILS + DURING_OUTAGE)
        h = rq.health()
        self.assertEqual(h["status"], "ok", h)
        self.assertIsNone(h["import_error"])
        rows = rq.mails_by_qid()
        for q in qids + late:
            self.assertEqual(len(rows.get(q, [])), 1, f"{q}: {rows.get(q)}")
        self.assertIn("database", rq.log_tail(400))

        # A restart of rqwatch replays nothing twice.
        rq.stop()
        rq.start()
        rq.wait_drained(timeout=30)
        self.assertEqual(len(rq.mails(limit=1000)), MAILS + DURING_OUTAGE)


class PostgresqlTest(EngineTest, unittest.TestCase):
    engine = "postgresql"


class MariadbTest(EngineTest, unittest.TestCase):
    engine = "mysql"


if __name__ == "__main__":
    t.main()
