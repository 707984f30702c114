#!/usr/bin/env python3
"""smtp_sink.py: a stdlib-only SMTP server that stores what it receives.

For tests of outbound mail.  It listens on 127.0.0.1, speaks enough ESMTP
for libcurl and Python's smtplib (EHLO/HELO, optional AUTH PLAIN/LOGIN, MAIL
FROM, RCPT TO, DATA with dot-unstuffing, RSET, NOOP, VRFY, QUIT) and writes
each accepted message to OUTDIR/NNNN.eml exactly as received (CRLF line
endings, after dot-unstuffing), with the envelope in OUTDIR/NNNN.json.  The
JSON sidecar is written first and the .eml renamed into place last, and both
happen before the final "250" is sent: a client that got its 250 can read
the files at once.

Usage:
    smtp_sink.py OUTDIR [PORT] [--fail-first N] [--fail-stage data|rcpt]
                 [--auth USER:PASSWORD]

PORT 0 (the default) picks a free port.  The first line on stdout is
"listening PORT".  --fail-first N answers the first N delivery attempts
with "451 4.3.0 temporary failure" (after the DATA terminator by default,
or at RCPT TO with --fail-stage rcpt), so retry logic can be tested.
SIGTERM or SIGINT stop the server.
"""

import argparse
import asyncio
import base64
import json
import os
import re
import signal
import sys
import time

HOSTNAME = "circles-sink.test"
MAX_LINE = 4096
MAX_MESSAGE = 16 * 1024 * 1024
ADDR_RE = re.compile(rb"^(?:MAIL FROM|RCPT TO):\s*<([^<>]*)>(.*)$", re.I)


class Sink:
    def __init__(self, outdir, fail_first, fail_stage, auth):
        self.outdir = outdir
        self.fail_left = fail_first
        self.fail_stage = fail_stage
        self.auth = auth
        self.seq = self._last_seq()

    def _last_seq(self):
        n = 0
        for name in os.listdir(self.outdir):
            m = re.match(r"^(\d+)\.eml$", name)
            if m:
                n = max(n, int(m.group(1)))
        return n

    def should_fail(self, stage):
        if stage != self.fail_stage or self.fail_left <= 0:
            return False
        self.fail_left -= 1
        return True

    def store(self, envelope, data):
        self.seq += 1
        base = os.path.join(self.outdir, "%04d" % self.seq)
        meta = dict(envelope, size=len(data), received_at=time.time())
        with open(base + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(meta, f, indent=1)
            f.write("\n")
        os.replace(base + ".json.tmp", base + ".json")
        with open(base + ".eml.tmp", "wb") as f:
            f.write(data)
        os.replace(base + ".eml.tmp", base + ".eml")
        return self.seq


class Session:
    def __init__(self, sink, reader, writer):
        self.sink = sink
        self.r = reader
        self.w = writer
        self.helo = None
        self.authed = sink.auth is None
        self.reset()

    def reset(self):
        self.mail_from = None
        self.rcpt_to = []

    async def reply(self, text):
        self.w.write(text.encode("ascii") + b"\r\n")
        await self.w.drain()

    async def readline(self):
        line = await self.r.readuntil(b"\n")
        if len(line) > MAX_LINE:
            raise ValueError("line too long")
        return line.rstrip(b"\r\n")

    async def run(self):
        await self.reply("220 %s ESMTP circles smtp_sink" % HOSTNAME)
        while True:
            try:
                line = await self.readline()
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            except (asyncio.LimitOverrunError, ValueError):
                await self.reply("500 5.5.2 line too long")
                return
            verb = line.split(b" ", 1)[0].upper()
            arg = line[len(verb):].strip()
            handler = getattr(self, "cmd_" + verb.decode("ascii", "replace"),
                              None)
            if handler is None:
                await self.reply("500 5.5.1 command not recognised")
                continue
            if await handler(arg, line) is False:
                return

    async def cmd_EHLO(self, arg, line):
        self.helo = arg.decode("utf-8", "replace")
        self.reset()
        ext = ["8BITMIME", "SIZE %d" % MAX_MESSAGE, "HELP"]
        if self.sink.auth is not None:
            ext.insert(0, "AUTH PLAIN LOGIN")
        lines = [HOSTNAME] + ext
        for ln in lines[:-1]:
            self.w.write(b"250-" + ln.encode("ascii") + b"\r\n")
        await self.reply("250 " + lines[-1])

    async def cmd_HELO(self, arg, line):
        self.helo = arg.decode("utf-8", "replace")
        self.reset()
        await self.reply("250 " + HOSTNAME)

    async def cmd_AUTH(self, arg, line):
        if self.sink.auth is None:
            await self.reply("502 5.5.1 AUTH not available")
            return
        parts = arg.split()
        mech = parts[0].upper() if parts else b""
        try:
            if mech == b"PLAIN":
                if len(parts) > 1:
                    blob = parts[1]
                else:
                    await self.reply("334 ")
                    blob = await self.readline()
                _, user, pw = base64.b64decode(blob).split(b"\0", 2)
            elif mech == b"LOGIN":
                if len(parts) > 1:
                    user = base64.b64decode(parts[1])
                else:
                    await self.reply("334 VXNlcm5hbWU6")
                    user = base64.b64decode(await self.readline())
                await self.reply("334 UGFzc3dvcmQ6")
                pw = base64.b64decode(await self.readline())
            else:
                await self.reply("504 5.5.4 mechanism not supported")
                return
        except (ValueError, TypeError):
            await self.reply("501 5.5.2 cannot decode")
            return
        if (user.decode("utf-8", "replace"),
                pw.decode("utf-8", "replace")) == self.sink.auth:
            self.authed = True
            await self.reply("235 2.7.0 authenticated")
        else:
            await self.reply("535 5.7.8 authentication failed")

    async def cmd_MAIL(self, arg, line):
        m = ADDR_RE.match(line)
        if m is None or not line.upper().startswith(b"MAIL FROM:"):
            await self.reply("501 5.5.4 syntax: MAIL FROM:<address>")
            return
        if not self.authed:
            await self.reply("530 5.7.0 authentication required")
            return
        if self.mail_from is not None:
            await self.reply("503 5.5.1 nested MAIL command")
            return
        self.mail_from = m.group(1).decode("utf-8", "replace")
        self.rcpt_to = []
        await self.reply("250 2.1.0 ok")

    async def cmd_RCPT(self, arg, line):
        m = ADDR_RE.match(line)
        if m is None or not line.upper().startswith(b"RCPT TO:"):
            await self.reply("501 5.5.4 syntax: RCPT TO:<address>")
            return
        if self.mail_from is None:
            await self.reply("503 5.5.1 need MAIL first")
            return
        if self.sink.should_fail("rcpt"):
            await self.reply("451 4.3.0 temporary failure, try again later")
            return
        self.rcpt_to.append(m.group(1).decode("utf-8", "replace"))
        await self.reply("250 2.1.5 ok")

    async def cmd_DATA(self, arg, line):
        if not self.rcpt_to:
            await self.reply("503 5.5.1 need RCPT first")
            return
        await self.reply("354 end data with <CR><LF>.<CR><LF>")
        chunks = []
        size = 0
        too_big = False
        while True:
            raw = await self.r.readuntil(b"\n")
            if raw in (b".\r\n", b".\n"):
                break
            if raw.startswith(b"."):
                raw = raw[1:]  # dot-unstuffing, RFC 5321 4.5.2
            size += len(raw)
            if size > MAX_MESSAGE:
                too_big = True
            elif not too_big:
                chunks.append(raw)
        envelope = {"helo": self.helo, "mail_from": self.mail_from,
                    "rcpt_to": list(self.rcpt_to)}
        self.reset()
        if too_big:
            await self.reply("552 5.3.4 message too big")
        elif self.sink.should_fail("data"):
            await self.reply("451 4.3.0 temporary failure, try again later")
        else:
            n = self.sink.store(envelope, b"".join(chunks))
            await self.reply("250 2.0.0 ok queued as %04d" % n)

    async def cmd_RSET(self, arg, line):
        self.reset()
        await self.reply("250 2.0.0 ok")

    async def cmd_NOOP(self, arg, line):
        await self.reply("250 2.0.0 ok")

    async def cmd_VRFY(self, arg, line):
        await self.reply("252 2.1.5 cannot verify, will accept")

    async def cmd_HELP(self, arg, line):
        await self.reply("214 2.0.0 EHLO HELO MAIL RCPT DATA RSET NOOP QUIT")

    async def cmd_QUIT(self, arg, line):
        await self.reply("221 2.0.0 bye")
        return False


async def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("port", nargs="?", type=int, default=0)
    ap.add_argument("--fail-first", type=int, default=0, metavar="N")
    ap.add_argument("--fail-stage", choices=("data", "rcpt"), default="data")
    ap.add_argument("--auth", metavar="USER:PASSWORD")
    a = ap.parse_args()

    auth = tuple(a.auth.split(":", 1)) if a.auth else None
    if auth is not None and len(auth) != 2:
        ap.error("--auth wants USER:PASSWORD")
    os.makedirs(a.outdir, exist_ok=True)
    sink = Sink(a.outdir, a.fail_first, a.fail_stage, auth)

    async def handle(reader, writer):
        try:
            await Session(sink, reader, writer).run()
        except (ConnectionError, asyncio.IncompleteReadError,
                asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", a.port,
                                        limit=MAX_LINE * 2)
    port = server.sockets[0].getsockname()[1]
    print("listening %d" % port, flush=True)

    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(
            sig, lambda: stop.done() or stop.set_result(None))
    async with server:
        await stop


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
    sys.exit(0)
