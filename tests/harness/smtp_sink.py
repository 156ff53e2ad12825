#!/usr/bin/python3
"""An SMTP sink for the release tests (Debian's python3-aiosmtpd, so run it
with /usr/bin/python3): records every transaction in DIR as NNNN.json (the
envelope: mail_from, rcpt_tos) and NNNN.eml (the data exactly as received,
dot-stuffing undone), then answers 250.

    smtp_sink.py --dir DIR [--port N] [--auth USER:PASSWORD] [--refuse ADDR]...

--port 0 (default) picks a free port; the port is written to DIR/port once
the sink accepts connections. --auth offers AUTH PLAIN/LOGIN without TLS and
requires it; --refuse answers 550 to RCPT TO of that address. SIGTERM stops it.
"""
import argparse
import asyncio
import json
import os
import signal
import socket
import sys
import threading
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Recorder:
    def __init__(self, out: Path, refuse: set[str]):
        self.out = out
        self.refuse = refuse
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 refused by the test sink"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        base = self.out / f"{n:04d}"
        data = envelope.original_content or b""
        Path(str(base) + ".eml").write_bytes(data)
        meta = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                "authenticated": bool(session.authenticated)}
        tmp = Path(str(base) + ".json.tmp")
        tmp.write_text(json.dumps(meta))
        os.replace(tmp, str(base) + ".json")  # readers see whole files only
        return "250 2.0.0 queued as test-%04d" % n


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--auth")
    ap.add_argument("--refuse", action="append", default=[])
    a = ap.parse_args()
    out = Path(a.dir)
    out.mkdir(parents=True, exist_ok=True)
    port = a.port or free_port()
    kw = {}
    if a.auth:
        user, password = a.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
                  and auth_data.password == password.encode())
            return AuthResult(success=ok, handled=False)
        kw = {"authenticator": authenticator, "auth_required": True,
              "auth_require_tls": False}
    ctl = Controller(Recorder(out, {r.lower() for r in a.refuse}), hostname="127.0.0.1",
                     port=port, server_hostname="sink.test", **kw)
    ctl.start()
    (out / "port.tmp").write_text(str(port))
    os.replace(out / "port.tmp", out / "port")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    ctl.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
