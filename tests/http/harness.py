"""harness.py: run an HTTP server under test and talk to it over raw sockets.

Standard library only.  The server command is a list of arguments; it is
given a free port as CIRCLES_LISTEN=127.0.0.1:PORT (which both devserver
and `circles serve` read) and in any argument containing "{port}".  The
server is ready when it prints "listening PORT" on stdout or when
GET /healthz answers 200 on that port, whichever comes first.  Standard error goes to a temporary file
(the access log) that tests may read; standard output lines are kept too.
"""

import os
import shlex
import signal
import socket
import subprocess
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def default_server_cmd():
    """The command from CIRCLES_TEST_SERVER, else the first devserver found."""
    cmd = os.environ.get("CIRCLES_TEST_SERVER")
    if cmd:
        return shlex.split(cmd)
    for rel in ("build-server/devserver", "build/tests/http/devserver",
                "build/devserver", "build/tests/unit/http/devserver"):
        path = os.path.join(ROOT, rel)
        if os.access(path, os.X_OK):
            return [path]
    raise RuntimeError("no server: set CIRCLES_TEST_SERVER or build devserver")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A running server process."""

    def __init__(self, proc, port, stderr_path):
        self.proc = proc
        self.port = port
        self.stderr_path = stderr_path
        self.lines = []
        self._cond = threading.Condition()
        self._reader = None

    def _read_stdout(self, ready):
        for raw in iter(self.proc.stdout.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self._cond:
                self.lines.append(line)
                self._cond.notify_all()
            if line.startswith("listening ") and not ready.is_set():
                try:
                    self.port = int(line.split()[1])
                except (IndexError, ValueError):
                    continue
                ready.set()
        with self._cond:
            self._cond.notify_all()

    def wait_line(self, text, timeout):
        """Wait until a stdout line contains text; True if it did."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                if any(text in line for line in self.lines):
                    return True
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    return any(text in line for line in self.lines)
                self._cond.wait(left)

    def stderr_text(self):
        with open(self.stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def send_signal(self, signum=signal.SIGTERM):
        self.proc.send_signal(signum)

    def stop(self, signum=signal.SIGTERM, timeout=20):
        """Signal the server and return its exit status (None if it hung)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signum)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = None
        if self._reader is not None:
            self._reader.join(5)
        self.proc.stdout.close()
        return rc

    def cleanup(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        try:
            os.unlink(self.stderr_path)
        except OSError:
            pass


def start_server(cmd=None, env=None, timeout=20):
    """Start cmd with extra env vars; return a ready Server."""
    cmd = list(cmd or default_server_cmd())
    port = free_port()
    cmd = [a.replace("{port}", str(port)) for a in cmd]
    full_env = dict(os.environ)
    full_env["CIRCLES_LISTEN"] = "127.0.0.1:%d" % port
    full_env.update(env or {})
    fd, errpath = tempfile.mkstemp(prefix="circles-http-", suffix=".log")
    with os.fdopen(fd, "wb") as errf:
        proc = subprocess.Popen(cmd, env=full_env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=errf)
    srv = Server(proc, port, errpath)
    ready = threading.Event()
    srv._reader = threading.Thread(target=srv._read_stdout, args=(ready,),
                                   daemon=True)
    srv._reader.start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready.wait(0.05):
            return srv
        if proc.poll() is not None:
            break
        if healthz_ok(port):
            return srv
    out = srv.stderr_text()
    srv.cleanup()
    raise RuntimeError("server did not start: %r\n%s" % (cmd, out[-2000:]))


def healthz_ok(port):
    try:
        with connect(port, timeout=1) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n"
                      b"Connection: close\r\n\r\n")
            r = Reader(s).response()
            return r is not None and r.status == 200
    except OSError:
        return False


def connect(port, timeout=10):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


class Response:
    def __init__(self, status, reason, headers, body, raw_head):
        self.status = status
        self.reason = reason
        self.headers = headers      # list of (lower-case name, value)
        self.body = body
        self.raw_head = raw_head

    def header(self, name):
        name = name.lower()
        for k, v in self.headers:
            if k == name:
                return v
        return None

    def header_all(self, name):
        name = name.lower()
        return [v for k, v in self.headers if k == name]

    def __repr__(self):
        return "<Response %d %r %r>" % (self.status, self.headers, self.body[:80])


class Reader:
    """Buffered response reader on a socket; keeps bytes for pipelining."""

    def __init__(self, sock, initial=b""):
        self.sock = sock
        self.buf = bytearray(initial)
        self.eof = False

    def _fill(self):
        if self.eof:
            return False
        try:
            data = self.sock.recv(65536)
        except ConnectionResetError:
            data = b""
        if not data:
            self.eof = True
            return False
        self.buf += data
        return True

    def head(self):
        """Read one response head; None on EOF before any byte."""
        while b"\r\n\r\n" not in self.buf:
            if not self._fill():
                if self.buf:
                    raise ValueError("truncated head: %r" % self.buf[:200])
                return None
        end = self.buf.index(b"\r\n\r\n")
        raw = bytes(self.buf[:end])
        del self.buf[:end + 4]
        lines = raw.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
            raise ValueError("bad status line %r" % lines[0])
        headers = []
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers.append((k.strip().lower(), v.strip()))
        return int(parts[1]), (parts[2] if len(parts) > 2 else ""), headers, raw

    def read_exact(self, n):
        while len(self.buf) < n:
            if not self._fill():
                raise ValueError("truncated body: %d of %d" % (len(self.buf), n))
        data = bytes(self.buf[:n])
        del self.buf[:n]
        return data

    def response(self, head_request=False):
        """Read one final response (Content-Length framed); skips nothing."""
        h = self.head()
        if h is None:
            return None
        status, reason, headers, raw = h
        resp = Response(status, reason, headers, b"", raw)
        cl = resp.header("content-length")
        if head_request or status in (204, 304) or 100 <= status < 200:
            return resp
        if cl is not None:
            resp.body = self.read_exact(int(cl))
        else:
            while self._fill():
                pass
            resp.body = bytes(self.buf)
            self.buf = bytearray()
        return resp

    def closed(self, timeout=10):
        """True if the peer closes (EOF or reset) within timeout with no more bytes."""
        if self.buf:
            return False
        old = self.sock.gettimeout()
        self.sock.settimeout(timeout)
        try:
            return not self._fill()
        except socket.timeout:
            return False
        finally:
            self.sock.settimeout(old)


def request(port, raw, head_request=False, timeout=10):
    """Send raw bytes on a fresh connection and read one response."""
    with connect(port, timeout) as s:
        s.sendall(raw)
        return Reader(s).response(head_request)
