"""RSVPs and attendance for a circle's meetings over HTTP: RSVP to the next
session (members only), the session code the facilitator sees only during
the session window, checking in with it (case and hyphens forgiven, a wrong
or stale code refused with the field named), roster attendance by the
facilitator for members only, the member's private history and the same
shared only by consent (audited), and counts without names for coordinators.
"""
import re
import unittest
from datetime import datetime, timezone

from circles import CirclesServer

MONDAY_NOON = int(datetime(2030, 5, 20, 12, 0, tzinfo=timezone.utc).timestamp())
SESSION = int(datetime(2030, 5, 21, 19, 0, tzinfo=timezone.utc).timestamp())


class AttendanceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()
        cls.srv.clock(set=MONDAY_NOON)
        cls.fac_user, cls.fac = cls.srv.signed_in("facilitator", name="Fran")
        r = cls.fac.api("POST", "/api/v1/circles", {
            "name": "Evening circle", "purpose": "Support.", "norms": "Kindness.",
            "agreement": "Stays here.", "membership": "open"})
        assert r.status == 201, r
        cls.cid = r.json()["id"]
        cls.coord_user, cls.coord = cls.srv.signed_in("coordinator")
        r = cls.coord.api("POST", "/api/v1/meetings", {
            "name": "Evening circle meeting", "day": 2, "time": "19:00", "end_time": "20:00",
            "timezone": "UTC", "circle_id": cls.cid})
        assert r.status == 201, r
        cls.slug = r.json()["slug"]
        cls.mem_user, cls.mem = cls.srv.signed_in("member", name="Mia")
        r = cls.mem.api("POST", f"/api/v1/circles/{cls.cid}/join", {"accept_agreement": True})
        assert r.status == 201, r
        cls.m2_user, cls.m2 = cls.srv.signed_in("member", name="Max")
        r = cls.m2.api("POST", f"/api/v1/circles/{cls.cid}/join", {"accept_agreement": True})
        assert r.status == 201, r

    @classmethod
    def tearDownClass(cls):
        cls.srv.client().api("POST", "/api/v1/test/clock", {"reset": True})
        cls.srv.close()

    def at(self, t):
        """Move the clock and sign everyone in again (sessions expire meanwhile)."""
        self.srv.clock(set=t)
        for user, c in ((self.fac_user, self.fac), (self.coord_user, self.coord),
                        (self.mem_user, self.mem), (self.m2_user, self.m2)):
            self.assertEqual(c.login(user.email).status, 200)

    def sessions(self, c):
        r = c.api("GET", f"/api/v1/circles/{self.cid}/sessions")
        self.assertEqual(r.status, 200, r)
        return r.json()["sessions"]

    def test_1_rsvp(self):
        s = self.sessions(self.mem)
        self.assertEqual(len(s), 1)
        self.assertEqual(s[0]["meeting"], self.slug)
        self.assertEqual(s[0]["start"], SESSION)
        self.assertFalse(s[0]["checkin_open"])
        self.assertNotIn("code", s[0])
        self.assertIsNone(s[0]["my_rsvp"])
        r = self.mem.api("POST", f"/api/v1/circles/{self.cid}/rsvp",
                         {"meeting": self.slug, "response": "yes"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["start"], SESSION)
        r = self.mem.api("POST", f"/api/v1/circles/{self.cid}/rsvp",
                         {"meeting": self.slug, "response": "maybe"})
        self.assertEqual(r.json()["error"]["field"], "response")
        r = self.mem.api("POST", f"/api/v1/circles/{self.cid}/rsvp",
                         {"meeting": "no-such-meeting", "response": "yes"})
        self.assertEqual(r.json()["error"]["field"], "meeting")
        s = self.sessions(self.mem)
        self.assertEqual(s[0]["my_rsvp"], "yes")
        self.assertEqual(s[0]["going"], 1)
        # Changing one's mind replaces the answer.
        self.m2.form(f"/circles/{self.cid}/rsvp", {"meeting": self.slug, "response": "no"})
        self.assertEqual(self.sessions(self.m2)[0]["my_rsvp"], "no")
        self.assertEqual(self.sessions(self.m2)[0]["going"], 1)
        # Not a member: 404.
        _, outsider = self.srv.signed_in("member")
        self.assertEqual(outsider.api("GET", f"/api/v1/circles/{self.cid}/sessions").status, 404)
        self.assertEqual(outsider.api("POST", f"/api/v1/circles/{self.cid}/rsvp",
                                      {"meeting": self.slug, "response": "yes"}).status, 404)

    def test_2_checkin_with_code(self):
        self.at(MONDAY_NOON)
        r = self.mem.api("POST", f"/api/v1/circles/{self.cid}/checkin", {"code": "ABCDEF"})
        self.assertEqual(r.status, 422)
        self.assertEqual(r.json()["error"]["field"], "code")
        self.at(SESSION + 10 * 60)
        code = self.sessions(self.fac)[0]["code"]
        self.assertRegex(code, r"^[A-HJKMNP-Z2-8]{6}$")
        self.assertNotIn("code", self.sessions(self.mem)[0])
        self.assertTrue(self.sessions(self.mem)[0]["checkin_open"])
        wrong = "".join("B" if ch != "B" else "C" for ch in code)
        r = self.mem.api("POST", f"/api/v1/circles/{self.cid}/checkin", {"code": wrong})
        self.assertEqual(r.status, 422)
        typed = code[:3].lower() + "-" + code[3:]
        r = self.mem.api("POST", f"/api/v1/circles/{self.cid}/checkin", {"code": typed})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json(), {"meeting": self.slug, "start": SESSION})
        r = self.mem.api("POST", f"/api/v1/circles/{self.cid}/checkin", {"code": code})
        self.assertEqual(r.status, 201)
        self.assertTrue(self.sessions(self.mem)[0]["attended"])
        # The facilitator's page shows the code during the session.
        self.assertIn(code, self.fac.get(f"/circles/{self.cid}").text)
        self.assertNotIn(code, self.mem.get(f"/circles/{self.cid}").text)
        # After the window the same code is refused.
        self.at(SESSION + 3 * 3600)
        r = self.m2.api("POST", f"/api/v1/circles/{self.cid}/checkin", {"code": code})
        self.assertEqual(r.status, 422)

    def test_3_roster_and_history(self):
        self.at(SESSION + 3 * 3600)
        r = self.mem.api("POST", f"/api/v1/circles/{self.cid}/attendance",
                         {"meeting": self.slug, "user_id": self.m2_user.id})
        self.assertEqual(r.status, 404)          # members do not take attendance
        _, outsider = self.srv.signed_in("member")
        r = self.fac.api("POST", f"/api/v1/circles/{self.cid}/attendance",
                         {"meeting": self.slug, "user_id": outsider.api(
                             "GET", "/api/v1/me").json()["id"]})
        self.assertEqual(r.status, 422)
        self.assertEqual(r.json()["error"]["field"], "user_id")
        r = self.fac.form(f"/circles/{self.cid}/attendance",
                          {"meeting": self.slug, "user_id": str(self.m2_user.id),
                           "present": "1"})
        self.assertEqual(r.status, 303)
        hist = self.m2.api("GET", "/api/v1/me/attendance").json()["attendance"]
        self.assertEqual([(h["meeting"], h["start"], h["method"]) for h in hist],
                         [(self.slug, SESSION, "roster")])
        page = self.m2.get("/attendance")
        self.assertEqual(page.status, 200)
        self.assertIn("Evening circle meeting", page.text)
        # Counts for coordinators, without names.
        r = self.coord.api("GET", f"/api/v1/circles/{self.cid}/attendance")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["sessions"][0]["attended"], 2)
        self.assertNotIn("Mia", r.text)
        self.assertEqual(self.mem.api("GET", f"/api/v1/circles/{self.cid}/attendance").status,
                         403)
        # Shared only by consent, and the read is audited.
        peer_user, peer = self.srv.signed_in("peer_supporter")
        path = f"/api/v1/members/{self.mem_user.id}/attendance"
        self.assertEqual(peer.api("GET", path).status, 404)
        self.assertEqual(self.fac.api("GET", path).status, 404)
        r = self.mem.api("POST", "/api/v1/me/consents", {"grantee_user_id": peer_user.id,
                                                         "category": "attendance",
                                                         "purpose": "mentoring"})
        self.assertEqual(r.status, 201, r)
        r = peer.api("GET", path)
        self.assertEqual(r.status, 200)
        self.assertEqual(len(r.json()["attendance"]), 1)
        audit = self.mem.api("GET", "/api/v1/me/audit?limit=200").json()["entries"]
        self.assertTrue(any(e["action"] == "read" and e.get("category") == "attendance"
                            for e in audit))

    def test_4_page_forms(self):
        self.at(MONDAY_NOON)
        page = self.mem.get(f"/circles/{self.cid}")
        self.assertIn('action="/circles/%d/rsvp"' % self.cid, page.text)
        self.assertIn('name="code"', page.text)
        r = self.mem.form(f"/circles/{self.cid}/rsvp", {"meeting": self.slug, "response": "no"})
        self.assertEqual(r.status, 303)
        self.assertTrue(re.match(rf"/circles/{self.cid}\?notice=rsvp", r.header("location")))
        r = self.mem.form(f"/circles/{self.cid}/checkin", {"code": "ZZZZZZ"})
        self.assertEqual(r.status, 422)
        self.assertIn('id="code-error"', r.text)
        self.assertIn('aria-invalid="true"', r.text)
        self.mem.form("/lang", {"lang": "es"})
        self.assertIn("Próximas sesiones", self.mem.get(f"/circles/{self.cid}").text)
        self.mem.form("/lang", {"lang": "en"})

    def test_5_signed_proof(self):
        self.at(SESSION + 3 * 3600)
        path = "/api/v1/me/attendance/proofs"
        r = self.mem.api("POST", path, {"show_name": True})
        self.assertEqual(r.json()["error"]["field"], "show_count")
        r = self.mem.api("POST", path, {"show_count": True, "from": "2030-13-01"})
        self.assertEqual(r.json()["error"]["field"], "from")
        r = self.mem.api("POST", path, {"show_count": True, "from": "2030-06-01",
                                        "to": "2030-05-01"})
        self.assertEqual(r.json()["error"]["field"], "to")
        r = self.mem.api("POST", path, {"show_count": True, "show_dates": True})
        self.assertEqual(r.status, 201, r)
        pid = r.json()["id"]
        self.assertTrue(r.json()["url"].endswith(f"/verify/{pid}"))
        self.assertEqual(r.json()["payload"]["count"], 1)
        # Anyone can verify, without an account, and sees only what was chosen.
        anon = self.srv.client()
        v = anon.api("GET", f"/api/v1/verify/{pid}")
        self.assertEqual(v.status, 200)
        self.assertTrue(v.json()["valid"])
        self.assertEqual(v.json()["payload"]["sessions"], [{"date": "2030-05-21"}])
        self.assertNotIn("name", v.json()["payload"])
        page = anon.get(f"/verify/{pid}")
        self.assertEqual(page.status, 200)
        self.assertIn("2030-05-21", page.text)
        self.assertNotIn("Mia", page.text)
        self.assertNotIn("Evening circle meeting", page.text)
        # A changed payload no longer verifies.
        self.srv_tamper(pid)
        self.assertEqual(anon.api("GET", f"/api/v1/verify/{pid}").status, 404)
        # With the name and meetings, by form; then withdrawn.
        r = self.mem.form("/attendance/proofs", {"show_name": "1", "show_meetings": "1"})
        self.assertEqual(r.status, 303)
        pid2 = r.header("location").rsplit("/", 1)[1]
        page = anon.get(f"/verify/{pid2}").text
        self.assertIn("Mia", page)
        self.assertIn("Evening circle meeting", page)
        self.assertEqual(self.m2.api("DELETE", f"{path}/{pid2}").status, 404)
        self.assertEqual(self.mem.api("DELETE", f"{path}/{pid2}").status, 204)
        self.assertEqual(anon.get(f"/verify/{pid2}").status, 404)
        self.assertEqual(anon.get("/verify/not-a-proof").status, 404)

    def srv_tamper(self, pid):
        self.srv.sql("UPDATE attendance_proofs SET payload = replace(payload, '\"count\":1', "
                     f"'\"count\":9') WHERE id = '{pid}'")

if __name__ == "__main__":
    unittest.main()
