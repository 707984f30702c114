"""Early warnings and the outreach queue over HTTP against the real server:
check-ins written over days of test-clock time, the rules run for the
network, an item raised with its reason in plain words, claimed, a contact
recorded (its note encrypted), and resolved; the same cause never raised
twice; per-network thresholds; privacy: only a supporter the member allowed
(their check-ins consent) sees an item, every look is audited, nobody else
sees it, and the member sees that someone reached out but never a label.
Also an unanswered help-now alert turning into an item.
"""
import re
import time
import unittest

from circles import CirclesServer
from test_safety_plan import raw_dump

DAY = 86400
LONG = {"CIRCLES_SESSION_IDLE": str(30 * DAY), "CIRCLES_SESSION_ABSOLUTE": str(90 * DAY)}


def reads(client, category="checkins"):
    r = client.api("GET", "/api/v1/me/audit?limit=200")
    assert r.status == 200, r
    return [e for e in r.json()["entries"] if e["action"] == "read" and
            e.get("category") == category and (e.get("object") or "").startswith("outreach:")]


class OutreachTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CirclesServer(env=LONG).start()
        _, cls.coord = cls.srv.signed_in("coordinator")

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def member_with_supporter(self, category="checkins"):
        m, mc = self.srv.signed_in("member")
        sup, sc = self.srv.signed_in("peer_supporter")
        r = mc.api("POST", "/api/v1/me/consents", {"grantee_user_id": sup.id,
                                                    "category": category,
                                                    "purpose": "peer support"})
        self.assertEqual(r.status, 201, r)
        return m, mc, sup, sc

    def checkins(self, client, values, every=DAY):
        for v in values:
            r = client.api("POST", "/api/v1/checkins", v)
            self.assertEqual(r.status, 201, r)
            self.srv.clock(advance=every)

    def evaluate(self):
        r = self.coord.api("POST", "/api/v1/outreach/evaluate")
        self.assertEqual(r.status, 200, r)
        return r.json()

    def items_of(self, client, member_id):
        r = client.api("GET", "/api/v1/outreach")
        self.assertEqual(r.status, 200, r)
        return [i for i in r.json()["items"] if i["member"]["id"] == member_id]

    def test_silence_raised_claimed_contacted_resolved(self):
        m, mc, sup, sc = self.member_with_supporter()
        self.checkins(mc, [{"mood": 4, "craving": 2}] * 8)
        self.evaluate()
        self.assertEqual(self.items_of(sc, m.id), [])     # one day after the last: fine

        self.srv.clock(advance=4 * DAY)
        self.evaluate()
        items = self.items_of(sc, m.id)
        self.assertEqual(len(items), 1, items)
        item = items[0]
        self.assertEqual(item["cause"], "checkins_stopped")
        self.assertEqual(item["state"], "open")
        self.assertEqual(item["reason"],
                         "No check-in for 5 days; they usually check in every day.")

        # Running the rules again (and again) raises nothing new.
        self.evaluate()
        self.evaluate()
        self.assertEqual(len(self.items_of(sc, m.id)), 1)

        # Claim, then someone else cannot; record a contact; resolve.
        r = sc.api("POST", f"/api/v1/outreach/{item['id']}/claim")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["claimed_by"]["id"], sup.id)
        other_sup, osc = self.srv.signed_in("peer_supporter")
        mc.api("POST", "/api/v1/me/consents", {"grantee_user_id": other_sup.id,
                                                "category": "checkins", "purpose": "support"})
        r = osc.api("POST", f"/api/v1/outreach/{item['id']}/claim")
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.json()["error"]["code"], "already_claimed")

        secret = "Talked about her new job stress, meeting Thursday"
        bad = [({"channel": "pigeon"}, "channel"), ({"channel": "call", "reached": "yes"},
                                                    "reached"),
               ({"channel": "call", "note": "x" * 2001}, "note")]
        for body, field in bad:
            r = sc.api("POST", f"/api/v1/outreach/{item['id']}/contacts", body)
            self.assertEqual(r.status, 422, r)
            self.assertEqual(r.json()["error"]["field"], field)
        r = sc.api("POST", f"/api/v1/outreach/{item['id']}/contacts",
                   {"channel": "call", "reached": True, "note": secret})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["contacts"][0]["note"], secret)
        self.assertIsNotNone(r.json()["contacted_at"])
        dump = raw_dump(self.srv, f"SELECT * FROM outreach_notes WHERE item_id = {item['id']}")
        self.assertTrue(dump)
        self.assertNotIn(b"job stress", dump)

        r = sc.api("POST", f"/api/v1/outreach/{item['id']}/resolve", {"resolution": "maybe"})
        self.assertEqual(r.status, 422, r)
        r = sc.api("POST", f"/api/v1/outreach/{item['id']}/resolve", {"resolution": "reached"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["state"], "resolved")
        self.assertEqual(sc.api("POST", f"/api/v1/outreach/{item['id']}/resolve",
                                {"resolution": "reached"}).status, 409)

        # Resolved, the same silence is not raised again.
        self.evaluate()
        self.assertEqual(self.items_of(sc, m.id), [])
        r = sc.api("GET", "/api/v1/outreach?resolved=1")
        self.assertEqual([i["id"] for i in r.json()["items"] if i["member"]["id"] == m.id],
                         [item["id"]])

        # The member sees that someone reached out, never why.
        reach = mc.api("GET", "/api/v1/me/reach-outs")
        self.assertEqual(reach.status, 200, reach)
        self.assertEqual(len(reach.json()["reach_outs"]), 1)
        got = reach.json()["reach_outs"][0]
        self.assertEqual((got["channel"], got["reached"]), ("call", True))
        self.assertNotIn("cause", got)
        page = mc.get("/reach-outs").text
        self.assertIn("Phone call", page)
        for word in ("No check-in", "checkins_stopped", "usually", "risk", "job stress"):
            self.assertNotIn(word, page)
        # Every look by the supporter is in the member's log.
        self.assertGreaterEqual(len(reads(mc)), 5)

    def test_trends_and_use(self):
        m, mc, sup, sc = self.member_with_supporter()
        self.checkins(mc, [{"mood": 4, "craving": 2}] * 8 +
                      [{"mood": 2, "craving": 7}, {"mood": 2, "craving": 8},
                       {"mood": 1, "craving": 8, "used": "yes"}], every=DAY // 2)
        # Raised as the check-ins arrive (each check-in runs the rules for
        # the member), so the reason gives the average when it first crossed.
        causes = {i["cause"]: i for i in self.items_of(sc, m.id)}
        self.assertEqual(set(causes), {"craving_rising", "mood_falling", "use_reported"})
        self.evaluate()             # the network pass adds nothing twice
        self.assertEqual(len(self.items_of(sc, m.id)), 3)
        self.assertRegex(causes["craving_rising"]["reason"],
                         r"^Cravings averaged [5-8]\.\d out of 10 over their last three "
                         r"check-ins, up from their usual 2\.0\.$")
        self.assertIn("down from their usual 4.0", causes["mood_falling"]["reason"])
        self.assertIn("that they used", causes["use_reported"]["reason"])

    def test_nobody_else_sees_an_item(self):
        m, mc, sup, sc = self.member_with_supporter()
        self.checkins(mc, [{"mood": 3}] * 6)
        self.srv.clock(advance=6 * DAY)
        self.evaluate()
        item = self.items_of(sc, m.id)[0]
        before = len(reads(mc))
        for role in ("peer_supporter", "coordinator", "facilitator"):
            _, c = self.srv.signed_in(role)
            with self.subTest(role=role):
                self.assertEqual(self.items_of(c, m.id), [])
                self.assertEqual(c.api("GET", f"/api/v1/outreach/{item['id']}").status, 404)
                self.assertEqual(c.api("POST", f"/api/v1/outreach/{item['id']}/claim").status,
                                 404)
                self.assertEqual(c.get(f"/outreach/{item['id']}").status, 404)
        # Members and admins cannot open the queue at all.
        _, other = self.srv.signed_in("member")
        self.assertEqual(other.api("GET", "/api/v1/outreach").status, 403)
        self.assertEqual(mc.api("GET", f"/api/v1/outreach/{item['id']}").status, 403)
        _, admin = self.srv.signed_in("admin")
        self.assertEqual(admin.api("GET", "/api/v1/outreach").status, 403)
        self.assertEqual(len(reads(mc)), before)
        # A consent for something else does not open it; revoking closes it.
        sup2, sc2 = self.srv.signed_in("peer_supporter")
        mc.api("POST", "/api/v1/me/consents", {"grantee_user_id": sup2.id,
                                                "category": "goals", "purpose": "x"})
        self.assertEqual(sc2.api("GET", f"/api/v1/outreach/{item['id']}").status, 404)
        consents = mc.api("GET", "/api/v1/me/consents").json()["given"]
        cid = [c["id"] for c in consents if c["grantee"]["id"] == sup.id and
               c["category"] == "checkins"][0]
        self.assertEqual(mc.api("DELETE", f"/api/v1/me/consents/{cid}").status, 204)
        self.assertEqual(sc.api("GET", f"/api/v1/outreach/{item['id']}").status, 404)
        self.assertEqual(self.items_of(sc, m.id), [])

    def test_thresholds_per_network(self):
        r = self.coord.api("PUT", "/api/v1/safety/settings", {"warnings": {"gap_min_days": 0}})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["field"], "warnings.gap_min_days")
        r = self.coord.api("PUT", "/api/v1/safety/settings", {"warnings": {"nope": 1}})
        self.assertEqual(r.json()["error"]["field"], "warnings.nope")
        r = self.coord.api("PUT", "/api/v1/safety/settings", {"warnings": {"gap_min_days": 10}})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["warnings"]["gap_min_days"], 10)
        self.assertEqual(r.json()["warnings"]["gap_factor_pct"], 200)
        try:
            m, mc, sup, sc = self.member_with_supporter()
            self.checkins(mc, [{"mood": 4}] * 6)
            self.srv.clock(advance=5 * DAY)
            self.evaluate()
            self.assertEqual(self.items_of(sc, m.id), [])   # 10 days now, not 3
            self.srv.clock(advance=6 * DAY)
            self.evaluate()
            self.assertEqual([i["cause"] for i in self.items_of(sc, m.id)],
                             ["checkins_stopped"])
        finally:
            self.coord.api("PUT", "/api/v1/safety/settings", {"warnings": {"gap_min_days": 3}})

    def test_pages(self):
        m, mc, sup, sc = self.member_with_supporter()
        self.checkins(mc, [{"mood": 4}] * 6)
        self.srv.clock(advance=5 * DAY)
        self.evaluate()
        page = sc.get("/outreach")
        self.assertEqual(page.status, 200, page)
        self.assertIn("usually check in every day", page.text)
        iid = int(re.search(r'action="/outreach/(\d+)/claim"', page.text).group(1))
        r = sc.form(f"/outreach/{iid}/claim", {})
        self.assertEqual(r.status, 303, r)
        self.assertIn("It's yours", sc.get(r.header("location")).text)
        r = sc.form(f"/outreach/{iid}/contacts", {"channel": "carrier pigeon", "note": "kept"})
        self.assertEqual(r.status, 422, r)
        self.assertIn('id="channel-error"', r.text)
        self.assertIn(">kept</textarea>", r.text)
        r = sc.form(f"/outreach/{iid}/contacts", {"channel": "text", "reached": "no",
                                                  "note": "Left a message"})
        self.assertEqual(r.status, 303, r)
        detail = sc.get(f"/outreach/{iid}").text
        self.assertIn("Left a message", detail)
        self.assertIn("Text message", detail)
        r = sc.form(f"/outreach/{iid}/resolve", {"resolution": "no_response"})
        self.assertEqual(r.status, 303, r)
        self.assertIn("The item is closed.", sc.get(r.header("location")).text)
        sc.cookies["lang"] = "es"
        self.assertIn("Lista de acompañamiento", sc.get("/outreach").text)

    def test_unanswered_alert_becomes_an_item(self):
        m, mc, sup, sc = self.member_with_supporter()
        aid = mc.api("POST", "/api/v1/help-now").json()["alert"]["id"]
        # Nobody on call: the coordinators are told at once; then nobody answers.
        self.srv.clock(advance=10 * 60 + 1)
        end = time.time() + 15
        while time.time() < end:
            causes = [i["cause"] for i in self.items_of(sc, m.id)]
            if "alert_unanswered" in causes:
                break
            time.sleep(0.05)
        item = [i for i in self.items_of(sc, m.id) if i["cause"] == "alert_unanswered"]
        self.assertEqual(len(item), 1)
        self.assertEqual(item[0]["episode"], aid)
        self.assertIn("nobody answered in time", item[0]["reason"])


if __name__ == "__main__":
    unittest.main()
