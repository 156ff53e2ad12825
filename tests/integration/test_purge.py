#!/usr/bin/env python3
"""Retention through the real binary: mails ingested by `rqwatch serve`, aged
by rewriting their rows (and moving their files to the matching day
directory), then `rqwatch purge --dry-run` (changes nothing) and
`rqwatch purge` (deletes old files, marks their rows purged, deletes old
rows with their recipients and symbols, prunes empty day directories, and
unlinks a planted symlink without touching its target)."""
import os
import shutil
import sqlite3
import tempfile
import time
import unittest
from pathlib import Path

import rqwatch_testlib as t

DAY_MS = 86_400_000


def out(r) -> str:
    return r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace")


def day_of(ms: int) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(ms // 1000))


def human_bytes(n: int) -> str:
    """What the CLI prints for a byte count."""
    if n < 1024:
        return f"{n} bytes"
    value = n / 1024
    units = ["KiB", "MiB", "GiB", "TiB"]
    unit = 0
    while value >= 1024 and unit + 1 < len(units):
        value /= 1024
        unit += 1
    return f"{value:.1f} {units[unit]}"


class PurgeTest(unittest.TestCase):
    def setUp(self):
        self.rq = t.Rqwatch({"retention": {"quarantine_days": 180, "database_days": 366},
                             "importer": {"batch_window_ms": 10}})
        self.addCleanup(self.rq.cleanup)
        self.outside = Path(tempfile.mkdtemp(prefix="rqwatch-outside-"))
        self.addCleanup(shutil.rmtree, self.outside, True)

    def db(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.rq.db_path)
        con.row_factory = sqlite3.Row
        return con

    def ingest(self, specs: dict[str, str]) -> dict[str, str]:
        """Posts one mail per name with the given action; returns name -> qid."""
        qids = {}
        for name, action in specs.items():
            qid = t.unique_qid("P")
            qids[name] = qid
            st, _, body = self.rq.post_default(
                t.make_message(qid, 3000), t.default_meta(
                    qid, action=action, rcpt=[f"{name}@example.net", "shared@example.net"]))
            self.assertEqual(st, 200, body)
        self.rq.wait_drained(min_imported=len(specs))
        return qids

    def age(self, con, qid: str, received_at: int):
        """Moves a mail back in time: its row and, if kept, its file's day directory."""
        row = con.execute("SELECT id, spool_id, stored, quarantine_path FROM mails WHERE qid = ?",
                          (qid,)).fetchone()
        path = row["quarantine_path"]
        if row["stored"]:
            new_path = f"{day_of(received_at)}/{row['spool_id']}.eml"
            target = self.rq.quarantine_dir / new_path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(self.rq.quarantine_dir / path, target)
            path = new_path
        con.execute("UPDATE mails SET received_at = ?, received_day = ?, quarantine_path = ? "
                    "WHERE id = ?", (received_at, received_at // DAY_MS, path, row["id"]))

    def snapshot(self):
        """Everything purge could change: rows, recipients, symbols, files, links, directories."""
        con = self.db()
        try:
            rows = [tuple(r) for r in con.execute(
                "SELECT id, received_at, stored, purged, quarantine_path FROM mails ORDER BY id")]
            rcpts = con.execute("SELECT COUNT(*) FROM mail_recipients").fetchone()[0]
            syms = con.execute("SELECT COUNT(*) FROM mail_symbols").fetchone()[0]
        finally:
            con.close()
        entries = sorted(str(p.relative_to(self.rq.quarantine_dir))
                         for p in self.rq.quarantine_dir.rglob("*"))
        return rows, rcpts, syms, entries

    def test_purge(self):
        self.rq.start()
        qids = self.ingest({"fresh": "reject", "mid": "reject", "mid_link": "reject",
                            "old": "reject", "old_plain": "no action"})
        self.assertEqual(self.rq.stop(), 0)

        now = int(time.time() * 1000)
        mid_day = (now - 200 * DAY_MS) // DAY_MS * DAY_MS   # 00:00 UTC, 200 days ago
        old_day = (now - 400 * DAY_MS) // DAY_MS * DAY_MS
        con = self.db()
        with con:
            self.age(con, qids["mid"], mid_day + 3_600_000)
            self.age(con, qids["mid_link"], mid_day + 7_200_000)
            self.age(con, qids["old"], old_day + 3_600_000)
            self.age(con, qids["old_plain"], old_day + 7_200_000)
        rows = {r["qid"]: dict(r) for r in con.execute(
            "SELECT id, qid, stored, purged, quarantine_path FROM mails")}
        con.close()
        self.assertEqual([rows[qids[n]]["stored"] for n in ("fresh", "mid", "old", "old_plain")],
                         [1, 1, 1, 0])
        q = self.rq.quarantine_dir
        # The kept file of mid_link replaced by a link to a file outside the quarantine.
        secret = self.outside / "secret.eml"
        secret.write_bytes(b"not the quarantine's")
        link = q / rows[qids["mid_link"]]["quarantine_path"]
        link.unlink()
        link.symlink_to(secret)
        # Directories that are not the quarantine's own days are never pruned.
        (q / "lost+found").mkdir()
        (q / "2001-13-45").mkdir()
        freed = sum((q / rows[qids[n]]["quarantine_path"]).stat().st_size for n in ("mid", "old"))
        mid_dir = q / day_of(mid_day)
        old_dir = q / day_of(old_day)
        self.assertTrue(mid_dir.is_dir() and old_dir.is_dir())

        # When addresses were last sent a digest: nine days ago is forgotten
        # (a week and a day is the keep), yesterday is kept.
        now_ms = int(time.time() * 1000)
        con = self.db()
        try:
            con.executemany("INSERT INTO notify_recipients (address, last_sent_at) VALUES (?, ?)",
                            [("gone@example.org", now_ms - 9 * 86_400_000),
                             ("kept@example.org", now_ms - 86_400_000)])
            con.commit()
        finally:
            con.close()

        # Dry run: says what would happen, changes nothing.
        before = self.snapshot()
        r = self.rq.cli("purge", "--dry-run")
        self.assertEqual(r.returncode, 0, out(r))
        self.assertIn(f"purge (dry run): would delete 3 files ({human_bytes(freed)}), "
                      "mark 2 rows purged (0 files already missing), delete 2 rows", out(r))
        self.assertEqual(self.snapshot(), before)
        self.assertTrue(link.is_symlink())

        r = self.rq.cli("purge")
        self.assertEqual(r.returncode, 0, out(r))
        self.assertIn(f"purge: 3 files deleted ({human_bytes(freed)}), 2 rows marked purged, "
                      "0 files already missing, 2 rows deleted, "
                      "2 empty day directories removed, 1 old digest time forgotten", out(r))

        con = self.db()
        try:
            after = {r["qid"]: dict(r) for r in con.execute(
                "SELECT id, qid, stored, purged, quarantine_path FROM mails")}
            # Older than quarantine_days: file gone, row kept and marked purged.
            for name in ("mid", "mid_link"):
                self.assertIn(qids[name], after, name)
                self.assertEqual(after[qids[name]]["purged"], 1, name)
                self.assertEqual(after[qids[name]]["stored"], 1, name)
                self.assertFalse(os.path.lexists(q / rows[qids[name]]["quarantine_path"]), name)
            # Older than database_days: row gone with its recipients and symbols.
            for name in ("old", "old_plain"):
                self.assertNotIn(qids[name], after, name)
                mail_id = rows[qids[name]]["id"]
                for table in ("mail_recipients", "mail_symbols"):
                    n = con.execute(f"SELECT COUNT(*) FROM {table} WHERE mail_id = ?",
                                    (mail_id,)).fetchone()[0]
                    self.assertEqual(n, 0, f"{name}: {table}")
            self.assertFalse((q / rows[qids["old"]]["quarantine_path"]).exists())
            # The others keep theirs.
            kept = rows[qids["mid"]]["id"]
            self.assertEqual(con.execute("SELECT COUNT(*) FROM mail_recipients WHERE mail_id = ?",
                                         (kept,)).fetchone()[0], 2)
            self.assertGreater(con.execute("SELECT COUNT(*) FROM mail_symbols WHERE mail_id = ?",
                                           (kept,)).fetchone()[0], 0)
            self.assertEqual([r[0] for r in con.execute("SELECT address FROM notify_recipients")],
                             ["kept@example.org"])
        finally:
            con.close()
        # Newer mail untouched.
        self.assertEqual(after[qids["fresh"]]["purged"], 0)
        self.assertTrue((q / rows[qids["fresh"]]["quarantine_path"]).is_file())
        # The link was unlinked, its target left alone.
        self.assertEqual(secret.read_bytes(), b"not the quarantine's")
        # The emptied day directories are gone, nothing else.
        self.assertFalse(mid_dir.exists())
        self.assertFalse(old_dir.exists())
        self.assertTrue((q / "lost+found").is_dir())
        self.assertTrue((q / "2001-13-45").is_dir())

        # Nothing left to do; and serve still stores mail afterwards.
        r = self.rq.cli("purge")
        self.assertEqual(r.returncode, 0, out(r))
        self.assertIn("purge: 0 files deleted (0 bytes), 0 rows marked purged, "
                      "0 files already missing, 0 rows deleted, "
                      "0 empty day directories removed", out(r))

    def test_database_days_must_exceed_quarantine_days(self):
        bad = t.deep_merge(self.rq.config,
                           {"retention": {"quarantine_days": 180, "database_days": 180}})
        path = self.rq.dir / "bad.toml"
        path.write_text(t.to_toml(bad))
        for command in ("check-config", "purge"):
            r = t.run_cli([command, "--config", str(path)])
            self.assertEqual(r.returncode, 1, f"{command}: {out(r)}")
            self.assertIn("retention.database_days: must be greater than "
                          "retention.quarantine_days (180 <= 180)", out(r), command)
        # Refused before anything was opened.
        self.assertFalse(self.rq.db_path.exists())

    def test_unsafe_file_aborts(self):
        """A directory where a mail file should be stops the run with exit 1."""
        self.rq.start()
        qids = self.ingest({"a": "reject", "b": "reject"})
        self.assertEqual(self.rq.stop(), 0)
        now = int(time.time() * 1000)
        con = self.db()
        with con:
            self.age(con, qids["a"], now - 200 * DAY_MS)
            self.age(con, qids["b"], now - 200 * DAY_MS + 1000)
        path_b = con.execute("SELECT quarantine_path FROM mails WHERE qid = ?",
                             (qids["b"],)).fetchone()[0]
        con.close()
        target = self.rq.quarantine_dir / path_b
        target.unlink()
        target.mkdir()
        r = self.rq.cli("purge")
        self.assertEqual(r.returncode, 1, out(r))
        self.assertIn("refusing to delete a directory in the quarantine", out(r))
        self.assertTrue(target.is_dir())


if __name__ == "__main__":
    t.main()
