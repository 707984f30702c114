"""Accountability partners over HTTP against the real server, a real SMTP sink
and a local endpoint standing in for the SMS gateway.

The agreement: a member proposes to someone in their chapter, the other
accepts or declines; what each shares becomes ordinary consents, so each sees
exactly what the other consented to (every read audited) and nothing after
the partnership ends.  Nudges are discreet, paced, and wait for quiet hours;
the partner is alerted once per silence when a member has not checked in for
the days they chose, evaluated by a job on the server's clock.
"""
import re
import time
import unittest

from circles import PASSWORD, CirclesServer
from test_sms import FROM, TOKEN, Gateway, SmsBase


def reads(client):
    r = client.api("GET", "/api/v1/me/audit?limit=200")
    assert r.status == 200, r
    return [e for e in r.json()["entries"] if e["action"] == "read"]


class PartnersTest(SmsBase):
    @classmethod
    def setUpClass(cls):
        cls.gw = Gateway()
        cls.srv = CirclesServer(env={"CIRCLES_SMS_AUTH_TOKEN": TOKEN,
                                     "CIRCLES_SMS_GATEWAY_URL": cls.gw.url,
                                     "CIRCLES_SMS_FROM": FROM}).start()
        cls.hook = f"http://127.0.0.1:{cls.srv.port}/sms/inbound"
        _, admin = cls.srv.signed_in("admin")
        for name in ("North", "South"):
            r = admin.api("POST", "/api/v1/admin/chapters", {"name": name})
            assert r.status == 201, r
        cls.n = 0

    def person(self, name, chapter="North"):
        PartnersTest.n += 1
        email = f"{name.lower()}{PartnersTest.n}@example.org"
        args = ["user", "add", email, "--role", "member", "--name", name]
        if chapter:
            args += ["--chapter", chapter]
        r = self.srv.run(*args, input=PASSWORD + "\n")
        uid = int(r.stdout.split()[2])
        c = self.srv.client()
        self.assertEqual(c.login(email).status, 200)
        c.uid, c.email = uid, email
        return c

    def pair(self, a_shares=("checkins",), b_shares=("goals",), a_alert=None, b_alert=None):
        a, b = self.person("Rae"), self.person("Sam")
        r = a.api("POST", "/api/v1/partnerships", {"partner_id": b.uid, "shares": list(a_shares),
                                                   "checkin_every_days": 2,
                                                   "alert_after_days": a_alert})
        self.assertEqual(r.status, 201, r)
        pid = r.json()["id"]
        r = b.api("POST", f"/api/v1/partnerships/{pid}/accept",
                  {"shares": list(b_shares), "alert_after_days": b_alert})
        self.assertEqual(r.status, 200, r)
        return a, b, pid

    def test_agreement_is_consent(self):
        a, b = self.person("Rae"), self.person("Sam")
        r = a.api("GET", "/api/v1/partnerships/candidates")
        self.assertIn(b.uid, [p["id"] for p in r.json()["people"]])
        r = a.api("POST", "/api/v1/partnerships", {"partner_id": b.uid,
                                                   "shares": ["checkins", "milestones"],
                                                   "checkin_every_days": 3})
        self.assertEqual(r.status, 201, r)
        p = r.json()
        pid = p["id"]
        self.assertEqual((p["state"], p["role"], p["other"]["display_name"], p["i_share"],
                          p["checkin_every_days"]),
                         ("proposed", "proposer", "Sam", ["checkins", "milestones"], 3))
        # Nothing is shared before the other says yes.
        a.api("POST", "/api/v1/checkins", {"mood": 2, "note": "long day"})
        self.assertEqual(b.api("GET", f"/api/v1/members/{a.uid}/checkins").status, 404)
        incoming = b.api("GET", "/api/v1/partnerships").json()["partnerships"]
        self.assertEqual((incoming[0]["id"], incoming[0]["role"], incoming[0]["they_share"],
                          incoming[0]["i_share"]),
                         (pid, "partner", ["checkins", "milestones"], []))
        self.assertIn("They would share: check-ins, days and milestones", b.get("/partnerships").text)
        # Only the invited person can accept.
        self.assertEqual(a.api("POST", f"/api/v1/partnerships/{pid}/accept", {}).status, 404)
        r = b.api("POST", f"/api/v1/partnerships/{pid}/accept", {"shares": ["goals"]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["state"], r.json()["i_share"], r.json()["they_share"]),
                         ("active", ["goals"], ["checkins", "milestones"]))
        # Each sees exactly what the other consented to.
        r = b.api("GET", f"/api/v1/members/{a.uid}/checkins")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["checkins"][0]["note"], "long day")
        self.assertEqual(b.api("GET", f"/api/v1/members/{a.uid}/milestones").status, 200)
        self.assertEqual(b.api("GET", f"/api/v1/members/{a.uid}/goals").status, 404)
        self.assertEqual(a.api("GET", f"/api/v1/members/{b.uid}/goals").status, 200)
        self.assertEqual(a.api("GET", f"/api/v1/members/{b.uid}/checkins").status, 404)
        self.assertEqual(len(reads(a)), 2)
        self.assertEqual({e["actor"]["name"] for e in reads(a)}, {"Sam"})
        given = a.api("GET", "/api/v1/me/consents").json()["given"]
        self.assertEqual(sorted(g["category"] for g in given if g["active"]),
                         ["checkins", "milestones"])
        self.assertTrue(all(g["grantee"]["id"] == b.uid for g in given))
        # Ending it (either side) takes everything back.
        self.assertEqual(b.api("POST", f"/api/v1/partnerships/{pid}/end").status, 204)
        self.assertEqual(b.api("GET", f"/api/v1/members/{a.uid}/checkins").status, 404)
        self.assertEqual(a.api("GET", f"/api/v1/members/{b.uid}/goals").status, 404)
        self.assertEqual(len(reads(a)), 2)
        self.assertFalse(any(g["active"] for g in a.api("GET", "/api/v1/me/consents")
                             .json()["given"]))
        self.assertEqual(a.api("GET", "/api/v1/partnerships").json()["partnerships"], [])
        self.assertEqual(a.api("POST", f"/api/v1/partnerships/{pid}/end").status, 404)

    def test_revoking_on_the_privacy_page_is_honoured(self):
        a, b, pid = self.pair(a_shares=("checkins",))
        given = a.api("GET", "/api/v1/me/consents").json()["given"]
        self.assertEqual(b.api("GET", f"/api/v1/members/{a.uid}/checkins").status, 200)
        a.api("DELETE", f"/api/v1/me/consents/{given[0]['id']}")
        self.assertEqual(b.api("GET", f"/api/v1/members/{a.uid}/checkins").status, 404)

    def test_decline_and_withdraw(self):
        a, b = self.person("Rae"), self.person("Sam")
        pid = a.api("POST", "/api/v1/partnerships", {"partner_id": b.uid}).json()["id"]
        self.assertEqual(a.api("POST", "/api/v1/partnerships", {"partner_id": b.uid}).status, 409)
        self.assertEqual(b.api("POST", "/api/v1/partnerships", {"partner_id": a.uid}).status, 409)
        self.assertEqual(b.api("POST", f"/api/v1/partnerships/{pid}/decline").status, 204)
        self.assertEqual(b.api("POST", f"/api/v1/partnerships/{pid}/accept", {}).status, 404)
        pid = a.api("POST", "/api/v1/partnerships", {"partner_id": b.uid}).json()["id"]
        self.assertEqual(a.api("POST", f"/api/v1/partnerships/{pid}/decline").status, 204)
        self.assertEqual(b.api("GET", "/api/v1/partnerships").json()["partnerships"], [])

    def test_who_can_be_asked(self):
        a = self.person("Rae")
        south = self.person("Lou", chapter="South")
        nobody = self.person("Kim", chapter=None)
        for target in (south.uid, a.uid, 999999):
            r = a.api("POST", "/api/v1/partnerships", {"partner_id": target})
            self.assertEqual(r.status, 404, r)
            self.assertEqual(r.json()["error"]["field"], "partner_id")
        self.assertNotIn(south.uid, [p["id"] for p in a.api(
            "GET", "/api/v1/partnerships/candidates").json()["people"]])
        self.assertEqual(nobody.api("GET", "/api/v1/partnerships/candidates").json()["people"], [])
        self.assertIn("Ask your coordinator", nobody.get("/partnerships").text)

    def test_invalid_terms(self):
        a, b = self.person("Rae"), self.person("Sam")
        for body, field in (({}, "partner_id"), ({"partner_id": "x"}, "partner_id"),
                            ({"partner_id": b.uid, "shares": ["contact"]}, "shares"),
                            ({"partner_id": b.uid, "shares": "checkins"}, "shares"),
                            ({"partner_id": b.uid, "checkin_every_days": 0}, "checkin_every_days"),
                            ({"partner_id": b.uid, "checkin_every_days": 15},
                             "checkin_every_days"),
                            ({"partner_id": b.uid, "alert_after_days": 31}, "alert_after_days"),
                            ({"partner_id": b.uid, "alert_after_days": "2"}, "alert_after_days"),
                            ({"partner_id": b.uid, "message": "hi"}, "message")):
            with self.subTest(body=body):
                r = a.api("POST", "/api/v1/partnerships", body)
                self.assertEqual(r.status, 422, r)
                self.assertEqual(r.json()["error"]["field"], field)
        self.assertEqual(b.api("GET", "/api/v1/partnerships").json()["partnerships"], [])

    def test_strangers_see_nothing(self):
        a, b, pid = self.pair()
        c = self.person("Ann")
        for method, path, body in (("POST", f"/api/v1/partnerships/{pid}/accept", {}),
                                   ("POST", f"/api/v1/partnerships/{pid}/end", None),
                                   ("POST", f"/api/v1/partnerships/{pid}/decline", None),
                                   ("POST", f"/api/v1/partnerships/{pid}/nudge", None),
                                   ("PATCH", f"/api/v1/partnerships/{pid}",
                                    {"alert_after_days": 2})):
            self.assertEqual(c.api(method, path, body).status, 404, path)
        self.assertEqual(c.api("GET", "/api/v1/partnerships").json()["partnerships"], [])
        self.assertEqual(c.api("GET", f"/api/v1/members/{a.uid}/checkins").status, 404)

    def test_nudge_by_email_and_pacing(self):
        a, b, pid = self.pair()
        r = a.api("POST", f"/api/v1/partnerships/{pid}/nudge")
        self.assertEqual(r.status, 202, r)
        mail = self.srv.smtp.wait_for(1, predicate=lambda m: m["To"] == b.email)[0]
        self.assertEqual(mail["Subject"], "Rae sent you a nudge")
        self.assertNotIn("recovery", mail.get_body().get_content().lower())
        self.assertEqual(a.api("POST", f"/api/v1/partnerships/{pid}/nudge").status, 429)
        # The other direction is its own pace.
        self.assertEqual(b.api("POST", f"/api/v1/partnerships/{pid}/nudge").status, 202)
        self.assertIn("Your partner sent you a nudge", a.get("/partnerships").text)

    def test_nudge_by_text_waits_for_quiet_hours(self):
        a, b, pid = self.pair()
        number = self.link(b)
        now = self.srv.clock()
        minute = (now % 86400) // 60
        start = "%02d:%02d" % divmod((minute - 5) % 1440, 60)
        end = "%02d:%02d" % divmod((minute + 30) % 1440, 60)
        r = b.api("PATCH", "/api/v1/me/reminders", {"quiet_start": start, "quiet_end": end})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(a.api("POST", f"/api/v1/partnerships/{pid}/nudge").status, 202)
        jobs = self.srv.client().api("GET", "/api/v1/test/outbox").json()["jobs"]
        held = [j for j in jobs if j["kind"] == "sms" and j["state"] == "queued"]
        self.assertTrue(held and max(j["run_at"] for j in held) > now + 25 * 60, jobs)
        before = len(self.gw.delivered(number))
        self.srv.clock(advance=31 * 60)
        msg = self.gw.wait_for(before + 1, to=number)[-1]
        self.assertIn("Rae sent you a nudge", msg["Body"])

    def test_alert_once_per_silence(self):
        a, b, pid = self.pair(a_alert=2)
        self.srv.clock(advance=2 * 86400 + 3600)
        subject = "Checking on Rae"
        mails = self.srv.smtp.wait_for(1, predicate=lambda m: m["To"] == b.email and
                                       m["Subject"] == subject)
        self.assertIn("It's been 2 days", mails[0].get_body().get_content())
        # Hours later, still silent: no second alert for the same silence.
        self.srv.clock(advance=7 * 3600)
        self.settle()
        self.assertEqual(len([m for m in self.srv.smtp.messages()
                              if m["To"] == b.email and m["Subject"] == subject]), 1)
        # Rae checks in, then goes quiet again: a new silence, a new alert.
        self.assertEqual(a.login(a.email).status, 200)
        self.assertEqual(a.api("POST", "/api/v1/checkins", {"mood": 3}).status, 201)
        self.srv.clock(advance=2 * 86400 + 7 * 3600)
        self.srv.smtp.wait_for(2, predicate=lambda m: m["To"] == b.email and
                               m["Subject"] == subject)
        # Turning it off stops it.
        self.assertEqual(a.login(a.email).status, 200)
        r = a.api("PATCH", f"/api/v1/partnerships/{pid}", {"alert_after_days": None})
        self.assertEqual(r.status, 200, r)
        self.assertIsNone(r.json()["my_alert_days"])
        self.assertEqual(b.login(b.email).status, 200)
        self.assertIsNone(b.api("GET", "/api/v1/partnerships").json()["partnerships"][0][
            "their_alert_days"])

    def settle(self):
        deadline = time.time() + 15
        now = self.srv.clock()
        while time.time() < deadline:
            jobs = self.srv.client().api("GET", "/api/v1/test/outbox").json()["jobs"]
            if not any(j["state"] in ("queued", "running") and j["run_at"] <= now for j in jobs):
                return
            time.sleep(0.05)
        raise AssertionError("jobs did not settle")

    def test_pages(self):
        a, b = self.person("Rae"), self.person("Sam")
        page = a.get("/partnerships").text
        self.assertIn('action="/partnerships"', page)
        self.assertIn(f'<option value="{b.uid}">Sam</option>', page)
        r = a.form("/partnerships", {"partner_id": str(b.uid), "share_checkins": "1",
                                     "checkin_every_days": "1", "alert_after_days": ""})
        self.assertEqual(r.status, 303, r)
        self.assertIn("Invitation sent", a.get("/partnerships?done=proposed").text)
        page = b.get("/partnerships").text
        self.assertIn("Invitations for you", page)
        pid = b.api("GET", "/api/v1/partnerships").json()["partnerships"][0]["id"]
        self.assertIn(f'action="/partnerships/{pid}/accept"', page)
        r = b.form(f"/partnerships/{pid}/accept", {"share_goals": "1", "alert_after_days": "3"})
        self.assertEqual(r.status, 303, r)
        page = b.get("/partnerships?done=accepted").text
        self.assertIn("You're partners now.", page)
        self.assertIn(f'href="/members/{a.uid}/checkins"', page)
        self.assertRegex(page, r'<option value="3" selected>3 days</option>')
        self.assertEqual(b.form(f"/partnerships/{pid}/nudge", {}).status, 303)
        self.assertEqual(b.form(f"/partnerships/{pid}/alert", {"alert_after_days": "99"}).status,
                         422)
        self.assertEqual(b.form(f"/partnerships/{pid}/alert", {"alert_after_days": ""}).status,
                         303)
        r = a.form("/partnerships", {"partner_id": str(b.uid)})
        self.assertEqual(r.status, 409)
        self.assertIn("You already have an invitation or a partnership with this person.", r.text)
        self.assertEqual(a.form(f"/partnerships/{pid}/end", {}).status, 303)
        self.assertIn("No partners yet", a.get("/partnerships").text)
        a.cookies["lang"] = "es"
        self.assertIn("Compañeros de apoyo", a.get("/partnerships").text)


if __name__ == "__main__":
    unittest.main()
