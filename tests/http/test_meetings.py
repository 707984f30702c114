"""Meetings over HTTP against the real server: the Meeting Guide feed and the
finder's filters, conditional requests and gzip, imports from the command
line (files, URLs, CSV) and from the coordinator's page, rejections with
their reasons, the round trip of every feed in tests/data/meetingguide/,
monthly and single-date meetings, cancelled and moved sessions, happening
now and starting soon, and the pages in English and Spanish.

The feeds under tests/data/meetingguide/ are real ones (see SOURCES.txt);
expected answers are computed here from the feed itself, independently of
the server's code.
"""
import gzip
import http.server
import json
import os
import re
import tempfile
import threading
import unittest
import urllib.parse
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from circles import ROOT, CirclesServer

DATA = os.path.join(ROOT, "tests", "data", "meetingguide")
FEEDS = ["aa1-es.json", "aamod-demo.json", "hamilton.json", "williamsport.json"]
DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
UTC_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
HHMM_RE = re.compile(r"^\d{2}:\d{2}$")


def load(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return json.load(f)


def feed(client, query=""):
    r = client.get("/api/v1/meetings.json" + (("?" + query) if query else ""))
    assert r.status == 200, r
    return r.json()


def import_file(srv, path, *extra, check=True):
    return srv.run("import", "meeting-guide", path, *extra, check=check)


def write_feed(meetings):
    f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8")
    json.dump(meetings, f)
    f.close()
    return f.name


def minutes(hhmm):
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def band(hhmm):
    t = minutes(hhmm)
    if 4 * 60 <= t < 12 * 60:
        return "morning"
    if 12 * 60 <= t < 17 * 60:
        return "afternoon"
    if 17 * 60 <= t < 21 * 60:
        return "evening"
    return "night"


def days_of(m):
    d = m.get("day")
    return set(d) if isinstance(d, list) else ({d} if d is not None else set())


class FeedTest(unittest.TestCase):
    """One server with every real feed imported through the command line."""

    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()
        cls.reports = {}
        for name in FEEDS + ["tsml-template.csv"]:
            r = import_file(cls.srv, os.path.join(DATA, name))
            cls.reports[name] = r.stdout
        cls.c = cls.srv.client()
        cls.all = feed(cls.c)

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def by_slug(self):
        return {m["slug"]: m for m in self.all}

    # ---- the feed ----

    def test_every_feed_imports(self):
        for name in FEEDS:
            expected = len(load(name))
            self.assertIn(f"{expected} meetings read", self.reports[name])
            self.assertIn(f"added: {expected}, updated: 0, unchanged: 0, rejected: 0",
                          self.reports[name])
        self.assertIn("added: 36", self.reports["tsml-template.csv"])
        self.assertIn("BB (1)", self.reports["hamilton.json"], "unknown codes are reported")
        self.assertEqual(len(self.all), sum(len(load(n)) for n in FEEDS) + 36)

    def test_feed_is_a_valid_meeting_guide_feed(self):
        slugs = set()
        for m in self.all:
            with self.subTest(slug=m.get("slug")):
                self.assertIsInstance(m["name"], str)
                self.assertTrue(m["name"])
                self.assertNotIn(m["slug"], slugs)
                slugs.add(m["slug"])
                self.assertIsInstance(m["day"], (int, list))
                for d in days_of(m):
                    self.assertIn(d, range(7))
                self.assertRegex(m["time"], HHMM_RE)
                self.assertRegex(m["end_time"], HHMM_RE)
                ZoneInfo(m["timezone"])
                self.assertIsInstance(m["types"], list)
                self.assertTrue(all(isinstance(t, str) for t in m["types"]))
                self.assertIn(m["attendance_option"], ("in_person", "online", "hybrid"))
                self.assertRegex(m["updated"], UTC_RE)
                self.assertIn(m["approximate"], ("yes", "no"))
                self.assertTrue(m.get("formatted_address") or m.get("address") or
                                m.get("city") or m["attendance_option"] == "online")
                if m["attendance_option"] != "in_person":
                    self.assertTrue(m.get("conference_url") or m.get("conference_phone"))
                for k, v in m.items():
                    self.assertIsNotNone(v, k)
                    if isinstance(v, str) and k in ("notes", "location", "name"):
                        self.assertNotRegex(v, r"</?(b|br|a|p)\b", "no HTML left")

    def test_round_trip_of_every_feed(self):
        """Importing a feed and exporting it again gives back each meeting's
        schedule, place, types and links."""
        out = self.by_slug()
        for name in FEEDS:
            for orig in load(name):
                with self.subTest(feed=name, slug=orig["slug"]):
                    m = out[orig["slug"]]
                    self.assertEqual(m["name"], orig["name"])
                    self.assertEqual(days_of(m), days_of(orig))
                    self.assertEqual(m["time"], orig["time"])
                    tz = {"US/Eastern": "America/New_York"}.get(orig["timezone"],
                                                                orig["timezone"])
                    self.assertEqual(m["timezone"], tz)
                    self.assertEqual(sorted(m["types"]),
                                     sorted(set(orig["types"]) - {"TC", "ONL"}))
                    for k in ("location", "address", "city", "state", "postal_code",
                              "country", "region", "url"):
                        self.assertEqual(m.get(k), orig.get(k) or None, k)
                    notes = orig.get("notes") or ""
                    href = re.search(r'href="(https://[^"]+zoom[^"]+)"', notes)
                    bare = re.search(r"(https://\S*zoom\.us/\S+)", notes)
                    if href:
                        self.assertEqual(m.get("conference_url"), href.group(1))
                    elif bare:
                        self.assertEqual(m.get("conference_url"), bare.group(1).rstrip(",."))
                    else:
                        self.assertIsNone(m.get("conference_url"))

    def test_round_trip_csv(self):
        out = self.by_slug()
        import csv
        with open(os.path.join(DATA, "tsml-template.csv"), encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        names = {"open": "O", "closed": "C", "wheelchair access": "X", "men": "M",
                 "women": "W", "spanish": "S", "birthday": "H", "big book": "B",
                 "step meeting": "ST", "babysitting available": "BA", "gay": "G",
                 "lesbian": "L", "transgender": "T", "tradition study": "TR",
                 "discussion": "D"}
        for row in rows:
            with self.subTest(slug=row["Slug"]):
                m = out[row["Slug"]]
                self.assertEqual(m["name"], row["Name"])
                self.assertEqual(m["day"], DAYS.index(row["Day"].lower()))
                t = datetime.strptime(row["Time"], "%I:%M %p").strftime("%H:%M")
                self.assertEqual(m["time"], t)
                if row["End Time"]:
                    self.assertEqual(m["end_time"],
                                     datetime.strptime(row["End Time"], "%I:%M %p").strftime("%H:%M"))
                self.assertEqual(m["formatted_address"], row["Address"])
                self.assertEqual(m.get("location"), row["Location"] or None)
                self.assertEqual(m["timezone"], row["Timezone"])
                given = {t.strip() for t in row["Types"].split(",") if t.strip()}
                # TC and ONL become the attendance: "TC with a link: online".
                want = {names.get(t.lower(), t) for t in given} - {
                    "Online Meeting", "Temporary Closure"}
                self.assertEqual(set(m["types"]), want)
                if "Temporary Closure" in given and row["Conference URL"]:
                    self.assertEqual(m["attendance_option"], "online")
                    self.assertEqual(m["conference_url"], row["Conference URL"])
                if row["Notes"]:
                    self.assertEqual(m["notes"], row["Notes"])

    def test_export_import_export_is_stable(self):
        path = write_feed(self.all)
        try:
            other = CirclesServer().start()
            try:
                r = import_file(other, path)
                self.assertIn(f"added: {len(self.all)}", r.stdout)
                again = feed(other.client())
                self.assertEqual(again, self.all)
            finally:
                other.close()
        finally:
            os.unlink(path)

    # ---- filters ----

    def check(self, query, pred):
        got = feed(self.c, query)
        want = [m["slug"] for m in self.all if pred(m)]
        self.assertEqual(sorted(m["slug"] for m in got), sorted(want), query)
        self.assertGreater(len(want), 0, f"{query} should match something")
        return got

    def test_day_and_types(self):
        self.check("day=3&types=O", lambda m: 3 in days_of(m) and "O" in m["types"])
        self.check("types=O,D", lambda m: {"O", "D"} <= set(m["types"]))
        self.check("types=O&types=D&types=X",
                   lambda m: {"O", "D", "X"} <= set(m["types"]))
        self.check("day=0,6", lambda m: days_of(m) & {0, 6})

    def test_time_bands(self):
        for b in ("morning", "afternoon", "evening", "night"):
            self.check("time=" + b, lambda m, b=b: band(m["time"]) == b)
        # 00:00 is night (the Night Owls meeting)
        night = {m["slug"] for m in feed(self.c, "time=night")}
        self.assertIn("night-owls-Sunday-00:00", night)

    def test_attendance(self):
        self.check("attendance=online",
                   lambda m: m["attendance_option"] in ("online", "hybrid"))
        self.check("attendance=hybrid", lambda m: m["attendance_option"] == "hybrid")
        self.check("attendance=in_person",
                   lambda m: m["attendance_option"] in ("in_person", "hybrid"))

    def test_language_through_type_codes(self):
        got = self.check("lang=es", lambda m: "S" in m["types"])
        self.assertEqual(len(got), 48 + 1)     # aa1-es and "Hora de Vivir" from the CSV
        self.check("lang=en", lambda m: "EN" in m["types"])

    def test_region_city_and_text(self):
        self.check("region=greater%20williamsport%20aa",
                   lambda m: m.get("region") == "Greater Williamsport AA")
        self.check("city=Hughesville", lambda m: m.get("city") == "Hughesville")
        self.check("q=presbyterian", lambda m: "presbyterian" in (
            (m.get("location") or "") + (m.get("name") or "") + (m.get("notes") or "") +
            (m.get("address") or "") + (m.get("formatted_address") or "")).lower())
        self.check("q=esperanza%20vivir&day=3",
                   lambda m: 3 in days_of(m) and "Esperanza De Vivir" in m["name"])

    def test_filters_combine(self):
        self.check("lang=es&day=3&time=evening&attendance=in_person",
                   lambda m: "S" in m["types"] and 3 in days_of(m) and
                   band(m["time"]) == "evening" and m["attendance_option"] != "online")

    def test_bad_filters_answer_422_with_the_field(self):
        for q, field in (("day=7", "day"), ("day=x", "day"), ("time=noon", "time"),
                         ("attendance=phone", "attendance"), ("lang=spanish", "lang"),
                         ("near=abc", "near"), ("near=91,0", "near"),
                         ("near=40,-74&radius_km=0", "radius_km"),
                         ("near=40,-74&radius_km=9999", "radius_km"),
                         ("q=" + "x" * 101, "q"), ("types=<b>", "types"),
                         ("when=later", "when")):
            with self.subTest(q=q):
                r = self.c.get("/api/v1/meetings.json?" + q)
                self.assertEqual(r.status, 422, r)
                self.assertEqual(r.json()["error"]["field"], field)
                page = self.c.get("/meetings?" + q)
                self.assertEqual(page.status, 422)
                self.assertIn('class="field-error"', page.text)
                self.assertIn('aria-describedby="f-', page.text)

    def test_a_bad_filter_keeps_the_others(self):
        r = self.c.get("/meetings?day=3&lang=es&near=somewhere")
        self.assertEqual(r.status, 422)
        self.assertIn('<option value="3" selected>Wednesday</option>', r.text)
        self.assertIn('value="somewhere"', r.text)
        self.assertIn('id="f-near-error"', r.text)
        self.assertIn("Grupo 24 Horas", r.text, "the valid filters still apply")

    # ---- caching, conditional requests, compression ----

    def test_etag_last_modified_and_304(self):
        for q in ("", "day=3&types=O"):
            with self.subTest(q=q):
                path = "/api/v1/meetings.json" + ("?" + q if q else "")
                r = self.c.get(path)
                etag, lm = r.header("etag"), r.header("last-modified")
                self.assertTrue(etag and etag.startswith('"'))
                self.assertTrue(lm.endswith(" GMT"))
                self.assertEqual(self.c.get(path, {"If-None-Match": etag}).status, 304)
                self.assertEqual(self.c.get(path, {"If-None-Match": 'W/' + etag}).status, 304)
                self.assertEqual(self.c.get(path, {"If-None-Match": '"other", ' + etag}).status,
                                 304)
                self.assertEqual(self.c.get(path, {"If-Modified-Since": lm}).status, 304)
                self.assertEqual(self.c.get(path, {"If-None-Match": '"nope"'}).status, 200)
                self.assertEqual(self.c.get(path, {
                    "If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status, 200)
        # Parameter order does not change the answer or its validator.
        a = self.c.get("/api/v1/meetings.json?types=O&day=3")
        b = self.c.get("/api/v1/meetings.json?day=3&types=O")
        self.assertEqual(a.header("etag"), b.header("etag"))
        self.assertEqual(a.body, b.body)

    def test_gzip_when_asked(self):
        for q in ("", "?lang=es"):
            plain = self.c.get("/api/v1/meetings.json" + q)
            z = self.c.get("/api/v1/meetings.json" + q, {"Accept-Encoding": "gzip, deflate"})
            self.assertEqual(z.header("content-encoding"), "gzip")
            self.assertIn("Accept-Encoding", z.header("vary"))
            self.assertEqual(gzip.decompress(z.body), plain.body)
            self.assertNotEqual(z.header("etag"), plain.header("etag"))
            self.assertEqual(self.c.get("/api/v1/meetings.json" + q, {
                "Accept-Encoding": "gzip", "If-None-Match": z.header("etag")}).status, 304)
            no = self.c.get("/api/v1/meetings.json" + q, {"Accept-Encoding": "gzip;q=0"})
            self.assertIsNone(no.header("content-encoding"))

    # ---- pages ----

    def test_finder_page_english_and_spanish(self):
        r = self.c.get("/meetings?lang=es&day=3")
        self.assertEqual(r.status, 200)
        self.assertIn("Grupo 24 Horas", r.text)
        self.assertIn("<h1>Find a meeting</h1>", r.text)
        self.assertIn('<option value="3" selected>Wednesday</option>', r.text)
        es = self.c.get("/meetings?lang=es&day=3", {"Accept-Language": "es"})
        self.assertIn("Encuentra una reunión", es.text)
        self.assertIn("Cada miércoles", es.text)
        self.assertNotIn("style=", r.text)
        self.assertNotIn("<script>", r.text)
        # The help says monthly meetings are not in the Meeting Guide feed.
        self.assertIn("Monthly meetings", r.text)
        self.assertIn("href=\"/api/v1/meetings.json?lang=es&amp;day=3\"", r.text)

    def test_finder_page_pages_results(self):
        r = self.c.get("/meetings")
        self.assertIn(f"{len(self.all)} meetings found", r.text)
        self.assertEqual(r.text.count('<li class="card">'), 25)
        self.assertIn('rel="next"', r.text)
        last = self.c.get("/meetings?page=9")
        self.assertEqual(last.text.count('<li class="card">'), len(self.all) - 8 * 25)
        self.assertIn('rel="prev"', last.text)

    def test_meeting_page(self):
        r = self.c.get("/meetings/pass-it-on-Monday-19:00")
        self.assertEqual(r.status, 200)
        self.assertIn("Pass It On", r.text)
        self.assertIn('href="https://us02web.zoom.us/j/5748311805?pwd=', r.text)
        self.assertIn("America/New_York", r.text)
        self.assertIn("Password: &lt;none&gt;" if "&lt;none&gt;" in r.text else "Password:", r.text)
        self.assertEqual(self.c.get("/meetings/no-such-meeting").status, 404)
        api = self.c.api("GET", "/api/v1/meetings/pass-it-on-Monday-19:00").json()
        self.assertEqual(api["attendance_option"], "online")
        self.assertEqual(api["schedule"], "weekly")
        self.assertEqual(len(api["upcoming"]), 6)
        self.assertEqual(self.c.api("GET", "/api/v1/meetings/nope").status, 404)


class ImportTest(unittest.TestCase):
    """Imports and their reports, on a fresh server per test class."""

    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()
        cls.c = cls.srv.client()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def test_tolerance_and_rejections(self):
        meetings = [
            {"name": "Two Days", "slug": "two-days", "day": [1, "3"], "time": "7:30 PM",
             "timezone": "US/Eastern", "types": "O, D", "latitude": "40.7", "longitude": -74,
             "approximate": "no", "address": "1 Main St", "city": "Springfield",
             "notes": "<p>Ring the bell &amp; come <b>upstairs</b>.</p>"
                      "<a href=\"https://example.org/map\">map</a>"},
            {"name": "Out of range", "slug": "bad-day", "day": 7, "time": "19:00",
             "timezone": "America/Chicago"},
            {"name": "Dup one", "slug": "dup", "day": 2, "time": "10:00",
             "timezone": "America/Chicago"},
            {"name": "Dup two", "slug": "dup", "day": 4, "time": "10:00",
             "timezone": "America/Chicago"},
            {"name": "No time", "slug": "no-time", "day": 5, "timezone": "America/Chicago"},
            {"name": "Bad zone", "slug": "bad-zone", "day": 1, "time": "10:00",
             "timezone": "Mars/Base"},
            {"name": "Bad time", "slug": "bad-time", "day": 1, "time": "25:61",
             "timezone": "America/Chicago"},
            {"name": "Closed for now", "slug": "tc-alone", "day": 1, "time": "10:00",
             "timezone": "America/Chicago", "types": ["TC", "O"], "address": "9 Elm St"},
            {"name": "Closed building, online", "slug": "tc-link", "day": 1, "time": "11:00",
             "timezone": "America/Chicago", "types": ["TC", "O"], "address": "9 Elm St",
             "conference_url": "https://zoom.us/j/123"},
            {"name": "Hybrid", "slug": "onl", "day": 1, "time": "12:00",
             "timezone": "America/Chicago", "types": ["ONL"], "address": "9 Elm St",
             "notes": "Join at https://meet.google.com/abc-defg-hij."},
            {"name": "Numbers", "slug": 12345, "day": "6", "time": "08:00",
             "timezone": "America/Chicago", "postal_code": 60601, "types": ["O", "ZZZ"],
             "approximate": True},
            {"name": "", "slug": "no-name", "day": 1, "time": "10:00"},
        ]
        path = write_feed(meetings)
        try:
            r = import_file(self.srv, path)
        finally:
            os.unlink(path)
        self.assertEqual(r.returncode, 0)
        out = r.stdout
        self.assertIn("12 meetings read", out)
        self.assertIn("added: 7, updated: 0, unchanged: 0, rejected: 5", out)
        self.assertIn("bad-day (Out of range): the day is outside 0", out)
        self.assertIn("#4 dup (Dup two): the slug repeats one used earlier", out)
        self.assertIn("bad-zone", out)
        self.assertIn("bad-time", out)
        self.assertIn("#12", out)
        self.assertIn("ZZZ (1)", out)
        c = self.c
        m = c.api("GET", "/api/v1/meetings/two-days").json()
        self.assertEqual(m["day"], [1, 3])
        self.assertEqual(m["time"], "19:30")
        self.assertEqual(m["timezone"], "America/New_York")
        self.assertEqual(m["types"], ["D", "O"])
        self.assertEqual(m["latitude"], 40.7)
        self.assertEqual(m["longitude"], -74)
        # A paragraph, then the link as its plain URL.
        self.assertEqual(m["notes"], "Ring the bell & come upstairs.\n\nhttps://example.org/map")
        self.assertEqual(c.api("GET", "/api/v1/meetings/dup").json()["name"], "Dup one")
        nt = c.api("GET", "/api/v1/meetings/no-time").json()
        self.assertEqual(nt["schedule"], "appointment")
        self.assertNotIn("time", nt)
        self.assertEqual(nt["day"], 5)
        tc = c.api("GET", "/api/v1/meetings/tc-alone").json()
        self.assertTrue(tc["temporarily_closed"])
        self.assertEqual(c.api("GET", "/api/v1/meetings/tc-link").json()["attendance_option"],
                         "online")
        onl = c.api("GET", "/api/v1/meetings/onl").json()
        self.assertEqual(onl["attendance_option"], "hybrid")
        self.assertEqual(onl["conference_url"], "https://meet.google.com/abc-defg-hij")
        num = c.api("GET", "/api/v1/meetings/12345").json()
        self.assertEqual(num["postal_code"], "60601")
        self.assertEqual(num["approximate"], "yes")
        self.assertEqual(num["types"], ["O", "ZZZ"])
        slugs = {m["slug"] for m in feed(c)}
        self.assertNotIn("tc-alone", slugs, "inactive meetings are not in the feed")
        self.assertIn("no-time", slugs, "by appointment is in the feed, without a time")
        self.assertNotIn("no-time", {m["slug"] for m in feed(c, "day=5")})
        self.assertNotIn("no-time", {m["slug"] for m in feed(c, "time=morning")})

    def test_reimport_changes_nothing_not_even_updated(self):
        path = os.path.join(DATA, "williamsport.json")
        import_file(self.srv, path)
        first = self.c.get("/api/v1/meetings.json")
        r = import_file(self.srv, path)
        self.assertIn("added: 0, updated: 0, unchanged: 52", r.stdout)
        again = self.c.get("/api/v1/meetings.json")
        self.assertEqual(again.body, first.body)
        self.assertEqual(again.header("etag"), first.header("etag"))

    def test_cli_import_shows_at_once(self):
        meetings = [{"name": "Fresh Start", "slug": "fresh-start", "day": 2, "time": "18:00",
                     "timezone": "America/Denver", "types": ["O"]}]
        path = write_feed(meetings)
        try:
            import_file(self.srv, path)
            before = self.c.get("/api/v1/meetings.json?day=2")
            self.assertIn("fresh-start", before.text)
            meetings[0]["time"] = "18:30"
            meetings[0]["name"] = "Fresh Start Again"
            with open(path, "w") as f:
                json.dump(meetings, f)
            r = import_file(self.srv, path)
            self.assertIn("updated: 1", r.stdout)
            after = self.c.get("/api/v1/meetings.json?day=2",
                               {"If-None-Match": before.header("etag")})
            self.assertEqual(after.status, 200, "a change made by the CLI shows at once")
            m = [x for x in after.json() if x["slug"] == "fresh-start"][0]
            self.assertEqual((m["time"], m["name"]), ("18:30", "Fresh Start Again"))
            self.assertIn("Fresh Start Again", self.c.get("/meetings?day=2").text)
        finally:
            os.unlink(path)

    def test_unreadable_feeds_fail(self):
        for content in ("not json at all {", "{\"meetings\": 3}", "[]",
                        json.dumps([{"name": "x", "day": 9, "time": "10:00", "slug": "x",
                                     "timezone": "UTC"}])):
            with self.subTest(content=content[:20]):
                f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
                f.write(content)
                f.close()
                r = import_file(self.srv, f.name, check=False)
                os.unlink(f.name)
                self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
                self.assertIn("nothing imported", r.stderr)
        r = import_file(self.srv, "/nonexistent/feed.json", check=False)
        self.assertEqual(r.returncode, 1)

    def test_default_timezone_and_stdin(self):
        data = json.dumps([{"name": "No Zone", "slug": "no-zone", "day": 1, "time": "09:00"}])
        r = self.srv.run("import", "meeting-guide", "-", "--timezone", "Europe/Madrid",
                         input=data)
        self.assertIn("added: 1", r.stdout)
        self.assertEqual(self.c.api("GET", "/api/v1/meetings/no-zone").json()["timezone"],
                         "Europe/Madrid")
        r = self.srv.run("import", "meeting-guide", "-", "--timezone", "Nowhere/Land",
                         input=data, check=False)
        self.assertEqual(r.returncode, 2)

    def test_import_from_url(self):
        body = open(os.path.join(DATA, "hamilton.json"), "rb").read()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path != "/meeting-guide.json":
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        t = threading.Thread(target=httpd.serve_forever, daemon=True)
        t.start()
        try:
            url = f"http://127.0.0.1:{httpd.server_address[1]}/meeting-guide.json"
            r = import_file(self.srv, url)
            self.assertIn("38 meetings read", r.stdout)
            self.assertIn("4-d-Sunday-19:00", self.c.get("/api/v1/meetings.json").text)
            r = import_file(self.srv, url.replace("meeting-guide", "missing"), check=False)
            self.assertEqual(r.returncode, 1)
            self.assertIn("404", r.stderr)
        finally:
            httpd.shutdown()


class CoordinatorTest(unittest.TestCase):
    """Meetings made in Circles: monthly and single dates, exceptions, the
    import page, and who may do what."""

    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer().start()
        cls.coord, cls._cc = cls.srv.signed_in("coordinator")
        cls.anon = cls.srv.client()

    @property
    def cc(self):
        """The coordinator's client, signed in again when moving the test
        clock has ended the session."""
        if self._cc.api("GET", "/api/v1/me").status != 200:
            c = self.srv.client()
            self.assertEqual(c.login(self.coord.email).status, 200)
            type(self)._cc = c
        return self._cc

    @classmethod
    def tearDownClass(cls):
        cls.srv.client().api("POST", "/api/v1/test/clock", {"reset": True})
        cls.srv.close()

    def create(self, **fields):
        r = self.cc.api("POST", "/api/v1/meetings", fields)
        self.assertEqual(r.status, 201, r)
        return r.json()

    def test_only_coordinators_and_admins_manage(self):
        _, member = self.srv.signed_in("member")
        body = {"name": "Nope", "day": 1, "time": "10:00", "timezone": "UTC"}
        self.assertEqual(member.api("POST", "/api/v1/meetings", body).status, 403)
        self.assertEqual(self.anon.api("POST", "/api/v1/meetings", body).status, 401)
        self.assertEqual(member.get("/coordinator/import").status, 403)
        _, admin = self.srv.signed_in("admin")
        self.assertEqual(admin.api("POST", "/api/v1/meetings", dict(body, name="Yes")).status,
                         201)

    def test_create_validates_fields(self):
        for body, field in (({"day": 1, "time": "10:00", "timezone": "UTC"}, "name"),
                            ({"name": "X", "day": 8, "time": "10:00", "timezone": "UTC"}, "day"),
                            ({"name": "X", "day": 1, "time": "nine", "timezone": "UTC"}, "time"),
                            ({"name": "X", "day": 1, "time": "10:00"}, "timezone"),
                            ({"name": "X" * 300, "day": 1, "time": "10:00", "timezone": "UTC"},
                             "name"),
                            ({"name": "X", "schedule": "monthly", "day": 1, "time": "10:00",
                              "timezone": "UTC"}, "weeks")):
            with self.subTest(field=field):
                r = self.cc.api("POST", "/api/v1/meetings", body)
                self.assertEqual(r.status, 422, r)
                self.assertEqual(r.json()["error"]["field"], field)
        self.create(name="Taken", slug="taken-slug", day=1, time="10:00", timezone="UTC")
        r = self.cc.api("POST", "/api/v1/meetings", {"name": "Again", "slug": "taken-slug",
                                                     "day": 1, "time": "10:00",
                                                     "timezone": "UTC"})
        self.assertEqual(r.status, 409)

    def test_monthly_and_one_time_meetings(self):
        self.srv.clock(set=int(datetime(2030, 5, 20, tzinfo=timezone.utc).timestamp()))
        m = self.create(name="Saturday Circle", schedule="monthly", weeks=[1, 3], day=6,
                        time="18:00", end_time="19:30", timezone="Europe/Madrid",
                        languages=["es"], accessibility=["wheelchair", "interpreter"],
                        address="Calle Mayor 1", city="Madrid")
        self.assertEqual(m["slug"], "saturday-circle")
        self.assertEqual(m["weeks"], [1, 3])
        starts = [u["start"] for u in m["upcoming"][:4]]
        self.assertEqual(starts, ["2030-06-01T16:00:00Z", "2030-06-15T16:00:00Z",
                                  "2030-07-06T16:00:00Z", "2030-07-20T16:00:00Z"])
        self.assertIn("S", m["types"])
        self.assertIn("X", m["types"])
        self.assertEqual(m["accessibility"], ["wheelchair", "interpreter"])
        last = self.create(name="Last Friday", schedule="monthly", weeks=[-1], day=5,
                           time="19:00", timezone="America/New_York")
        self.assertEqual(last["upcoming"][0]["date"], "2030-05-31")
        once = self.create(name="Founders Day", schedule="once", date="2030-06-10",
                           time="12:00", timezone="America/New_York")
        self.assertEqual(once["upcoming"][0]["start"], "2030-06-10T16:00:00Z")
        slugs = {x["slug"] for x in feed(self.anon)}
        for s in ("saturday-circle", "last-friday", "founders-day"):
            self.assertNotIn(s, slugs, "the Meeting Guide feed cannot say monthly or once")
        page = self.anon.get("/meetings?day=6")
        self.assertIn("Saturday Circle", page.text)
        self.assertIn("The first and third Saturday of the month", page.text)
        es = self.anon.get("/meetings/saturday-circle", {"Accept-Language": "es"})
        self.assertIn("El primer y tercer sábado de cada mes", es.text)
        self.assertIn("Intérprete disponible", es.text)
        self.assertIn("Last Friday", self.anon.get("/meetings?day=5").text)
        self.assertIn("Founders Day", self.anon.get("/meetings?day=1").text)
        # once the date has passed, the one-time meeting leaves the finder
        self.srv.clock(set=int(datetime(2030, 6, 11, tzinfo=timezone.utc).timestamp()))
        self.assertNotIn("Founders Day", self.anon.get("/meetings").text)

    def test_dst_in_new_york_and_madrid(self):
        self.srv.clock(set=int(datetime(2030, 3, 1, tzinfo=timezone.utc).timestamp()))
        ny = self.create(name="Sunday Morning NY", day=0, time="10:00",
                         timezone="America/New_York")
        self.assertEqual([u["start"] for u in ny["upcoming"][:3]],
                         ["2030-03-03T15:00:00Z", "2030-03-10T14:00:00Z",
                          "2030-03-17T14:00:00Z"])
        md = self.create(name="Domingo Madrid", day=0, time="10:00", timezone="Europe/Madrid")
        self.assertEqual([u["start"] for u in md["upcoming"][4:6]],
                         ["2030-03-31T08:00:00Z", "2030-04-07T08:00:00Z"])
        self.assertEqual(md["upcoming"][3]["start"], "2030-03-24T09:00:00Z")
        late = self.create(name="Late Night", day=6, time="23:30", end_time="01:00",
                           timezone="America/New_York")
        self.assertEqual(late["upcoming"][0]["end"], "2030-03-03T06:00:00Z")

    def test_exceptions_and_happening_now(self):
        # Wednesday 2030-04-10 19:00 in Chicago is 00:00Z on the 11th.
        m = self.create(name="Wednesday Night Live", day=3, time="19:00", end_time="20:00",
                        timezone="America/Chicago", types=["O"])
        slug = m["slug"]
        start = int(datetime(2030, 4, 11, 0, 0, tzinfo=timezone.utc).timestamp())
        self.srv.clock(set=start - 30 * 60)
        soon = {x["slug"] for x in feed(self.anon, "when=soon")}
        self.assertIn(slug, soon)
        self.assertNotIn(slug, {x["slug"] for x in feed(self.anon, "when=now")})
        self.srv.clock(set=start + 10 * 60)
        self.assertIn(slug, {x["slug"] for x in feed(self.anon, "when=now")})
        self.assertIn("Happening now", self.anon.get("/meetings?when=now").text)
        # Cancel tonight's session: not happening now any more.
        r = self.cc.api("POST", f"/api/v1/meetings/{slug}/exceptions",
                        {"date": "2030-04-10", "status": "cancelled", "note": "Holiday"})
        self.assertEqual(r.status, 201, r)
        self.assertNotIn(slug, {x["slug"] for x in feed(self.anon, "when=now")})
        self.assertTrue(r.json()["upcoming"][0]["cancelled"])
        page = self.anon.get(f"/meetings/{slug}")
        self.assertIn("Cancelled", page.text)
        # Move next week's session to Thursday 18:00.
        r = self.cc.api("POST", f"/api/v1/meetings/{slug}/exceptions",
                        {"date": "2030-04-17", "status": "moved", "new_date": "2030-04-18",
                         "new_time": "18:00", "new_end_time": "19:00"})
        self.assertEqual(r.status, 201, r)
        up = r.json()["upcoming"]
        self.assertEqual(up[1]["start"], "2030-04-18T23:00:00Z")
        self.assertEqual(up[1]["moved_from"], "2030-04-17")
        bad = self.cc.api("POST", f"/api/v1/meetings/{slug}/exceptions",
                          {"date": "2030-04-16", "status": "cancelled"})
        self.assertEqual(bad.status, 422)
        self.assertEqual(bad.json()["error"]["field"], "date")
        self.assertEqual(self.cc.api("DELETE",
                                     f"/api/v1/meetings/{slug}/exceptions/2030-04-10").status,
                         204)
        self.assertIn(slug, {x["slug"] for x in feed(self.anon, "when=now")})
        self.assertEqual(self.cc.api("POST", "/api/v1/meetings/none/exceptions",
                                     {"date": "2030-04-10"}).status, 404)

    def test_update_and_delete(self):
        m = self.create(name="Changing", day=2, time="10:00", timezone="UTC", types=["O"])
        r = self.cc.api("PATCH", f"/api/v1/meetings/{m['slug']}",
                        {"time": "11:00", "temporarily_closed": True})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["time"], "11:00")
        self.assertNotIn(m["slug"], {x["slug"] for x in feed(self.anon)})
        self.assertIn("temporarily closed", self.anon.get(f"/meetings/{m['slug']}").text)
        r = self.cc.api("PATCH", f"/api/v1/meetings/{m['slug']}",
                        {"temporarily_closed": False, "conference_url": "https://zoom.us/j/9"})
        self.assertEqual(r.json()["attendance_option"], "online")
        self.assertIn(m["slug"], {x["slug"] for x in feed(self.anon)})
        self.assertEqual(self.cc.api("DELETE", f"/api/v1/meetings/{m['slug']}").status, 204)
        self.assertEqual(self.anon.api("GET", f"/api/v1/meetings/{m['slug']}").status, 404)
        self.assertEqual(self.cc.api("PATCH", "/api/v1/meetings/none", {}).status, 404)

    def test_near(self):
        self.create(name="Near Park", day=4, time="12:00", timezone="America/New_York",
                    latitude=40.7812, longitude=-73.9665, address="1 Park Ave")
        self.create(name="Across Town", day=4, time="12:00", timezone="America/New_York",
                    latitude=40.6413, longitude=-73.7781, address="JFK")
        self.create(name="Nowhere Known", day=4, time="12:00", timezone="America/New_York")
        near = {x["name"] for x in feed(self.anon, "day=4&near=40.78,-73.97&radius_km=5")}
        self.assertIn("Near Park", near)
        self.assertNotIn("Across Town", near)
        self.assertNotIn("Nowhere Known", near)
        wide = {x["name"] for x in feed(self.anon, "day=4&near=40.78,-73.97&radius_km=30")}
        self.assertIn("Across Town", wide)
        self.assertNotIn("Nowhere Known", wide)

    def test_import_page(self):
        r = self.cc.get("/coordinator/import")
        self.assertEqual(r.status, 200)
        self.assertIn('enctype="multipart/form-data"', r.text)
        body = open(os.path.join(DATA, "aamod-demo.json"), "rb").read()
        boundary = "----circlesTestBoundary7MA4YWxk"

        def multipart(fields, files):
            out = b""
            for k, v in fields.items():
                out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n"
                        f"{v}\r\n").encode()
            for k, (fn, data) in files.items():
                out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"; "
                        f"filename=\"{fn}\"\r\nContent-Type: application/json\r\n\r\n").encode()
                out += data + b"\r\n"
            return out + f"--{boundary}--\r\n".encode()

        ctype = f"multipart/form-data; boundary={boundary}"
        data = multipart({"csrf_token": self.cc.csrf, "timezone": ""},
                         {"file": ("feed.json", body)})
        r = self.cc.request("POST", "/coordinator/import", data, None, ctype)
        self.assertEqual(r.status, 200, r.text[-500:])
        self.assertIn("<dd>31</dd>", r.text)
        self.assertIn("genzoom-Friday-07:50", self.anon.get("/api/v1/meetings.json").text)
        again = self.cc.request("POST", "/coordinator/import", data, None, ctype)
        self.assertIn("Already up to date</dt><dd>31</dd>", again.text)
        # Without the form's CSRF token: refused.
        bad = multipart({"timezone": ""}, {"file": ("feed.json", body)})
        self.assertEqual(self.cc.request("POST", "/coordinator/import", bad, None, ctype).status,
                         403)
        # Pasted text with a rejection, in Spanish.
        pasted = json.dumps([{"name": "Bien", "slug": "bien", "day": 1, "time": "10:00",
                              "timezone": "UTC"},
                             {"name": "Mal", "slug": "mal", "day": 9, "time": "10:00",
                              "timezone": "UTC"}])
        cc = self.cc
        cc.cookies["lang"] = "es"
        r = cc.form("/coordinator/import", {"feed": pasted})
        del cc.cookies["lang"]
        self.assertEqual(r.status, 200)
        self.assertIn("El día está fuera del rango", r.text)
        self.assertIn("<td>mal</td>", r.text)
        empty = self.cc.form("/coordinator/import", {"feed": ""})
        self.assertEqual(empty.status, 422)
        self.assertIn('aria-invalid="true"', empty.text)
        # The same through the API, with the report as JSON.
        r = self.cc.request("POST", "/api/v1/meetings/import", pasted.encode(),
                            {"X-CSRF-Token": self.cc.csrf}, "application/json")
        self.assertEqual(r.status, 200, r)
        rep = r.json()
        self.assertEqual((rep["unchanged"], rep["rejected"]), (1, 1))
        self.assertEqual(rep["rejections"][0]["reason"], "day_out_of_range")
        csv = open(os.path.join(DATA, "tsml-template.csv"), "rb").read()
        r = self.cc.request("POST", "/api/v1/meetings/import", csv,
                            {"X-CSRF-Token": self.cc.csrf}, "text/csv")
        self.assertEqual(r.json()["added"], 36)
        r = self.cc.request("POST", "/api/v1/meetings/import", b"nonsense",
                            {"X-CSRF-Token": self.cc.csrf}, "text/csv")
        self.assertEqual(r.status, 422)


class TwoServersTest(unittest.TestCase):
    """Two servers in front of one database (PostgreSQL in the http-pg suite):
    each keeps its own in-memory snapshot, keyed by the data version that
    lives in the database, so a change through one shows on the other at
    the next request."""

    @classmethod
    def setUpClass(cls):
        cls.a = CirclesServer().start()
        cls.b = CirclesServer(share_with=cls.a).start()

    @classmethod
    def tearDownClass(cls):
        cls.b.close()
        cls.a.close()

    def test_changes_show_on_the_other_server_at_once(self):
        cb = self.b.client()
        empty = cb.get("/api/v1/meetings.json")
        self.assertEqual(empty.json(), [])
        import_file(self.a, os.path.join(DATA, "hamilton.json"))
        r = cb.get("/api/v1/meetings.json", {"If-None-Match": empty.header("etag")})
        self.assertEqual(r.status, 200)
        self.assertEqual(len(r.json()), 38)
        self.assertEqual(self.a.client().get("/api/v1/meetings.json").body, r.body)
        _, coord = self.a.signed_in("coordinator")
        self.assertEqual(coord.api("POST", "/api/v1/meetings", {
            "name": "Made on A", "day": 1, "time": "07:00", "timezone": "America/Chicago"}).status,
            201)
        self.assertIn("Made on A", cb.get("/meetings?day=1").text)
        self.assertIn("made-on-a", cb.get("/api/v1/meetings.json?day=1",
                                          {"If-None-Match": r.header("etag")}).text)
        # Many requests at once on both servers while a write lands: every
        # answer is a whole, valid feed.
        errors = []

        def hammer(srv):
            c = srv.client()
            for _ in range(20):
                x = c.get("/api/v1/meetings.json?types=O")
                try:
                    assert x.status == 200
                    json.loads(x.body)
                except Exception as e:       # noqa: BLE001 - collected and reported
                    errors.append(e)

        threads = [threading.Thread(target=hammer, args=(s,)) for s in (self.a, self.b) * 3]
        for t in threads:
            t.start()
        coord.api("PATCH", "/api/v1/meetings/made-on-a", {"types": ["O"]})
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertIn("made-on-a", cb.get("/api/v1/meetings.json?types=O").text)


if __name__ == "__main__":
    unittest.main()
