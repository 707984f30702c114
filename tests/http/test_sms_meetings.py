"""Text messages that answer with meetings and with the crisis plan, meeting
preferences, and milestones shown to circles, over HTTP against the real
server.

MEETINGS / REUNIONES: the next three meetings that fit the member (their
language, then the preferences saved on /account/meeting-preferences or
through the API), the member's circles' meetings first, day and time in the
meeting's own zone, within three segments, with the finder's address for
more; "tonight" / "hoy" narrow it.  PLAN / MI PLAN: the member's own crisis
plan in a few <Message>s, crisis line first, only to the verified number of
that member's account (a pending number, an unknown one or a stopped one
gets nothing of it), and the sending is in the member's audit log.  SOS /
AUXILIO from that number sends the crisis lines and then the same plan (the
lines alone after STOP or without a plan); every answer naming help uses the
network's own crisis lines.  Circle
pages show recent milestones of members who opted in, to members only,
without relapse details; each shown milestone is an audited read.
"""
import datetime
import re
import unittest
import urllib.parse

from circles import CirclesServer
from test_sms import FROM, TOKEN, Gateway, SmsBase, sign

# Monday 20 May 2030, 12:00 UTC = 08:00 in New York (EDT, UTC-4).
NOW = int(datetime.datetime(2030, 5, 20, 12, 0, tzinfo=datetime.timezone.utc).timestamp())
NY = "America/New_York"

MEETINGS = [
    # name, Meeting Guide day (0 Sunday), time, languages, extra fields
    ("Morning Light", 1, "09:00", ["en"], {"address": "12 Oak St", "city": "Dayton",
                                           "region": "North"}),
    ("South Evening", 1, "18:00", ["en"], {"address": "3 Elm Rd", "city": "Springfield",
                                           "region": "South"}),
    ("Late Night Group", 1, "22:00", ["en"], {"address": "9 Pine Ave", "city": "Dayton",
                                              "region": "North"}),
    ("Online Tuesday", 2, "19:00", ["en"], {"attendance_option": "online",
                                            "conference_url": "https://meet.example.org/j/1"}),
    ("Saturday Step Study", 6, "10:00", ["en"], {"address": "12 Oak St", "city": "Dayton",
                                                 "region": "North"}),
    ("Noche de Esperanza", 1, "19:00", ["es"], {"address": "45 Calle Sol", "city": "Dayton",
                                                "region": "North"}),
    ("Reunión en línea", 3, "20:00", ["es"], {"attendance_option": "online",
                                             "conference_url": "https://meet.example.org/j/2"}),
]

GSM = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
          "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM_EXT = set("^{}\\[~]|€")


def segments(text):
    """Segments as carriers count them (GSM-7, else UCS-2)."""
    if all(ch in GSM or ch in GSM_EXT for ch in text):
        n = sum(2 if ch in GSM_EXT else 1 for ch in text)
        return 1 if n <= 160 else -(-n // 153)
    n = sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)
    return 1 if n <= 70 else -(-n // 67)


class SmsMeetingsBase(SmsBase):
    @classmethod
    def setUpClass(cls):
        cls.gw = Gateway()
        cls.srv = CirclesServer(env={"CIRCLES_SMS_AUTH_TOKEN": TOKEN,
                                     "CIRCLES_SMS_GATEWAY_URL": cls.gw.url,
                                     "CIRCLES_SMS_FROM": FROM}).start()
        cls.hook = f"http://127.0.0.1:{cls.srv.port}/sms/inbound"
        cls.srv.clock(set=NOW)
        cls.base = f"http://127.0.0.1:{cls.srv.port}"
        _, cls.coord = cls.srv.signed_in("coordinator")
        for name, day, time, langs, extra in MEETINGS:
            r = cls.coord.api("POST", "/api/v1/meetings", dict(
                {"name": name, "day": day, "time": time, "timezone": NY, "languages": langs},
                **extra))
            assert r.status == 201, r

    @classmethod
    def tearDownClass(cls):
        cls.srv.client().api("POST", "/api/v1/test/clock", {"reset": True})
        super().tearDownClass()

    def replies(self, body, sender):
        """Every <Message> of the TwiML answer (an empty list for <Response/>)."""
        r = self.text(body, sender)
        self.assertEqual(r.status, 200, r)
        m = re.fullmatch(r'<\?xml version="1.0" encoding="UTF-8"\?>\n'
                         r'(<Response/>|<Response>((?:<Message>[^<]*</Message>)+)</Response>)\n',
                         r.text)
        self.assertIsNotNone(m, r.text)
        out = re.findall(r"<Message>([^<]*)</Message>", m.group(2) or "")
        return [x.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
                .replace("&apos;", "'").replace("&amp;", "&") for x in out]

    def member(self, lang=None, name=None):
        user, c = self.srv.signed_in("member", **({"name": name} if name else {}))
        if lang:
            self.assertEqual(c.api("PATCH", "/api/v1/me", {"lang": lang}).status, 200)
        return user, c, self.link(c)

    def meeting_lines(self, msg):
        self.assertLessEqual(segments(msg), 3, msg)
        return msg.split("\n")[1:-1]


class MeetingsByTextTest(SmsMeetingsBase):
    def test_english_next_three_in_the_members_language(self):
        _, c, number = self.member()
        msg = self.reply("meetings", number)
        self.assertEqual(msg.split("\n")[0], "Next meetings:")
        self.assertEqual(self.meeting_lines(msg), [
            "Today 09:00 Morning Light - 12 Oak St, Dayton",
            "Today 18:00 South Evening - 3 Elm Rd, Springfield",
            "Today 22:00 Late Night Group - 9 Pine Ave, Dayton",
        ])
        self.assertEqual(msg.split("\n")[-1], f"More: {self.base}/meetings?lang=en")
        self.assertNotIn("Esperanza", msg)
        # Forgiving of case and spacing, the same answer.
        self.assertEqual(self.reply("  MEETINGS ", number), msg)

    def test_spanish_by_the_words_or_the_account(self):
        _, c, number = self.member()
        msg = self.reply("Reuniones", number)
        self.assertEqual(msg.split("\n")[0], "Próximas reuniones:")
        self.assertEqual(self.meeting_lines(msg), [
            "Hoy 19:00 Noche de Esperanza - 45 Calle Sol, Dayton",
            "mié 20:00 Reunión en línea - en línea",
        ])
        self.assertEqual(msg.split("\n")[-1], f"Más: {self.base}/meetings?lang=es")
        self.assertNotIn("Morning Light", msg)
        # A Spanish account texting a word of both languages gets Spanish meetings.
        _, c2, n2 = self.member(lang="es")
        self.assertIn("Noche de Esperanza", self.reply("grupos", n2))

    def test_preferences_narrow_the_list(self):
        _, c, number = self.member()
        r = c.api("PUT", "/api/v1/me/meeting-preferences", {"attendance": "online"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"attendance": "online", "region": None, "times": []})
        msg = self.reply("meetings", number)
        self.assertEqual(self.meeting_lines(msg), ["Tomorrow 19:00 Online Tuesday - online"])
        self.assertTrue(msg.endswith("?lang=en&attendance=online"), msg)

        r = c.api("PUT", "/api/v1/me/meeting-preferences",
                  {"attendance": "in_person", "region": "south"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.meeting_lines(self.reply("meetings", number)),
                         ["Today 18:00 South Evening - 3 Elm Rd, Springfield"])

        r = c.api("PUT", "/api/v1/me/meeting-preferences",
                  {"attendance": "any", "region": None, "times": ["evening", "morning"]})
        self.assertEqual(r.json()["times"], ["morning", "evening"])
        self.assertEqual(self.meeting_lines(self.reply("meetings", number)), [
            "Today 09:00 Morning Light - 12 Oak St, Dayton",
            "Today 18:00 South Evening - 3 Elm Rd, Springfield",
            "Tomorrow 19:00 Online Tuesday - online",
        ])
        self.assertEqual(c.api("GET", "/api/v1/me/meeting-preferences").json(),
                         {"attendance": "any", "region": None, "times": ["morning", "evening"]})
        # In the member's copy of their data too.
        self.assertEqual(c.api("GET", "/api/v1/me/export").json()["meeting_preferences"],
                         {"attendance": "any", "region": None, "times": ["morning", "evening"]})

        # Nothing fits: said kindly, with where to look and where to change it.
        c.api("PUT", "/api/v1/me/meeting-preferences", {"region": "Nowhere", "times": []})
        msg = self.reply("meetings", number)
        self.assertIn("No meetings fit your preferences", msg)
        self.assertIn(f"{self.base}/account/meeting-preferences", msg)

    def test_tonight_and_today(self):
        _, c, number = self.member()
        msg = self.reply("meetings tonight", number)
        self.assertEqual(msg.split("\n")[0], "Meetings tonight:")
        self.assertEqual(self.meeting_lines(msg), [
            "Today 18:00 South Evening - 3 Elm Rd, Springfield",
            "Today 22:00 Late Night Group - 9 Pine Ave, Dayton",
        ])
        self.assertEqual(self.meeting_lines(self.reply("reuniones hoy", number)),
                         ["Hoy 19:00 Noche de Esperanza - 45 Calle Sol, Dayton"])
        # Later in the day the morning meeting has gone by.
        self.srv.clock(set=NOW + 4 * 3600)
        try:
            self.assertEqual(self.meeting_lines(self.reply("meetings today", number)), [
                "Today 18:00 South Evening - 3 Elm Rd, Springfield",
                "Today 22:00 Late Night Group - 9 Pine Ave, Dayton",
            ])
        finally:
            self.srv.clock(set=NOW)

    def test_circle_meetings_come_first(self):
        _, fac = self.srv.signed_in("facilitator")
        r = fac.api("POST", "/api/v1/circles", {
            "name": "Friday circle", "purpose": "Support.", "norms": "Kindness.",
            "agreement": "Stays here.", "membership": "open"})
        self.assertEqual(r.status, 201, r)
        cid = r.json()["id"]
        r = self.coord.api("POST", "/api/v1/meetings", {
            "name": "Friday Circle Meeting", "day": 5, "time": "17:30", "timezone": NY,
            "languages": ["es"], "address": "1 Main St", "city": "Dayton", "circle_id": cid})
        self.assertEqual(r.status, 201, r)
        _, c, number = self.member()
        self.assertNotIn("Friday Circle", self.reply("meetings", number))
        r = c.api("POST", f"/api/v1/circles/{cid}/join", {"accept_agreement": True})
        self.assertEqual(r.status, 201, r)
        lines = self.meeting_lines(self.reply("meetings", number))
        self.assertEqual(lines[0], "Fri 17:30 Friday Circle Meeting - 1 Main St, Dayton")
        self.assertEqual(lines[1:], ["Today 09:00 Morning Light - 12 Oak St, Dayton",
                                     "Today 18:00 South Evening - 3 Elm Rd, Springfield"])

    def test_long_names_stay_within_three_segments(self):
        _, c, number = self.member()
        c.api("PUT", "/api/v1/me/meeting-preferences", {"region": "East"})
        for i in range(3):
            r = self.coord.api("POST", "/api/v1/meetings", {
                "name": f"Grupo número {i} " + "de la esperanza y la serenidad " * 4,
                "day": 4, "time": f"1{i + 3}:00", "timezone": NY, "languages": ["en"],
                "address": "Avenida de los Insurgentes Sur número 1234, interior 5",
                "city": "Ciudad de México", "region": "East"})
            self.assertEqual(r.status, 201, r)
        msg = self.reply("meetings", number)
        self.assertLessEqual(segments(msg), 3, msg)
        self.assertTrue(msg.startswith("Next meetings:\nThu 13:00 Grupo número 0"), msg)
        self.assertIn("...", msg)
        self.assertTrue(msg.endswith("region=East"), msg)

    def test_unknown_and_stopped_numbers(self):
        stranger = self.new_number()
        for body in ("meetings", "reuniones hoy", "plan", "mi plan"):
            msg = self.reply(body, stranger)
            self.assertIn("isn't linked to an account" if body in ("meetings", "plan") else
                          "todavía no está vinculado", msg)
            self.assertNotIn("Morning Light", msg)
        _, c, number = self.member()
        self.reply("STOP", number)
        self.assertEqual(self.replies("meetings", number), [])
        self.assertEqual(self.replies("plan", number), [])

    def test_help_lists_the_new_commands(self):
        _, c, number = self.member()
        for word in ("MEETINGS", "PLAN", "SOS", "STOP", "988"):
            self.assertIn(word, self.reply("help", number))
        self.assertIn("PLAN para tu plan de crisis", self.reply("ayuda", number))
        self.assertIn("PLAN", self.reply("what is this", number))


class PreferencesPageTest(SmsMeetingsBase):
    def test_page_form_and_errors(self):
        _, c = self.srv.signed_in("member")
        page = c.get("/account/meeting-preferences")
        self.assertEqual(page.status, 200)
        self.assertIn('action="/account/meeting-preferences"', page.text)
        self.assertRegex(page.text, r'<input type="radio" id="att-any" name="attendance" '
                                    r'value="any" checked>')
        self.assertIn('<label for="region">', page.text)
        self.assertIn('<option value="North">', page.text)      # regions of the list
        r = c.request("POST", "/account/meeting-preferences",
                      urllib.parse.urlencode([("csrf_token", c.csrf), ("attendance", "online"),
                                              ("region", " North "), ("times", "evening"),
                                              ("times", "night")]).encode(), None,
                      "application/x-www-form-urlencoded")
        self.assertEqual(r.status, 303, r)
        self.assertEqual(c.api("GET", "/api/v1/me/meeting-preferences").json(),
                         {"attendance": "online", "region": "North",
                          "times": ["evening", "night"]})
        page = c.get("/account/meeting-preferences?done=saved").text
        self.assertIn("Your meeting preferences are saved.", page)
        self.assertRegex(page, r'id="att-online" name="attendance" value="online" checked')
        self.assertRegex(page, r'id="time-night" name="times" value="night" checked')
        self.assertNotRegex(page, r'id="time-morning" name="times" value="morning" checked')
        r = c.form("/account/meeting-preferences", {"attendance": "sometimes"})
        self.assertEqual(r.status, 422)
        self.assertIn('id="attendance-error"', r.text)
        r = c.form("/account/meeting-preferences", {"region": "x" * 101})
        self.assertEqual(r.status, 422)
        self.assertRegex(r.text, r'id="region"[^>]*aria-invalid="true"')
        r = c.request("POST", "/account/meeting-preferences",
                      urllib.parse.urlencode([("csrf_token", c.csrf), ("attendance", "online"),
                                              ("times", "brunch"), ("times", "night")]).encode(),
                      None, "application/x-www-form-urlencoded")
        self.assertEqual(r.status, 422)
        self.assertIn('id="times-error"', r.text)
        # What could be read is shown again, ticked.
        self.assertRegex(r.text, r'id="att-online" name="attendance" value="online" checked')
        self.assertRegex(r.text, r'id="time-night" name="times" value="night" checked')
        # Nothing was changed by the refused forms.
        self.assertEqual(c.api("GET", "/api/v1/me/meeting-preferences").json()["attendance"],
                         "online")
        c.cookies["lang"] = "es"
        page = c.get("/account/meeting-preferences").text
        self.assertIn("Reuniones que te quedan bien", page)
        self.assertIn("En línea", page)

    def test_api_errors_name_the_field(self):
        _, c = self.srv.signed_in("member")
        for body, field in (({"attendance": "hybrid"}, "attendance"),
                            ({"attendance": 3}, "attendance"),
                            ({"region": ["North"]}, "region"),
                            ({"region": "a\nb"}, "region"),
                            ({"times": "evening"}, "times"),
                            ({"times": ["evening", 7]}, "times"),
                            ({"times": ["dawn"]}, "times"),
                            ({"colour": "blue"}, "colour")):
            r = c.api("PUT", "/api/v1/me/meeting-preferences", body)
            self.assertEqual(r.status, 422, (body, r))
            self.assertEqual(r.json()["error"]["field"], field, body)
        self.assertEqual(c.api("GET", "/api/v1/me/meeting-preferences").json(),
                         {"attendance": "any", "region": None, "times": []})
        self.assertEqual(self.srv.client().api("GET", "/api/v1/me/meeting-preferences",
                                               csrf=False).status, 401)


PLAN = {
    "warning_signs": ["Not sleeping", "Skipping meetings"],
    "coping": ["Walk the dog", "Call my sister"],
    "helpers": [{"name": "Ana", "phone": "555 010 2030"}],
    "professionals": [{"name": "Dr Ruiz", "phone": "555 010 4040"}],
    "reasons": ["My kids"],
}


class PlanByTextTest(SmsMeetingsBase):
    def test_own_plan_in_a_few_messages(self):
        user, c, number = self.member()
        self.assertEqual(c.api("PUT", "/api/v1/me/crisis-plan", PLAN).status, 200)
        msgs = self.replies("plan", number)
        self.assertEqual(len(msgs), 1)          # all of it fits in three GSM segments
        for m in msgs:
            self.assertLessEqual(segments(m), 3, m)
        whole = "\n".join(msgs)
        self.assertIn("Your crisis plan. Crisis line: 988", msgs[0])
        for text in ("Warning signs: Not sleeping; Skipping meetings", "Walk the dog",
                     "Ana (555 010 2030)", "Dr Ruiz (555 010 4040)", "My kids",
                     f"Your whole plan: {self.base}/crisis-plan"):
            self.assertIn(text, whole)
        # Spanish words, Spanish plan; the sending is in the member's audit log.
        msgs = self.replies("mi plan de seguridad", number)
        # Accents make it UCS-2 (67 characters a segment): it takes two messages, numbered.
        self.assertEqual(len(msgs), 2)
        self.assertTrue(msgs[0].startswith("(1/2) Tu plan de crisis. Línea de crisis: 988"), msgs)
        self.assertTrue(msgs[1].startswith("(2/2) "), msgs)
        for m in msgs:
            self.assertLessEqual(segments(m), 3, m)
        self.assertIn("Tu plan completo:", "\n".join(msgs))
        sent = [e for e in c.api("GET", "/api/v1/me/audit?limit=200").json()["entries"]
                if e["action"] == "read" and e["category"] == "crisis_plan"]
        self.assertEqual(len(sent), 2)
        self.assertEqual(sent[0]["object"], f"crisis_plan:{user.id}:sms")
        self.assertEqual(sent[0]["actor"]["type"], "self")
        self.assertNotIn("Not sleeping", self.srv.log())

    def test_long_plan_is_cut_but_stays_short(self):
        _, c, number = self.member()
        long_plan = {s: [f"{s} line {i} " + "with quite a lot of words in it " * 8
                         for i in range(10)]
                     for s in ("warning_signs", "coping", "safer", "reasons")}
        self.assertEqual(c.api("PUT", "/api/v1/me/crisis-plan", long_plan).status, 200)
        msgs = self.replies("PLAN", number)
        self.assertLessEqual(len(msgs), 6)
        for m in msgs:
            self.assertLessEqual(segments(m), 3, m)
        self.assertIn("988", msgs[0])
        self.assertIn("/crisis-plan", msgs[-1])

    def test_no_plan_yet(self):
        _, c, number = self.member()
        msgs = self.replies("plan", number)
        self.assertEqual(len(msgs), 1)
        self.assertIn("haven't written a crisis plan yet", msgs[0])
        self.assertIn("988", msgs[0])
        self.assertEqual([e for e in c.api("GET", "/api/v1/me/audit").json()["entries"]
                          if e["category"] == "crisis_plan"], [])

    def test_sos_sends_the_lines_then_the_plan(self):
        # As the web button shows the crisis lines and the plan, so does SOS by text.
        user, c, number = self.member()
        self.assertEqual(c.api("PUT", "/api/v1/me/crisis-plan", PLAN).status, 200)
        msgs = self.replies("sos", number)
        for m in msgs:
            self.assertLessEqual(segments(m), 3, m)
        whole = "\n".join(msgs)
        self.assertIn("If you're in crisis: 988 Suicide & Crisis Lifeline: call 988 or text 988. "
                      "If you're in danger, call 911.", msgs[0])
        for text in ("Your crisis plan:", "Not sleeping", "Ana (555 010 2030)", "My kids",
                     f"Your whole plan: {self.base}/crisis-plan"):
            self.assertIn(text, whole)
        self.assertLess(whole.index("988"), whole.index("Not sleeping"))
        # The alert is raised like the web button's, and the plan's sending is audited.
        alert = c.api("GET", "/api/v1/help-now").json()["alert"]
        self.assertEqual(alert["via"], "sms")
        sent = [e for e in c.api("GET", "/api/v1/me/audit?limit=200").json()["entries"]
                if e["action"] == "read" and e["category"] == "crisis_plan"]
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent[0]["object"], f"crisis_plan:{user.id}:sms")
        # Spanish: AUXILIO answers in Spanish with the plan.
        whole = "\n".join(self.replies("auxilio", number))
        self.assertIn("Si estás en crisis: 988 Línea de Prevención del Suicidio y Crisis "
                      "(marca 2 para español): llama al 988 o escribe al 988.", whole)
        self.assertIn("Tu plan de crisis:", whole)
        self.assertNotIn("Not sleeping", self.srv.log())
        # After STOP the lines still answer, the plan no longer leaves.
        self.assertIn("won't get any more texts", self.reply("STOP", number))
        msgs = self.replies("sos", number)
        self.assertEqual(len(msgs), 1)
        self.assertIn("988", msgs[0])
        self.assertNotIn("Not sleeping", msgs[0])
        self.reply("START", number)

    def test_sos_without_a_plan_is_the_lines_alone(self):
        _, c, number = self.member()
        msgs = self.replies("SOS", number)
        self.assertEqual(len(msgs), 1)
        self.assertIn("If you're in crisis: 988", msgs[0])
        self.assertNotIn("haven't written", msgs[0])    # no chores in a crisis
        self.assertEqual([e for e in c.api("GET", "/api/v1/me/audit").json()["entries"]
                          if e["category"] == "crisis_plan"], [])

    def test_answers_name_the_networks_own_crisis_lines(self):
        _, coord = self.srv.signed_in("coordinator")
        _, c, number = self.member()
        c.api("PUT", "/api/v1/me/crisis-plan", PLAN)
        lines = [{"name": "Teléfono 024", "phone": "024", "text": None},
                 {"name": "Cruz Roja Te Escucha", "phone": "900 107 917", "text": None}]
        r = coord.api("PUT", "/api/v1/safety/settings", {"crisis_lines": lines,
                                                         "emergency_number": "112"})
        self.assertEqual(r.status, 200, r)
        try:
            stranger = self.new_number()
            answers = {"sos": self.replies("sos", number),
                       "auxilio": self.replies("auxilio", number),
                       "help": self.replies("help", number),
                       "what": self.replies("what is this", number),
                       "stranger": self.replies("hello", stranger),
                       "stranger sos": self.replies("sos", stranger),
                       "plan": self.replies("plan", number)}
            for name, msgs in answers.items():
                with self.subTest(answer=name):
                    self.assertIn("024", msgs[0])
                    self.assertNotIn("988", "\n".join(msgs))
            # SOS names every line; the one-message answers the first.
            self.assertIn("Teléfono 024: call 024; Cruz Roja Te Escucha: call 900 107 917",
                          answers["sos"][0])
            self.assertIn("Teléfono 024: llama al 024; Cruz Roja", answers["auxilio"][0])
            self.assertIn("If you're in danger, call 112.", answers["sos"][0])
            self.assertIn("Si estás en peligro, llama al 112.", answers["auxilio"][0])
            self.assertNotIn("911", "\n".join(answers["sos"] + answers["auxilio"]))
            self.assertIn("In crisis? Teléfono 024: call 024. More:", answers["help"][0])
            self.assertNotIn("Cruz Roja", answers["help"][0])
            self.assertIn("If you need help now: Teléfono 024: call 024.", answers["stranger"][0])
        finally:
            r = coord.api("PUT", "/api/v1/safety/settings", {"crisis_lines": None,
                                                             "emergency_number": None})
            self.assertEqual(r.status, 200, r)

    def test_only_to_the_verified_number_of_the_plans_owner(self):
        owner, oc, number = self.member()
        oc.api("PUT", "/api/v1/me/crisis-plan", PLAN)
        # A number with a code out but not typed back gets nothing of any plan.
        _, pc = self.srv.signed_in("member")
        pending = self.new_number()
        self.assertEqual(pc.api("POST", "/api/v1/me/phone", {"phone": pending}).status, 202)
        pc.api("PUT", "/api/v1/me/crisis-plan", {"reasons": ["Pending person's reason"]})
        msgs = self.replies("plan", pending)
        self.assertEqual(len(msgs), 1)
        self.assertIn("isn't linked", msgs[0])
        self.assertNotIn("reason", msgs[0])
        # When the number moves to another account, the old owner's plan stays behind.
        self.srv.clock(advance=61)
        try:
            _, nc = self.srv.signed_in("member")
            self.link(nc, number)
            whole = "\n".join(self.replies("plan", number))
            self.assertNotIn("Not sleeping", whole)
            self.assertIn("haven't written a crisis plan yet", whole)
        finally:
            self.srv.clock(set=NOW)


class CircleMilestonesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()
        cls.srv.clock(set=NOW)
        _, cls.fac = cls.srv.signed_in("facilitator", name="Fran")
        r = cls.fac.api("POST", "/api/v1/circles", {
            "name": "Evening circle", "purpose": "Support.", "norms": "Kindness.",
            "agreement": "Stays here.", "membership": "open"})
        assert r.status == 201, r
        cls.cid = r.json()["id"]

    @classmethod
    def tearDownClass(cls):
        cls.srv.client().api("POST", "/api/v1/test/clock", {"reset": True})
        cls.srv.close()

    def day(self, offset):
        today = datetime.datetime.fromtimestamp(NOW, datetime.timezone.utc).date()
        return (today + datetime.timedelta(days=offset)).isoformat()

    def joined(self, name):
        user, c = self.srv.signed_in("member", name=name)
        r = c.api("POST", f"/api/v1/circles/{self.cid}/join", {"accept_agreement": True})
        self.assertEqual(r.status, 201, r)
        return user, c

    def section(self, c):
        page = c.get(f"/circles/{self.cid}")
        self.assertEqual(page.status, 200, page)
        m = re.search(r'<section aria-labelledby="milestones-h">(.*?)</section>', page.text, re.S)
        return m.group(1) if m else ""

    def test_shown_to_members_when_opted_in(self):
        ana, ac = self.joined("Ana")
        bo, bc = self.joined("Bo")
        r = ac.api("PATCH", "/api/v1/me/recovery", {"start_date": self.day(-90),
                                                      "share_milestones": False})
        self.assertEqual(r.status, 200, r)
        self.assertNotIn("Ana", self.section(bc))
        ac.api("PATCH", "/api/v1/me/recovery", {"share_milestones": True})
        sec = self.section(bc)
        self.assertIn("Ana: 90 days", sec)
        self.assertIn("today", sec)
        self.assertNotIn("relapse", sec.lower())
        # Ana sees her own, and sees that Bo saw it.
        self.assertIn("Ana: 90 days", self.section(ac))
        reads = [e for e in ac.api("GET", "/api/v1/me/audit?limit=200").json()["entries"]
                 if e["action"] == "read" and e["category"] == "milestones"]
        self.assertEqual([(e["actor"]["name"], e["object"]) for e in reads],
                         [("Bo", f"circle:{self.cid}")])
        # Spanish page.
        bc.cookies["lang"] = "es"
        self.assertIn("Ana: 90 días", self.section(bc))

    def test_not_for_non_members_nor_after_leaving(self):
        cy, cc = self.joined("Cy")
        cc.api("PATCH", "/api/v1/me/recovery", {"start_date": self.day(-30),
                                                "share_milestones": True})
        _, outsider = self.srv.signed_in("member", name="Out")
        self.assertEqual(self.section(outsider), "")
        self.assertNotIn("Cy: 30 days", outsider.get(f"/circles/{self.cid}").text)
        _, coord = self.srv.signed_in("coordinator")
        self.assertNotIn("Cy: 30 days", coord.get(f"/circles/{self.cid}").text)
        self.assertIn("Cy: 30 days", self.section(self.fac))
        self.assertEqual(cc.api("DELETE", f"/api/v1/circles/{self.cid}/membership").status, 204)
        self.assertNotIn("Cy", self.section(self.fac))

    def test_relapse_hides_the_earlier_run_and_old_ones_fade(self):
        di, dc = self.joined("Di")
        dc.api("PATCH", "/api/v1/me/recovery", {"start_date": self.day(-200),
                                                "share_milestones": True})
        # 180 days was reached 20 days ago: shown.
        self.assertIn("Di: 180 days", self.section(self.fac))
        r = dc.api("POST", "/api/v1/me/recovery/relapses", {"date": self.day(-3)})
        self.assertEqual(r.status, 201, r)
        sec = self.section(self.fac)
        self.assertNotIn("180", sec)                  # the earlier run is not shown
        self.assertIn("Di: 1 day", sec)               # the new run's latest milestone
        # A milestone more than 30 days old is no longer listed.
        ev, ec = self.joined("Ev")
        ec.api("PATCH", "/api/v1/me/recovery", {"start_date": self.day(-125),
                                                "share_milestones": True})  # 90 days, 35 ago
        self.assertNotIn("Ev", self.section(self.fac))


if __name__ == "__main__":
    unittest.main()
