"""Mentor and partner matching through the web flow, against the real server.

Members fill a matching profile (API and page, one checker); only members who
opted in are in the pool, and only they are visible to coordinators, each
read audited.  A coordinator presses "Suggest pairs": the server builds the
engine's input from the profiles (trained, days in recovery from the days
module, capacity counting current mentees, rejected pairs blocked) and stores
the engine's optimal answer, which must equal `circles match` on the same
input.  Approving creates a mentorship and tells both people by email;
rejecting blocks the pair for good.
"""
import datetime
import json
import subprocess
import tempfile
import unittest

from circles import BINARY, CirclesServer

BASE = {"opted_in": True, "seeks": "mentor", "languages": ["en"]}


class MatchingFlowTest(unittest.TestCase):
    def setUp(self):
        # One network per test: the pool is the whole network.
        self.srv = CirclesServer().start()
        _, self.coord = self.srv.signed_in("coordinator")

    def tearDown(self):
        self.srv.close()

    # ---- helpers ----

    def day(self, offset):
        today = datetime.datetime.fromtimestamp(self.srv.clock(), datetime.timezone.utc).date()
        return (today + datetime.timedelta(days=offset)).isoformat()

    def person(self, name, role="member", join=True, **profile):
        u, c = self.srv.signed_in(role, name=name)
        c.uid, c.name, c.email = u.id, name, u.email
        if join:
            r = c.api("PUT", "/api/v1/me/matching-profile", {**BASE, **profile})
            self.assertEqual(r.status, 200, r)
        return c

    def mentor(self, name, days=400, trained=True, capacity=1, role="peer_supporter", **profile):
        c = self.person(name, role, seeks="mentee", capacity=capacity, **profile)
        if days is not None:
            r = c.api("PATCH", "/api/v1/me/recovery", {"start_date": self.day(-days)})
            self.assertEqual(r.status, 200, r)
        if trained:
            r = self.coord.api("PUT", f"/api/v1/coordinator/matching/mentors/{c.uid}",
                               {"trained": True})
            self.assertEqual(r.status, 204, r)
        return c

    def min_days(self, n):
        r = self.coord.api("PUT", "/api/v1/coordinator/matching/settings",
                           {"min_recovery_days": n})
        self.assertEqual(r.status, 200, r)

    def suggest(self):
        r = self.coord.api("POST", "/api/v1/coordinator/matching/suggest", {})
        self.assertEqual(r.status, 200, r)
        return r.json()

    def pairs(self, result):
        return sorted((s["seeker"]["id"], s["mentor"]["id"]) for s in result["suggestions"])

    def reads(self, c):
        r = c.api("GET", "/api/v1/me/audit?limit=200")
        self.assertEqual(r.status, 200, r)
        return [e for e in r.json()["entries"] if e["action"] == "read"]

    # ---- the member's profile ----

    def test_profile_save_and_validation(self):
        c = self.person("Ana", join=False)
        r = c.api("GET", "/api/v1/me/matching-profile")
        self.assertEqual(r.status, 200, r)
        self.assertIsNone(r.json()["profile"])
        r = c.api("PUT", "/api/v1/me/matching-profile", {
            "opted_in": True, "seeks": "mentor", "languages": ["es", "en", "es"],
            "gender": "woman", "wants_gender": "woman", "pathway": "smart",
            "tags": ["veteran", "parent"], "age_band": "25-34", "region": "  North Side ",
            "lat": 39.1, "lon": -84.5, "availability": [[1, 18, 21], [3, 9, 12]]})
        self.assertEqual(r.status, 200, r)
        p = r.json()["profile"]
        self.assertEqual(p["languages"], ["en", "es"])
        self.assertEqual(p["tags"], ["parent", "veteran"])
        self.assertEqual(p["region"], "north side")
        self.assertEqual(p["capacity"], 0)
        self.assertEqual(c.api("GET", "/api/v1/me/matching-profile").json()["profile"], p)

        bad = [({"seeks": "boss"}, "seeks"), ({"languages": []}, "languages"),
               ({"languages": ["xx"]}, "languages"), ({"gender": "x"}, "gender"),
               ({"wants_gender": 3}, "wants_gender"), ({"pathway": "magic"}, "pathway"),
               ({"tags": ["astronaut"]}, "tags"), ({"age_band": "12"}, "age_band"),
               ({"region": "x" * 61}, "region"), ({"lat": 39.0}, "lon"),
               ({"lat": 100, "lon": 0}, "lat"), ({"availability": [[7, 1, 2]]}, "availability"),
               ({"availability": [[1, 5, 5]]}, "availability"),
               ({"seeks": "mentee", "capacity": 0}, "capacity"),
               ({"seeks": "mentee", "capacity": 11}, "capacity"),
               ({"seeks": "mentee"}, "capacity"), ({"opted_in": "yes"}, "opted_in"),
               ({"wants_gendr": "man"}, "wants_gendr")]
        for body, field in bad:
            with self.subTest(body=body):
                r = c.api("PUT", "/api/v1/me/matching-profile", {**BASE, **body})
                self.assertEqual(r.status, 422, r)
                self.assertEqual(r.json()["error"]["field"], field)
        # Nothing was half-saved.
        self.assertEqual(c.api("GET", "/api/v1/me/matching-profile").json()["profile"], p)

        # The page: no JavaScript needed, English and Spanish, errors marked.
        page = c.get("/matching/profile")
        self.assertEqual(page.status, 200, page)
        self.assertIn("Find a mentor or a partner", page.text)
        self.assertIn('value="north side"', page.text)
        c.cookies["lang"] = "es"
        es = c.get("/matching/profile")
        del c.cookies["lang"]
        self.assertIn("Encuentra un mentor o un compañero", es.text)
        r = c.form("/matching/profile", {"opted_in": "1", "seeks": "mentor", "lang_en": "1",
                                         "lat": "north", "lon": "3"})
        self.assertEqual(r.status, 422, r)
        self.assertIn('id="lat" name="lat" type="text" inputmode="decimal" value="north" '
                      'aria-invalid="true"', r.text)
        r = c.form("/matching/profile", {"opted_in": "1", "seeks": "peer", "lang_es": "1",
                                         "tag_grief": "1", "avail_1_evening": "1",
                                         "avail_0_morning": "1", "age_band": "65+",
                                         "lat": "", "lon": ""})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(r.header("location"), "/matching/profile?done=saved")
        p = c.api("GET", "/api/v1/me/matching-profile").json()["profile"]
        self.assertEqual((p["seeks"], p["languages"], p["tags"], p["age_band"], p["lat"]),
                         ("peer", ["es"], ["grief"], "65+", None))
        self.assertEqual(sorted(p["availability"]), [[0, 8, 12], [1, 17, 21]])

    # ---- the pool ----

    def test_not_opted_in_members_are_never_in_the_pool(self):
        self.min_days(0)
        out = self.person("Out", opted_in=False)
        inn = self.person("In")
        m = self.mentor("Mia", capacity=5)
        res = self.suggest()
        self.assertEqual(self.pairs(res), [(inn.uid, m.uid)])
        # Coordinators cannot see a profile that is not in the pool, and see one that is.
        r = self.coord.api("GET", f"/api/v1/coordinator/matching/profiles/{out.uid}")
        self.assertEqual(r.status, 404, r)
        r = self.coord.api("GET", f"/api/v1/coordinator/matching/profiles/{inn.uid}")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["profile"]["languages"], ["en"])
        # Coordinators cannot mark a member who is not in the pool either.
        r = self.coord.api("PUT", f"/api/v1/coordinator/matching/mentors/{out.uid}",
                           {"trained": True})
        self.assertEqual(r.status, 404, r)
        # Each coordinator read is in the member's "who saw my data"; none for the other.
        seen = self.reads(inn)
        self.assertIn(f"matching_profile:{inn.uid}", [e["object"] for e in seen])
        sid = res["suggestions"][0]["id"]
        self.assertIn(f"matching_suggestion:{sid}", [e["object"] for e in seen])
        self.assertTrue(all(e["category"] == "matching" for e in seen))
        self.assertEqual([e for e in self.reads(out) if e["category"] == "matching"], [])
        # Opting out later takes the member out of the pool and out of sight.
        r = inn.api("PUT", "/api/v1/me/matching-profile", {**BASE, "opted_in": False})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.coord.api("GET", "/api/v1/coordinator/matching").json()
                         ["suggestions"], [])
        self.assertEqual(self.suggest()["suggestions"], [])
        r = self.coord.api("GET", f"/api/v1/coordinator/matching/profiles/{inn.uid}")
        self.assertEqual(r.status, 404, r)

    def test_hard_constraints(self):
        self.min_days(365)
        s1 = self.person("Sol", region="east")
        s2 = self.person("Sue", wants_gender="woman")
        s3 = self.person("Fae", languages=["fr"])
        a = self.mentor("Al", gender="man", capacity=1, region="east")
        b = self.mentor("Bea", gender="woman", trained=False, capacity=2)
        c = self.mentor("Cat", gender="woman", days=100, capacity=2)
        # Sue wants a woman: Bea is not trained, Cat is too new.  Fae shares no language.
        res = self.suggest()
        self.assertEqual(self.pairs(res), [(s1.uid, a.uid)])
        self.assertEqual(res["unmatched"], 2)
        # Training is the coordinator's to set, never the member's.
        r = b.api("PUT", "/api/v1/me/matching-profile",
                  {**BASE, "seeks": "mentee", "capacity": 2, "trained": True})
        self.assertEqual(r.status, 422, r)
        r = b.api("PUT", f"/api/v1/coordinator/matching/mentors/{b.uid}", {"trained": True})
        self.assertEqual(r.status, 403, r)
        r = self.coord.api("PUT", f"/api/v1/coordinator/matching/mentors/{b.uid}",
                           {"trained": True})
        self.assertEqual(r.status, 204, r)
        self.assertEqual(self.pairs(self.suggest()), sorted([(s1.uid, a.uid), (s2.uid, b.uid)]))
        # The minimum days are the network's setting.
        self.min_days(50)
        mentors = {m["id"]: m for m in self.coord.api(
            "GET", "/api/v1/coordinator/matching").json()["mentors"]}
        # Coordinators see whether a mentor meets the minimum, never the count (a
        # count falling back to zero would tell them of a relapse).
        self.assertTrue(mentors[c.uid]["meets_min_days"])
        self.assertNotIn("recovery_days", mentors[c.uid])
        self.min_days(101)
        mentors = {m["id"]: m for m in self.coord.api(
            "GET", "/api/v1/coordinator/matching").json()["mentors"]}
        self.assertFalse(mentors[c.uid]["meets_min_days"])
        self.min_days(50)
        self.assertTrue(mentors[b.uid]["trained"])
        res = self.suggest()
        self.assertIn(dict(self.pairs(res))[s2.uid], (b.uid, c.uid))
        # Capacity counts current mentees: once Al has Sol, Al (capacity 1) is full.
        sid = [s["id"] for s in res["suggestions"] if s["seeker"]["id"] == s1.uid][0]
        r = self.coord.api("POST", f"/api/v1/coordinator/matching/suggestions/{sid}/approve", {})
        self.assertEqual(r.status, 200, r)
        s4 = self.person("Dee")
        res = self.suggest()
        self.assertNotIn(a.uid, [m for _, m in self.pairs(res)])
        self.assertNotIn(s1.uid, [s for s, _ in self.pairs(res)])
        self.assertIn(s4.uid, [s for s, _ in self.pairs(res)])
        mentors = {m["id"]: m for m in self.coord.api(
            "GET", "/api/v1/coordinator/matching").json()["mentors"]}
        self.assertEqual((mentors[a.uid]["current"], mentors[a.uid]["capacity"]), (1, 1))
        # Ending the mentorship frees the slot again.
        mid = s1.api("GET", "/api/v1/me/matching-profile").json()["mentorships"][0]["id"]
        self.assertEqual(s1.api("DELETE", f"/api/v1/me/mentorships/{mid}").status, 204)
        self.assertIn(a.uid, [m for _, m in self.pairs(self.suggest())])

    def test_members_offering_to_mentor_need_a_role_or_approval(self):
        self.min_days(0)
        s = self.person("Sam")
        m = self.mentor("Max", role="member", capacity=2)
        self.assertEqual(self.suggest()["suggestions"], [])
        r = self.coord.api("PUT", f"/api/v1/coordinator/matching/mentors/{m.uid}",
                           {"approved": True})
        self.assertEqual(r.status, 204, r)
        self.assertEqual(self.pairs(self.suggest()), [(s.uid, m.uid)])
        for body in ({}, {"trained": "yes"}, {"trained": True, "colour": 1}):
            r = self.coord.api("PUT", f"/api/v1/coordinator/matching/mentors/{m.uid}", body)
            self.assertEqual(r.status, 422, (body, r))

    def test_suggestions_are_the_engines_optimum(self):
        self.min_days(0)
        # Greedy would give Ivy her best mentor (Kim) and leave Joe with nobody.
        ivy = self.person("Ivy", languages=["en", "es"], pathway="smart", tags=["parent"],
                          age_band="35-44", region="north",
                          availability=[[1, 18, 22]])
        joe = self.person("Joe", languages=["es"], tags=["parent"], region="north")
        kim = self.mentor("Kim", languages=["en", "es"], pathway="smart", tags=["parent"],
                          age_band="35-44", region="north", availability=[[1, 17, 21]])
        lou = self.mentor("Lou", languages=["en"], age_band="45-54")
        res = self.suggest()
        self.assertEqual(self.pairs(res), sorted([(ivy.uid, lou.uid), (joe.uid, kim.uid)]))
        by_seeker = {s["seeker"]["id"]: s for s in res["suggestions"]}
        self.assertEqual(by_seeker[joe.uid]["score"], 2.5)
        self.assertEqual(by_seeker[joe.uid]["reasons"],
                         ["shared experience: Being a parent", "same area"])
        self.assertEqual(by_seeker[ivy.uid]["reasons"], ["close in age"])
        # The same network through `circles match` gives the same answer.
        doc = {"seekers": [
            {"id": str(ivy.uid), "languages": ["en", "es"], "pathway": "smart",
             "tags": ["parent"], "age": 40, "region": "north", "availability": [[1, 18, 22]]},
            {"id": str(joe.uid), "languages": ["es"], "tags": ["parent"], "region": "north"}],
            "mentors": [
            {"id": str(kim.uid), "languages": ["en", "es"], "pathway": "smart",
             "tags": ["parent"], "age": 40, "region": "north", "availability": [[1, 17, 21]],
             "capacity": 1, "trained": True, "recovery_days": 400},
            {"id": str(lou.uid), "languages": ["en"], "age": 50, "capacity": 1,
             "trained": True, "recovery_days": 400}]}
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            json.dump(doc, f)
            f.flush()
            cli = json.loads(subprocess.run([BINARY, "match", f.name], check=True,
                                            stdout=subprocess.PIPE, text=True).stdout)
        self.assertEqual(sorted((int(a["seeker"]), int(a["mentor"]), a["score"])
                                for a in cli["assignments"]),
                         sorted((s["seeker"]["id"], s["mentor"]["id"], s["score"])
                                for s in res["suggestions"]))
        # The coordinator's page shows them with translated reasons.
        self.coord.cookies["lang"] = "es"
        page = self.coord.get("/coordinator/matching")
        del self.coord.cookies["lang"]
        self.assertEqual(page.status, 200, page)
        self.assertIn("experiencia compartida: Ser madre o padre", page.text)
        self.assertIn("Joe → Kim", page.text)

    # ---- decisions ----

    def test_days_in_recovery_are_the_mentors_own_count(self):
        """Review: the mentors' days in recovery (shown to coordinators, and the
        minimum-days rule) were counted on UTC's date, not the member's own, so in the
        hours when the two dates differ they were a day off the member's days page."""
        # 03:00 UTC on the 21st is still the 20th in Honolulu
        self.srv.clock(set=int(datetime.datetime(2030, 5, 21, 3, 0,
                                                 tzinfo=datetime.timezone.utc).timestamp()))
        _, self.coord = self.srv.signed_in("coordinator")   # the jump ended the old session
        m = self.mentor("Hana", days=None)
        r = m.api("PATCH", "/api/v1/me/reminders", {"time_zone": "Pacific/Honolulu"})
        self.assertEqual(r.status, 200, r)
        r = m.api("PATCH", "/api/v1/me/recovery", {"start_date": "2029-05-20"})
        self.assertEqual(r.status, 200, r)
        own = m.api("GET", "/api/v1/me/recovery").json()["current_days"]
        self.assertEqual(own, 365)
        self.min_days(365)
        mentors = {x["id"]: x for x in self.coord.api(
            "GET", "/api/v1/coordinator/matching").json()["mentors"]}
        self.assertTrue(mentors[m.uid]["meets_min_days"])
        # and the rule agrees: a minimum of 366 days leaves her out
        self.min_days(366)
        self.person("Seeker")
        self.assertEqual(self.suggest()["suggestions"], [])

    def test_two_coordinators_suggesting_at_once_leave_one_answer(self):
        """Review: "Suggest pairs" deletes the open suggestions and stores the new
        answer in one transaction, but two runs at once on PostgreSQL (READ COMMITTED)
        each deleted only what was there before the other committed, so both answers
        stayed: every pair suggested twice.  The runs now take the matching lock."""
        import threading
        for i in range(3):
            self.person(f"Seeker{i}")
            self.mentor(f"Mentor{i}")
        _, coord2 = self.srv.signed_in("coordinator")
        for attempt in range(6):
            if attempt % 2:
                # a reject between rounds leaves nothing open to wait on
                for s in self.coord.api("GET", "/api/v1/coordinator/matching").json()[
                        "suggestions"]:
                    self.coord.api("POST", "/api/v1/coordinator/matching/suggestions/"
                                   f"{s['id']}/reject", {})
            barrier, out = threading.Barrier(2), []

            def run(c):
                barrier.wait()
                out.append(c.api("POST", "/api/v1/coordinator/matching/suggest", {}).status)

            ts = [threading.Thread(target=run, args=(c,)) for c in (self.coord, coord2)]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
            self.assertEqual(out, [200, 200])
            got = self.pairs(self.coord.api("GET", "/api/v1/coordinator/matching").json())
            self.assertEqual(len(got), len(set(got)), f"round {attempt}: {got}")

    def test_approve_creates_a_mentorship_and_tells_both(self):
        self.min_days(0)
        s = self.person("Rae")
        m = self.mentor("Ola", capacity=2)
        sid = self.suggest()["suggestions"][0]["id"]
        r = self.coord.api("POST", f"/api/v1/coordinator/matching/suggestions/{sid}/approve", {})
        self.assertEqual(r.status, 200, r)
        mid = r.json()["mentorship_id"]
        mine = s.api("GET", "/api/v1/me/matching-profile").json()["mentorships"]
        self.assertEqual([(x["id"], x["role"], x["other"]["display_name"]) for x in mine],
                         [(mid, "seeker", "Ola")])
        theirs = m.api("GET", "/api/v1/me/matching-profile").json()["mentorships"]
        self.assertEqual([(x["id"], x["role"], x["other"]["display_name"]) for x in theirs],
                         [(mid, "mentor", "Rae")])
        self.assertIn("Your mentor", s.get("/matching/profile").text)
        # A discreet email to each of them, through the job queue.
        for who, other in ((s, "Ola"), (m, "Rae")):
            mail = self.srv.smtp.wait_for(1, predicate=lambda x: x["To"] == who.email)[0]
            body = mail.get_content()
            self.assertIn(other, body)
            for word in ("recovery", "mentor", "sober", "addiction"):
                self.assertNotIn(word, (mail["Subject"] + body).lower())
        # Decided once: a second approval finds nothing open.
        r = self.coord.api("POST", f"/api/v1/coordinator/matching/suggestions/{sid}/approve", {})
        self.assertEqual(r.status, 404, r)
        listing = self.coord.api("GET", "/api/v1/coordinator/matching").json()
        self.assertEqual([x["id"] for x in listing["mentorships"]], [mid])
        # Both find it in their copy of their data.
        doc = s.api("GET", "/api/v1/me/export").json()["matching"]
        self.assertEqual(doc["profile"]["seeks"], "mentor")
        self.assertEqual([(x["role"], x["other"], x["state"]) for x in doc["mentorships"]],
                         [("seeker", "Ola", "active")])
        doc = m.api("GET", "/api/v1/me/export").json()["matching"]
        self.assertTrue(doc["coordinator_decisions"]["trained"])
        # A mentorship shares nothing by itself.
        s.api("POST", "/api/v1/checkins", {"mood": 3})
        self.assertEqual(m.api("GET", f"/api/v1/members/{s.uid}/checkins").status, 404)
        # Another member cannot end it; the mentor can.
        other = self.person("Zed", join=False)
        self.assertEqual(other.api("DELETE", f"/api/v1/me/mentorships/{mid}").status, 404)
        self.assertEqual(m.api("DELETE", f"/api/v1/me/mentorships/{mid}").status, 204)
        self.assertEqual(s.api("GET", "/api/v1/me/matching-profile").json()["mentorships"], [])

    def test_rejected_pair_is_never_suggested_again(self):
        self.min_days(0)
        s = self.person("Kai")
        m = self.mentor("Lia", capacity=3)
        res = self.suggest()
        self.assertEqual(self.pairs(res), [(s.uid, m.uid)])
        sid = res["suggestions"][0]["id"]
        r = self.coord.api("POST", f"/api/v1/coordinator/matching/suggestions/{sid}/reject", {})
        self.assertEqual(r.status, 204, r)
        self.assertEqual(self.coord.api(
            "POST", f"/api/v1/coordinator/matching/suggestions/{sid}/approve", {}).status, 404)
        self.assertEqual(self.suggest()["suggestions"], [])
        # Not after either of them edits their profile, nor after many runs.
        r = s.api("PUT", "/api/v1/me/matching-profile", {**BASE, "tags": ["parent"]})
        self.assertEqual(r.status, 200, r)
        for _ in range(3):
            self.assertEqual(self.suggest()["suggestions"], [])
        n = self.mentor("Noa", capacity=1)
        self.assertEqual(self.pairs(self.suggest()), [(s.uid, n.uid)])

    def test_peer_partners(self):
        p = [self.person(n, seeks="peer") for n in ("Pia", "Quin", "Ros")]
        res = self.suggest()
        self.assertEqual(len(res["suggestions"]), 1, res)
        pair = res["suggestions"][0]
        self.assertEqual(pair["kind"], "peer")
        self.assertNotEqual(pair["seeker"]["id"], pair["mentor"]["id"])
        self.assertEqual(res["unmatched"], 1)
        r = self.coord.api("POST",
                           f"/api/v1/coordinator/matching/suggestions/{pair['id']}/approve", {})
        self.assertEqual(r.status, 200, r)
        # Both are now partnered: the third is left, and nobody is suggested twice.
        self.assertEqual(self.suggest()["suggestions"], [])
        kinds = [x["kind"] for c in p for x in
                 c.api("GET", "/api/v1/me/matching-profile").json()["mentorships"]]
        self.assertEqual(kinds, ["peer", "peer"])

    def test_coordinator_page_flow(self):
        s = self.person("Una")
        m = self.mentor("Vic", capacity=1)
        page = self.coord.get("/coordinator/matching")
        self.assertEqual(page.status, 200, page)
        self.assertIn("Vic", page.text)
        r = self.coord.form("/coordinator/matching/settings", {"min_recovery_days": "-1"})
        self.assertEqual(r.status, 422, r)
        self.assertIn('aria-invalid="true"', r.text)
        r = self.coord.form("/coordinator/matching/settings", {"min_recovery_days": "30"})
        self.assertEqual((r.status, r.header("location")), (303, "/coordinator/matching?done=saved"))
        r = self.coord.form("/coordinator/matching/suggest", {})
        self.assertEqual(r.status, 303, r)
        page = self.coord.get("/coordinator/matching?done=suggested")
        self.assertIn("Una → Vic", page.text)
        sid = self.coord.api("GET", "/api/v1/coordinator/matching").json()["suggestions"][0]["id"]
        r = self.coord.form(f"/coordinator/matching/suggestions/{sid}/approve", {})
        self.assertEqual((r.status, r.header("location")),
                         (303, "/coordinator/matching?done=approved"))
        page = self.coord.get("/coordinator/matching?done=approved")
        self.assertIn("Approved. Both people have been told.", page.text)
        self.assertIn("No open suggestions", page.text)
        self.assertEqual(len(s.api("GET", "/api/v1/me/matching-profile").json()["mentorships"]), 1)
        self.assertEqual(m.uid, s.api("GET", "/api/v1/me/matching-profile").json()
                         ["mentorships"][0]["other"]["id"])

    # ---- access ----

    def test_members_see_only_their_own(self):
        a = self.person("Ari", pathway="faith", tags=["lgbtq"])
        b = self.person("Bo", seeks="peer")
        for role in ("member", "peer_supporter", "facilitator", "clinician"):
            _, c = self.srv.signed_in(role)
            with self.subTest(role=role):
                self.assertEqual(c.get("/coordinator/matching").status, 403)
                r = c.api("GET", f"/api/v1/coordinator/matching/profiles/{a.uid}")
                self.assertEqual(r.status, 403, r)
                self.assertEqual(c.api("POST", "/api/v1/coordinator/matching/suggest",
                                       {}).status, 403)
        # b's own profile endpoint never shows a's data.
        self.assertIsNone(b.api("GET", "/api/v1/me/matching-profile").json()["profile"]
                          ["pathway"])
        self.assertNotIn("selected>Faith-based", b.get("/matching/profile").text)
        self.assertIn('value="faith" selected>Faith-based', a.get("/matching/profile").text)
        _, admin = self.srv.signed_in("admin")
        self.assertEqual(admin.api("GET", f"/api/v1/coordinator/matching/profiles/{a.uid}")
                         .json()["profile"]["tags"], ["lgbtq"])
        self.assertEqual(len([e for e in self.reads(a) if e["category"] == "matching"]), 1)


if __name__ == "__main__":
    unittest.main()
