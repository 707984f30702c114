"""Start a real Circles server for HTTP tests, and talk to it.

    srv = CirclesServer()          # temp data dir, SQLite or a fresh PG database
    srv.start()                    # build/circles serve on a free loopback port
    admin = srv.create_user("a@example.org", "admin")   # via `circles user add`
    c = srv.client(); c.login(admin.email, admin.password)
    r = c.api("GET", "/api/v1/me");  r.status, r.json()
    srv.smtp.messages()            # mail received by the local SMTP sink
    srv.clock(advance=3600)        # the server's test clock (CIRCLES_TEST_MODE=1)
    srv.stop()                     # SIGTERM; asserts a clean exit

Stdlib only.  One server per test class is the usual pattern (setUpClass).
"""
import email
import email.policy
import glob
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import weakref

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("CIRCLES_TEST_BINARY", os.path.join(ROOT, "build", "circles"))
PASSWORD = "correct horse battery staple"


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers      # list of (name, value), names lower-cased
        self.body = body            # bytes

    def header(self, name):
        name = name.lower()
        for k, v in self.headers:
            if k == name:
                return v
        return None

    def headers_all(self, name):
        return [v for k, v in self.headers if k == name.lower()]

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def __repr__(self):
        return f"<Response {self.status} {self.body[:200]!r}>"


class SmtpSink:
    def __init__(self, workdir, args=()):
        self.dir = os.path.join(workdir, "mail")
        os.makedirs(self.dir, exist_ok=True)
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, "tests/tools/smtp_sink.py"), *args, self.dir, "0"],
            stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        self.port = int(line.split()[1])

    def messages(self):
        out = []
        for path in sorted(glob.glob(os.path.join(self.dir, "*.eml"))):
            with open(path, "rb") as f:
                out.append(email.message_from_bytes(f.read(), policy=email.policy.default))
        return out

    def wait_for(self, count, timeout=15.0, predicate=None):
        deadline = time.time() + timeout
        while time.time() < deadline:
            msgs = self.messages()
            if predicate:
                msgs = [m for m in msgs if predicate(m)]
            if len(msgs) >= count:
                return msgs
            time.sleep(0.1)
        raise AssertionError(f"expected {count} message(s), got {len(msgs)}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=5)
        self.proc.stdout.close()


class User:
    def __init__(self, email, role, password, id=None):
        self.email, self.role, self.password, self.id = email, role, password, id


class Client:
    """A browser-like client: keeps cookies, never follows redirects."""

    def __init__(self, server):
        self.server = server
        self.cookies = {}
        self.csrf = None

    def request(self, method, path, body=None, headers=None, ctype=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None and ctype:
            h["Content-Type"] = ctype
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        hdrs = [(k.lower(), v) for k, v in r.getheaders()]
        conn.close()
        for k, v in hdrs:
            if k == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";", 1)[0]
                if "Max-Age=0" in v:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
        return Response(r.status, hdrs, data)

    def api(self, method, path, data=None, csrf=True, headers=None):
        h = dict(headers or {})
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            h.setdefault("X-CSRF-Token", self.csrf)
        body = None if data is None else json.dumps(data).encode()
        return self.request(method, path, body, h, "application/json" if body is not None else None)

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def form(self, path, fields, with_csrf=True):
        f = dict(fields)
        if with_csrf and self.csrf and "csrf_token" not in f:
            f["csrf_token"] = self.csrf
        return self.request("POST", path, urllib.parse.urlencode(f).encode(), None,
                            "application/x-www-form-urlencoded")

    def login(self, email, password=PASSWORD, totp=None):
        data = {"email": email, "password": password}
        if totp:
            data["totp"] = totp
        r = self.api("POST", "/api/v1/session", data, csrf=False)
        if r.status == 200:
            self.csrf = r.json()["csrf_token"]
        return r

    def logout(self):
        return self.api("DELETE", "/api/v1/session")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


_live = weakref.WeakSet()


def close_all():
    """Stop every server and sink still running (a setUpClass that failed half-way
    never reaches its tearDownClass); run.py calls this at the end."""
    for srv in list(_live):
        try:
            srv.close()
        except Exception:  # noqa: BLE001 - best effort at exit
            pass


class CirclesServer:
    def __init__(self, env=None, database_url=None, share_with=None, smtp_args=()):
        """share_with: another CirclesServer whose database and key this one uses
        (two servers in front of one database)."""
        self.tmp = tempfile.mkdtemp(prefix="circles-test-")
        self.data = os.path.join(self.tmp, "data")
        os.makedirs(self.data, mode=0o700)
        self.smtp = SmtpSink(self.tmp, smtp_args)
        self.extra_env = dict(env or {})
        if share_with is not None:
            database_url = share_with.database_url
            self.extra_env["CIRCLES_KEY_FILE"] = os.path.join(share_with.data, "secret.key")
        self.proc = None
        self.port = None
        self.log_path = os.path.join(self.tmp, "server.log")
        self.database_url = database_url or self._database_url()
        self._users = 0
        _live.add(self)

    def _database_url(self):
        base = os.environ.get("CIRCLES_TEST_DATABASE_URL")
        if not base:
            return "sqlite:" + os.path.join(self.data, "circles.db")
        name = "circles_" + secrets.token_hex(6)
        subprocess.run(["psql", base, "-q", "-c", f"CREATE DATABASE {name}"], check=True,
                       stdout=subprocess.DEVNULL)
        u = urllib.parse.urlsplit(base)
        return urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + name, u.query, u.fragment))

    def env(self):
        e = dict(os.environ)
        e.update({
            "CIRCLES_DATA": self.data,
            "CIRCLES_DATABASE_URL": self.database_url,
            "CIRCLES_TEST_MODE": "1",
            "CIRCLES_SMTP_URL": f"smtp://127.0.0.1:{self.smtp.port}",
            "CIRCLES_MAIL_FROM": "Circles <no-reply@circles.test>",
            "CIRCLES_LOOPS": "2",
        })
        e.update(self.extra_env)
        return e

    def sql(self, query):
        """Run one statement on this server's database behind Circles' back (to check what the
        API does not show, such as the audit chain, or to tamper with a row); its rows, each a
        tuple of strings."""
        if self.database_url.startswith("sqlite:"):
            db = sqlite3.connect(self.database_url[len("sqlite:"):], timeout=10)
            try:
                rows = [tuple("" if v is None else str(v) for v in row)
                        for row in db.execute(query).fetchall()]
                db.commit()
                return rows
            finally:
                db.close()
        out = subprocess.run(["psql", self.database_url, "-Atq", "-c", query], check=True,
                             stdout=subprocess.PIPE, text=True).stdout
        return [tuple(line.split("|")) for line in out.splitlines()]

    def run(self, *args, input=None, check=True):
        """Run a circles command with this server's configuration."""
        return subprocess.run([BINARY, *args], env=self.env(), input=input, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=check,
                              timeout=120)

    def start(self, port=None):
        self.port = port or free_port()
        env = self.env()
        env["CIRCLES_LISTEN"] = f"127.0.0.1:{self.port}"
        env.setdefault("CIRCLES_PUBLIC_URL", f"http://127.0.0.1:{self.port}")
        self.logf = open(self.log_path, "ab")
        self.proc = subprocess.Popen([BINARY, "serve"], env=env, stdout=subprocess.DEVNULL,
                                     stderr=self.logf)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited: " + self.log())
            try:
                r = self.client().get("/healthz")
                if r.status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("server did not start: " + self.log())

    def log(self):
        try:
            with open(self.log_path, "r", errors="replace") as f:
                return f.read()[-8000:]
        except OSError:
            return ""

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                rc = -9
            self.proc = None
            self.logf.close()
            if rc != 0:
                raise AssertionError(f"server exited {rc} on SIGTERM: " + self.log())
        return self

    def close(self):
        if getattr(self, "_closed", False):
            return
        self._closed = True
        try:
            self.stop()
        finally:
            self.smtp.stop()
            shutil.rmtree(self.tmp, ignore_errors=True)

    def client(self):
        return Client(self)

    def create_user(self, email=None, role="member", password=PASSWORD, name=None):
        self._users += 1
        email = email or f"{role}{self._users}-{secrets.token_hex(3)}@example.org"
        args = ["user", "add", email, "--role", role]
        if name:
            args += ["--name", name]
        r = self.run(*args, input=password + "\n")
        uid = int(r.stdout.split()[2])
        return User(email, role, password, uid)

    def signed_in(self, role="member", **kw):
        """A new user of that role and a client signed in as them."""
        u = self.create_user(role=role, **kw)
        c = self.client()
        r = c.login(u.email, u.password)
        assert r.status == 200, r
        return u, c

    def clock(self, set=None, advance=None):
        data = {}
        if set is not None:
            data["set"] = set
        if advance is not None:
            data["advance"] = advance
        r = self.client().api("POST", "/api/v1/test/clock", data)
        assert r.status == 200, r
        return r.json()["now"]
