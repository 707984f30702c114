"""Announcements to a circle's members over HTTP: only the circle's
facilitators post (others 404), each field named when invalid, members see
them on the circle's page and through the API (non-members 404), and the
email goes through the job queue over real SMTP to the other members only,
in each member's language, discreet: no circle name, no message, no
recovery wording.
"""
import re
import unittest

from circles import CirclesServer

RECOVERY_WORDS = re.compile(r"recover|sober|relapse|addict|alcohol|drug|recuper|adic",
                            re.I)


class AnnounceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()
        cls.fac_user, cls.fac = cls.srv.signed_in("facilitator")
        r = cls.fac.api("POST", "/api/v1/circles", {
            "name": "Recovery circle North", "purpose": "Support.", "norms": "Kindness.",
            "agreement": "Stays here.", "membership": "open"})
        assert r.status == 201, r
        cls.cid = r.json()["id"]
        cls.mem_user, cls.mem = cls.srv.signed_in("member")
        cls.mem.api("POST", f"/api/v1/circles/{cls.cid}/join", {"accept_agreement": True})
        cls.es_user, cls.es = cls.srv.signed_in("member")
        cls.es.api("PATCH", "/api/v1/me", {"lang": "es"})
        cls.es.api("POST", f"/api/v1/circles/{cls.cid}/join", {"accept_agreement": True})
        cls.out_user, cls.outsider = cls.srv.signed_in("member")

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def test_post_list_and_discreet_email(self):
        path = f"/api/v1/circles/{self.cid}/announcements"
        body = {"title": "No meeting on the 24th", "body": "The hall is closed.\nSee you after.",
                "email": True}
        self.assertEqual(self.mem.api("POST", path, body).status, 404)
        self.assertEqual(self.outsider.api("POST", path, body).status, 404)
        for bad, field in (({"title": ""}, "title"), ({"title": "x" * 121}, "title"),
                           ({"body": "  "}, "body"), ({"body": "y" * 4001}, "body")):
            with self.subTest(field=field):
                r = self.fac.api("POST", path, dict(body, **bad))
                self.assertEqual(r.status, 422, r)
                self.assertEqual(r.json()["error"]["field"], field)
        r = self.fac.api("POST", path, body)
        self.assertEqual(r.status, 201, r)
        got = self.mem.api("GET", path).json()["announcements"]
        self.assertEqual(got[0]["title"], "No meeting on the 24th")    # newest first
        self.assertEqual(self.outsider.api("GET", path).status, 404)
        self.assertIn("The hall is closed.", self.mem.get(f"/circles/{self.cid}").text)
        msgs = self.srv.smtp.wait_for(2)
        to = sorted(str(m["To"]) for m in msgs)
        self.assertEqual(to, sorted([self.mem_user.email, self.es_user.email]))
        for m in msgs:
            subject, text = str(m["Subject"]), m.get_content()
            self.assertNotIn("hall", text)
            self.assertNotIn("North", subject + text)      # not even the circle's name
            self.assertIsNone(RECOVERY_WORDS.search(subject), subject)
            self.assertIsNone(RECOVERY_WORDS.search(text), text)
            self.assertIn(f"/circles/{self.cid}", text)
            if str(m["To"]) == self.es_user.email:
                self.assertEqual(subject, "Tienes novedades en Circles")

    def test_form(self):
        r = self.fac.form(f"/circles/{self.cid}/announcements",
                          {"title": "Picnic", "body": "Bring a friend."})
        self.assertEqual(r.status, 303)
        self.assertIn("Picnic", self.mem.get(f"/circles/{self.cid}").text)


if __name__ == "__main__":
    unittest.main()
