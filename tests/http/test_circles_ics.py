"""A circle's meetings as one iCalendar feed (GET /api/v1/circles/:id/meetings.ics),
read back with an independent parser (Debian's python3-icalendar): only the
circle's open meetings, the circle's name as the calendar's, the same events
(UIDs, rules, cancelled sessions) as each meeting's own feed, seen by whoever
may see the circle (404 for others, 401 signed out), with ETag,
Last-Modified, 304 and gzip like the other feeds.
"""
import gzip
import sys
import unittest
from datetime import date, datetime, timezone

from circles import PASSWORD, CirclesServer

try:
    import icalendar
except ImportError:         # a Debian package; pyenv pythons lack it
    sys.path.append("/usr/lib/python3/dist-packages")
    try:
        import icalendar
    except ImportError:
        icalendar = None

NOW = int(datetime(2030, 3, 1, 12, 0, tzinfo=timezone.utc).timestamp())


@unittest.skipIf(icalendar is None, "python3-icalendar is not installed (scripts/setup installs it)")
class CircleIcsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()
        cls.srv.clock(set=NOW)
        _, admin = cls.srv.signed_in("admin")
        for name in ("North", "South"):
            assert admin.api("POST", "/api/v1/admin/chapters", {"name": name}).status == 201
        cls.fac = cls.user("facilitator", "North")
        cls.north = cls.user("member", "North")
        cls.south = cls.user("member", "South")
        r = cls.fac.api("POST", "/api/v1/circles", {
            "name": "North; Evening, Circle", "purpose": "P.", "norms": "N.", "agreement": "A.",
            "membership": "request"})
        assert r.status == 201, r
        cls.cid = r.json()["id"]
        r = cls.fac.api("POST", "/api/v1/circles", {
            "name": "Other circle", "purpose": "P.", "norms": "N.", "agreement": "A.",
            "membership": "open"})
        cls.other_cid = r.json()["id"]
        cls.coord_user, cls.coord = cls.srv.signed_in("coordinator")

        def create(**f):
            r = cls.coord.api("POST", "/api/v1/meetings", f)
            assert r.status == 201, r
            return r.json()

        cls.weekly = create(name="Circle Tuesday", day=2, time="19:00", end_time="20:00",
                            timezone="America/New_York", circle_id=cls.cid)
        cls.monthly = create(name="Circle First Saturday", schedule="monthly", weeks=[1],
                             day=6, time="10:00", timezone="Europe/Madrid", circle_id=cls.cid)
        cls.closed = create(name="Circle Closed", day=3, time="19:00", timezone="UTC",
                            circle_id=cls.cid, temporarily_closed=True)
        cls.appt = create(name="Circle By Appointment", timezone="UTC", circle_id=cls.cid)
        cls.elsewhere = create(name="Not The Circle's", day=2, time="19:00", timezone="UTC",
                               circle_id=cls.other_cid)
        cls.alone = create(name="Stands Alone", day=2, time="19:00", timezone="UTC")
        r = cls.coord.api("POST", f"/api/v1/meetings/{cls.weekly['slug']}/exceptions",
                          {"date": "2030-03-12", "status": "cancelled"})
        assert r.status == 201, r
        cls.path = f"/api/v1/circles/{cls.cid}/meetings.ics"

    @classmethod
    def user(cls, role, chapter):
        cls.srv._users += 1
        email = f"{role}{cls.srv._users}-ics@example.org"
        r = cls.srv.run("user", "add", email, "--role", role, "--chapter", chapter,
                        input=PASSWORD + "\n")
        assert r.returncode == 0, r
        c = cls.srv.client()
        assert c.login(email).status == 200
        return c

    @classmethod
    def tearDownClass(cls):
        cls.srv.client().api("POST", "/api/v1/test/clock", {"reset": True})
        cls.srv.close()

    def feed(self, client=None, headers=None):
        r = (client or self.north).get(self.path, headers)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("content-type"), "text/calendar; charset=utf-8")
        return r

    def test_only_the_circles_open_meetings(self):
        cal = icalendar.Calendar.from_ical(self.feed().body)
        self.assertEqual(str(cal["X-WR-CALNAME"]), "North; Evening, Circle")
        names = sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
        self.assertEqual(names, ["Circle First Saturday", "Circle Tuesday"])
        zones = sorted(str(z["TZID"]) for z in cal.walk("VTIMEZONE"))
        self.assertEqual(zones, ["America/New_York", "Europe/Madrid"])
        ev = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
        weekly = ev["Circle Tuesday"]
        self.assertEqual(weekly["RRULE"]["FREQ"], ["WEEKLY"])
        self.assertEqual(weekly["RRULE"]["BYDAY"], ["TU"])
        exdates = [d.dt for d in weekly["EXDATE"].dts] if not isinstance(weekly["EXDATE"], list) \
            else [d.dt for x in weekly["EXDATE"] for d in x.dts]
        self.assertEqual([d.date() for d in exdates], [date(2030, 3, 12)])
        self.assertEqual(ev["Circle First Saturday"]["RRULE"]["FREQ"], ["MONTHLY"])
        # the same events, UIDs and all, as each meeting's own feed
        own = icalendar.Calendar.from_ical(
            self.srv.client().get(f"/meetings/{self.weekly['slug']}.ics").body)
        self.assertEqual([str(e["UID"]) for e in own.walk("VEVENT")], [str(weekly["UID"])])
        self.assertEqual(own.walk("VEVENT")[0]["DTSTART"].dt, weekly["DTSTART"].dt)

    def test_who_may_read_it(self):
        self.feed(self.north)                       # same chapter: sees the circle
        self.feed(self.fac)                         # its facilitator
        self.feed(self.coord)                       # coordinators see every circle
        r = self.south.get(self.path)
        self.assertEqual(r.status, 404, "a circle of another chapter does not exist for them")
        self.assertEqual(self.south.get(f"/circles/{self.cid}").status, 404)
        self.assertEqual(self.srv.client().get(self.path).status, 401)
        self.assertEqual(self.north.get("/api/v1/circles/999999/meetings.ics").status, 404)
        page = self.north.get(f"/circles/{self.cid}").text
        self.assertIn(f'href="{self.path}"', page)

    def test_validators_gzip_and_changes(self):
        a = self.feed()
        etag, lm = a.header("etag"), a.header("last-modified")
        self.assertTrue(etag and lm)
        self.assertEqual(self.north.get(self.path, {"If-None-Match": etag}).status, 304)
        self.assertEqual(self.north.get(self.path, {"If-Modified-Since": lm}).status, 304)
        other = self.north.get(f"/api/v1/circles/{self.other_cid}/meetings.ics")
        self.assertEqual(other.status, 200)
        self.assertNotEqual(other.header("etag"), etag, "each circle its own validator")
        self.assertNotEqual(other.body, a.body)
        z = self.feed(headers={"Accept-Encoding": "gzip"})
        self.assertEqual(z.header("content-encoding"), "gzip")
        self.assertEqual(gzip.decompress(z.body), a.body)
        # a change to one of its meetings is a new calendar
        self.srv.clock(advance=60)
        r = self.coord.api("PATCH", f"/api/v1/meetings/{self.monthly['slug']}",
                           {"name": "Circle First Saturday Renamed"})
        if r.status == 401:                         # the clock moved past the session
            self.coord.login(self.coord_user.email)
            r = self.coord.api("PATCH", f"/api/v1/meetings/{self.monthly['slug']}",
                               {"name": "Circle First Saturday Renamed"})
        self.assertEqual(r.status, 200, r)
        b = self.north.get(self.path, {"If-None-Match": etag})
        self.assertEqual(b.status, 200)
        self.assertNotEqual(b.header("etag"), etag)
        self.assertIn(b"Circle First Saturday Renamed", b.body)


if __name__ == "__main__":
    unittest.main()
