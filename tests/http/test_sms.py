"""Text messages over HTTP against the real server, with a real local HTTP
endpoint standing in for the SMS gateway.

The webhook: requests signed the X-Twilio-Signature way are answered in
TwiML; unsigned, wrongly signed or tampered ones get 403 and change nothing.
Commands in English and Spanish (check-ins, help, meetings, sos), unknown
numbers (a short, kind reply and nothing else), STOP and START (a stopped
number gets nothing, not even queued texts).  Linking a number: the code
travels through the job queue to the gateway, and only the right code, in
time, links the number.
"""
import base64
import hashlib
import hmac
import http.server
import json
import os
import re
import threading
import time
import unittest
import urllib.parse

from circles import CirclesServer, free_port

TOKEN = "test-auth-token-7d1f"
FROM = "+15550001111"


class Gateway:
    """A local HTTP endpoint that records what Circles posts to the SMS gateway."""

    def __init__(self):
        self.messages = []
        self.statuses = []          # statuses to answer with, in order (then 200)
        self.lock = threading.Lock()
        gw = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                form = urllib.parse.parse_qs(self.rfile.read(n).decode(), keep_blank_values=True)
                with gw.lock:
                    status = gw.statuses.pop(0) if gw.statuses else 200
                    gw.messages.append({
                        "path": self.path, "content_type": self.headers.get("Content-Type"),
                        "status": status, **{k: v[0] for k, v in form.items()}})
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.port}/send"

    def delivered(self, to=None):
        with self.lock:
            return [m for m in self.messages if m["status"] == 200 and (to is None or m["To"] == to)]

    def wait_for(self, count, to=None, timeout=15.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            got = self.delivered(to)
            if len(got) >= count:
                return got
            time.sleep(0.05)
        raise AssertionError(f"gateway got {len(self.delivered(to))} message(s), expected {count}")

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def sign(url, params, token=TOKEN):
    data = url + "".join(k + params[k] for k in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


class SmsBase(unittest.TestCase):
    numbers = 0

    @classmethod
    def setUpClass(cls):
        cls.gw = Gateway()
        cls.srv = CirclesServer(env={"CIRCLES_SMS_AUTH_TOKEN": TOKEN,
                                     "CIRCLES_SMS_GATEWAY_URL": cls.gw.url,
                                     "CIRCLES_SMS_FROM": FROM}).start()
        cls.hook = f"http://127.0.0.1:{cls.srv.port}/sms/inbound"

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()
        cls.gw.close()

    @classmethod
    def new_number(cls):
        SmsBase.numbers += 1
        return f"+1555{os.getpid() % 1000:03d}{SmsBase.numbers:04d}"

    def text(self, body, sender, sig=None, url=None, extra=None, headers=None):
        params = {"From": sender, "To": FROM, "Body": body, "MessageSid": "SM" + "0" * 32}
        params.update(extra or {})
        h = dict(headers or {})
        if sig is None:
            h["X-Twilio-Signature"] = sign(url or self.hook, params)
        elif sig is not False:
            h["X-Twilio-Signature"] = sig
        return self.srv.client().request("POST", "/sms/inbound",
                                         urllib.parse.urlencode(params).encode(), h,
                                         "application/x-www-form-urlencoded")

    def reply(self, body, sender):
        r = self.text(body, sender)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.header("content-type").startswith("text/xml"), r.header("content-type"))
        m = re.fullmatch(r'<\?xml version="1.0" encoding="UTF-8"\?>\n'
                         r'(?:<Response/>|<Response><Message>(.*)</Message></Response>)\n',
                         r.text, re.S)
        self.assertIsNotNone(m, r.text)
        msg = m.group(1)
        if msg is not None:
            msg = (msg.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
                   .replace("&apos;", "'").replace("&amp;", "&"))
        return msg

    def link(self, client, number=None):
        """Link a new number to client's account through the real code flow."""
        number = number or self.new_number()
        before = len(self.gw.delivered(number))
        r = client.api("POST", "/api/v1/me/phone", {"phone": number})
        self.assertEqual(r.status, 202, r)
        msg = self.gw.wait_for(before + 1, to=number)[-1]
        code = re.search(r"\b(\d{6})\b", msg["Body"]).group(1)
        r = client.api("POST", "/api/v1/me/phone/verify", {"code": code})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json()["verified"])
        return number


class WebhookSignatureTest(SmsBase):
    def test_signed_request_is_answered(self):
        msg = self.reply("help", self.new_number())
        self.assertIn("988", msg)

    def test_unsigned_wrong_or_tampered_refused(self):
        n = self.new_number()
        self.assertEqual(self.text("help", n, sig=False).status, 403)
        self.assertEqual(self.text("help", n, sig="AAAAAAAAAAAAAAAAAAAAAAAAAAA=").status, 403)
        self.assertEqual(self.text("help", n, sig="").status, 403)
        self.assertEqual(self.text("help", n, url="http://evil.example/sms/inbound").status, 403)
        self.assertEqual(self.text("help", n, url=self.hook + "?x=1").status, 403)
        # A signature for one body does not carry over to another.
        params = {"From": n, "To": FROM, "Body": "STOP"}
        good = sign(self.hook, {**params, "Body": "help"})
        r = self.srv.client().request("POST", "/sms/inbound", urllib.parse.urlencode(params).encode(),
                                      {"X-Twilio-Signature": good},
                                      "application/x-www-form-urlencoded")
        self.assertEqual(r.status, 403)
        self.assertEqual(r.header("x-error-code"), "bad_signature")
        # A key it was not signed with.
        self.assertEqual(self.text("help", n, sig=sign(self.hook, {"From": n, "To": FROM,
                                                                   "Body": "help"}, "other")).status,
                         403)
        # None of those stopped the number: a refused request changes nothing.
        _, c = self.srv.signed_in("member")
        self.link(c, n)
        self.assertIn("Saved", self.reply("checkin 3 3", n))

    def test_no_token_configured_refuses_everything(self):
        srv = CirclesServer().start()
        try:
            url = f"http://127.0.0.1:{srv.port}/sms/inbound"
            params = {"From": "+15551230000", "To": FROM, "Body": "help"}
            r = srv.client().request("POST", "/sms/inbound", urllib.parse.urlencode(params).encode(),
                                     {"X-Twilio-Signature": sign(url, params)},
                                     "application/x-www-form-urlencoded")
            self.assertEqual(r.status, 403)
        finally:
            srv.close()

    def test_signed_in_browser_cannot_skip_the_signature(self):
        _, c = self.srv.signed_in("member")
        r = c.form("/sms/inbound", {"From": self.new_number(), "Body": "help"})
        self.assertEqual(r.status, 403)


class CommandsTest(SmsBase):
    def setUp(self):
        self.user, self.c = self.srv.signed_in("member")
        self.number = self.link(self.c)

    def checkins(self):
        return self.c.api("GET", "/api/v1/checkins").json()["checkins"]

    def test_checkin_english(self):
        msg = self.reply("checkin 4 2", self.number)
        self.assertEqual(msg, "Thanks for checking in. Saved: mood 4, craving 2.")
        msg = self.reply("  MOOD: 3,  craving 1  sleep 7.5 used no ", self.number)
        self.assertEqual(msg, "Thanks for checking in. Saved: mood 3, craving 1, sleep 7.5 h, "
                              "used today: no.")
        got = self.checkins()
        self.assertEqual([(x["mood"], x["craving"], x["sleep_hours"], x["used"], x["source"])
                          for x in got], [(3, 1, 7.5, "no", "sms"), (4, 2, None, None, "sms")])

    def test_checkin_spanish(self):
        msg = self.reply("Ánimo 3, antojo 5, dormí 6,5", self.number)
        self.assertEqual(msg, "Gracias por contarnos cómo estás. Guardado: ánimo 3, ganas 5, "
                              "sueño 6.5 h.")
        self.assertEqual((self.checkins()[0]["mood"], self.checkins()[0]["sleep_hours"]), (3, 6.5))
        self.assertIn("REGISTRO", self.reply("ayuda", self.number))
        self.assertIn("988", self.reply("AUXILIO", self.number))
        self.assertIn("/meetings", self.reply("reuniones", self.number))
        self.assertIn("Todavía no se guardó nada", self.reply("animo 9", self.number))

    def test_member_language_when_words_do_not_say(self):
        self.c.api("PATCH", "/api/v1/me", {"lang": "es"})
        self.assertTrue(self.reply("4 2", self.number).startswith("Gracias"))
        self.assertTrue(self.reply("checkin 4 2", self.number).startswith("Thanks"))

    def test_out_of_range_saves_nothing(self):
        msg = self.reply("mood 9 craving 2", self.number)
        self.assertIn("Mood goes from 1 to 5", msg)
        self.assertIn("Nothing was saved", msg)
        self.assertIn("Craving goes from 0 to 10", self.reply("checkin 4 11", self.number))
        self.assertIn("Sleep is hours", self.reply("sleep 30", self.number))
        self.assertEqual(self.checkins(), [])

    def test_help_meetings_sos_unknown(self):
        msg = self.reply("HELP", self.number)
        for word in ("CHECKIN", "MEETINGS", "SOS", "STOP", "988"):
            self.assertIn(word, msg)
        # No meetings are listed on this server: said so, with the finder and the
        # preferences page (test_sms_meetings.py has the lists themselves).
        base = f"http://127.0.0.1:{self.srv.port}"
        self.assertEqual(self.reply("meetings", self.number),
                         f"No meetings fit your preferences right now. See all: "
                         f"{base}/meetings?lang=en Change what fits you: "
                         f"{base}/account/meeting-preferences")
        msg = self.reply("sos", self.number)
        self.assertIn("988", msg)
        self.assertIn("911", msg)
        self.assertNotIn("peer supporter", msg)
        self.assertIn("didn't catch that", self.reply("what is this", self.number))
        self.assertEqual(self.checkins(), [])

    def test_stop_and_start(self):
        self.assertIn("won't get any more texts", self.reply("STOP", self.number))
        self.assertIsNone(self.reply("checkin 4 2", self.number))
        self.assertIsNone(self.reply("meetings", self.number))
        self.assertEqual(self.checkins(), [])
        # Help and crisis lines still answer, as carriers expect.
        self.assertIn("988", self.reply("help", self.number))
        self.assertIn("988", self.reply("sos", self.number))
        r = self.c.api("GET", "/api/v1/me/phone").json()
        self.assertTrue(r["opted_out"])
        self.assertIn("asked us to stop texting", self.c.get("/account/phone").text)
        # Nothing is sent to the number, not even a text queued before.
        before = len(self.gw.messages)
        r = self.c.api("POST", "/api/v1/me/phone", {"phone": self.number})
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.json()["error"]["field"], "phone")
        self.assertEqual(len(self.gw.messages), before)
        self.assertIn("back on", self.reply("start", self.number))
        self.assertIn("Saved", self.reply("checkin 4 2", self.number))
        self.assertEqual(len(self.checkins()), 1)
        # Spanish keywords too.
        self.assertIn("Ya no recibirás", self.reply("Alto", self.number))
        self.assertIn("Volverás a recibir", self.reply("ALTA", self.number))

    def test_unknown_number_gets_a_kind_reply_and_nothing_else(self):
        stranger = self.new_number()
        for body in ("checkin 4 2", "meetings", "hello", "help"):
            msg = self.reply(body, stranger)
            self.assertIn("isn't linked to an account", msg)
            self.assertIn("988", msg)
        self.assertIn("Este número todavía no está vinculado", self.reply("ayuda", stranger))
        self.assertIn("988", self.reply("sos", stranger))
        self.assertEqual(self.checkins(), [])
        self.assertNotIn(stranger, self.srv.log())

    def test_from_in_another_format_is_the_same_number(self):
        national = self.number[2:]     # 555... without +1
        self.assertIn("Saved", self.reply("checkin 2 2", f"({national[:3]}) {national[3:6]}-{national[6:]}"))


class LinkingTest(SmsBase):
    def test_code_through_the_gateway(self):
        user, c = self.srv.signed_in("member")
        number = self.new_number()
        self.assertEqual(c.api("GET", "/api/v1/me/phone").json(),
                         {"number_ending": None, "verified": False, "pending": False,
                          "opted_out": False, "sms_available": True})
        r = c.api("POST", "/api/v1/me/phone", {"phone": number[2:5] + "." + number[5:8] + "." +
                                               number[8:]})
        self.assertEqual(r.status, 202, r)
        self.assertEqual(r.json()["number_ending"], number[-2:])
        self.assertTrue(r.json()["pending"])
        msg = self.gw.wait_for(1, to=number)[0]
        self.assertEqual(msg["path"], "/send")
        self.assertEqual(msg["From"], FROM)
        self.assertTrue(msg["content_type"].startswith("application/x-www-form-urlencoded"))
        self.assertNotIn("recovery", msg["Body"].lower())      # discreet on a lock screen
        code = re.search(r"\b(\d{6})\b", msg["Body"]).group(1)
        wrong = "000000" if code != "000000" else "111111"
        r = c.api("POST", "/api/v1/me/phone/verify", {"code": wrong})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["field"], "code")
        self.assertIn("isn't linked", self.reply("checkin 4 2", number))
        r = c.api("POST", "/api/v1/me/phone/verify", {"code": code})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json()["verified"])
        self.assertIn("Saved", self.reply("checkin 4 2", number))
        # The code works once.
        self.assertEqual(c.api("POST", "/api/v1/me/phone/verify", {"code": code}).status, 409)
        self.assertEqual(c.api("DELETE", "/api/v1/me/phone").status, 204)
        self.assertIn("isn't linked", self.reply("checkin 4 2", number))

    def test_bad_numbers_and_rate_limits(self):
        _, c = self.srv.signed_in("member")
        for bad in ("555-1234", "call me", "+0123456789", ""):
            r = c.api("POST", "/api/v1/me/phone", {"phone": bad})
            self.assertEqual(r.status, 422, r)
            self.assertEqual(r.json()["error"]["field"], "phone")
        number = self.new_number()
        self.assertEqual(c.api("POST", "/api/v1/me/phone", {"phone": number}).status, 202)
        r = c.api("POST", "/api/v1/me/phone", {"phone": number})
        self.assertEqual(r.status, 429, r)
        self.assertEqual(r.header("retry-after"), "60")
        self.gw.wait_for(1, to=number)
        self.assertEqual(len(self.gw.delivered(number)), 1)

    def test_code_expires_and_tries_run_out(self):
        user, c = self.srv.signed_in("member")
        number = self.new_number()
        c.api("POST", "/api/v1/me/phone", {"phone": number})
        code = re.search(r"\b(\d{6})\b", self.gw.wait_for(1, to=number)[0]["Body"]).group(1)
        self.srv.clock(advance=601)
        r = c.api("POST", "/api/v1/me/phone/verify", {"code": code})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["code"], "code_expired")
        # A new code, then five wrong tries end it too.
        self.assertEqual(c.api("POST", "/api/v1/me/phone", {"phone": number}).status, 202)
        code = re.search(r"\b(\d{6})\b", self.gw.wait_for(2, to=number)[-1]["Body"]).group(1)
        wrong = "000000" if code != "000000" else "111111"
        for _ in range(5):
            c.api("POST", "/api/v1/me/phone/verify", {"code": wrong})
        r = c.api("POST", "/api/v1/me/phone/verify", {"code": code})
        self.assertEqual(r.json()["error"]["code"], "code_expired")
        self.assertFalse(c.api("GET", "/api/v1/me/phone").json()["verified"])

    def test_number_moves_to_whoever_proves_it(self):
        a_user, a = self.srv.signed_in("member")
        b_user, b = self.srv.signed_in("member")
        number = self.link(a)
        self.assertIn("Saved", self.reply("checkin 1 1", number))
        self.srv.clock(advance=61)
        self.link(b, number)
        self.assertIn("Saved", self.reply("checkin 5 0", number))
        self.assertEqual(len(a.api("GET", "/api/v1/checkins").json()["checkins"]), 1)
        self.assertEqual(b.api("GET", "/api/v1/checkins").json()["checkins"][0]["mood"], 5)
        self.assertFalse(a.api("GET", "/api/v1/me/phone").json()["verified"])

    def test_page_flow(self):
        _, c = self.srv.signed_in("member")
        page = c.get("/account/phone").text
        self.assertIn('action="/account/phone"', page)
        self.assertIn('type="tel"', page)
        number = self.new_number()
        r = c.form("/account/phone", {"phone": "nope"})
        self.assertEqual(r.status, 422)
        self.assertRegex(r.text, r'id="phone"[^>]*aria-invalid="true"')
        r = c.form("/account/phone", {"phone": number})
        self.assertEqual(r.status, 303, r)
        page = c.get("/account/phone?done=sent").text
        self.assertIn("We've texted you a code", page)
        self.assertIn('action="/account/phone/verify"', page)
        code = re.search(r"\b(\d{6})\b", self.gw.wait_for(1, to=number)[0]["Body"]).group(1)
        r = c.form("/account/phone/verify", {"code": "12"})
        self.assertEqual(r.status, 422)
        self.assertIn('id="code-error"', r.text)
        r = c.form("/account/phone/verify", {"code": code})
        self.assertEqual(r.status, 303, r)
        page = c.get("/account/phone?done=linked").text
        self.assertIn("Your number is linked", page)
        self.assertIn("CHECKIN 4 2", page)
        self.assertEqual(c.form("/account/phone/remove", {}).status, 303)
        self.assertFalse(c.api("GET", "/api/v1/me/phone").json()["verified"])
        c.cookies["lang"] = "es"
        self.assertIn("Cuéntanos cómo estás por mensaje de texto", c.get("/account/phone").text)

    def test_gateway_failure_is_retried(self):
        _, c = self.srv.signed_in("member")
        number = self.new_number()
        with self.gw.lock:
            self.gw.statuses = [503]
        c.api("POST", "/api/v1/me/phone", {"phone": number})
        deadline = time.time() + 15
        while time.time() < deadline and not any(m["To"] == number for m in self.gw.messages):
            time.sleep(0.05)
        self.assertEqual(self.gw.delivered(number), [])
        # Past the first backoff.  The worker may record the failure (and
        # date the retry) just after the clock moves, so move it again
        # until the retry goes out.
        deadline = time.time() + 15
        while time.time() < deadline and not self.gw.delivered(number):
            self.srv.clock(advance=31)
            time.sleep(0.5)
        self.gw.wait_for(1, to=number, timeout=1)

    @unittest.skipUnless(not os.environ.get("CIRCLES_TEST_DATABASE_URL"), "reads the SQLite file")
    def test_number_encrypted_at_rest(self):
        _, c = self.srv.signed_in("member")
        number = self.link(c)
        with open(self.srv.database_url[len("sqlite:"):], "rb") as f:
            raw = f.read()
        self.assertNotIn(number.encode(), raw)
        self.assertNotIn(number[2:].encode(), raw)
        self.assertNotIn(number[2:], self.srv.log())


class NotConfiguredTest(unittest.TestCase):
    def test_linking_says_texts_are_not_set_up(self):
        srv = CirclesServer().start()
        try:
            _, c = srv.signed_in("member")
            r = c.api("POST", "/api/v1/me/phone", {"phone": "+15551234567"})
            self.assertEqual(r.status, 503, r)
            self.assertEqual(r.json()["error"]["code"], "sms_unavailable")
            self.assertFalse(c.api("GET", "/api/v1/me/phone").json()["sms_available"])
            self.assertIn("aren't set up", c.get("/account/phone").text)
        finally:
            srv.close()


if __name__ == "__main__":
    unittest.main()
