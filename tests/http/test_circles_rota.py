"""The leadership rota over HTTP: the pool is the circle's facilitators and
the members who volunteer; the proposal takes fair turns, skips a session
someone cannot make, keeps swapped sessions (once the other person accepts),
and is for members only.
Session agendas: topics set by facilitators and seen by members, notes
for the circle's facilitators only and encrypted at rest.
"""
import unittest
from datetime import datetime, timezone

from circles import CirclesServer

MONDAY_NOON = int(datetime(2030, 5, 20, 12, 0, tzinfo=timezone.utc).timestamp())
WEEK = 7 * 86400
FIRST = int(datetime(2030, 5, 21, 19, 0, tzinfo=timezone.utc).timestamp())


class RotaTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()
        cls.srv.clock(set=MONDAY_NOON)
        cls.f_user, cls.fac = cls.srv.signed_in("facilitator", name="Fran")
        r = cls.fac.api("POST", "/api/v1/circles", {
            "name": "Rota circle", "purpose": "Support.", "norms": "Kindness.",
            "agreement": "Stays here.", "membership": "open"})
        assert r.status == 201, r
        cls.cid = r.json()["id"]
        _, coord = cls.srv.signed_in("coordinator")
        r = coord.api("POST", "/api/v1/meetings", {
            "name": "Rota meeting", "day": 2, "time": "19:00", "end_time": "20:00",
            "timezone": "UTC", "circle_id": cls.cid})
        assert r.status == 201, r
        cls.slug = r.json()["slug"]
        cls.a_user, cls.a = cls.srv.signed_in("member", name="Ana")
        cls.b_user, cls.b = cls.srv.signed_in("member", name="Bea")
        for c in (cls.a, cls.b):
            assert c.api("POST", f"/api/v1/circles/{cls.cid}/join",
                         {"accept_agreement": True}).status == 201
        assert cls.a.api("POST", f"/api/v1/circles/{cls.cid}/volunteer",
                         {"volunteer": True}).status == 204

    @classmethod
    def tearDownClass(cls):
        cls.srv.client().api("POST", "/api/v1/test/clock", {"reset": True})
        cls.srv.close()

    def rota(self, c=None):
        r = (c or self.fac).api("GET", f"/api/v1/circles/{self.cid}/rota?sessions=4")
        self.assertEqual(r.status, 200, r)
        return r.json()

    def leaders(self):
        return [s["user_id"] for s in self.rota()["rota"]]

    def test_rota(self):
        F, A = self.f_user.id, self.a_user.id
        got = self.rota(self.b)
        self.assertEqual([p["user_id"] for p in got["pool"]], [F, A])
        self.assertEqual([s["start"] for s in got["rota"]], [FIRST + i * WEEK for i in range(4)])
        self.assertEqual(self.leaders(), [F, A, F, A])
        _, outsider = self.srv.signed_in("member")
        self.assertEqual(outsider.api("GET", f"/api/v1/circles/{self.cid}/rota").status, 404)
        for bad in ("0", "27", "x"):
            r = self.fac.api("GET", f"/api/v1/circles/{self.cid}/rota?sessions={bad}")
            self.assertEqual(r.status, 422)
            self.assertEqual(r.json()["error"]["field"], "sessions")
        # Ana can't make the second session: turns stay fair.
        r = self.a.api("POST", f"/api/v1/circles/{self.cid}/rota/unavailable",
                       {"meeting": self.slug, "start": FIRST + WEEK, "unavailable": True})
        self.assertEqual(r.status, 204, r)
        self.assertEqual(self.leaders(), [F, F, A, A])
        r = self.a.api("POST", f"/api/v1/circles/{self.cid}/rota/unavailable",
                       {"meeting": self.slug, "start": FIRST + 3600, "unavailable": True})
        self.assertEqual(r.json()["error"]["field"], "start")
        # Bea is not in the pool.
        self.assertEqual(self.b.api("POST", f"/api/v1/circles/{self.cid}/rota/unavailable",
                                    {"meeting": self.slug, "start": FIRST}).status, 404)
        self.assertEqual(self.b.api("POST", f"/api/v1/circles/{self.cid}/rota/swap",
                                    {"meeting_a": self.slug, "start_a": FIRST,
                                     "meeting_b": self.slug, "start_b": FIRST + WEEK}).status,
                         404)
        # Ana asks to swap her third session with Fran's first: nothing changes
        # until Fran accepts (test_circles_swaps.py has the rest of the story).
        r = self.a.api("POST", f"/api/v1/circles/{self.cid}/rota/swap",
                       {"meeting_a": self.slug, "start_a": FIRST,
                        "meeting_b": self.slug, "start_b": FIRST + 2 * WEEK})
        self.assertEqual(r.status, 202, r)
        self.assertEqual(self.leaders(), [F, F, A, A])
        req = r.json()["request_id"]
        r = self.fac.api("POST", f"/api/v1/circles/{self.cid}/rota/swaps/{req}/accept", {})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["state"], "accepted")
        self.assertEqual(self.leaders(), [A, F, F, A])
        self.assertEqual([s["fixed"] for s in self.rota()["rota"]], [True, False, True, False])
        # The page shows the rota; Bea volunteers by form and joins the pool.
        page = self.b.get(f"/circles/{self.cid}")
        self.assertIn("Who leads the coming sessions", page.text)
        self.assertIn("Ana", page.text)
        r = self.b.form(f"/circles/{self.cid}/volunteer", {"volunteer": "1"})
        self.assertEqual(r.status, 303)
        self.assertIn(self.b_user.id, [p["user_id"] for p in self.rota()["pool"]])
        self.b.form(f"/circles/{self.cid}/volunteer", {"volunteer": "0"})
        self.assertNotIn(self.b_user.id, [p["user_id"] for p in self.rota()["pool"]])
        # Without JavaScript: Ana swaps her last session with the second, then can't make
        # the second after all.
        page = self.a.get(f"/circles/{self.cid}").text
        self.assertIn(f'name="session" value="{self.slug}@{FIRST + 3 * WEEK}"', page)
        r = self.a.form(f"/circles/{self.cid}/rota/swap",
                        {"session": f"{self.slug}@{FIRST + 3 * WEEK}",
                         "with": f"{self.slug}@{FIRST + WEEK}"})
        self.assertEqual(r.status, 303, r)
        self.assertIn("notice=swap_requested", r.header("location"))
        self.assertEqual(self.leaders()[1], F)
        page = self.fac.get(f"/circles/{self.cid}").text
        req = self.rota(self.fac)["swap_requests"][0]["request_id"]
        self.assertIn(f'action="/circles/{self.cid}/rota/swaps/{req}/accept"', page)
        r = self.fac.form(f"/circles/{self.cid}/rota/swaps/{req}/accept", {})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(self.leaders()[1], A)
        self.assertEqual(self.leaders()[3], F)
        r = self.a.form(f"/circles/{self.cid}/rota/unavailable",
                        {"session": f"{self.slug}@{FIRST + WEEK}", "unavailable": "1"})
        self.assertEqual(r.status, 303)
        self.assertNotEqual(self.leaders()[1], A)
        r = self.a.form(f"/circles/{self.cid}/rota/swap", {"session": "nonsense", "with": "x@1"})
        self.assertEqual(r.status, 422)

    def test_agenda_and_notes(self):
        path = f"/api/v1/circles/{self.cid}/agenda"
        plan = {"meeting": self.slug, "start": FIRST + 3 * WEEK, "discussion": "Boundaries",
                "skill": "Saying no", "notes": "Quiet week; check on newcomers"}
        self.assertEqual(self.a.api("PUT", path, plan).status, 404)
        r = self.fac.api("PUT", path, dict(plan, start=FIRST + 3600))
        self.assertEqual(r.json()["error"]["field"], "start")
        r = self.fac.api("PUT", path, dict(plan, discussion="x" * 201))
        self.assertEqual(r.json()["error"]["field"], "discussion")
        self.assertEqual(self.fac.api("PUT", path, plan).status, 204)
        q = f"{path}?meeting={self.slug}&start={FIRST + 3 * WEEK}"
        got = self.a.api("GET", q).json()
        self.assertEqual((got["discussion"], got["skill"]), ("Boundaries", "Saying no"))
        self.assertNotIn("notes", got)
        self.assertEqual(self.fac.api("GET", q).json()["notes"], plan["notes"])
        _, outsider = self.srv.signed_in("member")
        self.assertEqual(outsider.api("GET", q).status, 404)
        self.assertNotIn("check on newcomers", repr(self.srv.sql("SELECT * FROM circle_sessions")))
        # The form, for the next session.
        r = self.fac.form(f"/circles/{self.cid}/agenda",
                          {"meeting": self.slug, "start": str(FIRST), "discussion": "Hope",
                           "notes": "Bring the handout"})
        self.assertEqual(r.status, 303)
        self.assertIn("Bring the handout", self.fac.get(f"/circles/{self.cid}").text)
        page = self.a.get(f"/circles/{self.cid}").text
        self.assertIn("Hope", page)
        self.assertNotIn("Bring the handout", page)


if __name__ == "__main__":
    unittest.main()
