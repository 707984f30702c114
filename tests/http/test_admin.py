"""Administration over HTTP against the real server: people and roles,
turning accounts off, the self-lockout guard, invitations (link and email),
chapters, the admin page in English and Spanish, and that nobody but an
admin gets in."""
import re
import unittest
import urllib.parse

from circles import PASSWORD, CirclesServer

RECOVERY_WORDS = re.compile(r"recover|addict|sobri|relapse|drug|alcohol|rehab|craving|"
                            r"substance|treatment|meeting", re.I)


class AdminTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()
        cls.admin, cls.ac = cls.srv.signed_in("admin", name="Ada")

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def patch(self, uid, data, client=None):
        return (client or self.ac).api("PATCH", f"/api/v1/admin/users/{uid}", data)

    # ---- who may enter ----

    def test_non_admins_get_403(self):
        target = self.srv.create_user(role="member")
        calls = [
            ("GET", "/api/v1/admin/users", None),
            ("PATCH", f"/api/v1/admin/users/{target.id}", {"roles": ["admin"]}),
            ("POST", "/api/v1/admin/invitations", {"role": "admin"}),
            ("POST", "/api/v1/admin/chapters", {"name": "Sneaky"}),
            ("GET", "/api/v1/admin/audit/verify", None),
        ]
        for role in ("member", "peer_supporter", "coordinator", "moderator", "clinician"):
            _, c = self.srv.signed_in(role)
            for method, path, data in calls:
                r = c.api(method, path, data)
                self.assertEqual(r.status, 403, (role, method, path, r))
                self.assertEqual(r.json()["error"]["code"], "forbidden")
            self.assertEqual(c.get("/admin").status, 403, role)
            self.assertEqual(c.form(f"/admin/users/{target.id}", {"roles": "admin"}).status, 403)
            self.assertEqual(c.form("/admin/chapters", {"name": "Sneaky"}).status, 403)
        self.assertEqual(self.srv.client().api("GET", "/api/v1/admin/users").status, 401)
        me = self.ac.api("GET", "/api/v1/admin/users?q=" + urllib.parse.quote(target.email))
        self.assertEqual(me.json()["users"][0]["roles"], ["member"], "nothing changed")
        names = [c["name"] for c in self.ac.api("GET", "/api/v1/chapters").json()["chapters"]]
        self.assertNotIn("Sneaky", names)

    # ---- people ----

    def test_list_and_search(self):
        u = self.srv.create_user(role="facilitator", name="Findable Fran")
        r = self.ac.api("GET", "/api/v1/admin/users?q=FINDABLE")
        self.assertEqual(r.status, 200)
        users = r.json()["users"]
        self.assertEqual(len(users), 1)
        self.assertEqual(users[0]["id"], u.id)
        self.assertEqual(users[0]["email"], u.email)
        self.assertEqual(users[0]["display_name"], "Findable Fran")
        self.assertEqual(users[0]["roles"], ["facilitator"])
        self.assertIsNone(users[0]["chapter_id"])
        self.assertFalse(users[0]["disabled"])
        self.assertIsInstance(users[0]["created_at"], int)
        self.assertEqual(self.ac.api("GET", "/api/v1/admin/users?q=" +
                                     urllib.parse.quote(u.email[:8])).json()["users"][0]["id"],
                         u.id)

    def test_pagination(self):
        for _ in range(3):
            self.srv.create_user(role="member")
        page = self.ac.api("GET", "/api/v1/admin/users?limit=2").json()
        self.assertEqual(len(page["users"]), 2)
        after = page["next_after"]
        self.assertIsInstance(after, int)
        nxt = self.ac.api(f"GET", f"/api/v1/admin/users?limit=2&after={after}").json()
        self.assertTrue(all(u["id"] > after for u in nxt["users"]))
        self.assertEqual(self.ac.api("GET", "/api/v1/admin/users?limit=5000").status, 200)

    def test_update_roles_and_chapter(self):
        person, pc = self.srv.signed_in("member", name="Pat")
        chapter = self.ac.api("POST", "/api/v1/admin/chapters", {"name": "East Side"}).json()
        r = self.patch(person.id, {"roles": ["member", "peer_supporter"],
                                   "chapter_id": chapter["id"]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["roles"], ["member", "peer_supporter"])
        self.assertEqual(r.json()["chapter_id"], chapter["id"])
        self.assertEqual(pc.api("GET", "/api/v1/me").json()["roles"],
                         ["member", "peer_supporter"])
        r = self.patch(person.id, {"chapter_id": None})
        self.assertEqual(r.status, 200)
        self.assertIsNone(r.json()["chapter_id"])
        self.assertEqual(r.json()["roles"], ["member", "peer_supporter"], "roles untouched")

        # The person sees what was done, and by whom.
        entries = pc.api("GET", "/api/v1/me/audit").json()["entries"]
        roles_rows = [e for e in entries if e["action"] == "admin.roles"]
        self.assertEqual(len(roles_rows), 1)
        self.assertEqual(roles_rows[0]["actor"]["name"], "Ada")
        self.assertEqual(roles_rows[0]["object"], "roles:member,peer_supporter")
        self.assertEqual(len([e for e in entries if e["action"] == "admin.chapter"]), 2)

        # Saving the same values again records nothing new.
        self.patch(person.id, {"roles": ["member", "peer_supporter"]})
        again = pc.api("GET", "/api/v1/me/audit").json()["entries"]
        self.assertEqual(len(again), len(entries))

    def test_update_validation(self):
        person = self.srv.create_user(role="member")
        cases = [
            ({"roles": ["wizard"]}, 422, "roles"),
            ({"roles": "admin"}, 422, "roles"),
            ({"roles": []}, 422, "roles"),
            ({"roles": [7]}, 422, "roles"),
            ({"chapter_id": 999999}, 422, "chapter_id"),
            ({"chapter_id": "1"}, 422, "chapter_id"),
            ({"disabled": "yes"}, 422, "disabled"),
        ]
        for data, status, field in cases:
            r = self.patch(person.id, data)
            self.assertEqual(r.status, status, (data, r))
            self.assertEqual(r.json()["error"]["field"], field, data)
        self.assertEqual(self.patch(999999, {"roles": ["member"]}).status, 404)
        self.assertEqual(self.ac.api("GET", "/api/v1/admin/users?q=" +
                                     urllib.parse.quote(person.email)).json()["users"][0]
                         ["roles"], ["member"])

    def test_disable_ends_sessions(self):
        person, pc = self.srv.signed_in("member", name="Dee")
        self.assertEqual(pc.api("GET", "/api/v1/me").status, 200)
        r = self.patch(person.id, {"disabled": True})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json()["disabled"])
        self.assertEqual(pc.api("GET", "/api/v1/me").status, 401)
        self.assertNotEqual(self.srv.client().login(person.email).status, 200)

        r = self.patch(person.id, {"disabled": False})
        self.assertEqual(r.status, 200)
        c = self.srv.client()
        self.assertEqual(c.login(person.email).status, 200)
        actions = [e["action"] for e in c.api("GET", "/api/v1/me/audit").json()["entries"]]
        self.assertIn("admin.disable", actions)
        self.assertIn("admin.enable", actions)

    def test_self_lockout(self):
        r = self.patch(self.admin.id, {"roles": ["member"]})
        self.assertEqual(r.status, 409)
        self.assertEqual(r.json()["error"]["code"], "self_lockout")
        r = self.patch(self.admin.id, {"disabled": True})
        self.assertEqual(r.status, 409)
        self.assertEqual(r.json()["error"]["code"], "self_lockout")
        r = self.ac.form(f"/admin/users/{self.admin.id}", {"roles": "member"})
        self.assertEqual(r.status, 409)
        self.assertIn("remove your own administrator role", r.text)
        self.assertEqual(self.ac.api("GET", "/api/v1/me").json()["roles"], ["admin"])
        # Adding a role to oneself is fine.
        r = self.patch(self.admin.id, {"roles": ["coordinator", "admin"]})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["roles"], ["coordinator", "admin"])
        self.patch(self.admin.id, {"roles": ["admin"]})

    # ---- invitations ----

    def test_invite_link_only(self):
        r = self.ac.api("POST", "/api/v1/admin/invitations", {"role": "peer_supporter"})
        self.assertEqual(r.status, 201, r)
        body = r.json()
        prefix = f"http://127.0.0.1:{self.srv.port}/invite/"
        self.assertTrue(body["invitation_url"].startswith(prefix), body)
        token = body["invitation_url"][len(prefix):]
        self.assertGreaterEqual(len(token), 40)
        now = self.srv.clock()
        self.assertAlmostEqual(body["expires_at"], now + 14 * 86400, delta=60)
        r = self.srv.client().get("/invite/" + token)
        self.assertEqual(r.status, 200)

    def test_invite_by_email_is_discreet(self):
        email = "newcomer@example.org"
        r = self.ac.api("POST", "/api/v1/admin/invitations",
                        {"email": email, "role": "member"})
        self.assertEqual(r.status, 201, r)
        url = r.json()["invitation_url"]
        msgs = self.srv.smtp.wait_for(1, predicate=lambda m: email in str(m["To"]))
        msg = msgs[0]
        subject = str(msg["Subject"])
        text = msg.get_content()
        self.assertEqual(subject, "You're invited to join Circles")
        self.assertIn(url, text)
        self.assertIsNone(RECOVERY_WORDS.search(subject), subject)
        self.assertIsNone(RECOVERY_WORDS.search(text), text)

    def test_invite_validation(self):
        cases = [
            ({"role": "wizard"}, 422, "role"),
            ({}, 422, "role"),
            ({"role": "member", "email": "not an email"}, 422, "email"),
            ({"role": "member", "email": self.admin.email}, 409, "email"),
            ({"role": "member", "chapter_id": 999999}, 422, "chapter_id"),
        ]
        for data, status, field in cases:
            r = self.ac.api("POST", "/api/v1/admin/invitations", data)
            self.assertEqual(r.status, status, (data, r))
            self.assertEqual(r.json()["error"]["field"], field, data)

    # ---- chapters ----

    def test_chapters(self):
        r = self.ac.api("POST", "/api/v1/admin/chapters", {"name": "  West Hills  "})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["name"], "West Hills")
        r = self.ac.api("POST", "/api/v1/admin/chapters", {"name": "west hills"})
        self.assertEqual(r.status, 409)
        self.assertEqual(r.json()["error"]["code"], "duplicate")
        for bad in ("", "   ", "x" * 81):
            r = self.ac.api("POST", "/api/v1/admin/chapters", {"name": bad})
            self.assertEqual(r.status, 422, bad)
            self.assertEqual(r.json()["error"]["field"], "name")
        _, mc = self.srv.signed_in("member")
        r = mc.api("GET", "/api/v1/chapters")
        self.assertEqual(r.status, 200)
        chapters = r.json()["chapters"]
        self.assertIn("West Hills", [c["name"] for c in chapters])
        self.assertEqual(set(chapters[0].keys()), {"id", "name"})

    # ---- the page ----

    def test_admin_page_english(self):
        person = self.srv.create_user(role="member", name="Rowan")
        r = self.ac.get("/admin")
        self.assertEqual(r.status, 200, r)
        for text in ("Administration", "People", "Invite someone", "Chapters",
                     "<legend>Roles</legend>", 'for="invite-email"', 'for="invite-role"',
                     'for="chapter-name"', f'action="/admin/users/{person.id}"',
                     'name="roles" value="peer_supporter"', 'scope="col"', "Rowan"):
            self.assertIn(text, r.text)
        self.assertNotIn("style=", r.text)

    def test_admin_page_spanish(self):
        self.ac.cookies["lang"] = "es"
        try:
            r = self.ac.get("/admin")
        finally:
            del self.ac.cookies["lang"]
        self.assertEqual(r.status, 200)
        for text in ("Administración", "Personas", "Invitar a alguien", "Secciones",
                     '<html lang="es">', "Par de apoyo"):
            self.assertIn(text, r.text)
        self.assertNotIn("admin.", r.text.replace("/admin", ""), "no untranslated keys")

    def test_forms(self):
        person = self.srv.create_user(role="member", name="Formy")
        r = self.ac.form("/admin/chapters", {"name": "Form Chapter"})
        self.assertEqual(r.status, 200, r)
        self.assertIn("Chapter added", r.text)
        chapter = [c for c in self.ac.api("GET", "/api/v1/chapters").json()["chapters"]
                   if c["name"] == "Form Chapter"][0]
        r = self.ac.form("/admin/chapters", {"name": "Form Chapter"})
        self.assertEqual(r.status, 409)
        self.assertIn('id="chapter-name-error"', r.text)

        body = urllib.parse.urlencode([("csrf_token", self.ac.csrf), ("roles", "member"),
                                       ("roles", "facilitator"),
                                       ("chapter_id", str(chapter["id"]))])
        r = self.ac.request("POST", f"/admin/users/{person.id}", body.encode(), None,
                            "application/x-www-form-urlencoded")
        self.assertEqual(r.status, 200, r)
        self.assertIn("Changes saved", r.text)
        got = self.ac.api("GET", "/api/v1/admin/users?q=Formy").json()["users"][0]
        self.assertEqual(got["roles"], ["member", "facilitator"])
        self.assertEqual(got["chapter_id"], chapter["id"])
        self.assertFalse(got["disabled"])

        r = self.ac.form("/admin/invitations", {"email": "", "role": "facilitator",
                                                "chapter_id": str(chapter["id"])})
        self.assertEqual(r.status, 200, r)
        self.assertIn(f"http://127.0.0.1:{self.srv.port}/invite/", r.text)
        self.assertIn('id="invitation-url"', r.text)
        r = self.ac.form("/admin/invitations", {"email": "nope", "role": "member"})
        self.assertEqual(r.status, 422)
        self.assertIn('id="invite-email-error"', r.text)
        self.assertIn('value="nope"', r.text)

        # No token, no change.
        r = self.ac.form(f"/admin/users/{person.id}", {"roles": "admin"}, with_csrf=False)
        self.assertEqual(r.status, 403)
        r = self.ac.api("PATCH", f"/api/v1/admin/users/{person.id}", {"roles": ["admin"]},
                        csrf=False)
        self.assertEqual(r.status, 403)
        got = self.ac.api("GET", "/api/v1/admin/users?q=Formy").json()["users"][0]
        self.assertEqual(got["roles"], ["member", "facilitator"])

    def test_verify_endpoint(self):
        r = self.ac.api("GET", "/api/v1/admin/audit/verify")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.json()["ok"])
        self.assertIsInstance(r.json()["rows"], int)


if __name__ == "__main__":
    unittest.main()
