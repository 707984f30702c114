"""Circles over HTTP against the real server: creating a circle (who may,
each invalid field named), joining an open circle by accepting its
confidentiality agreement (recorded with the date), circles by request and
the facilitator's answer, who sees which circles (their chapter's, the
network's, their own), the roster for members only (404 for anyone else),
leaving, and the pages working without JavaScript in English and Spanish.
"""
import re
import unittest

from circles import PASSWORD, CirclesServer

CIRCLE = {
    "name": "Tuesday evening circle",
    "purpose": "Peer support for people in their first year of recovery.",
    "norms": "One voice at a time.\nNo advice unless asked.",
    "agreement": "What is shared here stays here.",
    "membership": "open",
}


class CirclesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()
        _, admin = cls.srv.signed_in("admin")
        for name in ("North", "South"):
            r = admin.api("POST", "/api/v1/admin/chapters", {"name": name})
            assert r.status == 201, r

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def user(self, role="member", chapter=None, name=None):
        self.srv._users += 1
        email = f"{role}{self.srv._users}-circles@example.org"
        args = ["user", "add", email, "--role", role]
        if chapter:
            args += ["--chapter", chapter]
        if name:
            args += ["--name", name]
        r = self.srv.run(*args, input=PASSWORD + "\n")
        uid = int(r.stdout.split()[2])
        c = self.srv.client()
        self.assertEqual(c.login(email).status, 200)
        return uid, c

    def create(self, c, **kw):
        r = c.api("POST", "/api/v1/circles", dict(CIRCLE, **kw))
        self.assertEqual(r.status, 201, r)
        return r.json()

    def test_create_and_join_open_circle(self):
        fid, fac = self.user("facilitator", "North", name="Fran")
        circle = self.create(fac)
        self.assertEqual(circle["standing"], "facilitator")
        self.assertEqual(circle["member_count"], 1)
        self.assertEqual(circle["membership"], "open")
        self.assertIsNotNone(circle["agreement_accepted_at"])

        mid, mem = self.user("member", "North", name="Mia")
        cid = circle["id"]
        got = mem.api("GET", f"/api/v1/circles/{cid}").json()
        self.assertEqual(got["standing"], "none")
        self.assertEqual(got["agreement"], CIRCLE["agreement"])
        # The roster is for members only.
        r = mem.api("GET", f"/api/v1/circles/{cid}/members")
        self.assertEqual(r.status, 404)
        # Joining without accepting the agreement names the field.
        r = mem.api("POST", f"/api/v1/circles/{cid}/join", {})
        self.assertEqual(r.status, 422)
        self.assertEqual(r.json()["error"]["field"], "accept_agreement")
        r = mem.api("POST", f"/api/v1/circles/{cid}/join", {"accept_agreement": "yes"})
        self.assertEqual(r.status, 422)
        before = self.srv.clock()
        r = mem.api("POST", f"/api/v1/circles/{cid}/join", {"accept_agreement": True})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["standing"], "member")
        self.assertGreaterEqual(r.json()["agreement_accepted_at"], before)
        # Joining again changes nothing.
        r2 = mem.api("POST", f"/api/v1/circles/{cid}/join", {"accept_agreement": True})
        self.assertEqual(r2.status, 200)
        self.assertEqual(r2.json()["agreement_accepted_at"], r.json()["agreement_accepted_at"])
        members = mem.api("GET", f"/api/v1/circles/{cid}/members").json()
        self.assertEqual({m["user_id"] for m in members["members"]}, {fid, mid})
        self.assertNotIn("requests", members)
        roles = {m["user_id"]: m["role"] for m in members["members"]}
        self.assertEqual(roles[fid], "facilitator")
        # The page shows the agreement, its acceptance date and the roster.
        page = mem.get(f"/circles/{cid}")
        self.assertEqual(page.status, 200)
        self.assertIn("What is shared here stays here.", page.text)
        self.assertIn("You accepted this agreement on", page.text)
        self.assertIn("Fran", page.text)
        # Leaving.
        self.assertEqual(mem.api("DELETE", f"/api/v1/circles/{cid}/membership").status, 204)
        self.assertEqual(mem.api("GET", f"/api/v1/circles/{cid}/members").status, 404)
        self.assertEqual(mem.api("GET", f"/api/v1/circles/{cid}").json()["standing"], "none")

    def test_who_may_create_and_validation(self):
        _, mem = self.user("member")
        r = mem.api("POST", "/api/v1/circles", CIRCLE)
        self.assertEqual(r.status, 403)
        _, coord = self.user("coordinator")
        for field, value, code in [("name", "", "name"), ("name", "x" * 81, "name"),
                                   ("name", "a\nb", "name"), ("purpose", "  ", "purpose"),
                                   ("norms", "y" * 2001, "norms"), ("agreement", None, "agreement"),
                                   ("membership", "closed", "membership")]:
            body = dict(CIRCLE)
            if value is None:
                del body[field]
            else:
                body[field] = value
            with self.subTest(field=field, value=value):
                r = coord.api("POST", "/api/v1/circles", body)
                self.assertEqual(r.status, 422, r)
                self.assertEqual(r.json()["error"]["field"], code)
        # 80 two-byte characters fit.
        self.create(coord, name="ñ" * 80)

    def test_by_request(self):
        fid, fac = self.user("facilitator", "South")
        cid = self.create(fac, membership="request")["id"]
        mid, mem = self.user("member", "South", name="Sol")
        r = mem.api("POST", f"/api/v1/circles/{cid}/join", {"accept_agreement": True})
        self.assertEqual(r.status, 201)
        self.assertEqual(r.json()["standing"], "pending")
        self.assertEqual(mem.api("GET", f"/api/v1/circles/{cid}/members").status, 404)
        reqs = fac.api("GET", f"/api/v1/circles/{cid}/members").json()["requests"]
        self.assertEqual([q["user_id"] for q in reqs], [mid])
        # Another member cannot answer requests.
        oid, other = self.user("member", "South")
        other.api("POST", f"/api/v1/circles/{cid}/join", {"accept_agreement": True})
        self.assertEqual(other.api("POST", f"/api/v1/circles/{cid}/requests/{mid}/approve",
                                   {}).status, 404)
        r = fac.api("POST", f"/api/v1/circles/{cid}/requests/{mid}/approve", {})
        self.assertEqual(r.status, 204)
        self.assertEqual(mem.api("GET", f"/api/v1/circles/{cid}").json()["standing"], "member")
        # Approving twice: no such request any more.
        self.assertEqual(fac.api("POST", f"/api/v1/circles/{cid}/requests/{mid}/approve",
                                 {}).status, 404)
        self.assertEqual(fac.api("DELETE", f"/api/v1/circles/{cid}/requests/{oid}").status, 204)
        self.assertEqual(other.api("GET", f"/api/v1/circles/{cid}").json()["standing"], "none")
        # The HTML answer: the facilitator sees the request on the page and approves by form.
        _, third = self.user("member", "South", name="Tercera")
        self.assertEqual(third.form(f"/circles/{cid}/join", {"accept_agreement": "yes"}).status,
                         303)
        page = fac.get(f"/circles/{cid}")
        self.assertIn("Tercera", page.text)
        m = re.search(rf'action="/circles/{cid}/requests/(\d+)/approve"', page.text)
        self.assertIsNotNone(m)
        r = fac.form(f"/circles/{cid}/requests/{m.group(1)}/approve", {})
        self.assertEqual(r.status, 303)
        self.assertEqual(third.api("GET", f"/api/v1/circles/{cid}").json()["standing"], "member")

    def test_visibility_by_chapter(self):
        _, fac = self.user("facilitator", "North")
        north = self.create(fac, name="North only")["id"]
        _, south_member = self.user("member", "South")
        self.assertEqual(south_member.api("GET", f"/api/v1/circles/{north}").status, 404)
        self.assertEqual(south_member.get(f"/circles/{north}").status, 404)
        self.assertEqual(south_member.api("POST", f"/api/v1/circles/{north}/join",
                                          {"accept_agreement": True}).status, 404)
        ids = [c["id"] for c in south_member.api("GET", "/api/v1/circles").json()["circles"]]
        self.assertNotIn(north, ids)
        _, north_member = self.user("member", "North")
        ids = [c["id"] for c in north_member.api("GET", "/api/v1/circles").json()["circles"]]
        self.assertIn(north, ids)
        # A network-wide circle (created by someone without a chapter) is seen by all.
        _, coord = self.user("coordinator")
        everywhere = self.create(coord, name="Everyone")["id"]
        ids = [c["id"] for c in south_member.api("GET", "/api/v1/circles").json()["circles"]]
        self.assertIn(everywhere, ids)
        # A coordinator sees the circle exists, but not who is in it.
        self.assertEqual(coord.api("GET", f"/api/v1/circles/{north}").status, 200)
        self.assertEqual(coord.api("GET", f"/api/v1/circles/{north}/members").status, 404)
        self.assertEqual(coord.api("GET", "/api/v1/circles/999999").status, 404)

    def test_pages_without_javascript(self):
        _, fac = self.user("facilitator", "North")
        page = fac.get("/circles/new")
        self.assertEqual(page.status, 200)
        self.assertIn('name="agreement"', page.text)
        # A form error is shown beside its field, and what was typed is kept.
        r = fac.form("/circles", dict(CIRCLE, purpose=""))
        self.assertEqual(r.status, 422)
        self.assertIn('id="purpose-error"', r.text)
        self.assertIn("Tuesday evening circle", r.text)
        r = fac.form("/circles", dict(CIRCLE, name="Form circle"))
        self.assertEqual(r.status, 303)
        loc = r.header("location")
        cid = int(re.match(r"/circles/(\d+)", loc).group(1))
        self.assertIn("Your circle is ready", fac.get(loc).text)
        _, mem = self.user("member", "North")
        lst = mem.get("/circles")
        self.assertEqual(lst.status, 200)
        self.assertIn("Form circle", lst.text)
        self.assertNotIn("/circles/new", lst.text)
        self.assertEqual(mem.get("/circles/new").status, 403)
        r = mem.form(f"/circles/{cid}/join", {})
        self.assertEqual(r.status, 422)
        self.assertIn('id="accept-error"', r.text)
        r = mem.form(f"/circles/{cid}/join", {"accept_agreement": "yes"})
        self.assertEqual(r.status, 303)
        self.assertIn("Welcome to the circle", mem.get(r.header("location")).text)
        r = mem.form(f"/circles/{cid}/leave", {})
        self.assertEqual(r.status, 303)
        # Spanish.
        mem.form("/lang", {"lang": "es"})
        page = mem.get(f"/circles/{cid}")
        self.assertIn("Nuestro acuerdo de confidencialidad", page.text)
        self.assertIn("Unirme al círculo", page.text)


if __name__ == "__main__":
    unittest.main()
