"""The live notice of an open "I need help now" alert (issue 5), over HTTP
against the real server: on every page the people told see (the member's
accountability partner, whoever is on call, the next person after an
escalation), rendered with the page so it needs no JavaScript, with the
region htmx polls (/alerts/live).  Nobody else sees it, nor do signed-out
visitors; it goes away once someone acknowledges the alert or the member
says they are safe; it names the member by their first name only; and
the poll, running on every open page, does not keep an idle session alive.

The people and helpers are those of test_safety_help (one server of its
own for this class, the SMTP sink and SMS gateway included); only the
tests written here run from this module.
"""
import re
import unittest

import test_safety_help
from test_safety_help import wait_until

REGION = re.compile(r'<div id="live-alert"([^>]*)>(.*?)</div>\n<header', re.S)


class LiveNoticeTest(test_safety_help.HelpNowTest):
    def region(self, client, path="/checkins"):
        """(attributes, inner HTML) of the live region on a page, or None."""
        r = client.get(path)
        self.assertEqual(r.status, 200, r)
        m = REGION.search(r.text)
        return (m.group(1), m.group(2)) if m else None

    def notice(self, client, path="/checkins"):
        reg = self.region(client, path)
        self.assertIsNotNone(reg, f"no live region on {path}")
        return reg[1]

    def raise_alert(self, member):
        r = member.form("/help-now", {})
        self.assertEqual(r.status, 303, r)
        return member.api("GET", "/api/v1/help-now").json()["alert"]["id"]

    def safe(self, member):
        self.assertEqual(member.form("/help-now/safe", {}).status, 303)

    def test_partner_and_on_call_see_it_on_other_pages_nobody_else(self):
        coord = self.fresh_coordinator_session()
        self.clear_rota(coord)
        member = self.person("member", "Alma Rosa Quintero")
        partner = self.person("member", "Berta Partner")
        sup = self.person("peer_supporter", "Ciro Oncall")
        bystander = self.person("member", "Dora Bystander")
        off_duty = self.person("peer_supporter", "Eloy Offduty")
        self.partners(member, partner)
        self.shift(coord, sup, 1)

        # Nothing open: the region is there (so later changes are announced), empty.
        attrs, inner = self.region(partner)
        self.assertEqual(inner, "")
        self.assertIn('aria-live="polite"', attrs)
        self.assertIn('hx-get="/alerts/live"', attrs)
        self.assertRegex(attrs, r'hx-trigger="every 1[0-5]s"')
        self.assertNotIn("role=\"alert\"", attrs)
        empty = partner.get("/alerts/live")
        self.assertEqual(empty.status, 204, empty)
        self.assertEqual(empty.body, b"")

        aid = self.raise_alert(member)
        for who, path in ((partner, "/checkins"), (partner, "/account"), (sup, "/"),
                          (sup, "/privacy"), (sup, "/circles")):
            with self.subTest(who=who.name, path=path):
                inner = self.notice(who, path)
                self.assertIn(f'<a href="/alerts/{aid}">Alma needs help now: open the alert</a>',
                              inner)
                self.assertIn("<strong>Alert:</strong>", inner)
                # The first name only: nothing else of the member's.
                self.assertNotIn("Rosa", inner)
                self.assertNotIn("Quintero", inner)
                self.assertNotIn("style=", inner)
                self.assertNotIn("<script", inner)
        # Spanish.
        es = self.srv.client()
        self.assertEqual(es.login(sup.email).status, 200)
        es.cookies["lang"] = "es"
        self.assertIn("Alma necesita ayuda ahora: abrir el aviso", self.notice(es, "/"))
        self.assertIn("<strong>Aviso:</strong>", self.notice(es, "/"))

        # Not for someone who was not told, nor the member, nor a signed-out visitor.
        for who in (bystander, off_duty, member):
            with self.subTest(who=who.name):
                self.assertEqual(self.notice(who, "/"), "")
                self.assertEqual(who.get("/alerts/live").status, 204)
        anon = self.srv.client()
        for path in ("/", "/login", "/meetings"):
            page = anon.get(path)
            self.assertEqual(page.status, 200)
            self.assertNotIn('id="live-alert"', page.text)
            self.assertNotIn("/alerts/live", page.text)
            self.assertNotIn("needs help now", page.text)
        r = anon.get("/alerts/live")
        self.assertEqual(r.status, 303)
        self.assertTrue(r.header("location").startswith("/login"), r.header("location"))

        # The fragment alone: what htmx swaps in, and 204 while it has not changed.
        frag = sup.get("/alerts/live")
        self.assertEqual(frag.status, 200, frag)
        self.assertNotIn("<html", frag.text)
        self.assertIn('id="live-alert-notice"', frag.text)
        self.assertIn(f'<input type="hidden" id="live-alert-shown" name="shown" value="{aid}">',
                      frag.text)
        self.assertIn(f'href="/alerts/{aid}"', frag.text)
        self.assertEqual(sup.get(f"/alerts/live?shown={aid}").status, 204)
        self.assertEqual(sup.get(f"/alerts/live?shown={aid + 1000}").status, 200)

        # The partner answers: gone for everyone, and the poll empties a shown notice.
        r = partner.form(f"/alerts/{aid}/ack", {})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(self.notice(partner), "")
        self.assertEqual(self.notice(sup, "/"), "")
        cleared = sup.get(f"/alerts/live?shown={aid}")
        self.assertEqual(cleared.status, 200, cleared)
        self.assertEqual(cleared.body, b"")
        self.assertEqual(sup.get("/alerts/live").status, 204)
        self.safe(member)

    def test_gone_after_safe_now(self):
        coord = self.fresh_coordinator_session()
        self.clear_rota(coord)
        member = self.person("member", "Fabiola")
        sup = self.person("peer_supporter", "Gil Oncall")
        self.shift(coord, sup, 1)
        aid = self.raise_alert(member)
        self.assertIn(f'href="/alerts/{aid}"', self.notice(sup, "/"))
        self.safe(member)
        self.assertEqual(self.notice(sup, "/"), "")
        self.assertEqual(sup.get(f"/alerts/live?shown={aid}").body, b"")
        self.assertEqual(sup.get("/alerts/live").status, 204)
        # The alert itself is still there for them, closed.
        self.assertIn("Safe now", sup.get(f"/alerts/{aid}").text)

    def test_next_person_after_escalation(self):
        coord = self.fresh_coordinator_session()
        self.clear_rota(coord)
        member = self.person("member", "Hugo Needs")
        first = self.person("peer_supporter", "Ines First")
        second = self.person("peer_supporter", "Jon Second")
        self.shift(coord, first, 1)
        self.shift(coord, second, 2)
        aid = self.raise_alert(member)
        self.assertIn("Hugo needs help now", self.notice(first))
        self.assertEqual(self.notice(second), "")
        self.assertEqual(second.get("/alerts/live").status, 204)

        # Nobody answers within the network's minutes: the worker tells the next person.
        self.srv.clock(advance=10 * 60 + 1)
        frag = wait_until(lambda: (lambda r: r if r.status == 200 else None)(
            second.get("/alerts/live")), what="the notice for the second on call")
        self.assertIn(f'href="/alerts/{aid}"', frag.text)
        self.assertIn("Hugo needs help now", self.notice(second, "/"))
        # Still open, so the first person still sees it too.
        self.assertIn("Hugo needs help now", self.notice(first, "/"))
        self.assertEqual(second.form(f"/alerts/{aid}/ack", {}).status, 303)
        self.assertEqual(self.notice(first), "")
        self.assertEqual(self.notice(second), "")
        self.safe(member)

    def test_several_open_alerts(self):
        coord = self.fresh_coordinator_session()
        self.clear_rota(coord)
        sup = self.person("peer_supporter", "Kai Oncall")
        self.shift(coord, sup, 1)
        members = [self.person("member", f"Member{i} Surname") for i in range(4)]
        ids = [self.raise_alert(m) for m in members]
        inner = self.notice(sup, "/")
        # The three newest by name, then a link to the alerts page.
        for m, aid in zip(members[1:], ids[1:]):
            self.assertIn(f'<a href="/alerts/{aid}">{m.name.split()[0]} needs help now', inner)
        self.assertNotIn(f'href="/alerts/{ids[0]}"', inner)
        self.assertIn('<a href="/alerts">More people need help: see all alerts</a>', inner)
        shown = "-".join(str(i) for i in reversed(ids[1:]))
        self.assertIn(f'value="{shown}"', inner)
        self.assertEqual(sup.get(f"/alerts/live?shown={shown}").status, 204)
        self.safe(members[3])
        self.assertIn(f'href="/alerts/{ids[0]}"', self.notice(sup, "/"))
        self.assertEqual(sup.get(f"/alerts/live?shown={shown}").status, 200)
        for m in members[:3]:
            self.safe(m)
        self.assertEqual(self.notice(sup, "/"), "")

    def test_polling_keeps_no_session_alive(self):
        """The poll runs on every open page: it must not defeat the idle sign-out."""
        idle = self.person("member", "Lia Idle")        # only the page's poll, nobody there
        busy = self.person("member", "Max Busy")        # a person using the site
        self.assertEqual(idle.get("/alerts/live").status, 204)
        self.srv.clock(advance=40 * 60)
        self.assertEqual(idle.get("/alerts/live").status, 204)
        self.assertEqual(busy.get("/checkins").status, 200)
        self.srv.clock(advance=40 * 60)                 # 80 minutes: past the 60 of idling
        r = idle.get("/alerts/live")
        self.assertEqual(r.status, 303, r)
        self.assertTrue(r.header("location").startswith("/login"), r.header("location"))
        self.assertEqual(idle.api("GET", "/api/v1/me").status, 401)
        self.assertEqual(busy.get("/checkins").status, 200)


def load_tests(loader, tests, pattern):
    """Only this module's tests (test_safety_help runs its own)."""
    names = [n for n in vars(LiveNoticeTest) if n.startswith("test_")]
    return unittest.TestSuite(LiveNoticeTest(n) for n in sorted(names))
