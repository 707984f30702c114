"""Where safety meets the rest: a check-in note with crisis language shows
the writer help at once; an ordinary note does not."""
import unittest

from circles import CirclesServer


class CheckinCrisisTextTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def test_api_note_with_crisis_language_points_to_help(self):
        u, c = self.srv.signed_in("member")
        r = c.api("POST", "/api/v1/checkins", {"mood": 1, "note": "I don't want to be here anymore"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json().get("help_url"), "/help-now")
        r = c.api("POST", "/api/v1/checkins", {"mood": 4, "note": "I'm dying to get to the meeting"})
        self.assertEqual(r.status, 201, r)
        self.assertNotIn("help_url", r.json())

    def test_web_note_with_crisis_language_goes_to_help(self):
        u, c = self.srv.signed_in("member")
        r = c.form("/checkins", {"mood": "2", "note": "ya no quiero vivir"})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(r.header("location"), "/help-now")
        r = c.form("/checkins", {"mood": "4", "note": "good meeting today"})
        self.assertEqual(r.status, 303, r)
        self.assertTrue(r.header("location").startswith("/checkins"))


if __name__ == "__main__":
    unittest.main()
