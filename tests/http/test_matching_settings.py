"""Matching, the network's side, against the real server: the score weights a
coordinator sets (API and page, with limits and clear errors; changing them
changes the suggestions, which still equal `circles match` given the same
weights), pools of one chapter, the approval notice by text message through a
local stand-in for the SMS gateway (for members with a verified number and no
email, or who asked for texts), and the demo network's matching data.
"""
import json
import os
import subprocess
import tempfile
import time
import unittest

from circles import BINARY, PASSWORD, CirclesServer
from test_sms import SmsBase

BASE = {"opted_in": True, "seeks": "mentor", "languages": ["en"]}
FORBIDDEN = ("recovery", "mentor", "sober", "addiction", "relapse")


def set_email_null(srv, uid):
    """Make uid a phone-only member (no way to do that over HTTP), bypassing Circles."""
    srv.sql(f"UPDATE users SET email = NULL WHERE id = {int(uid)}")


class People:
    """Helpers shared by the tests: people with profiles, mentors, suggestions."""

    def person(self, name, role="member", chapter=None, join=True, **profile):
        if chapter is None:
            u, c = self.srv.signed_in(role, name=name)
            uid, email = u.id, u.email
        else:
            People.n = getattr(People, "n", 0) + 1
            email = f"{name.lower()}{People.n}-{os.getpid()}@example.org"
            r = self.srv.run("user", "add", email, "--role", role, "--name", name,
                             "--chapter", chapter, input=PASSWORD + "\n")
            uid = int(r.stdout.split()[2])
            c = self.srv.client()
            self.assertEqual(c.login(email).status, 200)
        c.uid, c.name, c.email = uid, name, email
        if join:
            r = c.api("PUT", "/api/v1/me/matching-profile", {**BASE, **profile})
            self.assertEqual(r.status, 200, r)
        return c

    def mentor(self, name, capacity=1, role="peer_supporter", chapter=None, **profile):
        c = self.person(name, role, chapter, seeks="mentee", capacity=capacity, **profile)
        r = self.coord.api("PUT", f"/api/v1/coordinator/matching/mentors/{c.uid}",
                           {"trained": True})
        self.assertEqual(r.status, 204, r)
        return c

    def settings(self, body, status=200):
        r = self.coord.api("PUT", "/api/v1/coordinator/matching/settings", body)
        self.assertEqual(r.status, status, r)
        return r.json() if status == 200 else r

    def suggest(self, body=None, status=200):
        r = self.coord.api("POST", "/api/v1/coordinator/matching/suggest", body or {})
        self.assertEqual(r.status, status, r)
        return r.json() if status == 200 else r

    @staticmethod
    def pairs(result):
        return sorted((s["seeker"]["id"], s["mentor"]["id"]) for s in result["suggestions"])


class WeightsTest(People, unittest.TestCase):
    def setUp(self):
        self.srv = CirclesServer().start()
        self.coord_user, self.coord = self.srv.signed_in("coordinator")
        self.settings({"min_recovery_days": 0})

    def audited(self):
        """Saved changes of the matching settings in the audit chain, by this coordinator."""
        return len(self.srv.sql("SELECT a.id FROM audit_log a JOIN users u ON u.pseudonym = "
                                f"a.actor WHERE u.id = {int(self.coord_user.id)} AND "
                                "a.action = 'matching.settings' AND a.subject IS NULL"))

    def tearDown(self):
        self.srv.close()

    def test_defaults_are_the_engines_constants(self):
        doc = self.coord.api("GET", "/api/v1/coordinator/matching").json()
        self.assertEqual(doc["weights"], {"pathway": 2, "hour": 0.5, "tag": 1.5, "region": 1,
                                          "near": 2, "age_similar": 1, "age_close": 0.5})
        self.assertEqual(doc["score_rules"]["score_max"], 13.5)
        self.assertEqual((doc["score_rules"]["hour_max"], doc["score_rules"]["tag_max"],
                          doc["score_rules"]["weight_max"]), (6, 3, 10))
        page = self.coord.get("/coordinator/matching")
        self.assertIn('id="w-pathway" name="w_pathway" type="text" inputmode="decimal" '
                      'value="2"', page.text)
        self.assertIn('name="w_hour" type="text" inputmode="decimal" value="0.5"', page.text)

    def test_changing_weights_changes_suggestions(self):
        ivy = self.person("Ivy", pathway="smart", tags=["parent"], region="north")
        kim = self.mentor("Kim", pathway="smart")
        lou = self.mentor("Lou", tags=["parent"])
        res = self.suggest()
        self.assertEqual(self.pairs(res), [(ivy.uid, kim.uid)])
        self.assertEqual(res["suggestions"][0]["score"], 2)
        # Shared experiences now count for more than the pathway.
        out = self.settings({"weights": {"tag": 3}})
        self.assertEqual(out["weights"]["tag"], 3)
        self.assertEqual(out["weights"]["pathway"], 2)      # the others stay
        self.assertEqual(out["min_recovery_days"], 0)        # and so do the days
        res = self.suggest()
        self.assertEqual(self.pairs(res), [(ivy.uid, lou.uid)])
        self.assertEqual(res["suggestions"][0]["score"], 3)
        self.assertEqual(res["suggestions"][0]["reasons"], ["shared experience: Being a parent"])
        # A part worth nothing is not given as a reason.
        self.settings({"weights": {"tag": 0, "pathway": 0.25}})
        res = self.suggest()
        self.assertEqual(self.pairs(res), [(ivy.uid, kim.uid)])
        self.assertEqual(res["suggestions"][0]["score"], 0.25)
        self.settings({"weights": {"pathway": 0}})
        by_seeker = self.suggest()["suggestions"]
        self.assertEqual([(s["score"], s["reasons"]) for s in by_seeker], [(0, [])])
        # The page says out of how much a suggestion scores under these weights:
        # 6 hours x 0.5 + region 1 + near 2 + age 1, pathway and tags off.
        self.assertIn("<strong>0</strong> out of 7</p>", self.coord.get("/coordinator/matching").text)

        # The same weights through `circles match` give the same answer.
        weights = {"pathway": 1.25, "tag": 2.5, "region": 0, "hour": 0.75}
        self.settings({"weights": weights})
        res = self.suggest()
        doc = {"seekers": [{"id": str(ivy.uid), "languages": ["en"], "pathway": "smart",
                            "tags": ["parent"], "region": "north"}],
               "mentors": [{"id": str(kim.uid), "languages": ["en"], "pathway": "smart",
                            "capacity": 1, "trained": True},
                           {"id": str(lou.uid), "languages": ["en"], "tags": ["parent"],
                            "capacity": 1, "trained": True}],
               "weights": {**weights, "near": 0, "age_similar": 1, "age_close": 0.5}}
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            json.dump(doc, f)
            f.flush()
            cli = json.loads(subprocess.run([BINARY, "match", f.name], check=True,
                                            stdout=subprocess.PIPE, text=True).stdout)
        self.assertEqual([(int(a["seeker"]), int(a["mentor"]), a["score"])
                          for a in cli["assignments"]],
                         [(s["seeker"]["id"], s["mentor"]["id"], s["score"])
                          for s in res["suggestions"]])
        self.assertEqual(cli["assignments"][0]["score"], 2.5)

    def test_limits_and_errors(self):
        before = self.settings({"min_recovery_days": 30, "weights": {"region": 1.5}})
        bad = [({"weights": {"tag": -1}}, "weights.tag"),
               ({"weights": {"tag": 10.5}}, "weights.tag"),
               ({"weights": {"near": 1.234}}, "weights.near"),
               ({"weights": {"hour": "2"}}, "weights.hour"),
               ({"weights": {"hour": None}}, "weights.hour"),
               ({"weights": {"colour": 1}}, "weights.colour"),
               ({"weights": [1, 2]}, "weights"),
               ({"weights": {"tag": 2}, "extra": 1}, "extra"),
               ({}, "settings"),
               # nothing half-saved: good days with a bad weight change nothing
               ({"min_recovery_days": 90, "weights": {"pathway": 3, "age_close": 11}},
                "weights.age_close")]
        for body, field in bad:
            with self.subTest(body=body):
                r = self.settings(body, status=422)
                self.assertEqual(r.json()["error"]["field"], field)
                if field.startswith("weights."):
                    self.assertIn("points from 0 to 10", r.json()["error"]["message"])
        doc = self.coord.api("GET", "/api/v1/coordinator/matching").json()
        self.assertEqual((doc["min_recovery_days"], doc["weights"]),
                         (before["min_recovery_days"], before["weights"]))
        self.assertEqual(self.settings({"weights": {"tag": 10, "near": 0}})["weights"]["tag"], 10)

    def test_page_form(self):
        form = {"min_recovery_days": "0", "w_pathway": "2", "w_hour": "0.5", "w_tag": "abc",
                "w_region": "1", "w_near": "2", "w_age_similar": "1", "w_age_close": "0.5"}
        saved = self.audited()
        self.assertEqual(saved, 1, "the setUp's change")
        r = self.coord.form("/coordinator/matching/settings", form)
        self.assertEqual(r.status, 422, r)
        self.assertEqual(self.audited(), saved, "a refused change is not recorded")
        self.assertIn('id="w-tag" name="w_tag" type="text" inputmode="decimal" value="abc" '
                      'aria-invalid="true" aria-describedby="w-tag-error"', r.text)
        self.assertIn("Give a number of points from 0 to 10", r.text)
        self.assertEqual(self.coord.api("GET", "/api/v1/coordinator/matching").json()
                         ["weights"]["tag"], 1.5)
        # Spanish decimals are understood, and the page speaks Spanish.
        form.update(w_tag="2,25", w_pathway="0")
        r = self.coord.form("/coordinator/matching/settings", form)
        self.assertEqual((r.status, r.header("location")),
                         (303, "/coordinator/matching?done=saved"))
        self.assertEqual(self.audited(), saved + 1, "who changed the weights is on record")
        w = self.coord.api("GET", "/api/v1/coordinator/matching").json()["weights"]
        self.assertEqual((w["tag"], w["pathway"], w["hour"]), (2.25, 0, 0.5))
        self.coord.cookies["lang"] = "es"
        page = self.coord.get("/coordinator/matching")
        del self.coord.cookies["lang"]
        self.assertIn("Cada experiencia en común (hasta 3)", page.text)
        self.assertIn('value="2.25"', page.text)
        form.update(w_near="11")
        self.coord.cookies["lang"] = "es"
        r = self.coord.form("/coordinator/matching/settings", form)
        del self.coord.cookies["lang"]
        self.assertEqual(r.status, 422, r)
        self.assertIn("Escribe un número de puntos de 0 a 10", r.text)


class ChapterPoolTest(People, unittest.TestCase):
    def setUp(self):
        self.srv = CirclesServer().start()
        _, self.coord = self.srv.signed_in("coordinator")
        _, admin = self.srv.signed_in("admin")
        self.chapters = {}
        for name in ("North", "South"):
            r = admin.api("POST", "/api/v1/admin/chapters", {"name": name})
            self.assertEqual(r.status, 201, r)
            self.chapters[name] = r.json()["id"]
        self.settings({"min_recovery_days": 0})

    def tearDown(self):
        self.srv.close()

    def test_one_chapter_matches_only_its_members(self):
        ned = self.person("Ned", chapter="North", pathway="smart", tags=["parent"])
        mo = self.mentor("Mo", chapter="North")
        sia = self.person("Sia", chapter="South")
        sal = self.mentor("Sal", chapter="South", pathway="smart", tags=["parent"])
        nobody = self.person("Una")                     # no chapter: only in the whole network
        whole = self.suggest()
        self.assertIsNone(whole["chapter_id"])
        self.assertEqual(self.pairs(whole), sorted([(ned.uid, sal.uid), (sia.uid, mo.uid)]))
        self.assertEqual(whole["unmatched"], 1)
        # North alone: Ned can only have Mo; South's people are not considered.
        north = self.suggest({"chapter_id": self.chapters["North"]})
        self.assertEqual(north["chapter_id"], self.chapters["North"])
        self.assertEqual(self.pairs(north), [(ned.uid, mo.uid)])
        # South alone: the North suggestion stays open, South's is added.
        south = self.suggest({"chapter_id": self.chapters["South"]})
        self.assertEqual(self.pairs(south), sorted([(ned.uid, mo.uid), (sia.uid, sal.uid)]))
        self.assertNotIn(nobody.uid, [s for s, _ in self.pairs(south)])
        # The whole network again replaces everything.
        self.assertEqual(self.pairs(self.suggest({"chapter_id": None})), self.pairs(whole))

        for body, field in (({"chapter_id": 999999}, "chapter_id"),
                            ({"chapter_id": "North"}, "chapter_id"),
                            ({"chapter_id": -1}, "chapter_id"),
                            ({"chapter": 1}, "chapter")):
            with self.subTest(body=body):
                r = self.suggest(body, status=422)
                self.assertEqual(r.json()["error"]["field"], field)
        # Nothing changed by the refused requests.
        listing = self.coord.api("GET", "/api/v1/coordinator/matching").json()
        self.assertEqual(self.pairs(listing), self.pairs(whole))

        # The page: a plain select, the choice kept after suggesting.
        page = self.coord.get("/coordinator/matching")
        self.assertIn('<option value="">The whole network</option>', page.text)
        north_id = self.chapters["North"]
        r = self.coord.form("/coordinator/matching/suggest", {"chapter_id": str(north_id)})
        self.assertEqual((r.status, r.header("location")),
                         (303, f"/coordinator/matching?done=suggested&pool={north_id}"))
        page = self.coord.get(r.header("location"))
        self.assertIn(f'<option value="{north_id}" selected>North</option>', page.text)
        self.assertIn("Ned → Mo", page.text)
        self.assertNotIn("Ned → Sal", page.text)
        r = self.coord.form("/coordinator/matching/suggest", {"chapter_id": "12345678"})
        self.assertEqual(r.status, 422, r)
        self.assertIn('name="chapter_id" aria-describedby="pool-help pool-error" '
                      'aria-invalid="true"', r.text)
        self.assertIn("Choose the whole network or one of the chapters listed.", r.text)


class TextNoticeTest(People, SmsBase):
    """The approval notice by text, through the local gateway stand-in."""

    def setUp(self):
        _, self.coord = self.srv.signed_in("coordinator")
        self.settings({"min_recovery_days": 0})

    def approve(self, seeker, mentor):
        res = self.suggest()
        sid = [s["id"] for s in res["suggestions"]
               if (s["seeker"]["id"], s["mentor"]["id"]) == (seeker.uid, mentor.uid)][0]
        r = self.coord.api("POST", f"/api/v1/coordinator/matching/suggestions/{sid}/approve", {})
        self.assertEqual(r.status, 200, r)

    def check_text(self, msg, other):
        self.assertIn(other, msg["Body"])
        self.assertLessEqual(len(msg["Body"]), 160, msg["Body"])
        for word in FORBIDDEN:
            self.assertNotIn(word, msg["Body"].lower())

    def test_who_gets_a_text(self):
        # Each test network is shared: everyone here has their own language, so only
        # these people pair with each other.
        ana = self.person("Ana", languages=["vi"])                 # phone, wants email only
        bo = self.mentor("Bo", capacity=2, languages=["vi"], by_text=True)   # asked for texts
        ana_phone, bo_phone = self.link(ana), self.link(bo)
        self.approve(ana, bo)
        self.check_text(self.gw.wait_for(2, to=bo_phone)[-1], "Ana")   # code, then the notice
        for who, other in ((ana, "Bo"), (bo, "Ana")):
            mail = self.srv.smtp.wait_for(1, predicate=lambda m, w=who: m["To"] == w.email)[0]
            self.assertIn(other, mail.get_content())

        # A member with a verified number and no email gets the text only.
        cy = self.person("Cy", languages=["ht"])
        dee = self.mentor("Dee", languages=["ht"], by_text=True)     # asked, but no number
        cy_phone = self.link(cy)
        set_email_null(self.srv, cy.uid)
        self.approve(cy, dee)
        self.check_text(self.gw.wait_for(2, to=cy_phone)[-1], "Dee")
        self.srv.smtp.wait_for(1, predicate=lambda m: m["To"] == dee.email)
        # A number that texted STOP gets nothing, even when the member asked.
        eve = self.person("Eve", languages=["fr"], by_text=True)
        fin = self.mentor("Fin", languages=["fr"])
        eve_phone = self.link(eve)
        self.reply("STOP", eve_phone)
        self.approve(eve, fin)
        self.srv.smtp.wait_for(1, predicate=lambda m: m["To"] == fin.email)
        self.srv.smtp.wait_for(1, predicate=lambda m: m["To"] == eve.email)
        time.sleep(1.0)   # the job queue has sent both emails; a text would have gone too
        self.assertEqual(len(self.gw.delivered(to=ana_phone)), 1)    # only the code
        self.assertEqual(len(self.gw.delivered(to=eve_phone)), 1)
        self.assertEqual([m for m in self.srv.smtp.messages() if m["To"] is None], [])

    def test_by_text_in_the_profile(self):
        c = self.person("Gus", languages=["pt"])
        self.assertFalse(c.api("GET", "/api/v1/me/matching-profile").json()["profile"]["by_text"])
        r = c.api("PUT", "/api/v1/me/matching-profile", {**BASE, "by_text": "yes"})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["field"], "by_text")
        r = c.form("/matching/profile", {"opted_in": "1", "seeks": "mentor", "lang_pt": "1",
                                         "by_text": "1"})
        self.assertEqual(r.status, 303, r)
        self.assertTrue(c.api("GET", "/api/v1/me/matching-profile").json()["profile"]["by_text"])
        page = c.get("/matching/profile")
        self.assertIn('name="by_text" value="1" aria-describedby="by-text-help" checked', page.text)


class DemoTest(unittest.TestCase):
    def test_demo_has_suggestions_right_away(self):
        srv = CirclesServer().start()
        try:
            r = srv.run("demo")
            self.assertIn("suggested pairs wait for the coordinator", r.stdout)
            pw = r.stdout.split("password: ")[1].split()[0]
            c = srv.client()
            self.assertEqual(c.login("coordinator@example.org", pw).status, 200)
            doc = c.api("GET", "/api/v1/coordinator/matching").json()
            pairs = {(s["seeker"]["display_name"], s["mentor"]["display_name"], s["kind"])
                     for s in doc["suggestions"]}
            self.assertIn(("María", "Rosa", "mentor"), pairs)
            self.assertIn(("Sam", "Dev", "mentor"), pairs)
            self.assertIn("peer", {k for _, _, k in pairs})
            mentors = {m["display_name"]: m for m in doc["mentors"]}
            self.assertFalse(mentors["Lee"]["trained"])             # one left to train
            self.assertTrue(mentors["Rosa"]["trained"])
            self.assertTrue(mentors["Rosa"]["meets_min_days"])
            page = c.get("/coordinator/matching")
            self.assertIn("María → Rosa", page.text)
            # Once only: a second run changes nothing.
            self.assertNotEqual(srv.run("demo", check=False).returncode, 0)
            again = c.api("GET", "/api/v1/coordinator/matching").json()["suggestions"]
            self.assertEqual([s["id"] for s in again], [s["id"] for s in doc["suggestions"]])
        finally:
            srv.close()


if __name__ == "__main__":
    unittest.main()
