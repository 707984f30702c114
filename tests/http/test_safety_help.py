""""I need help now" over HTTP against the real server, with the local SMTP
sink and a local SMS gateway: the button on every member page (and the
quick exit), the alert reaching the member's accountability partner and
the person on call by email, text message and in the app, escalation along
the on-call rota and then to the coordinators while nobody acknowledges
(time moved by the test clock, never by sleeping for minutes), the
acknowledgement, "I'm safe now", the timeline with its times, messages that
say nothing on a lock screen, and privacy: nobody who was not told sees an
alert.  Also the rota and the settings coordinators keep.
"""
import re
import time
import unittest

from circles import PASSWORD
from test_sms import SmsBase

FORBIDDEN_WORDS = ("crisis", "suicid", "help now", "emergency", "overdose", "recovery", "988")


def wait_until(fn, timeout=15.0, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = fn()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class HelpNowTest(SmsBase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _, admin = cls.srv.signed_in("admin")
        r = admin.api("POST", "/api/v1/admin/chapters", {"name": "North"})
        assert r.status == 201, r
        cls.n = 0
        cls.coord = cls.person("coordinator", "Cora Coordinator")

    @classmethod
    def person(cls, role, name, chapter="North"):
        cls.n += 1
        email = f"{role}{cls.n}-{int(time.time() * 1000) % 100000}@example.org"
        r = cls.srv.run("user", "add", email, "--role", role, "--name", name, "--chapter", chapter,
                        input=PASSWORD + "\n")
        uid = int(r.stdout.split()[2])
        c = cls.srv.client()
        assert c.login(email).status == 200
        c.uid, c.email, c.name = uid, email, name
        return c

    def fresh_coordinator_session(self):
        c = self.srv.client()
        self.assertEqual(c.login(self.coord.email).status, 200)
        c.uid, c.email, c.name = self.coord.uid, self.coord.email, self.coord.name
        return c

    def shift(self, coord, who, position, hours=24):
        now = self.srv.clock(advance=0)
        r = coord.api("POST", "/api/v1/oncall", {"user_id": who.uid, "starts_at": now - 60,
                                                 "ends_at": now + hours * 3600,
                                                 "position": position})
        self.assertEqual(r.status, 201, r)
        return r.json()["id"]

    def clear_rota(self, coord):
        for s in coord.api("GET", "/api/v1/oncall").json()["shifts"]:
            self.assertEqual(coord.api("DELETE", f"/api/v1/oncall/{s['id']}").status, 204)

    def partners(self, a, b):
        r = a.api("POST", "/api/v1/partnerships", {"partner_id": b.uid, "shares": ["checkins"]})
        self.assertEqual(r.status, 201, r)
        r = b.api("POST", f"/api/v1/partnerships/{r.json()['id']}/accept", {"shares": []})
        self.assertEqual(r.status, 200, r)

    def alert(self, client, aid):
        """The alert as the member sees it (/api/v1/help-now) or someone told (/alerts)."""
        r = client.api("GET", f"/api/v1/alerts/{aid}")
        if r.status == 404:
            r = client.api("GET", "/api/v1/help-now")
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json()["alert"]["id"], aid)
            return r.json()["alert"]
        self.assertEqual(r.status, 200, r)
        return r.json()

    def told(self, client, aid):
        return {p["id"]: p["reason"] for p in self.alert(client, aid)["recipients"]}

    def mails_to(self, address):
        return [m for m in self.srv.smtp.messages() if address in str(m["To"])]

    def escalation_jobs_settled(self):
        jobs = self.srv.client().api("GET", "/api/v1/test/outbox").json()["jobs"]
        due = self.srv.clock(advance=0)
        return all(j["state"] in ("done", "failed") for j in jobs
                   if j["kind"] == "safety_escalate" and j["run_at"] <= due)

    # ---- the tests ----

    def test_button_and_quick_exit_on_member_pages(self):
        m = self.person("member", "Mina")
        for path in ("/", "/crisis-plan", "/privacy", "/account"):
            page = m.get(path).text
            with self.subTest(path=path):
                self.assertIn('<form class="inline-form" method="post" action="/help-now">', page)
                self.assertIn("I need help now", page)
                self.assertRegex(page, r'<a class="quick-exit" href="https://[^"]+" '
                                       r'rel="noreferrer"[^>]*data-quick-exit>Quick exit</a>')
                self.assertIn('<script src="/static/safety.js" defer></script>', page)
                self.assertNotIn("style=", page)
                self.assertIsNone(re.search(r"<script(?![^>]*\bsrc=)", page))
        # Staff who are not members do not get the member's button.
        sup = self.person("peer_supporter", "Sol")
        self.assertNotIn('action="/help-now"', sup.get("/").text)
        self.assertNotIn("I need help now", self.srv.client().get("/login").text)
        # The assets are served.
        js = self.srv.client().get("/static/safety.js")
        self.assertEqual(js.status, 200)
        self.assertIn("location.replace", js.text)
        css = self.srv.client().get("/static/safety.css")
        self.assertEqual(css.status, 200)
        self.assertIn("@media print", css.text)

    def test_partner_and_on_call_told_then_escalation_then_ack(self):
        coord = self.fresh_coordinator_session()
        self.clear_rota(coord)
        member = self.person("member", "Alex Member")
        partner = self.person("member", "Bea Partner")
        first = self.person("peer_supporter", "Finn First")
        second = self.person("peer_supporter", "Sara Second")
        bystander = self.person("peer_supporter", "Nora Notoncall")
        self.partners(member, partner)
        number = self.link(first)
        self.shift(coord, first, 1)
        self.shift(coord, second, 2)

        texts_before = len(self.gw.delivered(number))
        r = member.api("POST", "/api/v1/help-now")
        self.assertEqual(r.status, 201, r)
        body = r.json()
        aid = body["alert"]["id"]
        self.assertEqual(body["alert"]["state"], "open")
        self.assertEqual(body["crisis_lines"][0]["phone"], "988")
        self.assertEqual(self.told(member, aid), {partner.uid: "partner", first.uid: "oncall"})
        # Pressing again is the same alert, not a second one.
        r = member.api("POST", "/api/v1/help-now")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["alert"]["id"], aid)

        # Email to both, a text to the one with a linked number; nothing tells what for.
        mails = self.srv.smtp.wait_for(2, predicate=lambda m: str(m["To"]) in
                                       (partner.email, first.email))
        texts = self.gw.wait_for(texts_before + 1, to=number)
        for m in mails:
            text = (str(m["Subject"]) + " " + m.get_body(("plain",)).get_content()).lower()
            self.assertIn(f"/alerts/{aid}", text)
            self.assertNotIn("alex", text)
            for w in FORBIDDEN_WORDS:
                self.assertNotIn(w, text)
        sms = texts[-1]["Body"]
        self.assertIn("Someone in your Circles group needs you now", sms)
        self.assertNotIn("Alex", sms)

        # In the app: the people told see it; someone not told does not.
        listed = first.api("GET", "/api/v1/alerts").json()["alerts"]
        self.assertEqual([a["id"] for a in listed], [aid])
        self.assertEqual(bystander.api("GET", "/api/v1/alerts").json()["alerts"], [])
        self.assertEqual(bystander.api("GET", f"/api/v1/alerts/{aid}").status, 404)
        self.assertEqual(second.api("GET", f"/api/v1/alerts/{aid}").status, 404)
        self.assertEqual(bystander.api("POST", f"/api/v1/alerts/{aid}/ack").status, 404)
        self.assertEqual(coord.api("GET", f"/api/v1/alerts/{aid}").status, 404)
        # The member follows it on /help-now, not under /alerts (that is for the people told).
        self.assertEqual(member.api("GET", f"/api/v1/alerts/{aid}").status, 404)
        self.assertEqual(member.api("GET", "/api/v1/help-now").json()["alert"]["id"], aid)

        # Nobody answers within the network's minutes: the next person on call.
        self.srv.clock(advance=10 * 60 + 1)
        wait_until(lambda: second.uid in self.told(member, aid), what="the second on call")
        self.assertNotIn(self.coord.uid, self.told(member, aid))
        self.srv.smtp.wait_for(1, predicate=lambda m: str(m["To"]) == second.email)
        # ... then the coordinators.
        self.srv.clock(advance=10 * 60 + 1)
        wait_until(lambda: self.told(member, aid).get(self.coord.uid) == "coordinator",
                   what="the coordinator")
        self.assertEqual(coord.api("GET", f"/api/v1/alerts/{aid}").status, 200)

        # The second person on call answers; escalation stops.
        r = second.api("POST", f"/api/v1/alerts/{aid}/ack")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["state"], "acknowledged")
        self.assertEqual(r.json()["acknowledged_by"]["id"], second.uid)
        self.assertEqual(second.api("POST", f"/api/v1/alerts/{aid}/ack").status, 200)
        self.srv.clock(advance=30 * 60)
        wait_until(self.escalation_jobs_settled, what="due escalation jobs to run")
        a = self.alert(member, aid)
        kinds = [e["kind"] for e in a["timeline"]]
        self.assertEqual(kinds, ["raised", "notified", "notified", "escalated", "notified",
                                 "escalated", "notified", "acknowledged"])
        times = [e["at"] for e in a["timeline"]]
        self.assertEqual(times, sorted(times))
        self.assertGreaterEqual(times[3] - times[0], 600)
        self.assertIn("app,email,sms", [e["detail"].split(":", 1)[1] for e in a["timeline"]
                                         if e["kind"] == "notified"])

        # The member's page says who answered; the timeline reads in words.
        page = member.get("/help-now").text
        self.assertIn("Sara Second has seen your message", page)
        self.assertIn("You asked for help", page)
        self.assertIn("Bea Partner was told (accountability partner)", page)
        status = member.get("/help-now/status")
        self.assertEqual(status.status, 200)
        self.assertNotIn("<html", status.text)
        self.assertIn("Sara Second", status.text)

        # Safe now: closed, and the people told get a quiet update.
        r = member.api("POST", "/api/v1/help-now/safe")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["alert"]["state"], "safe")
        self.assertEqual(member.api("POST", "/api/v1/help-now/safe").status, 404)
        self.srv.smtp.wait_for(2, predicate=lambda m: str(m["To"]) == first.email)
        update = self.mails_to(first.email)[-1]
        self.assertIn("no action is needed", update.get_body(("plain",)).get_content())
        self.assertIsNone(member.api("GET", "/api/v1/help-now").json()["alert"])

    def test_unanswered_after_the_last_step(self):
        coord = self.fresh_coordinator_session()
        self.clear_rota(coord)
        member = self.person("member", "Uma")
        only = self.person("peer_supporter", "Otto Only")
        self.shift(coord, only, 1)
        aid = member.api("POST", "/api/v1/help-now").json()["alert"]["id"]
        self.assertEqual(set(self.told(member, aid)), {only.uid})
        self.srv.clock(advance=10 * 60 + 1)
        wait_until(lambda: self.coord.uid in self.told(member, aid), what="the coordinator")
        self.srv.clock(advance=10 * 60 + 1)
        wait_until(lambda: "unanswered" in [e["kind"] for e in self.alert(member, aid)["timeline"]],
                   what="the unanswered mark")
        self.assertIn("Still no answer", member.get("/help-now").text)
        self.assertEqual(self.alert(member, aid)["state"], "open")

    def test_nobody_on_call_goes_to_the_coordinators(self):
        coord = self.fresh_coordinator_session()
        self.clear_rota(coord)
        member = self.person("member", "Noel")
        aid = member.api("POST", "/api/v1/help-now").json()["alert"]["id"]
        self.assertEqual(self.told(member, aid).get(self.coord.uid), "coordinator")

    def test_the_pages_without_javascript(self):
        coord = self.fresh_coordinator_session()
        self.clear_rota(coord)
        member = self.person("member", "Pia Page")
        sup = self.person("peer_supporter", "Quinn")
        self.shift(coord, sup, 1)
        page = member.get("/help-now").text
        self.assertIn('href="tel:988"', page)
        self.assertIn('href="sms:988"', page)
        self.assertIn("Let my supporters know", page)

        r = member.form("/help-now", {})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(r.header("location"), "/help-now")
        page = member.get("/help-now").text
        self.assertIn("We've let your supporters know", page)
        self.assertIn('hx-get="/help-now/status"', page)
        self.assertIn("Quinn was told (on call)", page)

        alerts = sup.get("/alerts")
        self.assertEqual(alerts.status, 200)
        self.assertIn("Pia Page", alerts.text)
        self.assertIn('hx-get="/alerts/list"', alerts.text)
        aid = int(re.search(r'href="/alerts/(\d+)"', alerts.text).group(1))
        frag = sup.get("/alerts/list")
        self.assertNotIn("<html", frag.text)
        self.assertIn(f'href="/alerts/{aid}"', frag.text)
        detail = sup.get(f"/alerts/{aid}").text
        self.assertIn("Pia Page asked for help", detail)
        self.assertIn(f'action="/alerts/{aid}/ack"', detail)
        # Their plan is not offered without their consent.
        self.assertNotIn("crisis-plan", detail.split("<main", 1)[1])

        r = sup.form(f"/alerts/{aid}/ack", {})
        self.assertEqual(r.status, 303, r)
        self.assertIn("Thank you. They can see you're on it.", sup.get(r.header("location")).text)
        self.assertIn("Quinn has seen your message", member.get("/help-now").text)
        r = member.form("/help-now/safe", {})
        self.assertEqual(r.status, 303, r)
        page = member.get(r.header("location")).text
        self.assertIn("Thank you for letting us know", page)
        # Just closed, the alert is still shown: its whole timeline, the safe step last.
        steps = re.findall(r'<li><time datetime="[^"]+">[^<]+</time> · ([^<]+)</li>', page)
        self.assertEqual(steps[0], "You asked for help")
        self.assertEqual(steps[-1], "You said you're safe now")
        self.assertNotIn('action="/help-now/safe"', page)
        # Later visits offer the button again.
        self.assertIn("Let my supporters know", member.get("/help-now").text)

        other = self.person("member", "Otis")
        self.assertEqual(other.get(f"/alerts/{aid}").status, 404)
        self.assertEqual(other.form(f"/alerts/{aid}/ack", {}).status, 404)

    def test_spanish_messages(self):
        coord = self.fresh_coordinator_session()
        self.clear_rota(coord)
        member = self.person("member", "Rosa")
        sup = self.person("peer_supporter", "Tomás")
        self.assertEqual(sup.api("PATCH", "/api/v1/me", {"lang": "es"}).status, 200)
        self.shift(coord, sup, 1)
        aid = member.api("POST", "/api/v1/help-now").json()["alert"]["id"]
        mail = self.srv.smtp.wait_for(1, predicate=lambda m: str(m["To"]) == sup.email)[-1]
        self.assertIn("Alguien de tu grupo de Circles te necesita", str(mail["Subject"]))
        self.assertIn(f"/alerts/{aid}", mail.get_body(("plain",)).get_content())
        member.cookies["lang"] = "es"
        self.assertIn("Necesito ayuda ya", member.get("/").text)
        self.assertIn("Salida rápida", member.get("/").text)


class RotaAndSettingsTest(SmsBase):
    def test_rota_rules(self):
        coord_u, coord = self.srv.signed_in("coordinator")
        sup_u, sup = self.srv.signed_in("peer_supporter")
        mem_u, mem = self.srv.signed_in("member")
        now = self.srv.clock(advance=0)
        ok = {"user_id": sup_u.id, "starts_at": now, "ends_at": now + 3600, "position": 1}
        cases = [({**ok, "user_id": mem_u.id}, "user_id"),
                 ({**ok, "user_id": "x"}, "user_id"),
                 ({**ok, "starts_at": "tomorrow"}, "starts_at"),
                 ({**ok, "ends_at": now - 10}, "ends_at"),
                 ({**ok, "starts_at": now + 7200}, "ends_at"),
                 ({**ok, "ends_at": now + 15 * 86400}, "ends_at"),
                 ({**ok, "position": 0}, "position"),
                 ({**ok, "position": 21}, "position")]
        for body, field in cases:
            with self.subTest(field=field, body=body):
                r = coord.api("POST", "/api/v1/oncall", body)
                self.assertEqual(r.status, 422, r)
                self.assertEqual(r.json()["error"]["field"], field)
        r = coord.api("POST", "/api/v1/oncall", ok)
        self.assertEqual(r.status, 201, r)
        sid = r.json()["id"]
        listed = sup.api("GET", "/api/v1/oncall").json()
        self.assertIn(sid, [s["id"] for s in listed["shifts"]])
        self.assertIn(sup_u.id, listed["on_call_now"])
        self.assertEqual(mem.api("GET", "/api/v1/oncall").status, 403)
        self.assertEqual(sup.api("POST", "/api/v1/oncall", ok).status, 403)
        self.assertEqual(sup.api("DELETE", f"/api/v1/oncall/{sid}").status, 403)

        # The page: supporters read it, coordinators add with the form.
        page = sup.get("/oncall").text
        self.assertIn("on call now", page)
        self.assertNotIn('action="/oncall"', page)
        r = coord.form("/oncall", {"user": str(sup_u.id), "starts_at": "2001-01-01T00:00",
                                   "ends_at": "2001-01-01T10:00", "position": "1"})
        self.assertEqual(r.status, 422, r)
        self.assertIn('id="ends-error"', r.text)
        self.assertIn('value="2001-01-01T00:00"', r.text)
        r = coord.form("/oncall", {"user": str(sup_u.id), "starts_at": "2999-01-01T00:00",
                                   "ends_at": "2999-01-02T00:00", "position": "2"})
        self.assertEqual(r.status, 303, r)
        page = coord.get("/oncall?done=added").text
        self.assertIn("The shift is on the rota.", page)
        sid2 = int(re.findall(r'action="/oncall/(\d+)/delete"', page)[-1])
        self.assertEqual(coord.form(f"/oncall/{sid2}/delete", {}).status, 303)
        self.assertEqual(coord.form(f"/oncall/{sid2}/delete", {}).status, 404)
        self.assertEqual(coord.api("DELETE", f"/api/v1/oncall/{sid}").status, 204)

    def settings_audited(self, user):
        return len(self.srv.sql("SELECT a.id FROM audit_log a JOIN users u ON u.pseudonym = a.actor "
                                f"WHERE u.id = {int(user.id)} AND a.action = 'safety.settings' "
                                "AND a.subject IS NULL AND a.category = 'settings'"))

    def test_settings(self):
        cu, coord = self.srv.signed_in("coordinator")
        _, mem = self.srv.signed_in("member")
        anyone = self.srv.client()
        r = anyone.api("GET", "/api/v1/crisis-lines")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["crisis_lines"][0]["phone"], "988")
        self.assertEqual(mem.api("GET", "/api/v1/safety/settings").status, 403)
        bad = [({"ack_minutes": 0}, "ack_minutes"), ({"ack_minutes": "5"}, "ack_minutes"),
               ({"crisis_lines": []}, "crisis_lines"),
               ({"crisis_lines": [{"name": "X", "phone": "call"}]}, "crisis_lines[0].phone"),
               ({"crisis_lines": [{"name": "", "phone": "988"}]}, "crisis_lines[0].name"),
               ({"colour": 1}, "colour")]
        for body, field in bad:
            with self.subTest(field=field):
                r = coord.api("PUT", "/api/v1/safety/settings", body)
                self.assertEqual(r.status, 422, r)
                self.assertEqual(r.json()["error"]["field"], field)
        lines = [{"name": "Línea de la Vida", "phone": "800 911 2000", "text": None},
                 {"name": "988 Lifeline", "phone": "988", "text": "988"}]
        self.assertEqual(self.settings_audited(cu), 0, "refused changes are not recorded")
        r = coord.api("PUT", "/api/v1/safety/settings", {"ack_minutes": 5, "crisis_lines": lines})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["ack_minutes"], 5)
        self.assertEqual(self.settings_audited(cu), 1, "who changed the network's settings")
        self.assertEqual(anyone.api("GET", "/api/v1/crisis-lines").json()["crisis_lines"], lines)
        page = mem.get("/help-now").text
        self.assertIn("Línea de la Vida", page)
        self.assertIn('href="tel:8009112000"', page)
        form = coord.get("/safety/settings").text
        self.assertIn('value="Línea de la Vida"', form)
        r = coord.form("/safety/settings", {"ack_minutes": "500", "line_1_name": "A",
                                            "line_1_phone": "988"})
        self.assertEqual(r.status, 422, r)
        self.assertIn('id="ack-error"', r.text)
        r = coord.form("/safety/settings", {"ack_minutes": "10", "line_1_name": "988 Lifeline",
                                            "line_1_phone": "988", "line_1_text": "988"})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(self.settings_audited(cu), 2)
        self.assertEqual(len(anyone.api("GET", "/api/v1/crisis-lines").json()["crisis_lines"]), 1)
        # Every row emptied: back to the default line (in each reader's language), and
        # the form says so instead of typing the default in (saving the minutes alone
        # must not freeze the default in the coordinator's language).
        r = coord.form("/safety/settings", {"ack_minutes": "10"})
        self.assertEqual(r.status, 303, r)
        self.assertFalse(coord.api("GET", "/api/v1/safety/settings").json()["crisis_lines_custom"])
        self.assertEqual(anyone.api("GET", "/api/v1/crisis-lines").json()["crisis_lines"][0]["name"],
                         "988 Suicide & Crisis Lifeline")
        form = coord.get("/safety/settings").text
        self.assertIn('<p id="lines-default">Members see the default line now: '
                      '988 Suicide &amp; Crisis Lifeline (988).', form)
        self.assertIn('id="line_1_name" name="line_1_name" maxlength="100" value=""', form)
        r = coord.form("/safety/settings", {"ack_minutes": "12"})
        self.assertEqual(r.status, 303, r)
        self.assertFalse(coord.api("GET", "/api/v1/safety/settings").json()["crisis_lines_custom"])
        # The emergency number is the network's too: on the help page, in the form; empty or
        # null is the default, 911.
        self.assertEqual(coord.api("GET", "/api/v1/safety/settings").json()["emergency_number"],
                         "911")
        self.assertIn("in immediate danger, call 911.", mem.get("/help-now").text)
        for bad in ("emergency", "", 112, "9"):
            r = coord.api("PUT", "/api/v1/safety/settings", {"emergency_number": bad})
            self.assertEqual(r.status, 422, (bad, r))
            self.assertEqual(r.json()["error"]["field"], "emergency_number")
        r = coord.api("PUT", "/api/v1/safety/settings", {"emergency_number": "112"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["emergency_number"], "112")
        self.assertIn("in immediate danger, call 112.", mem.get("/help-now").text)
        self.assertIn('id="emergency_number" name="emergency_number" type="tel" maxlength="32" '
                      'value="112"', coord.get("/safety/settings").text)
        r = coord.form("/safety/settings", {"ack_minutes": "12", "emergency_number": "call me"})
        self.assertEqual(r.status, 422, r)
        self.assertIn('id="emergency-error"', r.text)
        self.assertIn('value="call me"', r.text)
        self.assertEqual(coord.api("GET", "/api/v1/safety/settings").json()["emergency_number"],
                         "112")
        r = coord.form("/safety/settings", {"ack_minutes": "12", "emergency_number": ""})
        self.assertEqual(r.status, 303, r)
        self.assertIn("call 911.", mem.get("/help-now").text)
        self.assertEqual(coord.api("PUT", "/api/v1/safety/settings",
                                   {"emergency_number": "999"}).status, 200)
        r = coord.api("PUT", "/api/v1/safety/settings", {"emergency_number": None})
        self.assertEqual(r.json()["emergency_number"], "911")
        # The API's way back is null.
        r = coord.api("PUT", "/api/v1/safety/settings", {"crisis_lines": lines})
        self.assertTrue(r.json()["crisis_lines_custom"])
        r = coord.api("PUT", "/api/v1/safety/settings", {"crisis_lines": None})
        self.assertEqual(r.status, 200, r)
        self.assertFalse(r.json()["crisis_lines_custom"])
        self.assertEqual(r.json()["crisis_lines"][0]["phone"], "988")

    def footer(self, page):
        return page.split('<footer', 1)[1].split('</footer>', 1)[0]

    def test_every_page_footer_names_the_networks_numbers(self):
        _, coord = self.srv.signed_in("coordinator")
        _, mem = self.srv.signed_in("member")
        anyone = self.srv.client()
        coord.api("PUT", "/api/v1/safety/settings", {"crisis_lines": None, "emergency_number": None})
        foot = self.footer(anyone.get("/").text)
        self.assertIn('<a href="tel:911">Call 911 (emergency)</a>', foot)
        self.assertIn('<a href="tel:988">988 Suicide &amp; Crisis Lifeline: 988</a>', foot)
        lines = [{"name": "Línea de la Vida", "phone": "800 911 2000", "text": None},
                 {"name": "988 Lifeline", "phone": "988", "text": "988"}]
        r = coord.api("PUT", "/api/v1/safety/settings",
                      {"crisis_lines": lines, "emergency_number": "112"})
        self.assertEqual(r.status, 200, r)
        try:
            for who, path in ((anyone, "/"), (anyone, "/login"), (mem, "/help-now"),
                              (coord, "/safety/settings")):
                with self.subTest(path=path):
                    foot = self.footer(who.get(path).text)
                    self.assertIn('<a href="tel:112">Call 112 (emergency)</a>', foot)
                    self.assertIn('<a href="tel:8009112000">Línea de la Vida: 800 911 2000</a>',
                                  foot)
                    self.assertNotIn("988", foot)
            foot = self.footer(anyone.get("/", headers={"Accept-Language": "es"}).text)
            self.assertIn('<a href="tel:112">Llama al 112 (emergencias)</a>', foot)
            self.assertIn("Si estás en peligro ahora mismo:", foot)
        finally:
            coord.api("PUT", "/api/v1/safety/settings",
                      {"crisis_lines": None, "emergency_number": None})


if __name__ == "__main__":
    unittest.main()
