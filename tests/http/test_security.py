"""Security headers, static assets, health, metrics, limits and shutdown on
the real server."""
import gzip
import os
import socket
import unittest

from circles import CirclesServer


def raw(port, data, timeout=10):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(data)
    out = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    except socket.timeout:
        pass
    s.close()
    return out


class SecurityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def test_security_headers_on_pages(self):
        r = self.srv.client().get("/login")
        csp = r.header("content-security-policy")
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertIn("script-src 'self'", csp)
        self.assertNotIn("unsafe-inline", csp)
        self.assertNotIn("unsafe-eval", csp)
        self.assertEqual(r.header("x-content-type-options"), "nosniff")
        self.assertEqual(r.header("referrer-policy"), "no-referrer")
        self.assertIn("text/html", r.header("content-type"))
        # No inline script or style in the page (the CSP would block them anyway).
        self.assertNotIn("<script>", r.text)
        self.assertNotIn(" style=", r.text)

    def test_signed_in_pages_are_not_stored(self):
        u, c = self.srv.signed_in("member")
        for path in ("/", "/account", "/api/v1/me"):
            self.assertEqual(c.get(path).header("cache-control"), "no-store", path)

    def test_static_assets(self):
        c = self.srv.client()
        r = c.get("/static/app.css")
        self.assertEqual(r.status, 200)
        self.assertIn("text/css", r.header("content-type"))
        etag = r.header("etag")
        self.assertTrue(etag.startswith('"'))
        self.assertEqual(c.get("/static/app.css", {"If-None-Match": etag}).status, 304)
        z = c.get("/static/app.css", {"Accept-Encoding": "gzip"})
        self.assertEqual(z.header("content-encoding"), "gzip")
        self.assertEqual(gzip.decompress(z.body), r.body)
        for path in ("/static/vendor/pico.min.css", "/static/vendor/htmx.min.js"):
            self.assertEqual(c.get(path).status, 200, path)
        self.assertEqual(c.get("/static/../meson.build").status, 404)
        self.assertEqual(c.get("/static/%2e%2e/meson.build").status, 404)
        self.assertEqual(c.get("/static/nope.css").status, 404)

    def test_healthz_and_head(self):
        c = self.srv.client()
        r = c.get("/healthz")
        self.assertEqual((r.status, r.body), (200, b"ok\n"))
        h = c.request("HEAD", "/login")
        self.assertEqual(h.status, 200)
        self.assertEqual(h.body, b"")
        self.assertGreater(int(h.header("content-length")), 100)

    def test_metrics_only_from_loopback_or_token(self):
        r = self.srv.client().get("/metrics")
        self.assertEqual(r.status, 200)
        self.assertIn("circles_http_requests_total", r.text)
        self.assertIn("circles_http_connections_open", r.text)

    def test_limits(self):
        port = self.srv.port
        r = raw(port, b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertTrue(r.startswith(b"HTTP/1.1 414"), r[:80])
        r = raw(port, b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-A: " + b"b" * 40000 + b"\r\n\r\n")
        self.assertTrue(r.startswith(b"HTTP/1.1 431"), r[:80])
        r = raw(port, b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 99999999\r\n\r\n")
        self.assertTrue(r.startswith(b"HTTP/1.1 413"), r[:80])
        r = raw(port, b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                      b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        self.assertTrue(r.startswith(b"HTTP/1.1 400"), r[:80])
        # The server is still fine.
        self.assertEqual(self.srv.client().get("/healthz").status, 200)

    def test_bad_input_does_not_crash(self):
        c = self.srv.client()
        for body in (b"\xff\xfe", b"[]", b'{"email": 5, "password": null}', b'{"a":' * 100,
                     b'{"email":"a@b.c","email":"x@y.z","password":"p"}'):
            r = c.request("POST", "/api/v1/session", body, None, "application/json")
            self.assertIn(r.status, (400, 422), body)
        self.assertEqual(c.get("/login?next=%ZZ").status, 400)
        self.assertEqual(c.get("/%C0%AF").status, 400)
        self.assertEqual(c.get("/healthz").status, 200)

    def test_database_file_holds_no_secrets_in_clear(self):
        """A raw copy of the database (and its WAL) must not reveal reset links,
        email bodies in the job queue, TOTP secrets or session tokens."""
        if not self.srv.database_url.startswith("sqlite:"):
            self.skipTest("raw file check applies to SQLite")
        u, c = self.srv.signed_in("coordinator")
        secret = c.api("POST", "/api/v1/me/totp/setup").json()["secret"]
        other = self.srv.create_user(role="member")
        self.srv.client().api("POST", "/api/v1/password/forgot", {"email": other.email}, csrf=False)
        msg = self.srv.smtp.wait_for(1, predicate=lambda m: m["To"] == other.email)[0]
        token = msg.get_content().split("token=")[1].split()[0]
        session = c.cookies["circles_session"]
        raw_bytes = b""
        for suffix in ("", "-wal"):
            path = self.srv.database_url[len("sqlite:"):] + suffix
            if os.path.exists(path):
                with open(path, "rb") as f:
                    raw_bytes += f.read()
        self.assertGreater(len(raw_bytes), 10000)
        for needle in (secret, token, session, "choose a new password"):
            self.assertNotIn(needle.encode(), raw_bytes, needle[:12])

    def test_backup_and_restore_commands(self):
        u = self.srv.create_user(role="member", name="Backed Up")
        out = os.path.join(self.srv.tmp, "backup")
        r = self.srv.run("backup", out, "--include-key")
        self.assertEqual(r.returncode, 0, r.stderr)
        copy = "circles.db" if self.srv.database_url.startswith("sqlite:") else "circles.pgdump"
        self.assertEqual(os.stat(os.path.join(out, copy)).st_mode & 0o777, 0o600)
        # The password in the URL is given to pg_dump in its environment, never shown.
        self.assertNotIn(self.srv.database_url, r.stdout + r.stderr)
        self.assertEqual(os.stat(os.path.join(out, "secret.key")).st_mode & 0o777, 0o600)
        other = CirclesServer()
        try:
            r = other.run("restore", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            other.start()
            c = other.client()
            self.assertEqual(c.login(u.email).status, 200)
            self.assertEqual(c.api("GET", "/api/v1/me").json()["display_name"], "Backed Up")
        finally:
            other.close()


class EmptyDatabaseTest(unittest.TestCase):
    def test_serve_never_seeds(self):
        srv = CirclesServer().start()
        try:
            r = srv.client().login("admin@example.org", "anything at all")
            self.assertEqual(r.status, 401)
            r = srv.run("demo")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("admin@example.org", r.stdout)
            pw = r.stdout.split("password: ")[1].split()[0]
            self.assertEqual(srv.client().login("admin@example.org", pw).status, 200)
            self.assertNotEqual(srv.run("demo", check=False).returncode, 0)   # only once
        finally:
            srv.close()

    def test_cli_help(self):
        srv = CirclesServer()
        try:
            r = srv.run("--help")
            for cmd in ("serve", "migrate", "demo", "user add", "backup", "restore", "version"):
                self.assertIn(cmd, r.stdout)
            for cmd in ("serve", "migrate", "demo", "user", "backup", "restore", "version"):
                self.assertEqual(srv.run(cmd, "--help").returncode, 0, cmd)
            r = srv.run("user", "add", "x@example.org", "--role", "wizard", input="p" * 12 + "\n",
                        check=False)
            self.assertEqual(r.returncode, 2)
            self.assertIn("unknown role", r.stderr)
        finally:
            srv.close()


if __name__ == "__main__":
    unittest.main()
