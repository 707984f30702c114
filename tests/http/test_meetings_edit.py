"""The coordinators' meeting pages over HTTP: adding a meeting with the form
(weekly on several days, monthly by rule, once, by appointment), the same
validation as POST /api/v1/meetings (one path, so the same refusals), errors
beside their fields with a summary and every typed value kept, changing a
meeting without losing what the form does not show, cancelling, moving and
restoring one session, and who may do it.
"""
import html
import re
import unittest
import urllib.parse
from datetime import datetime, timezone

from circles import CirclesServer

NOW = int(datetime(2030, 4, 1, 12, 0, tzinfo=timezone.utc).timestamp())   # a Monday


def post(client, path, pairs):
    """A form post with repeated names (checkboxes), like a browser sends."""
    body = list(pairs) + [("csrf_token", client.csrf)]
    return client.request("POST", path, urllib.parse.urlencode(body).encode(), None,
                          "application/x-www-form-urlencoded")


def base(**over):
    """The fields of a plain weekly meeting, as the form sends them."""
    f = {"name": "Form Meeting", "circle_id": "", "schedule": "weekly", "time": "19:00",
         "end_time": "20:00", "timezone": "America/New_York",
         "attendance_option": "in_person", "address": "1 Main St", "city": "Springfield"}
    f.update(over)
    return [(k, v) for k, v in f.items() if v is not None]


def field_error(page, field):
    """The text of the error shown beside a field (its id-error element)."""
    m = re.search(r'<small id="%s-error" class="field-error">([^<]*)</small>' % re.escape(field),
                  page)
    return html.unescape(m.group(1)) if m else None


class MeetingFormTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()
        cls.srv.clock(set=NOW)
        cls.coord_user, cls._cc = cls.srv.signed_in("coordinator")
        cls.anon = cls.srv.client()

    @classmethod
    def tearDownClass(cls):
        cls.srv.client().api("POST", "/api/v1/test/clock", {"reset": True})
        cls.srv.close()

    @property
    def cc(self):
        if self._cc.api("GET", "/api/v1/me").status != 200:
            c = self.srv.client()
            self.assertEqual(c.login(self.coord_user.email).status, 200)
            type(self)._cc = c
        return self._cc

    def create(self, pairs):
        r = post(self.cc, "/coordinator/meetings", pairs)
        self.assertEqual(r.status, 303, r.text[:3000])
        loc = r.header("location")
        self.assertIn("?notice=created", loc)
        slug = urllib.parse.unquote(loc.split("/coordinator/meetings/")[1].split("?")[0])
        m = self.anon.api("GET", f"/api/v1/meetings/{urllib.parse.quote(slug)}")
        self.assertEqual(m.status, 200, m)
        return m.json()

    def test_roles(self):
        for role, status in (("member", 403), ("facilitator", 403), ("peer_supporter", 403),
                             ("admin", 200), ("coordinator", 200)):
            with self.subTest(role=role):
                _, c = self.srv.signed_in(role)
                self.assertEqual(c.get("/coordinator/meetings").status, status)
                self.assertEqual(c.get("/coordinator/meetings/new").status, status)
        r = self.anon.get("/coordinator/meetings/new")
        self.assertEqual(r.status, 303)
        self.assertTrue(r.header("location").startswith("/login"))
        self.assertIn('href="/coordinator/meetings"', self.cc.get("/").text,
                      "the staff home links the meetings pages")

    def test_form_is_accessible_and_translated(self):
        page = self.cc.get("/coordinator/meetings/new").text
        self.assertIn("<legend>", page)
        for fid in ("name", "time", "end_time", "timezone", "latitude", "longitude",
                    "conference_url", "transit_notes", "month_day", "date"):
            self.assertIn(f'<label for="{fid}">', page, fid)
            self.assertIn(f'id="{fid}"', page, fid)
        self.assertIn("<option>America/New_York</option>", page)
        self.assertIn("<option>Europe/Madrid</option>", page)
        self.assertNotIn("<option>Etc/GMT+5</option>", page)
        self.assertIn('name="types" value="O"', page)
        self.assertNotIn('name="types" value="S"', page, "languages are their own field")
        self.assertNotIn('name="types" value="X"', page, "access is its own field")
        self.assertIn('name="access" value="wheelchair"', page)
        self.assertIn("<script", page)          # the layout's, progressive only ...
        self.assertNotIn("onclick", page)       # ... the form needs none
        es = self.cc.get("/coordinator/meetings/new", {"Accept-Language": "es"})
        # the account's language may win over the header; ask explicitly
        self.cc.api("PATCH", "/api/v1/me", {"lang": "es"})
        es = self.cc.get("/coordinator/meetings/new").text
        self.cc.api("PATCH", "/api/v1/me", {"lang": "en"})
        self.assertIn("Añadir una reunión", es)
        self.assertIn("Zona horaria", es)
        self.assertIn("Cada mes, ciertas semanas", es)

    def test_weekly_spanish_online(self):
        m = self.create(base(name="Grupo Miércoles", attendance_option="online",
                             address=None, city=None,
                             conference_url="https://meet.example.org/abc",
                             conference_url_notes="Código 123")
                        + [("days", "1"), ("days", "3"), ("languages", "es"), ("types", "O"),
                           ("access", "interpreter")])
        self.assertEqual(m["day"], [1, 3])
        self.assertEqual(m["time"], "19:00")
        self.assertEqual(m["end_time"], "20:00")
        self.assertEqual(m["timezone"], "America/New_York")
        self.assertEqual(m["languages"], ["es"])
        self.assertIn("S", m["types"])
        self.assertIn("O", m["types"])
        self.assertEqual(m["attendance_option"], "online")
        self.assertEqual(m["conference_url"], "https://meet.example.org/abc")
        self.assertEqual(m["accessibility"], ["interpreter"])
        found = self.anon.api("GET", "/api/v1/meetings.json?day=3&lang=es&attendance=online")
        self.assertIn(m["slug"], [x["slug"] for x in found.json()])
        self.assertIn("Grupo Miércoles", self.anon.get("/meetings?lang=es").text)

    def test_monthly_once_and_appointment(self):
        m = self.create(base(name="First and Third Saturday", schedule="monthly",
                             month_day="6", timezone="Europe/Madrid",
                             latitude="40.4168", longitude="-3.7038")
                        + [("weeks", "1"), ("weeks", "3"), ("days", "2")])
        self.assertEqual(m["schedule"], "monthly")
        self.assertEqual(m["weeks"], [1, 3])
        self.assertEqual(m["day"], 6)
        self.assertAlmostEqual(float(m["latitude"]), 40.4168, places=4)
        self.assertEqual(m["upcoming"][0]["date"], "2030-04-06")
        last = self.create(base(name="Last Friday", schedule="monthly", month_day="5")
                           + [("weeks", "last")])
        self.assertEqual(last["weeks"], [-1])
        self.assertEqual(last["upcoming"][0]["date"], "2030-04-26")
        once = self.create(base(name="Founders Day Form", schedule="once", date="2030-06-10",
                                time="12:00"))
        self.assertEqual(once["schedule"], "once")
        self.assertEqual(once["upcoming"][0]["start"], "2030-06-10T16:00:00Z")
        appt = self.create(base(name="By Appointment Form", schedule="appointment", time=""))
        self.assertEqual(appt["schedule"], "appointment")

    def test_errors_beside_fields_values_kept(self):
        pairs = base(name="", time="7pm-ish", location="Church hall",
                     transit_notes="Bus 12") + [("days", "4"), ("types", "O")]
        r = post(self.cc, "/coordinator/meetings", pairs)
        self.assertEqual(r.status, 422)
        page = r.text
        self.assertIn('class="error-summary"', page)
        self.assertIn('href="#name"', page)
        self.assertEqual(field_error(page, "name"), "Give the meeting a name.")
        # every field at fault is named, not only the first
        self.assertEqual(field_error(page, "time"), "Give the start time, for example 19:30.")
        self.assertIn('href="#time"', page)
        r = post(self.cc, "/coordinator/meetings",
                 base(name="", conference_url="nope", latitude="x", longitude="1",
                      timezone="") + [("days", "1")])
        self.assertEqual(r.status, 422)
        for f in ("name", "timezone", "latitude", "conference_url"):
            self.assertIsNotNone(field_error(r.text, f), f)
            self.assertIn(f'href="#{f}"', r.text)
        self.assertIsNone(field_error(r.text, "longitude"), "one mistake, one message")
        self.assertIsNone(field_error(r.text, "days"))
        self.assertIn('id="name" name="name" maxlength="255" required value="" aria-invalid="true"',
                      page)
        # everything typed is still there
        self.assertIn('value="Church hall"', page)
        self.assertIn(">Bus 12</textarea>", page)
        self.assertIn('value="7pm-ish"', page)
        self.assertRegex(page, r'id="days-4" name="days" value="4" checked')
        self.assertRegex(page, r'name="types" value="O" checked')
        self.assertIn("<option selected>America/New_York</option>", page)
        for pairs, field in (
                (base(time="7pm-ish") + [("days", "4")], "time"),
                (base(), "days"),
                (base(schedule="monthly", month_day="6"), "weeks"),
                (base(schedule="monthly") + [("weeks", "2")], "month_day"),
                (base(schedule="once"), "date"),
                (base(schedule="weekly", time="") + [("days", "1")], "time"),
                (base(end_time="25:99") + [("days", "1")], "end_time"),
                (base(timezone="Mars/Olympus") + [("days", "1")], "timezone"),
                (base(timezone="") + [("days", "1")], "timezone"),
                (base(latitude="north", longitude="-3") + [("days", "1")], "latitude"),
                (base(longitude="-3.7") + [("days", "1")], "longitude"),
                (base(conference_url="not a link") + [("days", "1")], "conference_url"),
                (base(conference_phone="call us") + [("days", "1")], "conference_phone"),
                (base(circle_id="999999") + [("days", "1")], "circle_id"),
                (base(name="N" * 300) + [("days", "1")], "name")):
            with self.subTest(field=field, pairs=pairs):
                r = post(self.cc, "/coordinator/meetings", pairs)
                self.assertEqual(r.status, 422, r.text[:500])
                self.assertIsNotNone(field_error(r.text, field), r.text)
                self.assertIn(f'href="#{field}"', r.text)
        # the API refuses the same things, through the same checks
        for body, field in (({"name": "A", "schedule": "weekly", "day": 1,
                              "timezone": "UTC"}, "time"),
                            ({"name": "A", "schedule": "weekly", "time": "10:00",
                              "timezone": "UTC"}, "day"),
                            ({"name": "A", "day": 1, "time": "10:00", "timezone": "UTC",
                              "latitude": "x", "longitude": "1"}, "latitude"),
                            ({"name": "A", "day": 1, "time": "10:00", "timezone": "UTC",
                              "conference_url": "nope"}, "conference_url"),
                            ({"name": "A", "day": 1, "time": "10:00", "timezone": "UTC",
                              "circle_id": 999999}, "circle_id")):
            with self.subTest(api=field):
                r = self.cc.api("POST", "/api/v1/meetings", body)
                self.assertEqual(r.status, 422, r)
                self.assertEqual(r.json()["error"]["field"], field)
        es = self.srv.client()
        es.login(self.coord_user.email)
        es.api("PATCH", "/api/v1/me", {"lang": "es"})
        r = post(es, "/coordinator/meetings", base(name=""))
        es.api("PATCH", "/api/v1/me", {"lang": "en"})
        self.assertEqual(field_error(r.text, "name"), "Pon un nombre a la reunión.")

    def test_every_refused_field_has_its_message_beside_it(self):
        """Review: an unknown accessibility value was named in the summary (linking to
        #access) but had no message beside the checkboxes, and a refused session status
        had a message tied to nothing (no id, no aria-describedby)."""
        r = post(self.cc, "/coordinator/meetings", base() + [("days", "1"),
                                                             ("access", "teleport")])
        self.assertEqual(r.status, 422, r.text[:500])
        self.assertIn('href="#access"', r.text)
        self.assertIsNotNone(field_error(r.text, "access"), r.text)
        self.assertIn('id="access" class="check-grid" aria-describedby="access-error"', r.text)
        m = self.create(base(name="Status Sessions") + [("days", "3")])
        r = post(self.cc, f"/coordinator/meetings/{m['slug']}/sessions",
                 [("date", "2030-04-03"), ("status", "postponed")])
        self.assertEqual(r.status, 422)
        self.assertIn('href="#session-status"', r.text)
        self.assertIsNotNone(field_error(r.text, "session-status"), r.text)
        self.assertIn('id="session-status" aria-describedby="session-status-error"', r.text)

    def test_edit_keeps_what_the_form_does_not_show(self):
        r = self.cc.api("POST", "/api/v1/meetings", {
            "name": "Imported One", "day": 2, "time": "18:00", "timezone": "America/Chicago",
            "group": "Grupo Aurora", "url": "https://example.org/listing",
            "types": ["O", "ZZ9"], "address": "5 Elm St", "city": "Chicago"})
        self.assertEqual(r.status, 201, r)
        slug = r.json()["slug"]
        page = self.cc.get(f"/coordinator/meetings/{slug}").text
        self.assertIn('value="Imported One"', page)
        self.assertRegex(page, r'id="days-2" name="days" value="2" checked')
        self.assertIn('value="18:00"', page)
        self.assertIn("<option selected>America/Chicago</option>", page)
        self.assertRegex(page, r'name="types" value="ZZ9" checked', "unknown codes stay")
        r = post(self.cc, f"/coordinator/meetings/{slug}",
                 base(name="Imported One, renamed", time="18:30", end_time="",
                      timezone="America/Chicago", address="7 Elm St", city="Chicago")
                 + [("days", "2"), ("days", "4"), ("types", "O"), ("types", "ZZ9"),
                    ("access", "wheelchair")])
        self.assertEqual(r.status, 303, r.text[:2000])
        self.assertEqual(r.header("location"), f"/coordinator/meetings/{slug}?notice=saved")
        m = self.anon.api("GET", f"/api/v1/meetings/{slug}").json()
        self.assertEqual(m["slug"], slug, "the slug (and so the links) stays")
        self.assertEqual(m["name"], "Imported One, renamed")
        self.assertEqual(m["day"], [2, 4])
        self.assertEqual(m["time"], "18:30")
        self.assertEqual(m["address"], "7 Elm St")
        self.assertEqual(m["group"], "Grupo Aurora")
        self.assertEqual(m["url"], "https://example.org/listing")
        self.assertIn("ZZ9", m["types"])
        self.assertIn("X", m["types"])
        self.assertEqual(m["accessibility"], ["wheelchair"])
        self.assertIn("Your changes were saved.",
                      self.cc.get(f"/coordinator/meetings/{slug}?notice=saved").text)
        # closing it hides it from the public list, and the form says so when reopened
        r = post(self.cc, f"/coordinator/meetings/{slug}",
                 base(name="Imported One, renamed", timezone="America/Chicago",
                      temporarily_closed="1") + [("days", "2")])
        self.assertEqual(r.status, 303)
        self.assertNotIn(slug, [x["slug"] for x in
                                self.anon.api("GET", "/api/v1/meetings.json").json()])
        self.assertIn('name="temporarily_closed" value="1" checked',
                      self.cc.get(f"/coordinator/meetings/{slug}").text)
        # a refused edit changes nothing and keeps what was typed
        r = post(self.cc, f"/coordinator/meetings/{slug}",
                 base(name="Typed but refused", timezone="America/Chicago"))
        self.assertEqual(r.status, 422)
        self.assertIn('value="Typed but refused"', r.text)
        self.assertEqual(self.anon.api("GET", f"/api/v1/meetings/{slug}").json()["name"],
                         "Imported One, renamed")
        self.assertEqual(self.cc.get("/coordinator/meetings/no-such-meeting").status, 404)
        self.assertEqual(post(self.cc, "/coordinator/meetings/no-such-meeting",
                              base()).status, 404)

    def test_circle_select(self):
        _, fac = self.srv.signed_in("facilitator")
        r = fac.api("POST", "/api/v1/circles", {"name": "Tuesday circle", "purpose": "P.",
                                                "norms": "N.", "agreement": "A.",
                                                "membership": "open"})
        cid = r.json()["id"]
        page = self.cc.get("/coordinator/meetings/new").text
        self.assertIn(f'<option value="{cid}">Tuesday circle</option>', page)
        m = self.create(base(name="Circle's Meeting", circle_id=str(cid)) + [("days", "2")])
        self.assertEqual(m["circle_id"], cid)

    def test_list_and_search(self):
        self.create(base(name="Zebra Crossing Group") + [("days", "5")])
        page = self.cc.get("/coordinator/meetings?q=zebra").text
        self.assertIn("Zebra Crossing Group", page)
        self.assertIn('href="/coordinator/meetings/zebra-crossing-group"', page)
        self.assertNotIn("Founders Day Form", page)
        self.assertIn('href="/coordinator/meetings/new"', page)
        self.assertIn('href="/coordinator/import"', page)

    def test_cancel_move_restore_a_session(self):
        m = self.create(base(name="Wednesday Sessions", time="19:00", end_time="20:00",
                             timezone="America/Chicago") + [("days", "3")])
        slug = m["slug"]
        page = self.cc.get(f"/coordinator/meetings/{slug}").text
        self.assertIn('<option value="2030-04-03">', page)
        r = post(self.cc, f"/coordinator/meetings/{slug}/sessions",
                 [("date", "2030-04-03"), ("status", "cancelled"), ("note", "Holiday")])
        self.assertEqual(r.status, 303, r.text[:2000])
        self.assertEqual(r.header("location"),
                         f"/coordinator/meetings/{slug}?notice=session#sessions")
        up = self.anon.api("GET", f"/api/v1/meetings/{slug}").json()["upcoming"]
        self.assertTrue(up[0]["cancelled"])
        self.assertIn("Cancelled", self.anon.get(f"/meetings/{slug}").text)
        r = post(self.cc, f"/coordinator/meetings/{slug}/sessions",
                 [("date", "2030-04-10"), ("status", "moved"), ("new_date", "2030-04-11"),
                  ("new_time", "18:00"), ("new_end_time", "")])
        self.assertEqual(r.status, 303, r.text[:2000])
        up = self.anon.api("GET", f"/api/v1/meetings/{slug}").json()["upcoming"]
        moved = [u for u in up if u.get("moved")]
        self.assertEqual(moved[0]["date"], "2030-04-11")
        self.assertEqual(moved[0]["start"], "2030-04-11T23:00:00Z")
        page = self.cc.get(f"/coordinator/meetings/{slug}").text
        self.assertIn("Holiday", page)
        self.assertIn(f'action="/coordinator/meetings/{slug}/sessions/2030-04-03/restore"', page)
        # refused: not a session of this meeting, and a move without its date
        r = post(self.cc, f"/coordinator/meetings/{slug}/sessions",
                 [("date", "2030-04-04"), ("status", "cancelled")])
        self.assertEqual(r.status, 422)
        self.assertEqual(field_error(r.text, "session-date"),
                         "Choose one of this meeting's coming sessions.")
        r = post(self.cc, f"/coordinator/meetings/{slug}/sessions",
                 [("date", "2030-04-17"), ("status", "moved"), ("new_date", ""),
                  ("note", "kept note")])
        self.assertEqual(r.status, 422)
        self.assertIsNotNone(field_error(r.text, "session-new_date"))
        self.assertIn('value="kept note"', r.text)
        self.assertRegex(r.text, r'id="status-moved" name="status" value="moved" checked')
        # undo the cancellation
        r = post(self.cc, f"/coordinator/meetings/{slug}/sessions/2030-04-03/restore", [])
        self.assertEqual(r.status, 303)
        up = self.anon.api("GET", f"/api/v1/meetings/{slug}").json()["upcoming"]
        self.assertFalse(up[0]["cancelled"])
        self.assertEqual(post(self.cc, f"/coordinator/meetings/{slug}/sessions/2030-04-03/restore",
                              []).status, 404)


if __name__ == "__main__":
    unittest.main()
