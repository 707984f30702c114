"""Accounts over HTTP against the real server: sign-up, sign-in, throttling,
sessions, passwords, reset by email, two-step sign-in, CSRF, and the pages."""
import base64
import hashlib
import hmac
import re
import struct
import time
import unittest
import urllib.parse

from circles import PASSWORD, CirclesServer

RECOVERY_WORDS = re.compile(r"recover|addict|sobri|relapse|drug|alcohol|rehab|craving",
                            re.I)


def totp(secret_b32, t=None, step=30):
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    counter = int((t if t is not None else time.time()) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    o = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF) % 1000000
    return f"{code:06d}"


class AccountsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def register(self, email=None, name="Ana", password=PASSWORD, **extra):
        c = self.srv.client()
        email = email or f"user{time.time_ns()}@example.org"
        data = {"email": email, "display_name": name, "password": password}
        data.update(extra)
        r = c.api("POST", "/api/v1/users", data, csrf=False)
        if r.status == 201:
            c.csrf = r.json()["csrf_token"]
        return c, r, email

    def test_register_and_me(self):
        c, r, email = self.register(name="  Ana M.  ")
        self.assertEqual(r.status, 201, r)
        me = c.api("GET", "/api/v1/me")
        self.assertEqual(me.status, 200)
        body = me.json()
        self.assertEqual(body["email"], email)
        self.assertEqual(body["display_name"], "Ana M.")
        self.assertEqual(body["roles"], ["member"])
        self.assertIsInstance(body["id"], int)

    def test_register_validation(self):
        _, r, _ = self.register(email="not-an-email")
        self.assertEqual(r.status, 422)
        self.assertEqual(r.json()["error"]["field"], "email")
        _, r, _ = self.register(password="short")
        self.assertEqual(r.status, 422)
        self.assertEqual(r.json()["error"]["field"], "password")
        _, r, _ = self.register(name="x" * 61)
        self.assertEqual(r.status, 422)
        self.assertEqual(r.json()["error"]["field"], "display_name")
        _, r, email = self.register()
        self.assertEqual(r.status, 201)
        _, r, _ = self.register(email=email.upper())
        self.assertEqual(r.status, 409)
        self.assertEqual(r.json()["error"]["code"], "email_taken")

    def test_error_shape_and_content_type(self):
        c = self.srv.client()
        r = c.request("POST", "/api/v1/session", b"email=a", None, "application/x-www-form-urlencoded")
        self.assertEqual(r.status, 415)
        err = r.json()["error"]
        self.assertEqual(set(err), {"code", "message"})
        r = c.request("POST", "/api/v1/session", b"{not json", None, "application/json")
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()["error"]["code"], "malformed_json")
        r = c.api("GET", "/api/v1/me")
        self.assertEqual(r.status, 401)
        self.assertEqual(r.json()["error"]["code"], "not_signed_in")
        r = c.api("GET", "/api/v1/nothing-here")
        self.assertEqual(r.status, 404)
        self.assertEqual(r.json()["error"]["code"], "not_found")

    def test_login_logout(self):
        u = self.srv.create_user(role="member")
        c = self.srv.client()
        r = c.login(u.email, "wrong password here")
        self.assertEqual(r.status, 401)
        self.assertEqual(r.json()["error"]["code"], "invalid_credentials")
        r = c.login(u.email.upper())
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json()["csrf_token"])
        cookie = r.header("set-cookie")
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Lax", cookie)
        self.assertEqual(c.api("GET", "/api/v1/me").status, 200)
        self.assertEqual(c.logout().status, 204)
        self.assertEqual(c.api("GET", "/api/v1/me").status, 401)

    def test_throttle_after_ten_failures(self):
        u = self.srv.create_user(role="member")
        c = self.srv.client()
        codes = [c.login(u.email, "not the password").status for _ in range(10)]
        self.assertEqual(codes, [401] * 10)
        r = c.login(u.email)            # right password, still refused
        self.assertEqual(r.status, 429)
        self.assertEqual(r.json()["error"]["code"], "too_many_attempts")
        self.assertTrue(int(r.header("retry-after")) > 0)
        # Another account from the same address is not locked out.
        other = self.srv.create_user(role="member")
        self.assertEqual(self.srv.client().login(other.email).status, 200)
        self.srv.clock(advance=16 * 60)
        try:
            self.assertEqual(c.login(u.email).status, 200)
        finally:
            self.srv.clock(advance=0)

    def test_csrf_required_with_session_cookie(self):
        u, c = self.srv.signed_in("member")
        r = c.api("PATCH", "/api/v1/me", {"display_name": "Sky"}, csrf=False)
        self.assertEqual(r.status, 403)
        self.assertEqual(r.json()["error"]["code"], "csrf")
        r = c.api("PATCH", "/api/v1/me", {"display_name": "Sky"},
                  headers={"X-CSRF-Token": "A" * 32})
        self.assertEqual(r.status, 403)
        r = c.api("PATCH", "/api/v1/me", {"display_name": "Sky"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["display_name"], "Sky")
        # A form post without the token is refused too.
        r = c.form("/account", {"display_name": "Sky2"}, with_csrf=False)
        self.assertEqual(r.status, 403)

    def test_password_change_ends_other_sessions_and_notifies(self):
        u, c1 = self.srv.signed_in("member")
        c2 = self.srv.client()
        self.assertEqual(c2.login(u.email).status, 200)
        r = c1.api("POST", "/api/v1/me/password",
                   {"current_password": "wrong one!!", "new_password": "a brand new passphrase"})
        self.assertEqual(r.status, 403)
        r = c1.api("POST", "/api/v1/me/password",
                   {"current_password": PASSWORD, "new_password": "tiny"})
        self.assertEqual(r.status, 422)
        r = c1.api("POST", "/api/v1/me/password",
                   {"current_password": PASSWORD, "new_password": "a brand new passphrase"})
        self.assertEqual(r.status, 204, r)
        self.assertEqual(c1.api("GET", "/api/v1/me").status, 200)
        self.assertEqual(c2.api("GET", "/api/v1/me").status, 401)
        self.assertEqual(self.srv.client().login(u.email).status, 401)
        self.assertEqual(self.srv.client().login(u.email, "a brand new passphrase").status, 200)
        msgs = self.srv.smtp.wait_for(1, predicate=lambda m: m["To"] == u.email)
        self.assertNotRegex(msgs[0]["Subject"] + msgs[0].get_content(), RECOVERY_WORDS)

    def test_password_reset_by_email(self):
        u = self.srv.create_user(role="member")
        c = self.srv.client()
        r = c.api("POST", "/api/v1/password/forgot", {"email": "nobody@example.org"}, csrf=False)
        self.assertEqual(r.status, 202)
        r = c.api("POST", "/api/v1/password/forgot", {"email": u.email}, csrf=False)
        self.assertEqual(r.status, 202)
        msg = self.srv.smtp.wait_for(1, predicate=lambda m: m["To"] == u.email)[0]
        body = msg.get_content()
        self.assertNotRegex(msg["Subject"] + body, RECOVERY_WORDS)
        link = re.search(r"http://\S+/password/reset\?token=([A-Za-z0-9_-]+)", body)
        self.assertIsNotNone(link, body)
        token = link.group(1)
        # The reset page carries the token into its form.
        page = c.get("/password/reset?token=" + token)
        self.assertEqual(page.status, 200)
        self.assertIn(token, page.text)
        r = c.api("POST", "/api/v1/password/reset", {"token": token, "new_password": "short"},
                  csrf=False)
        self.assertEqual(r.status, 422)
        r = c.api("POST", "/api/v1/password/reset",
                  {"token": token, "new_password": "reset passphrase works"}, csrf=False)
        self.assertEqual(r.status, 204, r)
        r = c.api("POST", "/api/v1/password/reset",
                  {"token": token, "new_password": "reset passphrase twice"}, csrf=False)
        self.assertEqual(r.status, 422)
        self.assertEqual(self.srv.client().login(u.email).status, 401)
        self.assertEqual(self.srv.client().login(u.email, "reset passphrase works").status, 200)
        # The token never reaches the log.
        self.assertNotIn(token, self.srv.log())

    def test_sessions_list_and_revoke(self):
        u, c1 = self.srv.signed_in("member")
        c2 = self.srv.client()
        c2.login(u.email)
        r = c1.api("GET", "/api/v1/me/sessions")
        sessions = r.json()["sessions"]
        self.assertEqual(len(sessions), 2)
        self.assertEqual(sum(1 for s in sessions if s["current"]), 1)
        other = [s for s in sessions if not s["current"]][0]
        self.assertEqual(c1.api("DELETE", f"/api/v1/me/sessions/{other['id']}").status, 204)
        self.assertEqual(c2.api("GET", "/api/v1/me").status, 401)
        # Someone else's session id is not found.
        v, c3 = self.srv.signed_in("member")
        mine = c3.api("GET", "/api/v1/me/sessions").json()["sessions"][0]["id"]
        self.assertEqual(c1.api("DELETE", f"/api/v1/me/sessions/{mine}").status, 404)
        self.assertEqual(c3.api("GET", "/api/v1/me").status, 200)
        # Log out everywhere.
        c4 = self.srv.client()
        c4.login(u.email)
        self.assertEqual(c1.api("DELETE", "/api/v1/me/sessions").status, 204)
        self.assertEqual(c1.api("GET", "/api/v1/me").status, 401)
        self.assertEqual(c4.api("GET", "/api/v1/me").status, 401)

    def test_session_idle_timeout(self):
        u, c = self.srv.signed_in("member")
        self.srv.clock(advance=3601)
        self.assertEqual(c.api("GET", "/api/v1/me").status, 401)

    def test_totp_for_staff(self):
        u, c = self.srv.signed_in("coordinator")
        r = c.api("POST", "/api/v1/me/totp/setup")
        self.assertEqual(r.status, 200, r)
        secret = r.json()["secret"]
        self.assertTrue(r.json()["otpauth_uri"].startswith("otpauth://totp/"))
        now = self.srv.clock(advance=0)
        r = c.api("POST", "/api/v1/me/totp/enable", {"code": "000000" if totp(secret, now) != "000000" else "111111"})
        self.assertEqual(r.status, 422)
        r = c.api("POST", "/api/v1/me/totp/enable", {"code": totp(secret, now)})
        self.assertEqual(r.status, 200, r)
        self.srv.clock(advance=60)      # a new code window
        now = self.srv.clock(advance=0)
        c2 = self.srv.client()
        r = c2.login(u.email)
        self.assertEqual(r.status, 401)
        self.assertEqual(r.json()["error"]["code"], "totp_required")
        code = totp(secret, now)
        r = c2.login(u.email, totp=code)
        self.assertEqual(r.status, 200, r)
        r = self.srv.client().login(u.email, totp=code)   # replay
        self.assertEqual(r.status, 401)
        self.assertEqual(r.json()["error"]["code"], "invalid_totp")
        # Members cannot turn it on (staff only).
        m, mc = self.srv.signed_in("member")
        self.assertEqual(mc.api("POST", "/api/v1/me/totp/setup").status, 403)

    def test_pages_sign_in_flow(self):
        u = self.srv.create_user(role="member", name="Rosa")
        c = self.srv.client()
        r = c.get("/account")
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("location"), "/login?next=%2Faccount")
        page = c.get("/login?next=/account")
        self.assertEqual(page.status, 200)
        self.assertIn('name="password"', page.text)
        self.assertIn('<label for="email"', page.text)
        r = c.form("/login", {"email": u.email, "password": "nope nope nope", "next": "/account"})
        self.assertEqual(r.status, 401)
        self.assertIn('role="alert"', r.text)
        self.assertIn(u.email, r.text)          # the email is kept in the form
        self.assertNotIn("nope nope nope", r.text)
        r = c.form("/login", {"email": u.email, "password": PASSWORD, "next": "//evil.example"})
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("location"), "/")
        page = c.get("/account")
        self.assertEqual(page.status, 200)
        self.assertIn("Rosa", page.text)
        self.assertEqual(page.header("cache-control"), "no-store")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        r = c.form("/logout", {"csrf_token": csrf})
        self.assertEqual(r.status, 303)
        self.assertEqual(c.get("/account").status, 303)

    def test_signup_page_and_spanish(self):
        c = self.srv.client()
        c.cookies["lang"] = "es"
        page = c.get("/signup")
        self.assertEqual(page.status, 200)
        self.assertIn('<html lang="es"', page.text)
        self.assertIn("Únete a Circles", page.text)
        r = c.form("/signup", {"display_name": "Luz", "email": "bad", "password": PASSWORD})
        self.assertEqual(r.status, 422)
        self.assertIn('aria-invalid="true"', r.text)
        email = f"luz{time.time_ns()}@example.org"
        r = c.form("/signup", {"display_name": "Luz", "email": email, "password": PASSWORD})
        self.assertEqual(r.status, 303)
        home = c.get(r.header("location"))
        self.assertEqual(home.status, 200)
        self.assertIn("Luz", home.text)

    def test_language_switch(self):
        c = self.srv.client()
        r = c.form("/lang", {"lang": "es", "next": "/login"})
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("location"), "/login")
        self.assertEqual(c.cookies.get("lang"), "es")
        self.assertIn('lang="es"', c.get("/login").text)
        r = c.form("/lang", {"lang": "xx", "next": "/"})
        self.assertEqual(r.status, 422)
        r = c.get("/login", headers={"Accept-Language": "es-MX,es;q=0.9"})
        self.assertIn('lang="es"', r.text)

    def test_invitation_only_registration(self):
        srv = CirclesServer(env={"CIRCLES_REGISTRATION": "invite"}).start()
        try:
            c = srv.client()
            r = c.api("POST", "/api/v1/users", {"email": "x@example.org", "display_name": "X",
                                                 "password": PASSWORD}, csrf=False)
            self.assertEqual(r.status, 403)
            self.assertEqual(r.json()["error"]["code"], "invitation_required")
            admin, ac = srv.signed_in("admin")
            r = ac.api("POST", "/api/v1/admin/invitations",
                       {"role": "peer_supporter", "email": "pat@example.org"})
            self.assertEqual(r.status, 201, r)
            url = r.json()["invitation_url"]
            token = url.rsplit("/", 1)[1]
            page = c.get(urllib.parse.urlsplit(url).path)
            self.assertEqual(page.status, 200)
            r = c.api("POST", "/api/v1/users", {"email": "other@example.org", "display_name": "Pat",
                                                 "password": PASSWORD, "invitation": token}, csrf=False)
            self.assertEqual(r.status, 422)
            r = c.api("POST", "/api/v1/users", {"email": "pat@example.org", "display_name": "Pat",
                                                 "password": PASSWORD, "invitation": token}, csrf=False)
            self.assertEqual(r.status, 201, r)
            self.assertEqual(r.json()["user"]["roles"], ["peer_supporter"])
            r = srv.client().api("POST", "/api/v1/users", {"email": "p2@example.org", "display_name": "P",
                                                           "password": PASSWORD, "invitation": token}, csrf=False)
            self.assertEqual(r.status, 422)     # used once only
        finally:
            srv.close()

    def test_no_secrets_in_log(self):
        u = self.srv.create_user(role="member", password="log canary passphrase 42")
        c = self.srv.client()
        c.login(u.email, "log canary passphrase 42")
        c.login(u.email, "wrong canary passphrase")
        log = self.srv.log()
        self.assertNotIn("canary", log)
        self.assertNotIn(u.email, log)
        self.assertNotIn(c.cookies.get("circles_session", "none"), log)
        self.assertIn('"route":"/api/v1/session"', log)


if __name__ == "__main__":
    unittest.main()
