"""Privacy over HTTP against the real server: consents, the reads they allow
and the audit rows those reads leave, "who saw my data", the export, deleting
an account, CSRF, and the pages in English and Spanish.

The rule under test everywhere: a member's data reaches another person only
through a recorded, unrevoked, unexpired consent, and every such read shows
up in the member's log.  Without one the answer is 404, as if nothing were
there, whatever the viewer's role.
"""
import json
import threading
import unittest

from circles import PASSWORD, CirclesServer


def reads(client):
    """The caller's audit entries for reads, newest first."""
    r = client.api("GET", "/api/v1/me/audit?limit=200")
    assert r.status == 200, r
    return [e for e in r.json()["entries"] if e["action"] == "read"]


class ConsentTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()
        cls.admin, cls.admin_c = cls.srv.signed_in("admin", name="Ada")

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def pair(self):
        """A fresh member (Mia) and peer supporter (Ana), both signed in."""
        member, mc = self.srv.signed_in("member", name="Mia")
        peer, pc = self.srv.signed_in("peer_supporter", name="Ana")
        return member, mc, peer, pc

    def grant(self, client, **fields):
        data = {"category": "contact", "purpose": "so my peer supporter can call me"}
        data.update(fields)
        return client.api("POST", "/api/v1/me/consents", data)

    # ---- the whole story ----

    def test_grant_read_audit_revoke(self):
        member, mc, peer, pc = self.pair()
        r = self.grant(mc, grantee_user_id=peer.id)
        self.assertEqual(r.status, 201, r)
        consent = r.json()
        self.assertEqual(consent["grantee"], {"type": "user", "id": peer.id, "name": "Ana"})
        self.assertEqual(consent["category"], "contact")
        self.assertTrue(consent["active"])
        self.assertIsNone(consent["expires_at"])
        self.assertIsNone(consent["revoked_at"])

        r = pc.api("GET", f"/api/v1/members/{member.id}/contact")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"id": member.id, "display_name": "Mia",
                                    "email": member.email})

        seen = reads(mc)
        self.assertEqual(len(seen), 1)
        self.assertEqual(seen[0]["actor"]["name"], "Ana")
        self.assertEqual(seen[0]["actor"]["type"], "person")
        self.assertEqual(seen[0]["actor"]["role"], "peer_supporter")
        self.assertEqual(seen[0]["category"], "contact")
        self.assertEqual(seen[0]["object"], f"contact:{member.id}")
        self.assertIsInstance(seen[0]["at"], int)

        r = mc.api("DELETE", f"/api/v1/me/consents/{consent['id']}")
        self.assertEqual(r.status, 204, r)
        r = pc.api("GET", f"/api/v1/members/{member.id}/contact")
        self.assertEqual(r.status, 404, r)
        self.assertEqual(r.json()["error"]["code"], "not_found")
        self.assertEqual(len(reads(mc)), 1, "a refused read is not logged")

        actions = [e["action"] for e in mc.api("GET", "/api/v1/me/audit").json()["entries"]]
        self.assertIn("consent.grant", actions)
        self.assertIn("consent.revoke", actions)

        # Revoking twice is harmless; listing shows it ended.
        self.assertEqual(mc.api("DELETE", f"/api/v1/me/consents/{consent['id']}").status, 204)
        given = mc.api("GET", "/api/v1/me/consents").json()["given"]
        self.assertEqual(len(given), 1)
        self.assertFalse(given[0]["active"])
        self.assertIsInstance(given[0]["revoked_at"], int)

    def test_stranger_gets_404_and_no_audit(self):
        member, mc, peer, pc = self.pair()
        self.assertEqual(self.grant(mc, grantee_user_id=peer.id).status, 201)
        stranger, sc = self.srv.signed_in("member", name="Sam")
        r = sc.api("GET", f"/api/v1/members/{member.id}/contact")
        self.assertEqual(r.status, 404)
        self.assertEqual(reads(mc), [])
        # The same answer as for someone who does not exist at all.
        self.assertEqual(sc.api("GET", "/api/v1/members/999999/contact").status, 404)

    def test_admin_without_consent_gets_404(self):
        member, mc, peer, pc = self.pair()
        self.assertEqual(self.grant(mc, grantee_user_id=peer.id).status, 201)
        for role in ("admin", "coordinator", "clinician"):
            _, c = self.srv.signed_in(role)
            r = c.api("GET", f"/api/v1/members/{member.id}/contact")
            self.assertEqual(r.status, 404, role)
        self.assertEqual(reads(mc), [])

    def test_concurrent_reads_keep_one_chain(self):
        member, mc, peer, pc = self.pair()
        self.grant(mc, grantee_user_id=peer.id)
        statuses = []

        def read_many():
            c = self.srv.client()
            c.cookies = dict(pc.cookies)
            for _ in range(6):
                statuses.append(c.api("GET", f"/api/v1/members/{member.id}/contact").status)

        threads = [threading.Thread(target=read_many) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(statuses, [200] * 48)
        self.assertEqual(len(reads(mc)), 48, "every read has its row")
        v = self.admin_c.api("GET", "/api/v1/admin/audit/verify").json()
        self.assertTrue(v["ok"], v)

    def test_own_contact_not_audited(self):
        member, mc = self.srv.signed_in("member", name="Mia")
        r = mc.api("GET", f"/api/v1/members/{member.id}/contact")
        self.assertEqual(r.status, 200)
        self.assertEqual(reads(mc), [])

    def test_wrong_category_does_not_open_contact(self):
        member, mc, peer, pc = self.pair()
        self.assertEqual(self.grant(mc, grantee_user_id=peer.id, category="checkins").status, 201)
        self.assertEqual(pc.api("GET", f"/api/v1/members/{member.id}/contact").status, 404)

    def test_consent_expires(self):
        member, mc, peer, pc = self.pair()
        now = self.srv.clock()
        r = self.grant(mc, grantee_user_id=peer.id, expires_at=now + 60)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["expires_at"], now + 60)
        self.assertEqual(pc.api("GET", f"/api/v1/members/{member.id}/contact").status, 200)
        self.srv.clock(advance=120)
        self.assertEqual(pc.api("GET", f"/api/v1/members/{member.id}/contact").status, 404)
        given = mc.api("GET", "/api/v1/me/consents").json()["given"]
        self.assertFalse(given[0]["active"])

    # ---- validation ----

    def test_validation(self):
        member, mc, peer, pc = self.pair()
        now = self.srv.clock()
        cases = [
            ({"grantee_user_id": peer.id, "category": "diary"}, "category"),
            ({"grantee_user_id": peer.id, "purpose": "x" * 201}, "purpose"),
            ({"grantee_user_id": peer.id, "purpose": ""}, "purpose"),
            ({"grantee_user_id": peer.id, "purpose": "   "}, "purpose"),
            ({"grantee_user_id": peer.id, "expires_at": now - 1}, "expires_at"),
            ({"grantee_user_id": peer.id, "expires_at": "tomorrow"}, "expires_at"),
            ({"grantee_user_id": member.id}, "grantee_user_id"),
            ({}, "grantee_user_id"),
            ({"grantee_user_id": "7"}, "grantee_user_id"),
            ({"grantee_user_id": peer.id, "grantee_org_id": 1}, "grantee_user_id"),
        ]
        for fields, field in cases:
            r = self.grant(mc, **fields)
            self.assertEqual(r.status, 422, (fields, r))
            self.assertEqual(r.json()["error"]["code"], "invalid_field")
            self.assertEqual(r.json()["error"]["field"], field, fields)
        self.assertEqual(self.grant(mc, grantee_user_id=999999).status, 404)
        self.assertEqual(self.grant(mc, grantee_org_id=999999).status, 404)
        self.assertEqual(mc.api("GET", "/api/v1/me/consents").json()["given"], [])
        self.assertEqual(self.grant(mc, grantee_user_id=peer.id,
                                    purpose="é" * 100).status, 201, "200 bytes is fine")

    def test_revoke_someone_elses_consent_is_404(self):
        member, mc, peer, pc = self.pair()
        cid = self.grant(mc, grantee_user_id=peer.id).json()["id"]
        self.assertEqual(pc.api("DELETE", f"/api/v1/me/consents/{cid}").status, 404)
        self.assertEqual(mc.api("DELETE", "/api/v1/me/consents/999999").status, 404)
        self.assertEqual(mc.api("DELETE", "/api/v1/me/consents/abc").status, 404)
        self.assertEqual(pc.api("GET", f"/api/v1/members/{member.id}/contact").status, 200)

    # ---- lists ----

    def test_consents_given_and_received(self):
        member, mc, peer, pc = self.pair()
        self.assertEqual(self.grant(mc, grantee_user_id=peer.id, category="goals",
                                    purpose="weekly goals").status, 201)
        body = mc.api("GET", "/api/v1/me/consents").json()
        self.assertEqual(len(body["given"]), 1)
        self.assertEqual(body["received"], [])
        got = pc.api("GET", "/api/v1/me/consents").json()["received"]
        self.assertEqual(len(got), 1)
        self.assertEqual(got[0]["member"], {"id": member.id, "name": "Mia"})
        self.assertEqual(got[0]["category"], "goals")
        self.assertEqual(got[0]["purpose"], "weekly goals")
        self.assertTrue(got[0]["active"])

    def test_audit_pagination(self):
        member, mc, peer, pc = self.pair()
        self.grant(mc, grantee_user_id=peer.id)
        for _ in range(3):
            self.assertEqual(pc.api("GET", f"/api/v1/members/{member.id}/contact").status, 200)
        first = mc.api("GET", "/api/v1/me/audit?limit=2").json()
        self.assertEqual(len(first["entries"]), 2)
        self.assertIsInstance(first["next_before"], int)
        ids = [e["id"] for e in first["entries"]]
        self.assertEqual(ids, sorted(ids, reverse=True), "newest first")
        second = mc.api("GET", f"/api/v1/me/audit?limit=2&before={first['next_before']}").json()
        self.assertTrue(all(e["id"] < first["next_before"] for e in second["entries"]))
        everything = mc.api("GET", "/api/v1/me/audit?limit=100000").json()
        self.assertEqual(len(everything["entries"]), 4)   # grant + three reads
        self.assertIsNone(everything["next_before"])
        # Nobody sees anyone else's log.
        self.assertEqual([e for e in pc.api("GET", "/api/v1/me/audit").json()["entries"]
                          if e["action"] == "read"], [])

    def test_grantees(self):
        member, mc = self.srv.signed_in("member", name="Mia")
        peer, _ = self.srv.signed_in("peer_supporter", name="Quinn Peer")
        other, _ = self.srv.signed_in("member", name="Quinn Member")
        r = mc.api("GET", "/api/v1/grantees?q=QUINN")
        self.assertEqual(r.status, 200)
        people = r.json()["people"]
        self.assertEqual(people, [{"id": peer.id, "display_name": "Quinn Peer"}],
                         "staff yes, a member outside my chapter no")
        self.assertIn("organizations", r.json())
        everyone = mc.api("GET", "/api/v1/grantees").json()["people"]
        self.assertLessEqual(len(everyone), 20)
        self.assertNotIn(member.id, [p["id"] for p in everyone], "never myself")
        self.assertEqual(mc.api("GET", "/api/v1/grantees?q=zzzz-nobody").json()["people"], [])
        self.assertEqual(mc.api("GET", "/api/v1/grantees?q=%25").json()["people"], [],
                         "wildcards are literal")
        self.assertEqual(mc.api("GET", "/api/v1/grantees?q=" + "x" * 101).status, 422)

    def test_grantees_same_chapter(self):
        r = self.admin_c.api("POST", "/api/v1/admin/chapters", {"name": "North Shore"})
        self.assertEqual(r.status, 201, r)
        chapter = r.json()["id"]
        member, mc = self.srv.signed_in("member", name="Mia")
        neighbour, _ = self.srv.signed_in("member", name="Nell")
        for u in (member, neighbour):
            self.assertEqual(self.admin_c.api("PATCH", f"/api/v1/admin/users/{u.id}",
                                              {"chapter_id": chapter}).status, 200)
        ids = [p["id"] for p in mc.api("GET", "/api/v1/grantees").json()["people"]]
        self.assertIn(neighbour.id, ids)

    # ---- export ----

    def test_export(self):
        member, mc, peer, pc = self.pair()
        self.grant(mc, grantee_user_id=peer.id)
        self.assertEqual(pc.api("GET", f"/api/v1/members/{member.id}/contact").status, 200)
        r = mc.get("/api/v1/me/export")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("content-disposition"),
                         'attachment; filename="circles-export.json"')
        doc = r.json()
        self.assertEqual(doc["format"], 1)
        self.assertEqual(doc["profile"]["email"], member.email)
        self.assertEqual(doc["profile"]["display_name"], "Mia")
        self.assertEqual(doc["profile"]["roles"], ["member"])
        self.assertEqual(doc["consents_given"][0]["grantee"]["id"], peer.id)
        self.assertEqual(doc["consents_received"], [])
        self.assertTrue(any(e["action"] == "read" and e["actor"]["name"] == "Ana"
                            for e in doc["audit"]))
        self.assertTrue(any(e["action"] == "data.export" for e in doc["audit"]))
        self.assertGreaterEqual(len(doc["sessions"]), 1)
        self.assertEqual(set(doc["sessions"][0].keys()),
                         {"created_at", "last_seen_at", "expires_at", "device"})
        text = r.text
        for secret in ("password", "token_hash", "csrf", "pseudonym",
                       mc.cookies["circles_session"]):
            self.assertNotIn(secret, text)
        # The grantee sees what was shared with them in their own export.
        doc = pc.get("/privacy/export").json()
        self.assertEqual(doc["consents_received"][0]["member"]["id"], member.id)

    # ---- CSRF ----

    def test_csrf_required(self):
        member, mc, peer, pc = self.pair()
        r = mc.api("POST", "/api/v1/me/consents", {"grantee_user_id": peer.id,
                                                   "category": "contact", "purpose": "x"},
                   csrf=False)
        self.assertEqual(r.status, 403)
        r = mc.form("/privacy/consents", {"grantee": f"u:{peer.id}", "category": "contact",
                                          "purpose": "x"}, with_csrf=False)
        self.assertEqual(r.status, 403)
        r = mc.form("/privacy/delete", {"password": PASSWORD}, with_csrf=False)
        self.assertEqual(r.status, 403)
        r = mc.api("DELETE", "/api/v1/me", {"password": PASSWORD}, csrf=False)
        self.assertEqual(r.status, 403)
        self.assertEqual(mc.api("GET", "/api/v1/me/consents").json()["given"], [])
        self.assertEqual(mc.api("GET", "/api/v1/me").status, 200)

    def test_signed_out(self):
        c = self.srv.client()
        self.assertEqual(c.api("GET", "/api/v1/me/consents").status, 401)
        self.assertEqual(c.api("GET", "/api/v1/members/1/contact").status, 401)
        r = c.get("/privacy")
        self.assertEqual(r.status, 303)
        self.assertTrue(r.header("location").startswith("/login"))

    # ---- pages ----

    def test_privacy_page_english(self):
        member, mc, peer, pc = self.pair()
        r = mc.get("/privacy")
        self.assertEqual(r.status, 200, r)
        for text in ("Your privacy", "Share with", "What to share", "Why you are sharing it",
                     "Share until (optional)", "Delete my account", "Who saw my data",
                     "Download a copy of my data", 'name="csrf_token"', "<legend>",
                     'for="grantee"', 'for="purpose"', 'for="delete-password"',
                     "Your email address and display name"):
            self.assertIn(text, r.text)
        self.assertIn(f'value="u:{peer.id}"', r.text)
        self.assertNotIn("style=", r.text)
        self.assertNotIn("<script>", r.text)

    def test_privacy_page_spanish(self):
        member, mc, peer, pc = self.pair()
        mc.cookies["lang"] = "es"
        r = mc.get("/privacy")
        self.assertEqual(r.status, 200)
        for text in ("Tu privacidad", "Compartir con", "Qué compartir", "Para qué lo compartes",
                     "Eliminar mi cuenta", "Quién vio mis datos", '<html lang="es">'):
            self.assertIn(text, r.text)
        self.assertNotIn("privacy.", r.text, "no untranslated keys")

    def test_form_share_and_revoke(self):
        member, mc, peer, pc = self.pair()
        r = mc.form("/privacy/consents", {"grantee": f"u:{peer.id}", "category": "checkins",
                                          "purpose": "so Ana can check in", "until": ""})
        self.assertEqual(r.status, 200, r)
        self.assertIn("Sharing started", r.text)
        self.assertIn("so Ana can check in", r.text)
        cid = mc.api("GET", "/api/v1/me/consents").json()["given"][0]["id"]
        self.assertIn(f'action="/privacy/consents/{cid}/revoke"', r.text)
        self.assertIn('name="next" value="/privacy"', r.text,
                      "switching language after a POST comes back to the page")
        r = mc.form(f"/privacy/consents/{cid}/revoke", {})
        self.assertEqual(r.status, 200)
        self.assertIn("Sharing stopped", r.text)
        self.assertFalse(mc.api("GET", "/api/v1/me/consents").json()["given"][0]["active"])
        self.assertEqual(pc.form(f"/privacy/consents/{cid}/revoke", {}).status, 404)

    def test_form_errors_stay_beside_fields(self):
        member, mc, peer, pc = self.pair()
        r = mc.form("/privacy/consents", {"grantee": f"u:{peer.id}", "category": "contact",
                                          "purpose": "", "until": ""})
        self.assertEqual(r.status, 422)
        self.assertIn('id="purpose-error"', r.text)
        self.assertIn('aria-invalid="true"', r.text)
        self.assertIn("Write why you are sharing", r.text)
        self.assertIn(f'value="u:{peer.id}" selected', r.text, "the choice is kept")
        r = mc.form("/privacy/consents", {"grantee": f"u:{peer.id}", "category": "contact",
                                          "purpose": "ok", "until": "2001-01-01"})
        self.assertEqual(r.status, 422)
        self.assertIn('id="until-error"', r.text)
        r = mc.form("/privacy/consents", {"grantee": f"u:{peer.id}", "category": "contact",
                                          "purpose": "ok", "until": "2030-02-30"})
        self.assertEqual(r.status, 422)
        r = mc.form("/privacy/consents", {"grantee": "", "category": "contact",
                                          "purpose": "ok"})
        self.assertEqual(r.status, 422)
        self.assertIn('id="grantee-error"', r.text)
        self.assertEqual(mc.api("GET", "/api/v1/me/consents").json()["given"], [])
        r = mc.form("/privacy/consents", {"grantee": f"u:{peer.id}", "category": "contact",
                                          "purpose": "ok", "until": "2099-12-31"})
        self.assertEqual(r.status, 200)
        self.assertIn("31 December 2099", r.text)

    def test_audit_page_in_words(self):
        member, mc, peer, pc = self.pair()
        self.grant(mc, grantee_user_id=peer.id)
        pc.api("GET", f"/api/v1/members/{member.id}/contact")
        r = mc.get("/privacy/audit")
        self.assertEqual(r.status, 200)
        self.assertIn("Ana (peer supporter) viewed your contact details", r.text)
        self.assertIn("You started sharing your contact details", r.text)
        self.assertIn('<th scope="col">', r.text)
        mc.cookies["lang"] = "es"
        r = mc.get("/privacy/audit")
        self.assertIn("Ana (par de apoyo) vio tus datos de contacto", r.text)

    def test_export_page_download(self):
        member, mc = self.srv.signed_in("member", name="Mia")
        r = mc.get("/privacy/export")
        self.assertEqual(r.status, 200)
        self.assertIn("attachment", r.header("content-disposition"))
        self.assertEqual(json.loads(r.text)["profile"]["display_name"], "Mia")


class DeleteAccountTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()
        cls.admin, cls.admin_c = cls.srv.signed_in("admin", name="Ada")

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def verify(self):
        r = self.admin_c.api("GET", "/api/v1/admin/audit/verify")
        self.assertEqual(r.status, 200, r)
        return r.json()

    def test_delete_with_password(self):
        member, mc = self.srv.signed_in("member", name="Mia")
        peer, pc = self.srv.signed_in("peer_supporter", name="Ana")
        r = mc.api("POST", "/api/v1/me/consents", {"grantee_user_id": peer.id,
                                                   "category": "contact", "purpose": "calls"})
        self.assertEqual(r.status, 201)
        self.assertEqual(pc.api("GET", f"/api/v1/members/{member.id}/contact").status, 200)

        r = mc.api("DELETE", "/api/v1/me", {"password": "not my password"})
        self.assertEqual(r.status, 403)
        self.assertEqual(r.json()["error"]["code"], "wrong_password")
        r = mc.api("DELETE", "/api/v1/me", {})
        self.assertEqual(r.status, 422)
        self.assertEqual(r.json()["error"]["field"], "password")
        self.assertEqual(mc.api("GET", "/api/v1/me").status, 200, "still there")

        rows_before = self.verify()["rows"]
        r = mc.api("DELETE", "/api/v1/me", {"password": PASSWORD})
        self.assertEqual(r.status, 204, r)
        self.assertEqual(mc.api("GET", "/api/v1/me").status, 401)
        self.assertNotEqual(self.srv.client().login(member.email).status, 200)
        self.assertEqual(pc.api("GET", f"/api/v1/members/{member.id}/contact").status, 404)
        self.assertEqual(pc.api("GET", "/api/v1/me/consents").json()["received"], [])

        v = self.verify()
        self.assertTrue(v["ok"], v)
        self.assertGreater(v["rows"], rows_before, "account.delete was recorded")

    def test_reader_deleted_shows_as_deleted_account(self):
        member, mc = self.srv.signed_in("member", name="Mia")
        peer, pc = self.srv.signed_in("peer_supporter", name="Ana")
        mc.api("POST", "/api/v1/me/consents", {"grantee_user_id": peer.id,
                                               "category": "contact", "purpose": "calls"})
        pc.api("GET", f"/api/v1/members/{member.id}/contact")
        self.assertEqual(pc.api("DELETE", "/api/v1/me", {"password": PASSWORD}).status, 204)
        seen = reads(mc)
        self.assertEqual(len(seen), 1)
        self.assertEqual(seen[0]["actor"], {"type": "deleted", "name": "A deleted account"})
        self.assertEqual(mc.api("GET", "/api/v1/me/consents").json()["given"], [],
                         "consents to a deleted account go with it")
        self.assertTrue(self.verify()["ok"])

    def test_delete_by_form(self):
        member, mc = self.srv.signed_in("member", name="Mia")
        r = mc.form("/privacy/delete", {"password": "wrong password!"})
        self.assertEqual(r.status, 403)
        self.assertIn('id="delete-password-error"', r.text)
        self.assertIn("Nothing was deleted", r.text)
        r = mc.form("/privacy/delete", {"password": ""})
        self.assertEqual(r.status, 422)
        r = mc.form("/privacy/delete", {"password": PASSWORD})
        self.assertEqual(r.status, 200, r)
        self.assertIn("Your account is deleted", r.text)
        self.assertTrue(any("circles_session=;" in v and "Max-Age=0" in v
                            for v in r.headers_all("set-cookie")))
        self.assertNotIn("/logout", r.text, "the page is shown signed out")
        self.assertNotEqual(self.srv.client().login(member.email).status, 200)
        self.assertTrue(self.verify()["ok"])

    def test_wrong_passwords_are_throttled(self):
        member, mc = self.srv.signed_in("member", name="Mia")
        for _ in range(10):
            self.assertEqual(mc.api("DELETE", "/api/v1/me", {"password": "guess guess"}).status,
                             403)
        r = mc.api("DELETE", "/api/v1/me", {"password": PASSWORD})
        self.assertEqual(r.status, 429, "a stolen session cannot be used to guess passwords")
        self.assertEqual(r.json()["error"]["code"], "throttled")
        self.assertEqual(mc.api("GET", "/api/v1/me").status, 200, "and nothing was deleted")

    def test_last_admin_cannot_delete_themself(self):
        srv = CirclesServer().start()
        try:
            admin, ac = srv.signed_in("admin")
            r = ac.api("DELETE", "/api/v1/me", {"password": PASSWORD})
            self.assertEqual(r.status, 409)
            self.assertEqual(r.json()["error"]["code"], "last_admin")
            srv.create_user(role="admin")
            self.assertEqual(ac.api("DELETE", "/api/v1/me", {"password": PASSWORD}).status, 204)
        finally:
            srv.close()


if __name__ == "__main__":
    unittest.main()
