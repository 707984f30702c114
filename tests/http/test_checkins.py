"""Check-ins over HTTP against the real server: the API (create, every field
optional, each invalid field named, pagination newest first), the phone-first
form and its errors, the history charts readable without JavaScript, notes
encrypted at rest, and sharing: another person reads a member's check-ins
only with the member's consent, every read is audited, and after revocation
the answer is 404 again.
"""
import os
import re
import sqlite3
import unittest

from circles import CirclesServer


def reads(client):
    r = client.api("GET", "/api/v1/me/audit?limit=200")
    assert r.status == 200, r
    return [e for e in r.json()["entries"] if e["action"] == "read"]


class CheckinApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def test_create_full_and_empty(self):
        _, c = self.srv.signed_in("member")
        r = c.api("POST", "/api/v1/checkins", {"mood": 4, "craving": 2, "stress": 5,
                                               "sleep_hours": 7.5, "used": "no",
                                               "note": "Walked with my sister"})
        self.assertEqual(r.status, 201, r)
        ci = r.json()
        self.assertIsInstance(ci["id"], int)
        self.assertIsInstance(ci["created_at"], int)
        self.assertEqual((ci["mood"], ci["craving"], ci["stress"], ci["sleep_hours"], ci["used"],
                          ci["note"], ci["source"]),
                         (4, 2, 5, 7.5, "no", "Walked with my sister", "api"))
        # Every field may be skipped: an empty check-in still counts.
        r = c.api("POST", "/api/v1/checkins", {})
        self.assertEqual(r.status, 201, r)
        ci = r.json()
        for k in ("mood", "craving", "stress", "sleep_hours", "used", "note"):
            self.assertIsNone(ci[k], k)
        r = c.api("POST", "/api/v1/checkins", {"mood": None, "used": "prefer_not",
                                               "sleep_hours": 8})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["used"], "prefer_not")
        self.assertEqual(r.json()["sleep_hours"], 8)

    def test_invalid_fields_are_named(self):
        _, c = self.srv.signed_in("member")
        cases = [({"mood": 0}, "mood"), ({"mood": 6}, "mood"), ({"mood": "4"}, "mood"),
                 ({"mood": 4.5}, "mood"), ({"craving": 11}, "craving"),
                 ({"craving": -1}, "craving"), ({"stress": True}, "stress"),
                 ({"sleep_hours": 7.25}, "sleep_hours"), ({"sleep_hours": 25}, "sleep_hours"),
                 ({"sleep_hours": "8"}, "sleep_hours"), ({"used": "maybe"}, "used"),
                 ({"note": "x" * 2001}, "note"), ({"note": 3}, "note"),
                 ({"mod": 3}, "mod")]
        for body, field in cases:
            with self.subTest(body=body):
                r = c.api("POST", "/api/v1/checkins", body)
                self.assertEqual(r.status, 422, r)
                err = r.json()["error"]
                self.assertEqual(err["code"], "invalid_field")
                self.assertEqual(err["field"], field)
                self.assertTrue(err["message"])
        # Nothing was saved by any of them.
        self.assertEqual(c.api("GET", "/api/v1/checkins").json()["checkins"], [])
        r = c.request("POST", "/api/v1/checkins", b"mood=3", {"X-CSRF-Token": c.csrf},
                      "application/x-www-form-urlencoded")
        self.assertEqual(r.status, 415, r)
        r = c.request("POST", "/api/v1/checkins", b"{\"mood\": ", {"X-CSRF-Token": c.csrf},
                      "application/json")
        self.assertEqual(r.status, 400, r)

    def test_list_newest_first_paginated(self):
        _, c = self.srv.signed_in("member")
        ids = [c.api("POST", "/api/v1/checkins", {"mood": 1 + i % 5}).json()["id"]
               for i in range(7)]
        r = c.api("GET", "/api/v1/checkins?limit=3")
        self.assertEqual(r.status, 200, r)
        page = r.json()
        self.assertEqual([x["id"] for x in page["checkins"]], ids[::-1][:3])
        seen = [x["id"] for x in page["checkins"]]
        while page["next_before"] is not None:
            page = c.api("GET", f"/api/v1/checkins?limit=3&before={page['next_before']}").json()
            seen += [x["id"] for x in page["checkins"]]
        self.assertEqual(seen, ids[::-1])
        for bad in ("limit=0", "limit=201", "limit=x", "before=-1", "before=abc"):
            with self.subTest(query=bad):
                r = c.api("GET", "/api/v1/checkins?" + bad)
                self.assertEqual(r.status, 422, r)
                self.assertEqual(r.json()["error"]["field"], bad.split("=")[0])

    def test_own_checkins_only(self):
        _, a = self.srv.signed_in("member")
        _, b = self.srv.signed_in("member")
        a.api("POST", "/api/v1/checkins", {"mood": 2, "note": "private"})
        self.assertEqual(b.api("GET", "/api/v1/checkins").json()["checkins"], [])

    def test_signed_out_and_csrf(self):
        r = self.srv.client().api("POST", "/api/v1/checkins", {"mood": 3})
        self.assertEqual(r.status, 401)
        _, c = self.srv.signed_in("member")
        r = c.api("POST", "/api/v1/checkins", {"mood": 3}, csrf=False)
        self.assertEqual(r.status, 403)
        self.assertEqual(r.json()["error"]["code"], "csrf")

    def test_staff_can_check_in_too(self):
        # A peer supporter is often in recovery too: check-ins are for everyone.
        _, c = self.srv.signed_in("peer_supporter")
        self.assertEqual(c.api("POST", "/api/v1/checkins", {"mood": 3}).status, 201)

    @unittest.skipUnless(not os.environ.get("CIRCLES_TEST_DATABASE_URL"), "reads the SQLite file")
    def test_note_encrypted_at_rest(self):
        _, c = self.srv.signed_in("member")
        secret = "my sponsor number is 555 0199"
        cid = c.api("POST", "/api/v1/checkins", {"mood": 3, "note": secret}).json()["id"]
        db = sqlite3.connect(self.srv.database_url[len("sqlite:"):])
        try:
            (blob,) = db.execute("SELECT note_enc FROM checkins WHERE id = ?", (cid,)).fetchone()
        finally:
            db.close()
        self.assertIsInstance(blob, bytes)
        self.assertNotIn(secret.encode(), blob)
        self.assertNotIn(b"sponsor", blob)
        with open(self.srv.database_url[len("sqlite:"):], "rb") as f:
            self.assertNotIn(b"sponsor number", f.read())
        self.assertNotIn("sponsor", self.srv.log())


class CheckinPagesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def test_form_saves_and_redirects(self):
        _, c = self.srv.signed_in("member")
        r = c.get("/checkins")
        self.assertEqual(r.status, 200, r)
        page = r.text
        self.assertIn('action="/checkins"', page)
        self.assertIn('name="mood"', page)
        self.assertIn('<legend>How are you feeling overall?</legend>', page)
        self.assertIn('for="craving"', page)
        self.assertIn('for="sleep_hours"', page)
        self.assertNotIn(" style=", page)
        r = c.form("/checkins", {"mood": "4", "craving": "3", "stress": "", "sleep_hours": "6,5",
                                 "used": "no", "note": "Good meeting <3"})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(r.header("location"), "/checkins?saved=1")
        page = c.get("/checkins?saved=1").text
        self.assertIn("Thanks for checking in", page)
        self.assertIn("Good meeting &lt;3", page)
        self.assertIn("4 · Good", page)
        ci = c.api("GET", "/api/v1/checkins").json()["checkins"][0]
        self.assertEqual((ci["mood"], ci["craving"], ci["stress"], ci["sleep_hours"], ci["used"],
                          ci["source"]), (4, 3, None, 6.5, "no", "web"))

    def test_form_all_skipped(self):
        _, c = self.srv.signed_in("member")
        r = c.form("/checkins", {"mood": "", "craving": "", "stress": "", "sleep_hours": "",
                                 "used": "", "note": ""})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(len(c.api("GET", "/api/v1/checkins").json()["checkins"]), 1)

    def test_form_error_beside_field(self):
        _, c = self.srv.signed_in("member")
        r = c.form("/checkins", {"mood": "3", "craving": "12", "note": "keep me"})
        self.assertEqual(r.status, 422, r)
        page = r.text
        self.assertIn('id="craving-error"', page)
        self.assertRegex(page, r'id="craving"[^>]*aria-describedby="craving-help craving-error"')
        self.assertRegex(page, r'id="craving"[^>]*aria-invalid="true"')
        self.assertIn("keep me", page)          # what was typed is kept
        self.assertIn('value="12"', page)
        self.assertRegex(page, r'name="mood" value="3" checked')
        self.assertEqual(c.api("GET", "/api/v1/checkins").json()["checkins"], [])
        r = c.form("/checkins", {"mood": "3"}, with_csrf=False)
        self.assertEqual(r.status, 403)

    def test_spanish(self):
        _, c = self.srv.signed_in("member")
        c.cookies["lang"] = "es"
        page = c.get("/checkins").text
        self.assertIn('<html lang="es">', page)
        self.assertIn("¿Cómo te sientes en general?", page)
        self.assertIn("Prefiero no decirlo", page)
        r = c.form("/checkins", {"mood": "9"})
        self.assertEqual(r.status, 422)
        self.assertIn("El ánimo es un número entero del 1 al 5.", r.text)
        r = c.api("POST", "/api/v1/checkins", {"craving": 20})
        self.assertEqual(r.json()["error"]["message"],
                         "Las ganas de consumir son un número entero del 0 al 10.")

    def test_history_without_javascript(self):
        user, c = self.srv.signed_in("member")
        now = self.srv.clock()
        for week in range(3):
            for mood, craving, sleep in ((2, 6, 6), (4, 2, 8)):
                self.assertEqual(c.api("POST", "/api/v1/checkins", {
                    "mood": mood, "craving": craving, "sleep_hours": sleep}).status, 201)
            self.srv.clock(advance=7 * 86400)
            self.assertEqual(c.login(user.email).status, 200)   # sessions idle out meanwhile
        try:
            r = c.get("/checkins/history")
            self.assertEqual(r.status, 200, r)
            page = r.text
            # Mood, craving and sleep were given; stress never was.
            self.assertEqual(page.count("<svg"), 3)
            self.assertEqual(page.count('role="img"'), 3)
            self.assertIn("No answers for this in these weeks yet.", page)
            self.assertIn("<polyline", page)
            self.assertNotIn(" style=", page)
            self.assertNotIn("<script>", page)
            # The text alternative: a table of the same weekly means.
            self.assertIn("<caption>Weekly averages over the last 12 weeks</caption>", page)
            self.assertEqual(len(re.findall(r"<td>3</td>\s*<td>4</td>\s*<td>[^<]*</td>\s*<td>7</td>",
                                            page)), 3, page)
            self.assertIn("no answer", page)
            r = c.get("/checkins/history?weeks=4")
            self.assertIn('aria-current="page">4 weeks', r.text)
            self.assertEqual(c.get("/checkins/history?weeks=999").status, 200)
            c.cookies["lang"] = "es"
            self.assertIn("Semana a semana", c.get("/checkins/history").text)
        finally:
            self.srv.clock(set=now)

    def test_empty_history(self):
        _, c = self.srv.signed_in("member")
        page = c.get("/checkins/history").text
        self.assertIn("No answers for this in these weeks yet.", page)
        self.assertIn("No check-ins yet", page)


class CheckinSharingTest(unittest.TestCase):
    """A partner or peer supporter sees a member's check-ins only by consent."""

    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def setUp(self):
        self.member, self.mc = self.srv.signed_in("member", name="Mia")
        self.peer, self.pc = self.srv.signed_in("peer_supporter", name="Ana")
        self.mc.api("POST", "/api/v1/checkins", {"mood": 2, "craving": 7, "note": "rough day"})
        self.mc.api("POST", "/api/v1/checkins", {"mood": 4})

    def grant(self, category="checkins", grantee=None):
        r = self.mc.api("POST", "/api/v1/me/consents", {
            "grantee_user_id": grantee or self.peer.id, "category": category,
            "purpose": "so my peer supporter can follow how I'm doing"})
        self.assertEqual(r.status, 201, r)
        return r.json()["id"]

    def url(self):
        return f"/api/v1/members/{self.member.id}/checkins"

    def test_no_consent_404_and_not_audited(self):
        r = self.pc.api("GET", self.url())
        self.assertEqual(r.status, 404, r)
        self.assertEqual(r.json()["error"]["code"], "not_found")
        self.assertEqual(self.pc.get(f"/members/{self.member.id}/checkins").status, 404)
        self.assertEqual(reads(self.mc), [])

    def test_consent_read_audit_revoke(self):
        cid = self.grant()
        r = self.pc.api("GET", self.url())
        self.assertEqual(r.status, 200, r)
        got = r.json()["checkins"]
        self.assertEqual([x["mood"] for x in got], [4, 2])
        self.assertEqual(got[1]["note"], "rough day")
        r = self.pc.get(f"/members/{self.member.id}/checkins")
        self.assertEqual(r.status, 200, r)
        self.assertIn("Mia", r.text)
        self.assertIn("rough day", r.text)
        self.assertIn("<svg", r.text)
        seen = reads(self.mc)
        self.assertEqual(len(seen), 2, "each read is audited")
        for e in seen:
            self.assertEqual(e["actor"]["name"], "Ana")
            self.assertEqual(e["category"], "checkins")
            self.assertEqual(e["object"], f"checkins:{self.member.id}")
        self.assertEqual(self.mc.api("DELETE", f"/api/v1/me/consents/{cid}").status, 204)
        self.assertEqual(self.pc.api("GET", self.url()).status, 404)
        self.assertEqual(self.pc.get(f"/members/{self.member.id}/checkins").status, 404)
        self.assertEqual(len(reads(self.mc)), 2, "a refused read leaves no row")
        # Granting again opens it again.
        self.grant()
        self.assertEqual(self.pc.api("GET", self.url()).status, 200)

    def test_other_categories_and_people_see_nothing(self):
        self.grant(category="contact")
        self.grant(category="goals")
        self.assertEqual(self.pc.api("GET", self.url()).status, 404)
        self.grant()
        stranger, sc = self.srv.signed_in("member")
        self.assertEqual(sc.api("GET", self.url()).status, 404)
        for role in ("admin", "coordinator", "clinician"):
            _, c = self.srv.signed_in(role)
            self.assertEqual(c.api("GET", self.url()).status, 404, role)
        self.assertEqual(self.pc.api("GET", "/api/v1/members/999999/checkins").status, 404)
        self.assertEqual(self.pc.api("GET", "/api/v1/members/0/checkins").status, 404)
        self.assertEqual(self.pc.api("GET", "/api/v1/members/abc/checkins").status, 404)
        self.assertTrue(all(e["actor"]["name"] == "Ana" for e in reads(self.mc)))

    def test_consent_expiry(self):
        now = self.srv.clock()
        r = self.mc.api("POST", "/api/v1/me/consents", {
            "grantee_user_id": self.peer.id, "category": "checkins", "purpose": "this week",
            "expires_at": now + 60})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.pc.api("GET", self.url()).status, 200)
        self.srv.clock(advance=120)
        self.assertEqual(self.pc.api("GET", self.url()).status, 404)

    def test_own_data_not_audited(self):
        self.assertEqual(self.mc.api("GET", f"/api/v1/members/{self.member.id}/checkins").status,
                         200)
        self.assertEqual(self.mc.get(f"/members/{self.member.id}/checkins").status, 303)
        self.assertEqual(reads(self.mc), [])

    def test_export_has_checkins(self):
        doc = self.mc.api("GET", "/api/v1/me/export").json()
        self.assertEqual([x["mood"] for x in doc["checkins"]], [2, 4])
        self.assertEqual(doc["checkins"][0]["note"], "rough day")


if __name__ == "__main__":
    unittest.main()
