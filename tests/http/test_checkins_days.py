"""Goals, days and milestones over HTTP against the real server.

Goals: small steps with an optional date, marked done and not done, removed,
each invalid field named, someone else's goal answering 404, shared only by
consent.  Days: the start date, relapses recorded as events that never erase
the longest run, the total or the milestones already reached, milestones
celebrated on the day, the reflection encrypted and never shared, and the
days and milestones shared only by consent ("milestones").
"""
import datetime
import os
import sqlite3
import unittest

from circles import CirclesServer


def reads(client):
    r = client.api("GET", "/api/v1/me/audit?limit=200")
    assert r.status == 200, r
    return [e for e in r.json()["entries"] if e["action"] == "read"]


class GoalsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def test_api_lifecycle(self):
        _, c = self.srv.signed_in("member")
        r = c.api("POST", "/api/v1/goals", {"title": "  Call my sponsor on Tuesday ",
                                            "due_on": "2030-03-31"})
        self.assertEqual(r.status, 201, r)
        g = r.json()
        self.assertEqual((g["title"], g["due_on"], g["done"], g["done_at"]),
                         ("Call my sponsor on Tuesday", "2030-03-31", False, None))
        g2 = c.api("POST", "/api/v1/goals", {"title": "Go to a meeting"}).json()
        g3 = c.api("POST", "/api/v1/goals", {"title": "Walk", "due_on": "2030-01-01"}).json()
        goals = c.api("GET", "/api/v1/goals").json()["goals"]
        # Open goals by date (undated last), then done ones.
        self.assertEqual([x["id"] for x in goals], [g3["id"], g["id"], g2["id"]])
        r = c.api("PATCH", f"/api/v1/goals/{g3['id']}", {"done": True})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json()["done"])
        self.assertIsInstance(r.json()["done_at"], int)
        goals = c.api("GET", "/api/v1/goals").json()["goals"]
        self.assertEqual([x["id"] for x in goals], [g["id"], g2["id"], g3["id"]])
        r = c.api("PATCH", f"/api/v1/goals/{g3['id']}", {"done": False})
        self.assertFalse(r.json()["done"])
        self.assertEqual(c.api("DELETE", f"/api/v1/goals/{g2['id']}").status, 204)
        self.assertEqual(c.api("DELETE", f"/api/v1/goals/{g2['id']}").status, 404)
        self.assertEqual(len(c.api("GET", "/api/v1/goals").json()["goals"]), 2)

    def test_invalid_fields(self):
        _, c = self.srv.signed_in("member")
        for body, field in (({}, "title"), ({"title": ""}, "title"), ({"title": "   "}, "title"),
                            ({"title": "x" * 201}, "title"), ({"title": "a\u0007b"}, "title"),
                            ({"title": 5}, "title"), ({"title": "ok", "due_on": "31/03/2030"},
                                                      "due_on"),
                            ({"title": "ok", "due_on": "2030-02-30"}, "due_on"),
                            ({"title": "ok", "due_on": 20300101}, "due_on"),
                            ({"title": "ok", "priority": 1}, "priority")):
            with self.subTest(body=body):
                r = c.api("POST", "/api/v1/goals", body)
                self.assertEqual(r.status, 422, r)
                self.assertEqual(r.json()["error"]["field"], field)
        self.assertEqual(c.api("GET", "/api/v1/goals").json()["goals"], [])
        g = c.api("POST", "/api/v1/goals", {"title": "x" * 200}).json()
        for body, field in (({"done": "yes"}, "done"), ({}, "done"), ({"title": "y"}, "title")):
            r = c.api("PATCH", f"/api/v1/goals/{g['id']}", body)
            self.assertEqual(r.status, 422, r)
            self.assertEqual(r.json()["error"]["field"], field)

    def test_someone_elses_goal_is_not_there(self):
        _, a = self.srv.signed_in("member")
        _, b = self.srv.signed_in("member")
        g = a.api("POST", "/api/v1/goals", {"title": "mine"}).json()
        self.assertEqual(b.api("PATCH", f"/api/v1/goals/{g['id']}", {"done": True}).status, 404)
        self.assertEqual(b.api("PATCH", f"/api/v1/goals/{g['id']}", {}).status, 404)
        self.assertEqual(b.api("DELETE", f"/api/v1/goals/{g['id']}").status, 404)
        self.assertEqual(b.form(f"/goals/{g['id']}/done", {}).status, 404)
        self.assertEqual(b.form(f"/goals/{g['id']}/delete", {}).status, 404)
        self.assertEqual(b.api("GET", "/api/v1/goals").json()["goals"], [])
        self.assertFalse(a.api("GET", "/api/v1/goals").json()["goals"][0]["done"])

    def test_pages(self):
        _, c = self.srv.signed_in("member")
        page = c.get("/goals").text
        self.assertIn('action="/goals"', page)
        self.assertIn("Nothing on your list right now.", page)
        r = c.form("/goals", {"title": "Text Ana before Friday", "due_on": ""})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(r.header("location"), "/goals?done=added")
        page = c.get("/goals?done=added").text
        self.assertIn("Goal added. One step at a time.", page)
        self.assertIn("Text Ana before Friday", page)
        gid = c.api("GET", "/api/v1/goals").json()["goals"][0]["id"]
        self.assertIn(f'action="/goals/{gid}/done"', page)
        self.assertEqual(c.form(f"/goals/{gid}/done", {}).status, 303)
        page = c.get("/goals").text
        self.assertIn(f'action="/goals/{gid}/undo"', page)
        self.assertIn("Done on", page)
        self.assertEqual(c.form(f"/goals/{gid}/undo", {}).status, 303)
        self.assertEqual(c.form(f"/goals/{gid}/delete", {}).status, 303)
        self.assertEqual(c.api("GET", "/api/v1/goals").json()["goals"], [])
        r = c.form("/goals", {"title": "", "due_on": "tomorrow"})
        self.assertEqual(r.status, 422)
        self.assertRegex(r.text, r'id="title"[^>]*aria-invalid="true"')
        self.assertIn('id="title-error"', r.text)
        self.assertEqual(c.form("/goals", {"title": "x"}, with_csrf=False).status, 403)
        c.cookies["lang"] = "es"
        self.assertIn("Tus metas", c.get("/goals").text)

    def test_shared_by_consent(self):
        member, mc = self.srv.signed_in("member", name="Mia")
        peer, pc = self.srv.signed_in("peer_supporter", name="Ana")
        mc.api("POST", "/api/v1/goals", {"title": "Sleep before midnight"})
        url = f"/api/v1/members/{member.id}/goals"
        self.assertEqual(pc.api("GET", url).status, 404)
        mc.api("POST", "/api/v1/me/consents", {"grantee_user_id": peer.id, "category": "checkins",
                                               "purpose": "support"})
        self.assertEqual(pc.api("GET", url).status, 404, "check-ins do not open goals")
        r = mc.api("POST", "/api/v1/me/consents", {"grantee_user_id": peer.id,
                                                   "category": "goals", "purpose": "support"})
        cid = r.json()["id"]
        r = pc.api("GET", url)
        self.assertEqual(r.status, 200, r)
        self.assertEqual([g["title"] for g in r.json()["goals"]], ["Sleep before midnight"])
        seen = reads(mc)
        self.assertEqual(len(seen), 1)
        self.assertEqual((seen[0]["category"], seen[0]["object"]), ("goals", f"goals:{member.id}"))
        mc.api("DELETE", f"/api/v1/me/consents/{cid}")
        self.assertEqual(pc.api("GET", url).status, 404)
        self.assertEqual(len(reads(mc)), 1)


class DaysTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def today(self):
        return datetime.datetime.fromtimestamp(self.srv.clock(), datetime.timezone.utc).date()

    def day(self, offset):
        return (self.today() + datetime.timedelta(days=offset)).isoformat()

    def test_no_start_yet(self):
        _, c = self.srv.signed_in("member")
        r = c.api("GET", "/api/v1/me/recovery")
        self.assertEqual(r.status, 200, r)
        d = r.json()
        self.assertIsNone(d["start_date"])
        self.assertEqual((d["current_days"], d["longest_days"], d["total_days"]), (0, 0, 0))
        self.assertEqual(d["milestones"], [])
        self.assertFalse(d["share_milestones"])
        self.assertIn("Add your recovery start date below", c.get("/recovery").text)
        r = c.api("POST", "/api/v1/me/recovery/relapses", {"date": self.day(0)})
        self.assertEqual(r.status, 422)
        self.assertEqual(r.json()["error"]["field"], "date")

    def test_relapse_keeps_history(self):
        _, c = self.srv.signed_in("member")
        r = c.api("PATCH", "/api/v1/me/recovery", {"start_date": self.day(-30)})
        self.assertEqual(r.status, 200, r)
        d = r.json()
        self.assertEqual((d["current_days"], d["longest_days"], d["total_days"]), (30, 30, 30))
        self.assertEqual([m["days"] for m in d["milestones"]], [30, 7, 1])
        self.assertEqual(d["milestones"][0]["date"], self.day(0))
        self.assertEqual(d["next_milestone"]["days"], 60)
        self.assertEqual(d["next_milestone"]["days_to_go"], 30)

        r = c.api("POST", "/api/v1/me/recovery/relapses",
                  {"date": self.day(-10), "reflection": "A hard anniversary"})
        self.assertEqual(r.status, 201, r)
        d = r.json()
        # 20 days, then the relapse day, then 9 days: nothing before it is lost.
        self.assertEqual((d["current_days"], d["longest_days"], d["total_days"]), (9, 20, 29))
        self.assertEqual(d["run_start"], self.day(-9))
        self.assertEqual([(m["days"], m["current_run"]) for m in d["milestones"]],
                         [(7, True), (1, True), (7, False), (1, False)])
        self.assertEqual(d["relapses"][0]["date"], self.day(-10))
        self.assertEqual(d["relapses"][0]["reflection"], "A hard anniversary")
        self.assertEqual(d["next_milestone"]["days"], 30)

        # The same day twice counts once; a relapse today leaves the runs standing.
        c.api("POST", "/api/v1/me/recovery/relapses", {"date": self.day(-10)})
        r = c.api("POST", "/api/v1/me/recovery/relapses", {"date": self.day(0)})
        d = r.json()
        self.assertEqual((d["current_days"], d["longest_days"], d["total_days"]), (0, 20, 29))
        self.assertEqual(len(d["relapses"]), 3)

        page = c.get("/recovery").text
        self.assertIn("20 days", page)
        self.assertIn("29 days", page)
        self.assertIn("A hard anniversary", page)
        self.assertIn("from an earlier run", page)

    def test_invalid_input(self):
        _, c = self.srv.signed_in("member")
        for body, field in (({"start_date": "yesterday"}, "start_date"),
                            ({"start_date": self.day(1)}, "start_date"),
                            ({"start_date": 20260101}, "start_date"),
                            ({"share_milestones": "yes"}, "share_milestones"),
                            ({"colour": "red"}, "colour")):
            with self.subTest(body=body):
                r = c.api("PATCH", "/api/v1/me/recovery", body)
                self.assertEqual(r.status, 422, r)
                self.assertEqual(r.json()["error"]["field"], field)
        c.api("PATCH", "/api/v1/me/recovery", {"start_date": self.day(-5)})
        for body, field in (({"date": self.day(1)}, "date"), ({"date": self.day(-6)}, "date"),
                            ({"date": "2026-13-01"}, "date"), ({}, "date"),
                            ({"date": self.day(0), "reflection": "x" * 2001}, "reflection"),
                            ({"date": self.day(0), "reflection": 7}, "reflection"),
                            ({"date": self.day(0), "mood": 2}, "mood")):
            with self.subTest(body=body):
                r = c.api("POST", "/api/v1/me/recovery/relapses", body)
                self.assertEqual(r.status, 422, r)
                self.assertEqual(r.json()["error"]["field"], field)
        self.assertEqual(c.api("GET", "/api/v1/me/recovery").json()["relapses"], [])

    def test_pages_and_celebration(self):
        user, c = self.srv.signed_in("member")
        r = c.form("/recovery/start", {"start_date": self.day(-7), "share_milestones": "1"})
        self.assertEqual(r.status, 303, r)
        page = c.get("/recovery?saved=start").text
        self.assertIn("Today you reached 7 days. That's worth celebrating!", page)
        self.assertIn("7 days", page)
        self.assertRegex(page, r'name="share_milestones" value="1"[^>]*checked')
        self.assertTrue(c.api("GET", "/api/v1/me/recovery").json()["share_milestones"])
        # Opting out again: the box unticked.
        c.form("/recovery/start", {"start_date": self.day(-7)})
        self.assertFalse(c.api("GET", "/api/v1/me/recovery").json()["share_milestones"])
        # Tomorrow the celebration is over and the count moves on.
        now = self.srv.clock()
        try:
            self.srv.clock(advance=86400)
            self.assertEqual(c.login(user.email).status, 200)
            page = c.get("/recovery").text
            self.assertNotIn("worth celebrating", page)
            self.assertIn("8 days", page)
        finally:
            self.srv.clock(set=now)
        r = c.form("/recovery/relapses", {"date": self.day(-2), "reflection": "stress at work"})
        self.assertEqual(r.status, 303, r)
        page = c.get("/recovery?saved=relapse").text
        self.assertIn("Thank you for being honest with yourself", page)
        self.assertIn("stress at work", page)
        r = c.form("/recovery/relapses", {"date": self.day(3)})
        self.assertEqual(r.status, 422)
        self.assertIn('id="date-error"', r.text)
        r = c.form("/recovery/start", {"start_date": "not a date"})
        self.assertEqual(r.status, 422)
        self.assertRegex(r.text, r'id="start_date"[^>]*aria-invalid="true"')
        c.cookies["lang"] = "es"
        page = c.get("/recovery").text
        self.assertIn("Si consumiste", page)
        self.assertIn("Racha más larga", page)

    def test_milestones_shared_by_consent_without_reflections(self):
        member, mc = self.srv.signed_in("member", name="Mia")
        peer, pc = self.srv.signed_in("peer_supporter", name="Ana")
        mc.api("PATCH", "/api/v1/me/recovery", {"start_date": self.day(-40)})
        mc.api("POST", "/api/v1/me/recovery/relapses", {"date": self.day(-3),
                                                        "reflection": "private words"})
        url = f"/api/v1/members/{member.id}/milestones"
        self.assertEqual(pc.api("GET", url).status, 404)
        r = mc.api("POST", "/api/v1/me/consents", {"grantee_user_id": peer.id,
                                                   "category": "milestones", "purpose": "cheer"})
        cid = r.json()["id"]
        r = pc.api("GET", url)
        self.assertEqual(r.status, 200, r)
        d = r.json()
        self.assertEqual(d["longest_days"], 37)
        self.assertNotIn("relapses", d)
        self.assertNotIn("private words", r.text)
        self.assertEqual(reads(mc)[0]["object"], f"milestones:{member.id}")
        mc.api("DELETE", f"/api/v1/me/consents/{cid}")
        self.assertEqual(pc.api("GET", url).status, 404)

    @unittest.skipUnless(not os.environ.get("CIRCLES_TEST_DATABASE_URL"), "reads the SQLite file")
    def test_encrypted_at_rest(self):
        _, c = self.srv.signed_in("member")
        c.api("PATCH", "/api/v1/me/recovery", {"start_date": self.day(-3)})
        c.api("POST", "/api/v1/me/recovery/relapses", {"date": self.day(-1),
                                                       "reflection": "argument with my brother"})
        c.api("POST", "/api/v1/goals", {"title": "Apologise to my brother"})
        with open(self.srv.database_url[len("sqlite:"):], "rb") as f:
            raw = f.read()
        for word in (b"argument with", b"Apologise to"):
            self.assertNotIn(word, raw)
        db = sqlite3.connect(self.srv.database_url[len("sqlite:"):])
        try:
            n = db.execute("SELECT COUNT(*) FROM recovery_events WHERE reflection_enc IS NOT NULL"
                           ).fetchone()[0]
        finally:
            db.close()
        self.assertGreaterEqual(n, 1)

    def test_export(self):
        _, c = self.srv.signed_in("member")
        c.api("PATCH", "/api/v1/me/recovery", {"start_date": self.day(-3)})
        c.api("POST", "/api/v1/me/recovery/relapses", {"date": self.day(-1), "reflection": "noted"})
        c.api("POST", "/api/v1/goals", {"title": "Rest"})
        doc = c.api("GET", "/api/v1/me/export").json()
        self.assertEqual(doc["goals"][0]["title"], "Rest")
        self.assertEqual(doc["recovery"]["start_date"], self.day(-3))
        self.assertEqual(doc["recovery"]["relapses"][0]["reflection"], "noted")


if __name__ == "__main__":
    unittest.main()
