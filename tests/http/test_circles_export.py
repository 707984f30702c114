"""A member's circle data in their privacy export: the circles they belong
to with when they accepted each agreement, their RSVPs, their own attendance
and the attendance proofs they created, and nothing of other members.
"""
import json
import unittest
from datetime import datetime, timezone

from circles import CirclesServer

MONDAY_NOON = int(datetime(2030, 5, 20, 12, 0, tzinfo=timezone.utc).timestamp())
SESSION = int(datetime(2030, 5, 21, 19, 0, tzinfo=timezone.utc).timestamp())


class CirclesExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()
        cls.srv.clock(set=MONDAY_NOON)

    @classmethod
    def tearDownClass(cls):
        cls.srv.client().api("POST", "/api/v1/test/clock", {"reset": True})
        cls.srv.close()

    def circle(self, fac, name):
        r = fac.api("POST", "/api/v1/circles", {
            "name": name, "purpose": "Support.", "norms": "Kindness.",
            "agreement": "Stays here.", "membership": "open"})
        self.assertEqual(r.status, 201, r)
        return r.json()["id"]

    def test_export_has_own_circle_data_only(self):
        srv = self.srv
        fac_user, fac = srv.signed_in("facilitator", name="Fran")
        shared = self.circle(fac, "Evening circle")
        other = self.circle(fac, "Quiet morning circle")
        coord_user, coord = srv.signed_in("coordinator")
        r = coord.api("POST", "/api/v1/meetings", {
            "name": "Evening circle meeting", "day": 2, "time": "19:00",
            "end_time": "20:00", "timezone": "UTC", "circle_id": shared})
        self.assertEqual(r.status, 201, r)
        slug = r.json()["slug"]
        mem_user, mem = srv.signed_in("member", name="Mia")
        oth_user, oth = srv.signed_in("member", name="Oskar Other")
        for c in (mem, oth):
            r = c.api("POST", f"/api/v1/circles/{shared}/join", {"accept_agreement": True})
            self.assertEqual(r.status, 201, r)
        r = oth.api("POST", f"/api/v1/circles/{other}/join", {"accept_agreement": True})
        self.assertEqual(r.status, 201, r)
        r = mem.api("POST", f"/api/v1/circles/{shared}/rsvp",
                    {"meeting": slug, "response": "yes"})
        self.assertEqual(r.status, 200, r)
        r = oth.api("POST", f"/api/v1/circles/{shared}/rsvp",
                    {"meeting": slug, "response": "no"})
        self.assertEqual(r.status, 200, r)

        # Inside the session window both check in with the facilitator's code.
        srv.clock(set=SESSION + 10 * 60)
        for user, c in ((fac_user, fac), (mem_user, mem), (oth_user, oth)):
            self.assertEqual(c.login(user.email).status, 200)
        r = fac.api("GET", f"/api/v1/circles/{shared}/sessions")
        code = r.json()["sessions"][0]["code"]
        for c in (mem, oth):
            r = c.api("POST", f"/api/v1/circles/{shared}/checkin", {"code": code})
            self.assertIn(r.status, (200, 201), r)
        r = mem.api("POST", "/api/v1/me/attendance/proofs",
                    {"show_count": True, "show_dates": True})
        self.assertEqual(r.status, 201, r)
        proof_id = r.json()["id"]
        r = oth.api("POST", "/api/v1/me/attendance/proofs", {"show_count": True})
        self.assertEqual(r.status, 201, r)
        other_proof = r.json()["id"]

        r = mem.get("/api/v1/me/export")
        self.assertEqual(r.status, 200, r)
        doc = r.json()
        sec = doc["circles"]
        self.assertEqual(len(sec["memberships"]), 1)
        m = sec["memberships"][0]
        self.assertEqual(m["circle"], {"id": shared, "name": "Evening circle"})
        self.assertEqual(m["role"], "member")
        self.assertEqual(m["state"], "active")
        self.assertGreaterEqual(m["agreement_accepted_at"], MONDAY_NOON)
        self.assertLess(m["agreement_accepted_at"], SESSION)
        self.assertIsNotNone(m["joined_at"])
        self.assertEqual(len(sec["rsvps"]), 1)
        self.assertEqual(sec["rsvps"][0]["response"], "yes")
        self.assertEqual(sec["rsvps"][0]["session_start"], SESSION)
        self.assertEqual(sec["rsvps"][0]["meeting"]["name"], "Evening circle meeting")
        self.assertEqual(len(sec["attendance"]), 1)
        a = sec["attendance"][0]
        self.assertEqual(a["circle"]["id"], shared)
        self.assertEqual(a["session_start"], SESSION)
        self.assertEqual(a["method"], "code")
        self.assertTrue(a["recorded_by_self"])
        self.assertEqual([p["id"] for p in sec["attendance_proofs"]], [proof_id])
        self.assertEqual(sec["attendance_proofs"][0]["shows"]["count"], 1)
        self.assertNotIn("mac", sec["attendance_proofs"][0])
        # Nothing of the other member: their name, circle, answer or proof.
        text = json.dumps(sec)
        self.assertNotIn("Oskar", text)
        self.assertNotIn("Quiet morning circle", text)
        self.assertNotIn(other_proof, text)
        self.assertNotIn('"no"', text)
        self.assertNotIn(oth_user.email, json.dumps(doc))

        # The facilitator's own export shows their facilitation, not members.
        sec = fac.get("/api/v1/me/export").json()["circles"]
        self.assertEqual(sorted(m["circle"]["id"] for m in sec["memberships"]),
                         sorted([shared, other]))
        self.assertTrue(all(m["role"] == "facilitator" for m in sec["memberships"]))
        self.assertEqual(sec["attendance"], [])
        self.assertNotIn("Mia", json.dumps(sec))

    # the rota, "can't make it", what the member wrote, the calendar address
    def test_export_rota_unavailable_writing_and_calendar_link(self):
        srv = self.srv
        srv.clock(set=MONDAY_NOON)
        week = 7 * 86400
        fac_user, fac = srv.signed_in("facilitator", name="Fran")
        cid = self.circle(fac, "Rota export circle")
        _, coord = srv.signed_in("coordinator")
        r = coord.api("POST", "/api/v1/meetings", {
            "name": "Rota export meeting", "day": 2, "time": "19:00", "end_time": "20:00",
            "timezone": "UTC", "circle_id": cid})
        self.assertEqual(r.status, 201, r)
        slug = r.json()["slug"]
        mem_user, mem = srv.signed_in("member", name="Ana")
        self.assertEqual(mem.api("POST", f"/api/v1/circles/{cid}/join",
                                 {"accept_agreement": True}).status, 201)
        self.assertEqual(mem.api("POST", f"/api/v1/circles/{cid}/volunteer",
                                 {"volunteer": True}).status, 204)
        # Ana can't make the second session; the rota is then Fran, Fran, Ana, ...
        r = mem.api("POST", f"/api/v1/circles/{cid}/rota/unavailable",
                    {"meeting": slug, "start": SESSION + week, "unavailable": True})
        self.assertEqual(r.status, 204, r)
        # Ana swaps her third session for Fran's first: both are fixed once Fran accepts.
        r = mem.api("POST", f"/api/v1/circles/{cid}/rota/swap",
                    {"meeting_a": slug, "start_a": SESSION,
                     "meeting_b": slug, "start_b": SESSION + 2 * week})
        self.assertEqual(r.status, 202, r)
        r = fac.api("POST", f"/api/v1/circles/{cid}/rota/swaps/{r.json()['request_id']}/accept",
                    {})
        self.assertEqual(r.status, 200, r)
        r = fac.api("POST", f"/api/v1/circles/{cid}/announcements",
                    {"title": "Hall moved", "body": "Room 4 this week."})
        self.assertEqual(r.status, 201, r)
        r = fac.api("PUT", f"/api/v1/circles/{cid}/agenda",
                    {"meeting": slug, "start": SESSION + 3 * week, "discussion": "Boundaries",
                     "skill": "Saying no", "notes": "Check on newcomers"})
        self.assertEqual(r.status, 204, r)

        sec = mem.get("/api/v1/me/export").json()["circles"]
        self.assertEqual([(a["circle"]["id"], a["meeting"]["name"], a["session_start"])
                          for a in sec["rota_assignments"]],
                         [(cid, "Rota export meeting", SESSION)])
        self.assertEqual([(u["circle"]["name"], u["meeting"]["id"] > 0, u["session_start"])
                          for u in sec["unavailable"]],
                         [("Rota export circle", True, SESSION + week)])
        self.assertIsNone(sec["calendar_link"])
        self.assertEqual((sec["circles_created"], sec["announcements"], sec["agendas"]),
                         ([], [], []))
        self.assertNotIn("Fran", json.dumps(sec))

        # The calendar address: that it exists and since when, never the token.
        r = mem.api("POST", "/api/v1/me/calendar-link", {})
        self.assertEqual(r.status, 201, r)
        token = r.json()["url"].rsplit("/", 1)[1][:-len(".ics")]
        doc = mem.get("/api/v1/me/export")
        link = doc.json()["circles"]["calendar_link"]
        self.assertEqual(set(link), {"created_at", "last_used_at"})
        self.assertTrue(MONDAY_NOON <= link["created_at"] < SESSION, link)
        self.assertIsNone(link["last_used_at"])
        self.assertNotIn(token, doc.text)

        # The facilitator's: the session they are fixed to lead, what they wrote.
        sec = fac.get("/api/v1/me/export").json()["circles"]
        self.assertEqual([a["session_start"] for a in sec["rota_assignments"]],
                         [SESSION + 2 * week])
        self.assertEqual(sec["unavailable"], [])
        self.assertIn(cid, [c["id"] for c in sec["circles_created"]])
        self.assertEqual([(a["circle"]["id"], a["title"], a["body"])
                          for a in sec["announcements"]],
                         [(cid, "Hall moved", "Room 4 this week.")])
        self.assertEqual([(a["session_start"], a["discussion"], a["skill"])
                          for a in sec["agendas"]],
                         [(SESSION + 3 * week, "Boundaries", "Saying no")])
        self.assertNotIn("Check on newcomers", json.dumps(sec))
        self.assertNotIn("Ana", json.dumps(sec))


if __name__ == "__main__":
    unittest.main()
