"""Check-in reminders over HTTP against the real server, its job queue, a real
local SMTP sink and a local HTTP endpoint standing in for the SMS gateway.

Time is driven with the server's test clock: reminders go out at the times
the member chose in their own time zone, never in quiet hours, not when the
member already checked in since the last one, never to a number that texted
STOP, and changing the settings replaces the old schedule at once.
"""
import datetime
import time
import unittest
from zoneinfo import ZoneInfo

from circles import CirclesServer
from test_sms import FROM, TOKEN, Gateway, SmsBase


class RemindersTest(SmsBase):
    @classmethod
    def setUpClass(cls):
        cls.gw = Gateway()
        cls.srv = CirclesServer(env={"CIRCLES_SMS_AUTH_TOKEN": TOKEN,
                                     "CIRCLES_SMS_GATEWAY_URL": cls.gw.url,
                                     "CIRCLES_SMS_FROM": FROM}).start()
        cls.hook = f"http://127.0.0.1:{cls.srv.port}/sms/inbound"

    def noon_tomorrow(self):
        """Move the clock forward to 12:00 UTC of the next day; returns it."""
        now = self.srv.clock()
        t0 = (now // 86400 + 1) * 86400 + 12 * 3600
        self.srv.clock(set=t0)
        return t0

    def member(self):
        user, c = self.srv.signed_in("member", name="Rae")
        number = self.link(c)
        return user, c, number

    def jobs(self):
        return self.srv.client().api("GET", "/api/v1/test/outbox").json()["jobs"]

    def wait_reminders_settled(self):
        """Wait until every reminder job due by now has run."""
        due_before = self.srv.clock()
        deadline = time.time() + 15
        while time.time() < deadline:
            pending = [j for j in self.jobs() if j["kind"] == "reminder"
                       and j["run_at"] < due_before and j["state"] in ("queued", "running")]
            if not pending:
                return
            time.sleep(0.05)
        raise AssertionError("reminder jobs did not run")

    def texts_to(self, number):
        """Texts the gateway got for number, once no text job is left to run."""
        deadline = time.time() + 15
        while time.time() < deadline and any(j["kind"] == "sms" and j["state"] in (
                "queued", "running") and j["run_at"] <= self.srv.clock() for j in self.jobs()):
            time.sleep(0.05)
        return len([m for m in self.gw.messages if m["To"] == number])

    def test_sms_and_email_at_the_chosen_time(self):
        t0 = self.noon_tomorrow()
        user, c, number = self.member()
        r = c.api("PATCH", "/api/v1/me/reminders", {"times": ["12:10"], "by_sms": True,
                                                    "by_email": True, "time_zone": "UTC"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["next_reminder"], t0 + 600)
        self.assertEqual(r.json()["times"], ["12:10"])
        before = len(self.gw.delivered(number))
        self.srv.clock(advance=11 * 60)
        msg = self.gw.wait_for(before + 1, to=number)[-1]
        self.assertIn("a moment to check in", msg["Body"])
        self.assertNotIn("recovery", msg["Body"].lower())
        mails = self.srv.smtp.wait_for(1, predicate=lambda m: m["To"] == user.email)
        self.assertEqual(mails[0]["Subject"], "A moment to check in")
        self.assertIn("/checkins", mails[0].get_body().get_content())
        # The next one is tomorrow at the same time.
        self.assertEqual(c.api("GET", "/api/v1/me/reminders").json()["next_reminder"],
                         t0 + 86400 + 600)
        self.wait_reminders_settled()
        self.assertEqual(len(self.gw.delivered(number)), before + 1)

    def test_no_reminder_after_a_check_in(self):
        t0 = self.noon_tomorrow()
        user, c, number = self.member()
        c.api("PATCH", "/api/v1/me/reminders", {"times": ["12:10"], "by_sms": True})
        c.api("POST", "/api/v1/checkins", {"mood": 4})
        before = self.texts_to(number)
        self.srv.clock(advance=11 * 60)
        self.wait_reminders_settled()
        self.assertEqual(self.texts_to(number), before)

    def test_quiet_hours(self):
        t0 = self.noon_tomorrow()
        user, c, number = self.member()
        r = c.api("PATCH", "/api/v1/me/reminders", {"times": ["12:10", "12:20"], "by_sms": True,
                                                    "quiet_start": "12:05",
                                                    "quiet_end": "12:15"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["next_reminder"], t0 + 20 * 60)
        self.assertEqual((r.json()["quiet_start"], r.json()["quiet_end"]), ("12:05", "12:15"))
        before = len(self.gw.delivered(number))
        self.srv.clock(advance=21 * 60)
        self.gw.wait_for(before + 1, to=number)
        self.wait_reminders_settled()
        self.assertEqual(len(self.gw.delivered(number)), before + 1)

    def test_member_time_zone(self):
        t0 = self.noon_tomorrow()
        user, c, number = self.member()
        r = c.api("PATCH", "/api/v1/me/reminders", {"times": ["06:30"], "by_sms": True,
                                                    "time_zone": "America/Chicago"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["time_zone"], "America/Chicago")
        chicago = ZoneInfo("America/Chicago")
        local = datetime.datetime.fromtimestamp(t0, chicago)
        want = datetime.datetime(local.year, local.month, local.day, 6, 30, tzinfo=chicago)
        if want.timestamp() <= t0:
            want = datetime.datetime.combine(local.date() + datetime.timedelta(days=1),
                                             datetime.time(6, 30), tzinfo=chicago)
        self.assertEqual(r.json()["next_reminder"], int(want.timestamp()))
        # Aliases are understood and shown by their proper name.
        r = c.api("PATCH", "/api/v1/me/reminders", {"time_zone": "US/Eastern"})
        self.assertEqual(r.json()["time_zone"], "America/New_York")

    def test_changing_settings_replaces_the_schedule(self):
        t0 = self.noon_tomorrow()
        user, c, number = self.member()
        c.api("PATCH", "/api/v1/me/reminders", {"times": ["12:10"], "by_sms": True})
        r = c.api("PATCH", "/api/v1/me/reminders", {"times": []})
        self.assertIsNone(r.json()["next_reminder"])
        before = self.texts_to(number)
        self.srv.clock(advance=11 * 60)
        self.wait_reminders_settled()
        self.assertEqual(self.texts_to(number), before)

    def test_stopped_number_gets_no_reminder(self):
        t0 = self.noon_tomorrow()
        user, c, number = self.member()
        c.api("PATCH", "/api/v1/me/reminders", {"times": ["12:10"], "by_sms": True})
        self.assertIn("won't get any more texts", self.reply("STOP", number))
        before = len([m for m in self.gw.messages if m["To"] == number])
        self.srv.clock(advance=11 * 60)
        self.wait_reminders_settled()
        self.assertEqual(self.texts_to(number), before)

    def test_invalid_settings(self):
        _, c = self.srv.signed_in("member")
        cases = [({"times": ["25:00"]}, "times"), ({"times": "08:00"}, "times"),
                 ({"times": ["01:00", "02:00", "03:00", "04:00", "05:00"]}, "times"),
                 ({"times": [8]}, "times"), ({"time_zone": "Mars/Olympus"}, "time_zone"),
                 ({"time_zone": "../../etc/passwd"}, "time_zone"), ({"time_zone": 5}, "time_zone"),
                 ({"by_sms": True}, "by_sms"), ({"by_email": "yes"}, "by_email"),
                 ({"quiet_start": "22:00"}, "quiet_end"), ({"quiet_end": "07:00"}, "quiet_start"),
                 ({"quiet_start": "10pm", "quiet_end": "07:00"}, "quiet_start"),
                 ({"snooze": 5}, "snooze")]
        for body, field in cases:
            with self.subTest(body=body):
                r = c.api("PATCH", "/api/v1/me/reminders", body)
                self.assertEqual(r.status, 422, r)
                self.assertEqual(r.json()["error"]["field"], field)
        r = c.api("GET", "/api/v1/me/reminders").json()
        self.assertEqual((r["times"], r["by_sms"], r["time_zone"], r["next_reminder"]),
                         ([], False, "UTC", None))

    def test_page(self):
        t0 = self.noon_tomorrow()
        user, c, number = self.member()
        page = c.get("/reminders").text
        self.assertIn('name="time_zone"', page)
        self.assertIn('name="time1"', page)
        self.assertIn('name="quiet_start"', page)
        r = c.form("/reminders", {"time_zone": "UTC", "time1": "12:30", "time2": "",
                                  "by_sms": "1", "quiet_start": "", "quiet_end": ""})
        self.assertEqual(r.status, 303, r)
        page = c.get("/reminders?saved=1").text
        self.assertIn("Your reminders are saved.", page)
        self.assertIn('value="12:30"', page)
        self.assertIn("Next reminder:", page)
        self.assertRegex(page, r'name="by_sms" value="1"[^>]*checked')
        r = c.form("/reminders", {"time_zone": "Nowhere/Land", "time1": "12:30"})
        self.assertEqual(r.status, 422)
        self.assertRegex(r.text, r'id="time_zone"[^>]*aria-invalid="true"')
        r = c.form("/reminders", {"time_zone": "UTC", "quiet_start": "22:00"})
        self.assertEqual(r.status, 422)
        self.assertIn("Quiet hours need both a start and an end.", r.text)
        c.cookies["lang"] = "es"
        self.assertIn("Horas de silencio", c.get("/reminders").text)

    def test_dates_follow_the_member_time_zone(self):
        t0 = self.noon_tomorrow()
        _, c = self.srv.signed_in("member")
        c.api("POST", "/api/v1/checkins", {"mood": 3})
        self.assertIn("12:00", c.get("/checkins").text)
        # At 12:00 UTC it is already 02:00 tomorrow on Kiritimati (UTC+14).
        kiritimati = datetime.datetime.fromtimestamp(t0, ZoneInfo("Pacific/Kiritimati")).date()
        r = c.api("PATCH", "/api/v1/me/recovery", {"start_date": kiritimati.isoformat()})
        self.assertEqual(r.status, 422, "a start date in the future in UTC")
        c.api("PATCH", "/api/v1/me/reminders", {"time_zone": "Pacific/Kiritimati"})
        self.assertIn("02:00", c.get("/checkins").text)
        r = c.api("PATCH", "/api/v1/me/recovery", {"start_date": kiritimati.isoformat()})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json()["started"])
        self.assertEqual(r.json()["current_days"], 0)

if __name__ == "__main__":
    unittest.main()
