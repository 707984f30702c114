"""The access test: every route, every role, and objects owned by someone else.

The route table (`circles routes --json`) is the policy.  For each route and
each role (and signed-out visitors) the real server's answer must match it:
refused roles get 403 "forbidden", signed-out visitors 401 (API) or a
redirect to /login (pages), allowed roles are never refused by policy.
Routes with an :id get the id of an object that belongs to somebody else,
and must answer 404 as if it did not exist (admin routes excepted, where
managing other people's accounts is the point).  A route without a policy
fails the test.
"""
import json
import subprocess
import unittest

from circles import BINARY, CirclesServer

ROLES = ["member", "peer_supporter", "facilitator", "coordinator", "moderator",
         "clinician", "evaluator", "admin"]


class AccessTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()
        cls.routes = json.loads(subprocess.run([BINARY, "routes", "--json"], check=True,
                                               stdout=subprocess.PIPE, text=True).stdout)
        cls.users = {role: cls.srv.create_user(role=role) for role in ROLES}
        cls.clients = {}
        # Somebody else's objects: a session and a consent of another member.
        cls.other, oc = cls.srv.signed_in("member")
        cls.other_session = oc.api("GET", "/api/v1/me/sessions").json()["sessions"][0]["id"]
        # ... granted to a third person, so none of the role users holds a consent.
        grantee = cls.srv.create_user(role="peer_supporter")
        r = oc.api("POST", "/api/v1/me/consents", {"grantee_user_id": grantee.id,
                                                   "category": "checkins", "purpose": "support"})
        assert r.status == 201, r
        cls.other_consent = r.json()["id"]

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def client(self, role):
        c = self.clients.get(role)
        if c is None or c.api("GET", "/api/v1/me").status != 200:
            c = self.srv.client()
            r = c.login(self.users[role].email)
            self.assertEqual(r.status, 200, r)
            self.clients[role] = c
        return c

    def fill(self, pattern):
        """Replace :params with ids of objects that are not the caller's."""
        parts = []
        for seg in pattern.split("/"):
            if seg == ":id":
                if "/sessions/" in pattern:
                    seg = str(self.other_session)
                elif "/consents/" in pattern:
                    seg = str(self.other_consent)
                else:
                    seg = str(self.other.id)
            elif seg.startswith(":"):
                seg = "not-a-real-token-0123456789abcdef"
            parts.append(seg)
        return "/".join(parts)

    def call(self, c, method, path):
        if path.startswith("/api/"):
            return c.api(method, path, {} if method in ("POST", "PATCH", "PUT") else None)
        if method == "GET":
            return c.get(path)
        return c.form(path, {})

    def test_every_route_has_a_policy(self):
        self.assertGreater(len(self.routes), 20)
        for rt in self.routes:
            pol = rt["policy"]
            ok = pol in ("public", "signed_out") or (isinstance(pol, list) and pol and
                                                      all(p in ROLES for p in pol))
            self.assertTrue(ok, f"route without a valid policy: {rt}")

    def test_signed_out_visitors(self):
        for rt in self.routes:
            path = self.fill(rt["pattern"])
            with self.subTest(route=rt["method"] + " " + rt["pattern"]):
                r = self.call(self.srv.client(), rt["method"], path)
                if rt["policy"] in ("public", "signed_out"):
                    self.assertNotIn(r.header("x-error-code"), ("not_signed_in", "forbidden"), r)
                elif path.startswith("/api/"):
                    self.assertEqual(r.status, 401, r)
                    self.assertEqual(r.json()["error"]["code"], "not_signed_in")
                elif rt["method"] == "GET":
                    self.assertEqual(r.status, 303, r)
                    self.assertTrue(r.header("location").startswith("/login?next="))
                else:
                    self.assertIn(r.status, (303, 401), r)

    def test_every_role(self):
        for role in ROLES:
            for rt in self.routes:
                if rt["policy"] in ("public", "signed_out"):
                    continue
                path = self.fill(rt["pattern"])
                with self.subTest(role=role, route=rt["method"] + " " + rt["pattern"]):
                    r = self.call(self.client(role), rt["method"], path)
                    refused = r.status == 403 and r.header("x-error-code") == "forbidden"
                    if role in rt["policy"]:
                        self.assertFalse(refused, r)
                        self.assertNotEqual(r.status, 401, r)
                        if ":id" in rt["pattern"] and "/admin/" not in rt["pattern"]:
                            self.assertEqual(r.status, 404, r)
                    else:
                        self.assertTrue(refused, f"{role} reached {rt}: {r}")

    def test_unknown_routes_and_methods(self):
        c = self.client("member")
        self.assertEqual(c.api("GET", "/api/v1/nope").status, 404)
        r = c.api("PUT", "/api/v1/me", {})
        self.assertEqual(r.status, 405)
        self.assertEqual(c.get("/api/v1/me/").status, 404)     # no trailing-slash alias


if __name__ == "__main__":
    unittest.main()
