"""The coordinators' attendance page (GET /circles/:id/attendance): counts per
meeting and per session, dated in the meeting's own time zone, the same
numbers as GET /api/v1/circles/:id/attendance, never a name; coordinators
and admins only, linked from the circle's page for them alone.
"""
import re
import unittest
from datetime import datetime, timezone

from circles import CirclesServer

MONDAY_NOON = int(datetime(2030, 5, 20, 12, 0, tzinfo=timezone.utc).timestamp())
# Tuesday 21 May 2030 19:00 in New York is 23:00Z.
SESSION = int(datetime(2030, 5, 21, 23, 0, tzinfo=timezone.utc).timestamp())


def cells(page):
    """The rows of the page's tables as lists of cell texts."""
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S) for r in rows]


class CountsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()
        cls.srv.clock(set=MONDAY_NOON)
        cls.fac_user, cls.fac = cls.srv.signed_in("facilitator", name="Fran")
        r = cls.fac.api("POST", "/api/v1/circles", {
            "name": "Counting circle", "purpose": "P.", "norms": "N.", "agreement": "A.",
            "membership": "open"})
        cls.cid = r.json()["id"]
        cls.coord_user, cls.coord = cls.srv.signed_in("coordinator")
        cls.slugs = []
        for name in ("Tuesday evening", "Tuesday late"):
            r = cls.coord.api("POST", "/api/v1/meetings", {
                "name": name, "day": 2, "time": "19:00", "end_time": "20:00",
                "timezone": "America/New_York", "circle_id": cls.cid})
            assert r.status == 201, r
            cls.slugs.append(r.json()["slug"])
        cls.members = []
        for name in ("Mia", "Max", "Moe"):
            u, c = cls.srv.signed_in("member", name=name)
            assert c.api("POST", f"/api/v1/circles/{cls.cid}/join",
                         {"accept_agreement": True}).status == 201
            cls.members.append(u)
        cls.srv.clock(set=SESSION + 3 * 3600)
        cls.fac.login(cls.fac_user.email)
        for slug, who in ((cls.slugs[0], cls.members), (cls.slugs[1], cls.members[:1])):
            for u in who:
                r = cls.fac.api("POST", f"/api/v1/circles/{cls.cid}/attendance",
                                {"meeting": slug, "user_id": u.id})
                assert r.status == 204, r
        cls.coord.login(cls.coord_user.email)

    @classmethod
    def tearDownClass(cls):
        cls.srv.client().api("POST", "/api/v1/test/clock", {"reset": True})
        cls.srv.close()

    def test_counts_page(self):
        api = self.coord.api("GET", f"/api/v1/circles/{self.cid}/attendance").json()
        by_slug = {s["meeting"]: s["attended"] for s in api["sessions"]}
        self.assertEqual(by_slug, {self.slugs[0]: 3, self.slugs[1]: 1})
        r = self.coord.get(f"/circles/{self.cid}/attendance")
        self.assertEqual(r.status, 200, r)
        page = r.text
        self.assertIn("Attendance: Counting circle", page)
        rows = cells(page)
        self.assertIn(["Tuesday evening", "1", "3", "3.0"], rows)
        self.assertIn(["Tuesday late", "1", "1", "1.0"], rows)
        # the session's date is the meeting's local one (the 21st), not UTC's (the 22nd)
        self.assertIn(["21 May 2030, 19:00", "Tuesday evening", "3"], rows)
        for name in ("Mia", "Max", "Moe"):
            self.assertNotIn(name, page)
        self.assertIn(f'href="/circles/{self.cid}/attendance"',
                      self.coord.get(f"/circles/{self.cid}").text)
        self.fac.login(self.fac_user.email)
        self.assertNotIn(f'href="/circles/{self.cid}/attendance"',
                         self.fac.get(f"/circles/{self.cid}").text)

    def test_spanish_and_empty(self):
        self.coord.api("PATCH", "/api/v1/me", {"lang": "es"})
        page = self.coord.get(f"/circles/{self.cid}/attendance").text
        self.coord.api("PATCH", "/api/v1/me", {"lang": "en"})
        self.assertIn("Asistencia: Counting circle", page)
        self.assertIn("Por sesión", page)
        self.assertIn(["Tuesday evening", "1", "3", "3,0"], cells(page))   # decimal comma
        r = self.fac.api("POST", "/api/v1/circles", {
            "name": "Quiet circle", "purpose": "P.", "norms": "N.", "agreement": "A.",
            "membership": "open"})
        quiet = r.json()["id"]
        page = self.coord.get(f"/circles/{quiet}/attendance").text
        self.assertIn("No attendance has been taken yet.", page)

    def test_who_may_see(self):
        for role, status in (("member", 403), ("facilitator", 403), ("admin", 200)):
            _, c = self.srv.signed_in(role)
            self.assertEqual(c.get(f"/circles/{self.cid}/attendance").status, status, role)
        self.assertEqual(self.coord.get("/circles/999999/attendance").status, 404)


if __name__ == "__main__":
    unittest.main()
