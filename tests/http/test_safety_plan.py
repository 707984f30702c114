"""Crisis plans over HTTP against the real server: the API (a blank plan, a
full one, each invalid field named, replacing and deleting), sections
encrypted at rest, the phone-first pages working without JavaScript (the
form, its errors beside their fields with what was typed kept, Spanish),
and sharing: another person reads a member's plan only with the member's
consent (category crisis_plan), every read is audited for the member to
see, roles alone never open it, and after revocation the answer is 404.
"""
import os
import re
import unittest

from circles import CirclesServer

FULL = {
    "warning_signs": ["Not sleeping", "Skipping meetings"],
    "coping": ["Walk the dog", "Cold shower"],
    "distractions": [{"name": "Corner café", "phone": None},
                     {"name": "Aunt Rosa", "phone": "+1 555 010 2030"}],
    "helpers": [{"name": "Sam (sponsor)", "phone": "555-0142"}],
    "professionals": [{"name": "Suicide & Crisis Lifeline", "phone": "988"},
                      {"name": "Dr. Lee", "phone": "(555) 010-7788"}],
    "safer": ["Naloxone in the kitchen drawer"],
    "reasons": ["My daughter Mia", "Finishing my degree"],
}
SECTIONS = ["warning_signs", "coping", "distractions", "helpers", "professionals", "safer",
            "reasons"]


def reads(client, category="crisis_plan"):
    r = client.api("GET", "/api/v1/me/audit?limit=200")
    assert r.status == 200, r
    return [e for e in r.json()["entries"] if e["action"] == "read" and
            e.get("category") == category]


def raw_dump(srv, sql):
    """Everything the database holds for sql, as bytes, bypassing Circles."""
    return repr(srv.sql(sql)).encode()


class PlanApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def test_blank_then_full_then_replaced(self):
        _, c = self.srv.signed_in("member")
        r = c.api("GET", "/api/v1/me/crisis-plan")
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertFalse(body["exists"])
        self.assertIsNone(body["updated_at"])
        self.assertEqual(sorted(body["plan"]), sorted(SECTIONS))
        self.assertTrue(all(v == [] for v in body["plan"].values()))
        self.assertEqual(body["shared_with"], [])

        r = c.api("PUT", "/api/v1/me/crisis-plan", FULL)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json()["exists"])
        self.assertEqual(r.json()["plan"], FULL)
        first = r.json()["created_at"]

        r = c.api("GET", "/api/v1/me/crisis-plan")
        self.assertEqual(r.json()["plan"], FULL)

        # A PUT replaces the plan; sections left out become empty; lines are trimmed.
        self.srv.clock(advance=60)
        r = c.api("PUT", "/api/v1/me/crisis-plan", {"reasons": ["  My cat  ", ""],
                                                    "helpers": [{"name": "", "phone": "988"}]})
        self.assertEqual(r.status, 200, r)
        plan = c.api("GET", "/api/v1/me/crisis-plan").json()
        self.assertEqual(plan["plan"]["reasons"], ["My cat"])
        self.assertEqual(plan["plan"]["helpers"], [{"name": "988", "phone": "988"}])
        self.assertEqual(plan["plan"]["warning_signs"], [])
        self.assertEqual(plan["created_at"], first)
        self.assertGreater(plan["updated_at"], first)

        r = c.api("DELETE", "/api/v1/me/crisis-plan")
        self.assertEqual(r.status, 204, r)
        self.assertFalse(c.api("GET", "/api/v1/me/crisis-plan").json()["exists"])

    def test_invalid_fields_are_named(self):
        _, c = self.srv.signed_in("member")
        cases = [
            ({"colour": ["blue"]}, "colour"),
            ({"reasons": "my kids"}, "reasons"),
            ({"reasons": [42]}, "reasons[0]"),
            ({"coping": ["ok", "x" * 301]}, "coping[1]"),
            ({"coping": ["two\nlines"]}, "coping[0]"),
            ({"safer": ["line"] * 11}, "safer"),
            ({"helpers": ["Sam"]}, "helpers[0]"),
            ({"helpers": [{"name": "Sam", "phone": "call me"}]}, "helpers[0].phone"),
            ({"helpers": [{"name": "Sam", "phone": "1" * 33}]}, "helpers[0].phone"),
            ({"professionals": [{"name": "Dr", "phone": 988}]}, "professionals[0].phone"),
            ({"distractions": [{"name": "Park", "email": "x@y"}]}, "distractions[0]"),
        ]
        for body, field in cases:
            with self.subTest(field=field):
                r = c.api("PUT", "/api/v1/me/crisis-plan", body)
                self.assertEqual(r.status, 422, r)
                err = r.json()["error"]
                self.assertEqual(err["code"], "invalid_field")
                self.assertEqual(err["field"], field)
                self.assertTrue(err["message"])
        # Nothing was saved by the refused requests.
        self.assertFalse(c.api("GET", "/api/v1/me/crisis-plan").json()["exists"])
        # 300 characters (not bytes) is fine.
        r = c.api("PUT", "/api/v1/me/crisis-plan", {"coping": ["ñ" * 300]})
        self.assertEqual(r.status, 200, r)

    def test_sections_encrypted_at_rest(self):
        u, c = self.srv.signed_in("member")
        secret = "Hide the car keys at Marisol's house"
        self.assertEqual(c.api("PUT", "/api/v1/me/crisis-plan",
                               {"safer": [secret], "helpers": [{"name": "Marisol",
                                                                "phone": "555-0175"}]}).status, 200)
        dump = raw_dump(self.srv, f"SELECT * FROM crisis_plans WHERE user_id = {u.id}")
        self.assertTrue(dump)
        self.assertNotIn(b"Marisol", dump)
        self.assertNotIn(b"555-0175", dump)
        self.assertNotIn(b"car keys", dump)
        self.assertNotIn("Marisol", self.srv.log())


class PlanSharingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()
        cls.member, cls.mc = cls.srv.signed_in("member")
        assert cls.mc.api("PUT", "/api/v1/me/crisis-plan", FULL).status == 200

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def test_nobody_without_consent(self):
        path = f"/api/v1/members/{self.member.id}/crisis-plan"
        for role in ("member", "peer_supporter", "coordinator", "admin", "clinician",
                     "moderator"):
            with self.subTest(role=role):
                _, c = self.srv.signed_in(role)
                r = c.api("GET", path)
                self.assertEqual(r.status, 404, r)
                self.assertEqual(r.json()["error"]["code"], "not_found")
                self.assertEqual(c.get(f"/members/{self.member.id}/crisis-plan").status, 404)
        # A consent for another category opens nothing here.
        sup, sc = self.srv.signed_in("peer_supporter")
        r = self.mc.api("POST", "/api/v1/me/consents", {"grantee_user_id": sup.id,
                                                         "category": "checkins",
                                                         "purpose": "support"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(sc.api("GET", path).status, 404)
        self.assertEqual(reads(self.mc), [])
        # Nobody's plan under a made-up id.
        self.assertEqual(sc.api("GET", "/api/v1/members/999999/crisis-plan").status, 404)

    def test_shared_read_audited_revoked(self):
        sup, sc = self.srv.signed_in("peer_supporter")
        before = len(reads(self.mc))
        r = self.mc.api("POST", "/api/v1/me/consents", {"grantee_user_id": sup.id,
                                                         "category": "crisis_plan",
                                                         "purpose": "help me in a crisis"})
        self.assertEqual(r.status, 201, r)
        consent = r.json()["id"]
        shared = self.mc.api("GET", "/api/v1/me/crisis-plan").json()["shared_with"]
        self.assertIn(sup.id, [s["user_id"] for s in shared])

        r = sc.api("GET", f"/api/v1/members/{self.member.id}/crisis-plan")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["plan"], FULL)
        self.assertEqual(r.json()["member"]["id"], self.member.id)
        listed = sc.api("GET", "/api/v1/crisis-plans/shared-with-me").json()["members"]
        self.assertIn(self.member.id, [m["member_id"] for m in listed])

        page = sc.get(f"/members/{self.member.id}/crisis-plan")
        self.assertEqual(page.status, 200, page)
        self.assertIn("Aunt Rosa", page.text)
        self.assertIn('href="tel:+15550102030"', page.text)
        self.assertIn('href="tel:988"', page.text)

        # Two reads, two audit rows the member sees, naming the plan.
        after = reads(self.mc)
        self.assertEqual(len(after), before + 2)
        self.assertTrue(all(e["object"] == f"crisis_plan:{self.member.id}" for e in after))

        self.assertEqual(self.mc.api("DELETE", f"/api/v1/me/consents/{consent}").status, 204)
        self.assertEqual(sc.api("GET", f"/api/v1/members/{self.member.id}/crisis-plan").status,
                         404)
        self.assertEqual(sc.get(f"/members/{self.member.id}/crisis-plan").status, 404)
        self.assertEqual(len(reads(self.mc)), before + 2)

    def test_expired_consent(self):
        member, mc = self.srv.signed_in("member")
        self.assertEqual(mc.api("PUT", "/api/v1/me/crisis-plan", FULL).status, 200)
        sup, sc = self.srv.signed_in("peer_supporter")
        now = self.srv.clock(advance=0)
        r = mc.api("POST", "/api/v1/me/consents", {"grantee_user_id": sup.id,
                                                    "category": "crisis_plan",
                                                    "purpose": "this week",
                                                    "expires_at": now + 1800})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(sc.api("GET", f"/api/v1/members/{member.id}/crisis-plan").status, 200)
        self.srv.clock(advance=1801)
        self.assertEqual(sc.api("GET", f"/api/v1/members/{member.id}/crisis-plan").status, 404)


class PlanPagesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def test_write_with_the_form(self):
        _, c = self.srv.signed_in("member")
        page = c.get("/crisis-plan")
        self.assertEqual(page.status, 200, page)
        self.assertIn("My crisis plan", page.text)
        self.assertIn('href="/crisis-plan/edit"', page.text)

        form = c.get("/crisis-plan/edit")
        self.assertEqual(form.status, 200, form)
        for tok in SECTIONS:
            self.assertIn(f'id="{tok}-help"', form.text)
        self.assertIn('name="warning_signs_1"', form.text)
        self.assertIn('name="helpers_1_phone"', form.text)
        self.assertIn('<label for="helpers_1_phone">', form.text)
        self.assertEqual(form.text.count("<fieldset"), 7)

        r = c.form("/crisis-plan", {"warning_signs_1": "Not sleeping",
                                    "warning_signs_3": "Isolating",
                                    "helpers_1_name": "Sam", "helpers_1_phone": "555 0142",
                                    "reasons_1": "My kids"})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(r.header("location"), "/crisis-plan?done=saved")
        page = c.get("/crisis-plan?done=saved")
        self.assertIn("Your plan is saved.", page.text)
        self.assertIn("Isolating", page.text)
        self.assertIn('href="tel:5550142"', page.text)
        plan = c.api("GET", "/api/v1/me/crisis-plan").json()["plan"]
        self.assertEqual(plan["warning_signs"], ["Not sleeping", "Isolating"])
        self.assertEqual(plan["helpers"], [{"name": "Sam", "phone": "555 0142"}])

        # Saved lines come back in the form, with two blank lines more.
        form = c.get("/crisis-plan/edit").text
        self.assertIn('value="Isolating"', form)
        self.assertIn('name="warning_signs_4"', form)
        self.assertNotIn('name="warning_signs_5"', form)

    def test_form_errors_keep_what_was_typed(self):
        _, c = self.srv.signed_in("member")
        r = c.form("/crisis-plan", {"coping_1": "Call my sister",
                                    "helpers_2_name": "Jo", "helpers_2_phone": "not a number"})
        self.assertEqual(r.status, 422, r)
        self.assertIn('value="Call my sister"', r.text)
        self.assertIn('value="not a number"', r.text)
        self.assertIn('aria-describedby="helpers_2_phone-error"', r.text)
        self.assertIn('id="helpers_2_phone-error"', r.text)
        self.assertIn('href="#helpers_2_phone"', r.text)
        self.assertIn("Enter a phone number", r.text)
        self.assertFalse(c.api("GET", "/api/v1/me/crisis-plan").json()["exists"])

    def test_share_and_stop_sharing_from_the_page(self):
        member, c = self.srv.signed_in("member")
        sup, sc = self.srv.signed_in("peer_supporter", name="Pat Supporter")
        c.form("/crisis-plan", {"reasons_1": "My garden"})
        page = c.get("/crisis-plan").text
        self.assertIn(f'<option value="{sup.id}">Pat Supporter</option>', page)

        # Not someone from the list: an error beside the select.
        r = c.form("/crisis-plan/shares", {"grantee": str(member.id)})
        self.assertEqual(r.status, 422, r)
        self.assertIn('id="grantee-error"', r.text)
        r = c.form("/crisis-plan/shares", {"grantee": "abc"})
        self.assertEqual(r.status, 422, r)

        r = c.form("/crisis-plan/shares", {"grantee": str(sup.id)})
        self.assertEqual(r.status, 303, r)
        page = c.get("/crisis-plan?done=shared").text
        self.assertIn("Pat Supporter", page)
        consent = re.search(r'/crisis-plan/shares/(\d+)/revoke', page).group(1)

        sp = sc.get("/crisis-plan").text
        self.assertIn(f'href="/members/{member.id}/crisis-plan"', sp)
        self.assertIn("My garden", sc.get(f"/members/{member.id}/crisis-plan").text)

        # Someone else's consent id is not found here.
        other, oc = self.srv.signed_in("member")
        self.assertEqual(oc.form(f"/crisis-plan/shares/{consent}/revoke", {}).status, 404)

        r = c.form(f"/crisis-plan/shares/{consent}/revoke", {})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(sc.get(f"/members/{member.id}/crisis-plan").status, 404)

    def test_spanish(self):
        _, c = self.srv.signed_in("member")
        c.cookies["lang"] = "es"
        page = c.get("/crisis-plan/edit").text
        self.assertIn('<html lang="es">', page)
        self.assertIn("Señales de alerta", page)
        self.assertIn("Mis razones para seguir adelante", page)
        r = c.api("PUT", "/api/v1/me/crisis-plan", {"helpers": [{"name": "Ana", "phone": "x"}]})
        self.assertEqual(r.status, 422)
        self.assertIn("teléfono", r.json()["error"]["message"])

    def test_delete_from_the_page(self):
        _, c = self.srv.signed_in("member")
        c.form("/crisis-plan", {"reasons_1": "My dog"})
        self.assertTrue(c.api("GET", "/api/v1/me/crisis-plan").json()["exists"])
        r = c.form("/crisis-plan/delete", {})
        self.assertEqual(r.status, 303, r)
        self.assertFalse(c.api("GET", "/api/v1/me/crisis-plan").json()["exists"])
        # Without the form's CSRF token nothing happens.
        c.form("/crisis-plan", {"reasons_1": "My dog"})
        r = c.form("/crisis-plan/delete", {}, with_csrf=False)
        self.assertEqual(r.status, 403, r)
        self.assertTrue(c.api("GET", "/api/v1/me/crisis-plan").json()["exists"])


if __name__ == "__main__":
    unittest.main()
