"""Two Circles servers in front of one database (PostgreSQL in the
http-postgresql suite, one SQLite file otherwise): sessions, rate limits,
the audit chain and the job queue are shared, not per process."""
import threading
import unittest

from circles import CirclesServer


class TwoServersTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.a = CirclesServer().start()
        cls.b = CirclesServer(share_with=cls.a).start()

    @classmethod
    def tearDownClass(cls):
        cls.b.close()
        cls.a.close()

    def test_session_from_one_server_works_on_the_other(self):
        u = self.a.create_user(role="member", name="Both")
        ca = self.a.client()
        self.assertEqual(ca.login(u.email).status, 200)
        cb = self.b.client()
        cb.cookies, cb.csrf = dict(ca.cookies), ca.csrf
        r = cb.api("GET", "/api/v1/me")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["display_name"], "Both")
        self.assertEqual(cb.api("PATCH", "/api/v1/me", {"display_name": "Via B"}).status, 200)
        self.assertEqual(ca.api("GET", "/api/v1/me").json()["display_name"], "Via B")
        self.assertEqual(cb.logout().status, 204)
        self.assertEqual(ca.api("GET", "/api/v1/me").status, 401)

    def test_throttle_is_shared(self):
        u = self.a.create_user(role="member")
        for i in range(10):
            srv = self.a if i % 2 == 0 else self.b
            self.assertEqual(srv.client().login(u.email, "definitely wrong").status, 401)
        self.assertEqual(self.b.client().login(u.email).status, 429)
        self.assertEqual(self.a.client().login(u.email).status, 429)

    def test_concurrent_writes_from_both_keep_one_audit_chain(self):
        admin = self.a.create_user(role="admin")
        member = self.a.create_user(role="member")
        peer = self.a.create_user(role="peer_supporter")
        mc = self.a.client()
        mc.login(member.email)
        r = mc.api("POST", "/api/v1/me/consents", {"grantee_user_id": peer.id, "category": "contact",
                                                   "purpose": "stay in touch"})
        self.assertEqual(r.status, 201, r)
        errors = []

        def reads(srv):
            c = srv.client()
            c.login(peer.email)
            for _ in range(15):
                r = c.api("GET", f"/api/v1/members/{member.id}/contact")
                if r.status != 200:
                    errors.append(r)

        threads = [threading.Thread(target=reads, args=(s,)) for s in (self.a, self.b, self.a, self.b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        entries = mc.api("GET", "/api/v1/me/audit?limit=200").json()["entries"]
        self.assertGreaterEqual(sum(1 for e in entries if e["action"] == "read"), 60)
        ac = self.b.client()
        ac.login(admin.email)
        v = ac.api("GET", "/api/v1/admin/audit/verify").json()
        self.assertTrue(v["ok"], v)


if __name__ == "__main__":
    unittest.main()
