"""A member's secret calendar address (/calendar/<token>.ics) for calendar
apps that cannot send the session cookie: it works without a cookie, is
read back with an independent parser (Debian's python3-icalendar), holds
exactly the member's circles' open meetings and the meetings they said
"yes" to (not other circles, not after leaving), answers 304 and gzip like
the other feeds, is "Cache-Control: private", and stops working (404) when
it is made anew or turned off.  The token never reaches the server's log,
and the page that makes it works without JavaScript in English and Spanish.
"""
import gzip
import html
import re
import secrets
import sys
import unittest
import urllib.parse
from datetime import datetime, timezone

from circles import CirclesServer

try:
    import icalendar
except ImportError:         # a Debian package; pyenv pythons lack it
    sys.path.append("/usr/lib/python3/dist-packages")
    try:
        import icalendar
    except ImportError:
        icalendar = None

MONDAY_NOON = int(datetime(2030, 5, 20, 12, 0, tzinfo=timezone.utc).timestamp())
TUESDAY_7PM = int(datetime(2030, 5, 21, 19, 0, tzinfo=timezone.utc).timestamp())


def path_of(url):
    return urllib.parse.urlsplit(url).path


@unittest.skipIf(icalendar is None, "python3-icalendar is not installed (scripts/setup installs it)")
class CalendarLinkTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()
        cls.srv.clock(set=MONDAY_NOON)
        cls.tokens = set()          # every token handed out, for the log check
        _, cls.fac = cls.srv.signed_in("facilitator", name="Fran")
        cls.cid = {}
        for key in ("a", "b", "other"):
            r = cls.fac.api("POST", "/api/v1/circles", {
                "name": f"Circle {key.upper()}", "purpose": "Support.", "norms": "Kindness.",
                "agreement": "Stays here.", "membership": "open"})
            assert r.status == 201, r
            cls.cid[key] = r.json()["id"]
        _, cls.coord = cls.srv.signed_in("coordinator")
        cls.slug = {}

        def meeting(name, circle, **extra):
            f = dict(dict(name=name, day=2, time="19:00", end_time="20:00", timezone="UTC"),
                     **extra)
            if circle:
                f["circle_id"] = cls.cid[circle]
            r = cls.coord.api("POST", "/api/v1/meetings", f)
            assert r.status == 201, r
            cls.slug[name] = r.json()["slug"]

        meeting("A Tuesday", "a")
        meeting("A Monthly", "a", schedule="monthly", weeks=[1], day=6, time="10:00",
                timezone="Europe/Madrid")
        meeting("A Closed", "a", temporarily_closed=True)
        meeting("B Tuesday", "b")
        meeting("Other Tuesday", "other")
        meeting("Stands Alone", None)

    @classmethod
    def tearDownClass(cls):
        cls.srv.client().api("POST", "/api/v1/test/clock", {"reset": True})
        cls.srv.close()

    def member(self, circles=("a", "b"), **kw):
        user, c = self.srv.signed_in("member", **kw)
        for key in circles:
            r = c.api("POST", f"/api/v1/circles/{self.cid[key]}/join", {"accept_agreement": True})
            self.assertEqual(r.status, 201, r)
        return user, c

    def make_link(self, c):
        r = c.api("POST", "/api/v1/me/calendar-link", {})
        self.assertEqual(r.status, 201, r)
        url = r.json()["url"]
        self.assertTrue(url.startswith("http") and url.endswith(".ics"), url)
        self.assertEqual(r.json()["webcal_url"], "webcal" + url[url.index("://"):])
        token = path_of(url)[len("/calendar/"):-len(".ics")]
        self.assertGreaterEqual(len(token), 40)
        self.tokens.add(token)
        return path_of(url)

    def fetch(self, path, headers=None, status=200):
        r = self.srv.client().get(path, headers)      # a calendar app: no cookie at all
        self.assertEqual(r.status, status, r)
        return r

    def summaries(self, path):
        r = self.fetch(path)
        self.assertEqual(r.header("content-type"), "text/calendar; charset=utf-8")
        cal = icalendar.Calendar.from_ical(r.body)
        return sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT")), cal

    def rsvp(self, c, circle, name, response):
        r = c.api("POST", f"/api/v1/circles/{self.cid[circle]}/rsvp",
                  {"meeting": self.slug[name], "response": response})
        self.assertEqual(r.status, 200, r)

    def test_holds_the_members_circles_and_yes_rsvps(self):
        _, mem = self.member()
        _, other = self.member(circles=("other",))
        path = self.make_link(mem)
        got, cal = self.summaries(path)
        self.assertEqual(got, ["A Monthly", "A Tuesday", "B Tuesday"],
                         "own circles' open meetings only: not closed, not other circles")
        self.assertEqual(str(cal["X-WR-CALNAME"]), "My circles (Circles)")
        self.assertEqual(sorted(str(z["TZID"]) for z in cal.walk("VTIMEZONE")),
                         ["Etc/UTC", "Europe/Madrid"])
        # The same events, UIDs and all, as the meeting's own feed.
        own = icalendar.Calendar.from_ical(
            self.srv.client().get(f"/meetings/{self.slug['A Tuesday']}.ics").body)
        ev = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
        self.assertEqual(str(own.walk("VEVENT")[0]["UID"]), str(ev["A Tuesday"]["UID"]))
        self.assertEqual(own.walk("VEVENT")[0]["RRULE"], ev["A Tuesday"]["RRULE"])

        # Said "yes" to A Tuesday, "no" to B Tuesday; then both leave their
        # circles (a coordinator moves them out): the "yes" one stays.
        self.rsvp(mem, "a", "A Tuesday", "yes")
        self.rsvp(mem, "b", "B Tuesday", "no")
        for name in ("A Tuesday", "B Tuesday"):
            r = self.coord.api("PATCH", f"/api/v1/meetings/{self.slug[name]}",
                               {"circle_id": None})
            self.assertEqual(r.status, 200, r)
        try:
            got, _ = self.summaries(path)
            self.assertEqual(got, ["A Monthly", "A Tuesday"])
            # Someone else's calendar is theirs: the other circle only.
            self.assertEqual(self.summaries(self.make_link(other))[0], ["Other Tuesday"])
        finally:
            for name, key in (("A Tuesday", "a"), ("B Tuesday", "b")):
                r = self.coord.api("PATCH", f"/api/v1/meetings/{self.slug[name]}",
                                   {"circle_id": self.cid[key]})
                self.assertEqual(r.status, 200, r)

        # Leaving a circle takes its meetings out, "yes" or not.
        self.rsvp(mem, "b", "B Tuesday", "yes")
        before = self.fetch(path)
        self.assertIn(b"B Tuesday", before.body)
        r = mem.api("DELETE", f"/api/v1/circles/{self.cid['b']}/membership")
        self.assertEqual(r.status, 204, r)
        after = self.fetch(path, {"If-None-Match": before.header("etag")})
        self.assertNotEqual(after.header("etag"), before.header("etag"))
        self.assertEqual(self.summaries(path)[0], ["A Monthly", "A Tuesday"])
        r = mem.api("DELETE", f"/api/v1/circles/{self.cid['a']}/membership")
        self.assertEqual(r.status, 204, r)
        self.assertEqual(self.summaries(path)[0], [])

    def test_validators_gzip_and_caching(self):
        _, mem = self.member()
        path = self.make_link(mem)
        a = self.fetch(path)
        etag, lm = a.header("etag"), a.header("last-modified")
        self.assertTrue(etag and lm)
        cc = [d.strip() for d in a.header("cache-control").split(",")]
        self.assertIn("private", cc)
        self.assertNotIn("public", cc)
        self.assertEqual(len(a.headers_all("cache-control")), 1)
        self.assertEqual(a.header("referrer-policy"), "no-referrer")
        self.assertIsNone(a.header("set-cookie"))
        r = self.fetch(path, {"If-None-Match": etag}, status=304)
        self.assertEqual(r.body, b"")
        self.assertIn("private", r.header("cache-control"))
        self.fetch(path, {"If-Modified-Since": lm}, status=304)
        z = self.fetch(path, {"Accept-Encoding": "gzip"})
        self.assertEqual(z.header("content-encoding"), "gzip")
        self.assertEqual(gzip.decompress(z.body), a.body)
        self.assertNotEqual(z.header("etag"), etag)
        self.fetch(path, {"If-None-Match": z.header("etag"), "Accept-Encoding": "gzip"},
                   status=304)
        # Leaving a circle later moves Last-Modified too (no meeting changed).
        self.srv.clock(advance=120)
        self.assertEqual(mem.api("DELETE", f"/api/v1/circles/{self.cid['b']}/membership").status,
                         204)
        b = self.fetch(path, {"If-Modified-Since": lm})
        self.assertNotIn(b"B Tuesday", b.body)
        self.assertNotEqual(b.header("last-modified"), lm)
        self.fetch(path, {"If-Modified-Since": b.header("last-modified")}, status=304)

    def test_new_link_and_revoke_make_the_old_one_404(self):
        _, mem = self.member()
        self.assertEqual(mem.api("GET", "/api/v1/me/calendar-link").json(), {"link": None})
        first = self.make_link(mem)
        self.fetch(first)
        link = mem.api("GET", "/api/v1/me/calendar-link").json()["link"]
        self.assertEqual(set(link), {"created_at", "last_used_at"})
        self.assertIsNotNone(link["last_used_at"], "a fetch is remembered (not what it held)")
        second = self.make_link(mem)
        self.assertNotEqual(first, second)
        self.fetch(first, status=404)
        self.fetch(second)
        self.assertEqual(mem.api("DELETE", "/api/v1/me/calendar-link").status, 204)
        self.fetch(second, status=404)
        self.assertEqual(mem.api("GET", "/api/v1/me/calendar-link").json(), {"link": None})
        self.assertEqual(mem.api("DELETE", "/api/v1/me/calendar-link").status, 204)
        # Random and malformed tokens are nothing.
        for p in (f"/calendar/{secrets.token_urlsafe(32)}.ics", "/calendar/short.ics",
                  f"/calendar/{secrets.token_urlsafe(32)}", f"/calendar/{'x' * 200}.ics",
                  second.replace(".ics", ".json"), second[:-5] + "!.ics"):
            self.fetch(p, status=404)
        # Signed out, the address is the key; the API about it is not public.
        self.assertEqual(self.srv.client().api("POST", "/api/v1/me/calendar-link", {}).status,
                         401)

    def test_page_without_javascript_en_es(self):
        user, mem = self.member()
        page = mem.get("/account/calendar")
        self.assertEqual(page.status, 200)
        self.assertIn("Your meetings in your calendar app", page.text)
        self.assertIn('action="/account/calendar"', page.text)
        self.assertNotRegex(page.text, r"/calendar/[A-Za-z0-9_-]{20,}")
        self.assertIn('href="/account/calendar"', mem.get("/account").text)
        self.assertIn('href="/account/calendar"', mem.get(f"/circles/{self.cid['a']}").text)
        made = mem.form("/account/calendar", {})
        self.assertEqual(made.status, 200, made)
        m = re.search(r'<input id="cal-url" type="url" value="([^"]+)" readonly', made.text)
        self.assertIsNotNone(m, made.text)
        self.assertIn('<label for="cal-url">', made.text)
        url = html.unescape(m.group(1))
        path = path_of(url)
        self.tokens.add(path[len("/calendar/"):-len(".ics")])
        self.assertIn(f'href="webcal{url[url.index("://"):]}"', made.text)
        self.assertEqual(self.summaries(path)[0], ["A Monthly", "A Tuesday", "B Tuesday"])
        # Shown once: the page afterwards says it exists, without the token.
        again = mem.get("/account/calendar").text
        self.assertNotIn(path, again)
        self.assertIn("You have a calendar address", again)
        self.assertIn('action="/account/calendar/revoke"', again)
        # No CSRF token, no change.
        self.assertEqual(mem.form("/account/calendar/revoke", {}, with_csrf=False).status, 403)
        self.fetch(path)
        r = mem.form("/account/calendar/revoke", {})
        self.assertIn(r.status, (302, 303))
        self.assertEqual(r.header("location"), "/account/calendar?done=revoked")
        self.fetch(path, status=404)
        self.assertIn("Your calendar address is turned off", mem.get(r.header("location")).text)
        # In Spanish, the page and the calendar's name follow the member's language.
        self.assertEqual(mem.api("PATCH", "/api/v1/me", {"lang": "es"}).status, 200)
        self.assertIn("Tus reuniones en tu aplicación de calendario",
                      mem.get("/account/calendar").text)
        path = self.make_link(mem)
        cal = icalendar.Calendar.from_ical(self.fetch(path).body)
        self.assertEqual(str(cal["X-WR-CALNAME"]), "Mis círculos (Circles)")

    def test_zz_token_never_in_the_log(self):
        # Runs last (alphabetical): every token the other tests made and used.
        _, mem = self.member()
        path = self.make_link(mem)
        self.fetch(path)
        self.fetch(path.replace(".ics", "x.ics"), status=404)
        log = self.srv.log()
        self.assertIn('"/calendar/:token"', log, "the access log is on and names the pattern")
        self.assertGreaterEqual(len(self.tokens), 3)
        for token in self.tokens:
            self.assertNotIn(token, log)
            self.assertNotIn(token[:16], log)


if __name__ == "__main__":
    unittest.main()
