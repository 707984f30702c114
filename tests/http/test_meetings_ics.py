"""iCalendar feeds over HTTP, read back with an independent parser (Debian's
python3-icalendar, with dateutil to expand recurrence rules): one meeting's
feed and the finder's feed with its filters, time zones written as
VTIMEZONE, weekly and monthly rules across daylight-saving changes,
cancelled sessions as EXDATE, moved ones as RECURRENCE-ID overrides,
stable UIDs, line folding at 75 octets and text escaping, conditional
requests and gzip.
"""
import gzip
import os
import sys
import unittest
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from circles import ROOT, CirclesServer

try:
    import icalendar
    from dateutil import rrule
except ImportError:         # python3-icalendar is a Debian package; pyenv pythons lack it
    sys.path.append("/usr/lib/python3/dist-packages")
    try:
        import icalendar
        from dateutil import rrule
    except ImportError:
        icalendar = None

DATA = os.path.join(ROOT, "tests", "data", "meetingguide")


def physical_lines(body):
    assert body.endswith(b"\r\n"), "content lines end with CRLF"
    lines = body.split(b"\r\n")[:-1]
    for ln in lines:
        assert len(ln) <= 75, f"line longer than 75 octets: {ln!r}"
        assert b"\n" not in ln and b"\r" not in ln
    return lines


def unfold(body):
    """RFC 5545 3.1 unfolding, by hand (independent of any library)."""
    out = []
    for ln in physical_lines(body):
        if ln.startswith(b" ") and out:
            out[-1] += ln[1:]
        else:
            out.append(ln)
    return [x.decode("utf-8") for x in out]


@unittest.skipIf(icalendar is None, "python3-icalendar is not installed (scripts/setup installs it)")
class IcsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()
        cls.coord, cls._cc = cls.srv.signed_in("coordinator")
        cls.anon = cls.srv.client()
        cls.srv.clock(set=int(datetime(2030, 2, 20, tzinfo=timezone.utc).timestamp()))
        c = cls.srv.client()
        assert c.login(cls.coord.email).status == 200
        cls._cc = c

        def create(**f):
            r = cls._cc.api("POST", "/api/v1/meetings", f)
            assert r.status == 201, r
            return r.json()

        cls.weekly = create(name="Tuesday, Thursday; Together", day=[2, 4], time="19:00",
                            end_time="20:30", timezone="America/New_York", types=["O", "D"],
                            address="1 Main St", city="Springfield",
                            notes="Bring a friend, or come alone; all welcome.\nSecond line.")
        cls.monthly = create(name="Primer y tercer sábado", schedule="monthly", weeks=[1, 3],
                             day=6, time="18:00", timezone="Europe/Madrid", languages=["es"])
        cls.last = create(name="Last Friday Speaker", schedule="monthly", weeks=[-1], day=5,
                          time="19:30", timezone="America/Chicago", types=["SP"])
        cls.once = create(name="Founders Day", schedule="once", date="2030-06-10",
                          time="12:00", timezone="America/Los_Angeles")
        cls.late = create(name="Late Night " + "long name " * 8, day=6, time="23:30",
                          end_time="01:00", timezone="America/New_York")
        slug = cls.weekly["slug"]
        for body in ({"date": "2030-03-12", "status": "cancelled"},
                     {"date": "2030-03-14", "status": "moved", "new_date": "2030-03-15",
                      "new_time": "18:00", "new_end_time": "19:00"}):
            r = cls._cc.api("POST", f"/api/v1/meetings/{slug}/exceptions", body)
            assert r.status == 201, r

    @classmethod
    def tearDownClass(cls):
        cls.srv.client().api("POST", "/api/v1/test/clock", {"reset": True})
        cls.srv.close()

    def get(self, path, headers=None):
        r = self.anon.get(path, headers)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("content-type"), "text/calendar; charset=utf-8")
        return r

    def cal(self, path):
        return icalendar.Calendar.from_ical(self.get(path).body)

    def events(self, cal, uid=None):
        return [e for e in cal.walk("VEVENT") if uid is None or str(e["UID"]) == uid]

    def test_weekly_meeting_with_exceptions(self):
        slug = self.weekly["slug"]
        r = self.get(f"/meetings/{slug}.ics")
        lines = unfold(r.body)
        self.assertEqual(lines[0], "BEGIN:VCALENDAR")
        self.assertIn("VERSION:2.0", lines)
        self.assertIn("SUMMARY:Tuesday\\, Thursday\\; Together", lines)
        self.assertIn("DESCRIPTION:Bring a friend\\, or come alone\\; all welcome.\\nSecond line.",
                      lines)
        cal = icalendar.Calendar.from_ical(r.body)
        main, moved = sorted(self.events(cal), key=lambda e: "RECURRENCE-ID" in e)
        self.assertEqual(str(main["SUMMARY"]), "Tuesday, Thursday; Together")
        self.assertEqual(main["UID"], moved["UID"])
        self.assertTrue(str(main["UID"]).startswith(f"meeting-{slug}@"))
        rule = main["RRULE"]
        self.assertEqual(rule["FREQ"], ["WEEKLY"])
        self.assertEqual(sorted(rule["BYDAY"]), ["TH", "TU"])
        start = main["DTSTART"].dt
        self.assertEqual(start.tzinfo.zone if hasattr(start.tzinfo, "zone") else str(start.tzinfo),
                         "America/New_York")
        self.assertEqual((start.hour, start.minute), (19, 0))
        self.assertEqual(main["DTEND"].dt - start, timedelta(minutes=90))
        exdates = [d.dt for x in (main.get("EXDATE") if isinstance(main.get("EXDATE"), list)
                                  else [main.get("EXDATE")]) for d in x.dts]
        self.assertEqual([(d.date(), d.hour) for d in exdates], [(date(2030, 3, 12), 19)])
        self.assertEqual(moved["RECURRENCE-ID"].dt.date(), date(2030, 3, 14))
        self.assertEqual(moved["DTSTART"].dt.replace(tzinfo=None), datetime(2030, 3, 15, 18, 0))
        self.assertEqual(str(main["STATUS"]), "CONFIRMED")

    def test_vtimezone_keeps_wall_clock_across_dst(self):
        """The VTIMEZONE we write, read by icalendar into a tzinfo, gives the
        same offsets as the system's zoneinfo around both changes."""
        cal = self.cal(f"/meetings/{self.weekly['slug']}.ics")
        vtz = [t for t in cal.walk("VTIMEZONE") if str(t["TZID"]) == "America/New_York"][0]
        tz = vtz.to_tz()
        ref = ZoneInfo("America/New_York")
        main = [e for e in self.events(cal) if "RECURRENCE-ID" not in e][0]
        start = main["DTSTART"].dt.replace(tzinfo=None)
        occ = list(rrule.rrulestr(main["RRULE"].to_ical().decode(), dtstart=start))[:12]
        for o in occ:
            with self.subTest(o=o):
                self.assertEqual((o.hour, o.minute), (19, 0))
                self.assertEqual(tz.utcoffset(o), ref.utcoffset(o))
        offs = {ref.utcoffset(o) for o in occ}
        self.assertEqual(len(offs), 2, "the occurrences straddle the March change")
        md = self.cal(f"/meetings/{self.monthly['slug']}.ics")
        mtz = md.walk("VTIMEZONE")[0].to_tz()
        for d in (datetime(2030, 3, 30, 12), datetime(2030, 3, 31, 12), datetime(2030, 10, 26, 12),
                  datetime(2030, 10, 27, 12), datetime(2031, 7, 1, 12)):
            self.assertEqual(mtz.utcoffset(d), ZoneInfo("Europe/Madrid").utcoffset(d), d)

    def test_monthly_rules(self):
        for m, rule, first_dates in (
                (self.monthly, "FREQ=MONTHLY;BYDAY=1SA,3SA",
                 [date(2030, 3, 2), date(2030, 3, 16), date(2030, 4, 6), date(2030, 4, 20)]),
                (self.last, "FREQ=MONTHLY;BYDAY=-1FR",
                 [date(2030, 2, 22), date(2030, 3, 29), date(2030, 4, 26), date(2030, 5, 31)])):
            with self.subTest(rule=rule):
                r = self.get(f"/meetings/{m['slug']}.ics")
                self.assertIn("RRULE:" + rule, unfold(r.body))
                ev = self.events(icalendar.Calendar.from_ical(r.body))[0]
                start = ev["DTSTART"].dt.replace(tzinfo=None)
                occ = list(rrule.rrulestr(ev["RRULE"].to_ical().decode(), dtstart=start))[:4]
                self.assertEqual([o.date() for o in occ], first_dates)
                # ...and the same as the server's own list of coming sessions
                api = self.anon.api("GET", f"/api/v1/meetings/{m['slug']}").json()
                self.assertEqual([u["date"] for u in api["upcoming"][:4]],
                                 [d.isoformat() for d in first_dates])

    def test_once_and_after_midnight(self):
        ev = self.events(self.cal(f"/meetings/{self.once['slug']}.ics"))[0]
        self.assertNotIn("RRULE", ev)
        self.assertEqual(ev["DTSTART"].dt.replace(tzinfo=None), datetime(2030, 6, 10, 12, 0))
        late = self.events(self.cal(f"/meetings/{self.late['slug']}.ics"))[0]
        self.assertEqual(late["DTEND"].dt - late["DTSTART"].dt, timedelta(minutes=90))
        self.assertEqual(late["DTEND"].dt.date() - late["DTSTART"].dt.date(), timedelta(days=1))
        r = self.get(f"/meetings/{self.late['slug']}.ics")
        physical_lines(r.body)          # the long SUMMARY is folded at 75 octets
        self.assertIn("SUMMARY:" + self.late["name"], unfold(r.body))

    def test_finder_feed_with_filters(self):
        all_cal = self.cal("/api/v1/meetings.ics")
        uids = {str(e["UID"]) for e in self.events(all_cal)}
        for m in (self.weekly, self.monthly, self.last, self.once, self.late):
            self.assertTrue(any(u.startswith(f"meeting-{m['slug']}@") for u in uids), m["slug"])
        # One VTIMEZONE per zone used.
        tzids = [str(t["TZID"]) for t in all_cal.walk("VTIMEZONE")]
        self.assertEqual(sorted(tzids), sorted(set(tzids)))
        self.assertEqual(set(tzids), {"America/New_York", "Europe/Madrid", "America/Chicago",
                                      "America/Los_Angeles"})
        sat = self.cal("/api/v1/meetings.ics?day=6")
        names = sorted(str(e["SUMMARY"]) for e in self.events(sat))
        self.assertEqual(names, sorted([self.monthly["name"], self.late["name"]]))
        self.assertEqual([str(t["TZID"]) for t in sat.walk("VTIMEZONE")].count("America/Chicago"), 0)
        es = self.cal("/api/v1/meetings.ics?lang=es")
        self.assertEqual([str(e["SUMMARY"]) for e in self.events(es)], [self.monthly["name"]])
        bad = self.anon.get("/api/v1/meetings.ics?day=9")
        self.assertEqual(bad.status, 422)
        self.assertEqual(bad.json()["error"]["field"], "day")
        self.assertEqual(self.anon.get("/meetings/no-such.ics").status, 404)

    def test_stable_uids_validators_and_gzip(self):
        path = f"/meetings/{self.weekly['slug']}.ics"
        a, b = self.get(path), self.get(path)
        self.assertEqual(a.body, b.body, "the same bytes each time")
        etag = a.header("etag")
        self.assertEqual(self.anon.get(path, {"If-None-Match": etag}).status, 304)
        self.assertEqual(self.anon.get(path, {"If-Modified-Since": a.header("last-modified")}).status,
                         304)
        z = self.anon.get("/api/v1/meetings.ics", {"Accept-Encoding": "gzip"})
        self.assertEqual(z.header("content-encoding"), "gzip")
        self.assertEqual(gzip.decompress(z.body), self.get("/api/v1/meetings.ics").body)
        # A change gives a new validator; the UID stays.
        path = f"/meetings/{self.late['slug']}.ics"
        before = self.get(path)
        etag = before.header("etag")
        uid = str(self.events(icalendar.Calendar.from_ical(before.body))[0]["UID"])
        c = self.srv.client()
        self.assertEqual(c.login(self.coord.email).status, 200)
        r = c.api("PATCH", f"/api/v1/meetings/{self.late['slug']}", {"notes": "Now with coffee."})
        self.assertEqual(r.status, 200, r)
        c2 = self.anon.get(path, {"If-None-Match": etag})
        self.assertEqual(c2.status, 200)
        self.assertIn("Now with coffee.", c2.text)
        self.assertEqual(str(self.events(icalendar.Calendar.from_ical(c2.body))[0]["UID"]), uid)


class IcsWithoutParserTest(unittest.TestCase):
    """Checks that need no library: folding, CRLF and escaping, on real feeds."""

    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()
        cls.srv.run("import", "meeting-guide", os.path.join(DATA, "williamsport.json"))
        cls.srv.run("import", "meeting-guide", os.path.join(DATA, "aa1-es.json"))

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def test_real_feed_as_icalendar(self):
        r = self.srv.client().get("/api/v1/meetings.ics")
        self.assertEqual(r.status, 200)
        lines = unfold(r.body)
        self.assertEqual(lines.count("BEGIN:VEVENT"), 52 + 48)
        self.assertEqual(lines.count("BEGIN:VEVENT"), lines.count("END:VEVENT"))
        uids = [ln for ln in lines if ln.startswith("UID:")]
        self.assertEqual(len(uids), len(set(uids)))
        for ln in lines:
            name, _, value = ln.partition(":")
            if name in ("SUMMARY", "LOCATION", "DESCRIPTION"):
                # escaped: no bare , or ; and no raw newline
                self.assertNotRegex(value.replace("\\\\", "").replace("\\,", "")
                                    .replace("\\;", ""), r"[,;]")
        self.assertIn("TZID:America/New_York", lines)
        self.assertIn("TZID:America/Chicago", lines)
        self.assertTrue(any(ln.startswith("DTSTART;TZID=America/New_York:") for ln in lines))


if __name__ == "__main__":
    unittest.main()
