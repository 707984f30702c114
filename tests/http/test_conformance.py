"""test_conformance.py: HTTP/1.1 behaviour of the Circles server, end to end.

Runs the server named by CIRCLES_TEST_SERVER (default: the devserver built
from tests/http/devserver.c) and talks to it with http.client, raw sockets
and curl.  Standard library only:

    python3 -m unittest discover -s tests/http -p test_conformance.py -v

The routes used are devserver's: /fast and /healthz (fast handler), /body
(echoes the body), /sleep (200 ms in the thread pool, prints "sleep start"),
/big (32 MiB), anything else echoes
"method=... path=... body=N client=... tls=0|1".
Settings reach the server through CIRCLES_* environment variables
(CIRCLES_HEADER_TIMEOUT_MS, CIRCLES_BODY_TIMEOUT_MS, CIRCLES_IDLE_TIMEOUT_MS,
CIRCLES_STOP_TIMEOUT_MS, CIRCLES_MAX_CONNECTIONS, CIRCLES_TRUSTED_PROXY,
CIRCLES_ACCESS_LOG).

No test measures speed: waits are functional, with generous deadlines.
"""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import Reader, connect, request  # noqa: E402

GET_FAST = b"GET /fast HTTP/1.1\r\nHost: t\r\n\r\n"
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                   "runtime error:", "WARNING: ThreadSanitizer")


def check_clean_exit(srv, rc):
    """The server exited with status 0 and no sanitizer report."""
    log = srv.stderr_text()
    if rc != 0:
        raise AssertionError("server exit status %r on SIGTERM:\n%s"
                             % (rc, log[-3000:]))
    for mark in SANITIZER_MARKS:
        if mark in log:
            raise AssertionError("sanitizer report:\n%s" % log[-6000:])


class ServerCase(unittest.TestCase):
    """One server per class; it must exit cleanly (status 0) on SIGTERM."""

    env = {}

    @classmethod
    def setUpClass(cls):
        cls.srv = harness.start_server(env=cls.env)
        cls.port = cls.srv.port

    @classmethod
    def tearDownClass(cls):
        try:
            check_clean_exit(cls.srv, cls.srv.stop())
        finally:
            cls.srv.cleanup()

    def assert_closed(self, reader, timeout=10):
        self.assertTrue(reader.closed(timeout), "connection should be closed")

    def refused(self, raw, status, head_request=False):
        """Send raw, expect status with Connection: close, then EOF."""
        with connect(self.port) as s:
            s.sendall(raw)
            r = Reader(s)
            resp = r.response(head_request)
            self.assertIsNotNone(resp, "no response to %r" % raw[:60])
            self.assertEqual(resp.status, status, raw[:80])
            self.assertEqual((resp.header("connection") or "").lower(), "close")
            self.assert_closed(r)
            return resp


class BasicTests(ServerCase):

    def test_fast_and_slow(self):
        r = request(self.port, GET_FAST)
        self.assertEqual((r.status, r.body), (200, b"hello"))
        self.assertIsNotNone(r.header("date"))
        r = request(self.port, b"GET /x?q=1 HTTP/1.1\r\nHost: t\r\n\r\n")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.body.startswith(b"method=GET path=/x body=0"), r.body)

    def test_keepalive_http_client(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", "/fast")
            r = conn.getresponse()
            self.assertEqual((r.status, r.read()), (200, b"hello"))
            sock = conn.sock
            self.assertIsNotNone(sock)
            for i in range(5):
                conn.request("POST", "/body", body=b"x" * i)
                r = conn.getresponse()
                self.assertEqual((r.status, r.read()), (200, b"x" * i))
                conn.request("GET", "/healthz")
                r = conn.getresponse()
                self.assertEqual((r.status, r.read()), (200, b"ok"))
                self.assertIs(conn.sock, sock, "connection was not kept alive")
        finally:
            conn.close()

    def test_pipelining(self):
        reqs = (b"GET /fast HTTP/1.1\r\nHost: t\r\n\r\n"
                b"POST /body HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc"
                b"GET /second HTTP/1.1\r\nHost: t\r\n\r\n")
        with connect(self.port) as s:
            s.sendall(reqs)
            r = Reader(s)
            a, b, c = r.response(), r.response(), r.response()
            self.assertEqual((a.status, a.body), (200, b"hello"))
            self.assertEqual((b.status, b.body), (200, b"abc"))
            self.assertEqual(c.status, 200)
            self.assertIn(b"path=/second", c.body)
            # still usable afterwards
            s.sendall(GET_FAST)
            self.assertEqual(r.response().body, b"hello")

    def test_pipelining_many(self):
        n = 50
        with connect(self.port) as s:
            s.sendall(b"".join(b"GET /p%d HTTP/1.1\r\nHost: t\r\n\r\n" % i
                               for i in range(n)))
            r = Reader(s)
            for i in range(n):
                resp = r.response()
                self.assertIn(b"path=/p%d " % i, resp.body)

    def test_split_reads(self):
        raw = (b"POST /body HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n"
               b"X-Thing: y\r\n\r\nhello world" + GET_FAST)
        with connect(self.port) as s:
            for i in range(len(raw)):
                s.sendall(raw[i:i + 1])
                time.sleep(0.001)
            r = Reader(s)
            a = r.response()
            self.assertEqual((a.status, a.body), (200, b"hello world"))
            self.assertEqual(r.response().body, b"hello")

    def test_head(self):
        with connect(self.port) as s:
            r = Reader(s)
            s.sendall(b"HEAD /fast HTTP/1.1\r\nHost: t\r\n\r\n")
            h = r.response(head_request=True)
            self.assertEqual(h.status, 200)
            self.assertEqual(h.header("content-length"), "5")
            # a body sent after the HEAD response would corrupt this one
            s.sendall(GET_FAST)
            g = r.response()
            self.assertEqual((g.status, g.body), (200, b"hello"))
            s.sendall(b"HEAD /slow HTTP/1.1\r\nHost: t\r\n\r\n")
            h = r.response(head_request=True)
            self.assertEqual(h.status, 200)
            self.assertGreater(int(h.header("content-length")), 0)
            s.sendall(GET_FAST)
            self.assertEqual(r.response().body, b"hello")

    def test_expect_100_continue(self):
        with connect(self.port) as s:
            s.sendall(b"POST /body HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
                      b"Expect: 100-continue\r\n\r\n")
            r = Reader(s)
            interim = r.head()
            self.assertEqual(interim[0], 100)
            s.sendall(b"hello")
            resp = r.response()
            self.assertEqual((resp.status, resp.body), (200, b"hello"))

    def test_expect_100_continue_body_already_sent(self):
        with connect(self.port) as s:
            s.sendall(b"POST /body HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
                      b"Expect: 100-continue\r\n\r\nhello")
            resp = Reader(s).response()
            self.assertEqual((resp.status, resp.body), (200, b"hello"))

    def test_chunked_body(self):
        with connect(self.port) as s:
            r = Reader(s)
            s.sendall(b"POST /body HTTP/1.1\r\nHost: t\r\n"
                      b"Transfer-Encoding: chunked\r\n\r\n"
                      b"5\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n")
            resp = r.response()
            self.assertEqual((resp.status, resp.body), (200, b"hello world"))
            # chunked, split over several sends, then a pipelined request
            parts = [b"POST /body HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked",
                     b"\r\n\r\n1", b"0\r\n0123456789", b"abcdef\r\n",
                     b"3\r\nxyz\r\n0\r\n", b"\r\n" + GET_FAST]
            for p in parts:
                s.sendall(p)
                time.sleep(0.01)
            resp = r.response()
            self.assertEqual(resp.body, b"0123456789abcdefxyz")
            self.assertEqual(r.response().body, b"hello")

    def test_content_length_body(self):
        body = bytes(range(256)) * 400          # 100 KiB, binary
        with connect(self.port) as s:
            s.sendall(b"POST /body HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n"
                      % len(body) + body)
            r = Reader(s)
            resp = r.response()
            self.assertEqual(resp.status, 200)
            self.assertEqual(resp.body, body)
            s.sendall(b"POST /count HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nabcd")
            self.assertIn(b"body=4 ", r.response().body)

    def test_oversized_request_line_414(self):
        self.refused(b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: t\r\n\r\n", 414)

    def test_oversized_request_line_414_without_end(self):
        # the line never ends: refused once it passes the limit
        self.refused(b"GET /" + b"a" * 9000, 414)

    def test_oversized_headers_431(self):
        hdrs = b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 1000) for i in range(40))
        self.refused(b"GET /fast HTTP/1.1\r\nHost: t\r\n" + hdrs + b"\r\n", 431)

    def test_too_many_headers_431(self):
        hdrs = b"".join(b"X-H%d: v\r\n" % i for i in range(100))
        self.refused(b"GET /fast HTTP/1.1\r\nHost: t\r\n" + hdrs + b"\r\n", 431)

    def test_body_over_limit_413_before_body(self):
        # default limit is 1 MiB; the answer comes without sending a byte of body
        self.refused(b"POST /body HTTP/1.1\r\nHost: t\r\n"
                     b"Content-Length: 5000000\r\n\r\n", 413)
        # with Expect: no 100 Continue, straight to 413
        with connect(self.port) as s:
            s.sendall(b"POST /body HTTP/1.1\r\nHost: t\r\nContent-Length: 5000000\r\n"
                      b"Expect: 100-continue\r\n\r\n")
            r = Reader(s)
            self.assertEqual(r.response().status, 413)
            self.assert_closed(r)

    def test_chunked_body_over_limit_413(self):
        chunk = b"%x\r\n" % (600 * 1024) + b"z" * (600 * 1024) + b"\r\n"
        with connect(self.port) as s:
            s.sendall(b"POST /body HTTP/1.1\r\nHost: t\r\n"
                      b"Transfer-Encoding: chunked\r\n\r\n")
            r = Reader(s)
            try:
                for _ in range(3):
                    s.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            resp = r.response()
            self.assertEqual(resp.status, 413)

    def test_smuggling_shapes_400(self):
        shapes = [
            b"POST /body HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
            b"POST /body HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
            b"Content-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
            b"POST /body HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n"
            b"Content-Length: 3\r\n\r\nabc",
            b"POST /body HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n"
            b"Content-Length: 4\r\n\r\nabcd",
            b"POST /body HTTP/1.1\r\nHost: t\r\nContent-Length: 3a\r\n\r\nabc",
            b"POST /body HTTP/1.1\r\nHost: t\r\nContent-Length: -3\r\n\r\nabc",
            b"POST /body HTTP/1.1\r\nHost: t\r\nContent-Length: +3\r\n\r\nabc",
            b"POST /body HTTP/1.1\r\nHost: t\r\nContent-Length: 3, 3\r\n\r\nabc",
            b"POST /body HTTP/1.0\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"3\r\nabc\r\n0\r\n\r\n",
            b"POST /body HTTP/1.1\r\nHost: t\r\nTransfer-Encoding : chunked\r\n\r\n"
            b"3\r\nabc\r\n0\r\n\r\n",
            b"GET /fast HTTP/1.1\r\nHost: t\r\nX-Folded: a\r\n b\r\n\r\n",
            b"GET /fast HTTP/1.1\r\n\r\n",
        ]
        for raw in shapes:
            with self.subTest(raw=raw[:70]):
                self.refused(raw, 400)

    def test_bad_chunk_framing_400(self):
        with connect(self.port) as s:
            s.sendall(b"POST /body HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked"
                      b"\r\n\r\nzz\r\nabc\r\n0\r\n\r\n")
            r = Reader(s)
            self.assertEqual(r.response().status, 400)
            self.assert_closed(r)

    def test_garbage_and_version(self):
        self.refused(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400)
        self.refused(b"GET /fast HTTP/2.0\r\nHost: t\r\n\r\n", 505)

    def test_http10_closes(self):
        with connect(self.port) as s:
            s.sendall(b"GET /fast HTTP/1.0\r\n\r\n")
            r = Reader(s)
            resp = r.response()
            self.assertEqual((resp.status, resp.body), (200, b"hello"))
            self.assertEqual(resp.header("connection").lower(), "close")
            self.assert_closed(r)

    def test_http10_keepalive(self):
        with connect(self.port) as s:
            r = Reader(s)
            s.sendall(b"GET /fast HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            resp = r.response()
            self.assertEqual(resp.header("connection").lower(), "keep-alive")
            s.sendall(b"GET /healthz HTTP/1.0\r\n\r\n")
            self.assertEqual(r.response().body, b"ok")
            self.assert_closed(r)

    def test_connection_close(self):
        with connect(self.port) as s:
            s.sendall(b"GET /fast HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                      + GET_FAST)
            r = Reader(s)
            resp = r.response()
            self.assertEqual(resp.body, b"hello")
            self.assertEqual(resp.header("connection").lower(), "close")
            self.assert_closed(r)       # the pipelined request is not answered

    def test_client_disconnects_during_slow_request(self):
        for _ in range(5):
            s = connect(self.port)
            s.sendall(b"GET /sleep HTTP/1.1\r\nHost: t\r\n\r\n")
            s.close()
        # the server stays healthy
        self.assertEqual(request(self.port, GET_FAST).body, b"hello")

    def test_forwarded_for_ignored_without_trusted_proxy(self):
        r = request(self.port, b"GET /who HTTP/1.1\r\nHost: t\r\n"
                    b"X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\n\r\n")
        self.assertIn(b"client=127.0.0.1 tls=0", r.body)

    def test_access_log_has_route_not_path(self):
        secret = b"tok3n-SECRET-value"
        r = request(self.port, b"GET /reset/" + secret + b"?token=" + secret +
                    b" HTTP/1.1\r\nHost: t\r\n\r\n")
        self.assertEqual(r.status, 200)
        log = self.srv.stderr_text()
        self.assertNotIn(secret.decode(), log)
        lines = [ln for ln in log.splitlines() if '"msg":"request"' in ln]
        self.assertTrue(lines)
        self.assertIn('"route":"/*"', lines[-1])
        for key in ('"status":200', '"method":"GET"', '"duration_ms":',
                    '"request_id":', '"client":"127.0.0.1"', '"bytes":', '"user":'):
            self.assertIn(key, lines[-1])

    @unittest.skipUnless(shutil.which("curl"), "curl not installed")
    def test_curl_keepalive(self):
        url = "http://127.0.0.1:%d" % self.port
        p = subprocess.run(["curl", "-sS", "-v", url + "/fast", url + "/healthz",
                            url + "/x"],
                           capture_output=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(p.stdout.startswith(b"hellook"), p.stdout)
        self.assertIn(b"Re-using existing connection", p.stderr)


class TimeoutTests(ServerCase):
    env = {"CIRCLES_HEADER_TIMEOUT_MS": "1000",
           "CIRCLES_BODY_TIMEOUT_MS": "1000",
           "CIRCLES_IDLE_TIMEOUT_MS": "1000"}

    def test_slowloris_cut_by_header_timeout(self):
        # one byte a second, never finishing the head: 408, then closed
        payload = b"GET /fast HTTP/1.1\r\nHost: t\r\n" + b"X-Slow: " + b"a" * 100
        with connect(self.port) as s:
            s.setblocking(False)
            got = b""
            sent = 0
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and sent < len(payload):
                try:
                    s.send(payload[sent:sent + 1])
                    sent += 1
                except (BrokenPipeError, ConnectionResetError, BlockingIOError):
                    break
                time.sleep(1.0 if sent > 30 else 0.01)
                try:
                    data = s.recv(4096)
                    if not data:
                        break
                    got += data
                    if b"\r\n\r\n" in got:
                        break
                except BlockingIOError:
                    pass
                except ConnectionResetError:
                    break
            s.setblocking(True)
            s.settimeout(10)
            r = Reader(s, got)
            resp = r.response()
            self.assertIsNotNone(resp, "cut off without an answer")
            self.assertEqual(resp.status, 408)
            self.assertLess(sent, len(payload), "never cut off")
            self.assert_closed(r)

    def test_body_timeout(self):
        with connect(self.port) as s:
            s.sendall(b"POST /body HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc")
            r = Reader(s)
            resp = r.response()
            self.assertEqual(resp.status, 408)
            self.assert_closed(r)

    def test_idle_keepalive_closed_silently(self):
        with connect(self.port) as s:
            s.sendall(GET_FAST)
            r = Reader(s)
            self.assertEqual(r.response().body, b"hello")
            self.assert_closed(r)

    def test_silent_connection_closed(self):
        with connect(self.port) as s:
            self.assert_closed(Reader(s))

    def test_client_not_reading_cut_by_write_timeout(self):
        with connect(self.port) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
            s.sendall(b"GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
            time.sleep(4)       # write timeout is 1 s; never read meanwhile
            got = 0
            s.settimeout(10)
            try:
                while True:
                    data = s.recv(1 << 20)
                    if not data:
                        break
                    got += len(data)
            except ConnectionResetError:
                pass
            self.assertLess(got, 32 << 20, "slow reader was never cut off")

    def test_big_response_to_reading_client(self):
        resp = request(self.port, b"GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
        self.assertEqual(len(resp.body), 32 << 20)

    def test_requests_within_timeouts_work(self):
        with connect(self.port) as s:
            r = Reader(s)
            for _ in range(3):
                s.sendall(GET_FAST)
                self.assertEqual(r.response().body, b"hello")
                time.sleep(0.2)


class TrustedProxyTests(ServerCase):
    env = {"CIRCLES_TRUSTED_PROXY": "127.0.0.1"}

    def test_forwarded_for_last_hop(self):
        r = request(self.port, b"GET /who HTTP/1.1\r\nHost: t\r\n"
                    b"X-Forwarded-For: 198.51.100.1, 203.0.113.9\r\n"
                    b"X-Forwarded-Proto: https\r\n\r\n")
        self.assertIn(b"client=203.0.113.9 tls=1", r.body)

    def test_forwarded_for_garbage_ignored(self):
        r = request(self.port, b"GET /who HTTP/1.1\r\nHost: t\r\n"
                    b"X-Forwarded-For: not-an-address\r\n\r\n")
        self.assertIn(b"client=127.0.0.1 tls=0", r.body)


class ConnectionCapTests(ServerCase):
    env = {"CIRCLES_MAX_CONNECTIONS": "5",
           "CIRCLES_HEADER_TIMEOUT_MS": "60000"}

    def test_cap(self):
        socks = [connect(self.port) for _ in range(20)]
        try:
            refused, held = 0, []
            for s in socks:
                r = Reader(s)
                s.settimeout(2)
                try:
                    resp = r.response()
                    if resp is not None:
                        self.assertEqual(resp.status, 503)
                    refused += 1
                except socket.timeout:
                    held.append((s, r))         # accepted, waiting for a request
                except (ConnectionResetError, ValueError):
                    refused += 1
            self.assertEqual(len(held), 5)
            self.assertEqual(refused, 15)
            # a held connection is a working connection
            s, r = held[0]
            s.settimeout(10)
            s.sendall(GET_FAST)
            self.assertEqual(r.response().body, b"hello")
        finally:
            for s in socks:
                s.close()
        # once they are gone the server answers again
        deadline = time.monotonic() + 15
        while not harness.healthz_ok(self.port):
            self.assertLess(time.monotonic(), deadline, "server stays full")
            time.sleep(0.1)
        self.assertEqual(request(self.port, GET_FAST).body, b"hello")


class StopTests(unittest.TestCase):
    """Each test starts its own server and stops it."""

    def setUp(self):
        self.srv = harness.start_server()

    def tearDown(self):
        self.srv.cleanup()

    def test_sigterm_lets_inflight_request_finish(self):
        idle = connect(self.srv.port)
        self.addCleanup(idle.close)
        idle.sendall(GET_FAST)
        idle_reader = Reader(idle)
        self.assertEqual(idle_reader.response().body, b"hello")
        with connect(self.srv.port) as s:
            s.sendall(b"GET /sleep HTTP/1.1\r\nHost: t\r\n\r\n")
            self.assertTrue(self.srv.wait_line("sleep start", 10),
                            "request never reached the handler")
            self.srv.send_signal(signal.SIGTERM)
            r = Reader(s)
            resp = r.response()
            self.assertEqual(resp.status, 200)
            self.assertIn(b"path=/sleep", resp.body)
            self.assertEqual(resp.header("connection").lower(), "close")
            self.assert_closed_reader(r)
        self.assert_closed_reader(idle_reader)
        check_clean_exit(self.srv, self.srv.stop())

    def test_sigint_clean_exit(self):
        self.assertEqual(request(self.srv.port, GET_FAST).body, b"hello")
        check_clean_exit(self.srv, self.srv.stop(signal.SIGINT))

    def test_sigterm_with_half_sent_request(self):
        with connect(self.srv.port) as s:
            s.sendall(b"POST /body HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nab")
            time.sleep(0.2)
            self.srv.send_signal(signal.SIGTERM)
            time.sleep(0.2)
            s.sendall(b"cde")
            r = Reader(s)
            resp = r.response()
            self.assertEqual((resp.status, resp.body), (200, b"abcde"))
        check_clean_exit(self.srv, self.srv.stop())

    def test_stop_deadline_closes_busy_connections(self):
        # a handler outliving the stop timeout: its connection is closed,
        # the handler's late result is dropped, the exit is still clean
        srv = harness.start_server(env={"CIRCLES_STOP_TIMEOUT_MS": "50"})
        try:
            with connect(srv.port) as s:
                s.sendall(b"GET /sleep HTTP/1.1\r\nHost: t\r\n\r\n")
                self.assertTrue(srv.wait_line("sleep start", 10))
                srv.send_signal(signal.SIGTERM)
                r = Reader(s)
                self.assertIsNone(r.response(), "no response after the deadline")
            check_clean_exit(srv, srv.stop())
        finally:
            srv.cleanup()

    def assert_closed_reader(self, r):
        self.assertTrue(r.closed(10), "connection should be closed")


if __name__ == "__main__":
    unittest.main()
