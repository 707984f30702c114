"""`circles match` as a command: the real binary on real files, no server.

Checks the JSON it prints, exit statuses, the error messages naming the
place of bad input (with nothing on standard output then), the hard
constraints end to end, agreement with --pair-scores, determinism, and
optimality against a brute force on small random networks.
"""
import itertools
import json
import os
import random
import subprocess
import tempfile
import unittest

from circles import BINARY

EXAMPLE = {
    "seekers": [
        {"id": "s1", "languages": ["en", "es"], "gender": "f", "wants_gender": "f",
         "pathway": "12-step", "tags": ["parent"], "age": 34, "region": "north",
         "lat": 39.1, "lon": -84.5, "availability": [[1, 18, 21], [3, 18, 21]]},
        {"id": "s2", "languages": ["fr"]},
    ],
    "mentors": [
        {"id": "m1", "capacity": 3, "current": 1, "languages": ["en"], "gender": "f",
         "wants_gender": None, "pathway": "12-step", "tags": ["parent"], "age": 51,
         "region": "north", "lat": 39.2, "lon": -84.4, "trained": True, "recovery_days": 1400,
         "availability": [[1, 17, 20]]},
    ],
    "blocked": [["s1", "m9"]],
    "min_recovery_days": 365,
}


def seeker(i, **kw):
    return {"id": f"s{i}", "languages": ["en"], **kw}


def mentor(i, capacity=1, **kw):
    return {"id": f"m{i}", "languages": ["en"], "capacity": capacity, "trained": True,
            "recovery_days": 1000, **kw}


class MatchCli(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="circles-match-")
        self.n = 0

    def tearDown(self):
        self.tmp.cleanup()

    def run_match(self, doc, *args, raw=None, stdin=None):
        """Run `circles match ARGS FILE`; doc is written as JSON (or raw text)."""
        path = "-"
        if doc is not None or raw is not None:
            self.n += 1
            path = os.path.join(self.tmp.name, f"in{self.n}.json")
            with open(path, "w", encoding="utf-8") as f:
                f.write(raw if raw is not None else json.dumps(doc))
        p = subprocess.run([BINARY, "match", *args, path], input=stdin, capture_output=True,
                           text=True, timeout=60, check=False)
        return p

    def solve(self, doc):
        p = self.run_match(doc)
        self.assertEqual(p.returncode, 0, p.stderr)
        return json.loads(p.stdout)

    def pairs(self, doc):
        p = self.run_match(doc, "--pair-scores")
        self.assertEqual(p.returncode, 0, p.stderr)
        return {(x["seeker"], x["mentor"]): x["score"] for x in json.loads(p.stdout)["pairs"]}

    def assert_refused(self, doc, message, raw=None):
        p = self.run_match(doc, raw=raw)
        self.assertEqual(p.returncode, 2, p.stdout)
        self.assertEqual(p.stdout, "")
        self.assertEqual(p.stderr.strip(), f"circles match: {message}")

    # -- the example of the issue ------------------------------------------

    def test_example_assignment(self):
        out = self.solve(EXAMPLE)
        self.assertEqual(set(out), {"assignments", "unmatched", "total_score"})
        self.assertEqual(len(out["assignments"]), 1)
        a = out["assignments"][0]
        self.assertEqual((a["seeker"], a["mentor"]), ("s1", "m1"))
        # 2 points pathway, 2 shared hours, 1 tag, region, 14 km apart
        self.assertEqual(a["score"], 6.94)
        self.assertEqual(a["reasons"], ["shared pathway: 12-step",
                                        "2 hours of shared weekly availability",
                                        "shared experience: parent", "same region",
                                        "14 km apart"])
        self.assertEqual(out["unmatched"], ["s2"])
        self.assertEqual(out["total_score"], 6.94)

    def test_example_pair_scores(self):
        p = self.run_match(EXAMPLE, "--pair-scores")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout),
                         {"pairs": [{"seeker": "s1", "mentor": "m1", "score": 6.94}]})

    def test_standard_input(self):
        p = self.run_match(None, stdin=json.dumps(EXAMPLE))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout)["total_score"], 6.94)

    def test_empty_network(self):
        out = self.solve({"seekers": [], "mentors": []})
        self.assertEqual(out, {"assignments": [], "unmatched": [], "total_score": 0})
        p = self.run_match({"seekers": [], "mentors": []}, "--pair-scores")
        self.assertEqual(json.loads(p.stdout), {"pairs": []})

    # -- hard constraints, end to end --------------------------------------

    def test_hard_constraints(self):
        doc = {
            "seekers": [seeker(1, languages=["es"]), seeker(2, wants_gender="f"),
                        seeker(3, gender="m"), seeker(4), seeker(5), seeker(6), seeker(7)],
            "mentors": [mentor(1, gender="m"),
                        mentor(2, gender="m", wants_gender="f"),      # refuses s3 (m)
                        mentor(3, trained=False),                     # never
                        mentor(4, recovery_days=100),                 # too early in recovery
                        mentor(5, capacity=2, current=2),             # full caseload
                        mentor(6, capacity=2, current=1)],            # one slot
            "blocked": [["s4", "m6"]],
            "min_recovery_days": 365,
        }
        pairs = self.pairs(doc)
        for (s, m) in pairs:
            self.assertNotIn(m, ("m3", "m4", "m5"))
        self.assertNotIn(("s1", "m1"), pairs)          # no shared language
        self.assertNotIn(("s2", "m1"), pairs)          # s2 wants a woman
        self.assertNotIn(("s3", "m2"), pairs)          # m2 wants a woman
        self.assertNotIn(("s4", "m6"), pairs)          # rejected before
        self.assertIn(("s5", "m6"), pairs)
        out = self.solve(doc)
        load = {}
        for a in out["assignments"]:
            self.assertIn((a["seeker"], a["mentor"]), pairs)
            load[a["mentor"]] = load.get(a["mentor"], 0) + 1
        self.assertLessEqual(load.get("m6", 0), 1)
        self.assertEqual(len(out["assignments"]), 2)   # m1 and m6 take one each

    def test_same_person_never_self_matched(self):
        doc = {"seekers": [seeker(1, id="ana")], "mentors": [mentor(1, id="ana")]}
        self.assertEqual(self.solve(doc)["unmatched"], ["ana"])

    # -- weights -------------------------------------------------------------

    def test_weights_change_scores_and_answer(self):
        # The example under other weights: region off, pathway and distance worth more.
        doc = dict(EXAMPLE, weights={"region": 0, "pathway": 3.5, "near": 5})
        out = self.solve(doc)
        # 3.5 pathway + 2 h x 0.5 + 1.5 tag + 5 x (50 - 14) / 50 = 3.6 km part
        self.assertEqual(out["assignments"][0]["score"], 9.6)
        self.assertEqual(out["assignments"][0]["reasons"],
                         ["shared pathway: 12-step", "2 hours of shared weekly availability",
                          "shared experience: parent", "14 km apart"])
        self.assertEqual(self.pairs(doc), {("s1", "m1"): 9.6})
        # Every weight left out keeps its default: {} is the same as no weights.
        self.assertEqual(self.solve(dict(EXAMPLE, weights={})), self.solve(EXAMPLE))
        # Who is suggested follows the weights.
        two = {"seekers": [seeker(1, pathway="smart", tags=["parent"])],
               "mentors": [mentor(1, pathway="smart"), mentor(2, tags=["parent"])]}
        self.assertEqual(self.solve(two)["assignments"][0]["mentor"], "m1")
        two["weights"] = {"tag": 2.5}
        self.assertEqual(self.solve(two)["assignments"][0]["mentor"], "m2")
        two["weights"] = {"tag": 0, "pathway": 0}
        a = self.solve(two)["assignments"][0]
        self.assertEqual((a["score"], a["reasons"]), (0, []))

    def test_optimal_with_random_weights(self):
        rng = random.Random(11)
        for _ in range(15):
            doc = self.random_net(rng, rng.randint(1, 5), rng.randint(1, 3))
            doc["weights"] = {k: rng.choice([0, 10, round(rng.uniform(0, 10), 2)])
                              for k in ("pathway", "hour", "tag", "region", "near",
                                        "age_similar", "age_close") if rng.random() < 0.8}
            pairs = self.pairs(doc)
            out = self.solve(doc)
            got = (len(out["assignments"]), round(out["total_score"] * 100))
            self.assertEqual(got, self.brute(doc, pairs), json.dumps(doc))
            self.assertTrue(all(v >= 0 for v in pairs.values()))

    # -- optimality and determinism ----------------------------------------

    def random_net(self, rng, ns, nm):
        def person(pid):
            p = {"id": pid, "languages": rng.sample(["en", "es", "vi"], rng.randint(1, 2))}
            if rng.random() < 0.7:
                p["gender"] = rng.choice(["f", "m"])
            if rng.random() < 0.25:
                p["wants_gender"] = rng.choice(["f", "m"])
            if rng.random() < 0.8:
                p["pathway"] = rng.choice(["12-step", "SMART", "MAT"])
            p["tags"] = rng.sample(["parent", "veteran", "grief", "rural"], rng.randint(0, 3))
            if rng.random() < 0.8:
                p["age"] = rng.randint(20, 60)
            if rng.random() < 0.7:
                p["lat"], p["lon"] = 39 + rng.random() / 3, -84.5 + rng.random() / 3
            p["region"] = rng.choice(["north", "south", None])
            p["availability"] = [[d, h, h + rng.randint(1, 4)] for d, h in
                                 ((rng.randint(0, 2), rng.randint(16, 19))
                                  for _ in range(rng.randint(0, 3)))]
            return p
        mentors = []
        for i in range(nm):
            m = person(f"m{i}")
            m["capacity"] = rng.randint(0, 3)
            m["current"] = rng.randint(0, m["capacity"])
            m["trained"] = rng.random() < 0.9
            m["recovery_days"] = rng.randint(0, 2000)
            mentors.append(m)
        return {"seekers": [person(f"s{i}") for i in range(ns)], "mentors": mentors,
                "blocked": [[f"s{rng.randrange(ns)}", f"m{rng.randrange(nm)}"]],
                "min_recovery_days": 300}

    @staticmethod
    def brute(doc, pairs):
        seekers = [s["id"] for s in doc["seekers"]]
        slots = {m["id"]: m["capacity"] - m["current"] for m in doc["mentors"]}
        best = (0, 0)
        options = [[None] + [m for m in slots if (s, m) in pairs] for s in seekers]
        for choice in itertools.product(*options):
            used = {}
            for m in choice:
                if m is not None:
                    used[m] = used.get(m, 0) + 1
            if any(used[m] > slots[m] for m in used):
                continue
            count = sum(1 for m in choice if m is not None)
            total = sum(round(pairs[(s, m)] * 100) for s, m in zip(seekers, choice) if m)
            best = max(best, (count, total))
        return best

    def test_optimal_on_small_random_networks(self):
        rng = random.Random(4)
        for _ in range(25):
            doc = self.random_net(rng, rng.randint(1, 5), rng.randint(1, 3))
            pairs = self.pairs(doc)
            out = self.solve(doc)
            got = (len(out["assignments"]), round(out["total_score"] * 100))
            self.assertEqual(got, self.brute(doc, pairs), json.dumps(doc))
            for a in out["assignments"]:
                self.assertEqual(a["score"], pairs[(a["seeker"], a["mentor"])])
                self.assertTrue(a["score"] == 0 or a["reasons"])
            self.assertEqual(round(sum(a["score"] for a in out["assignments"]) * 100),
                             round(out["total_score"] * 100))

    def test_same_input_same_output(self):
        doc = self.random_net(random.Random(9), 120, 30)
        first = self.run_match(doc).stdout
        for _ in range(2):
            self.assertEqual(self.run_match(doc).stdout, first)
        out = json.loads(first)
        seen = [a["seeker"] for a in out["assignments"]] + out["unmatched"]
        self.assertEqual(sorted(seen), sorted(s["id"] for s in doc["seekers"]))

    # -- bad input: exit 2, a message naming the place, nothing on stdout ---

    def test_bad_input_messages(self):
        def with_seeker(**kw):
            return {"seekers": [seeker(0), seeker(1), seeker(2), seeker(3, **kw)],
                    "mentors": []}

        def with_mentor(**kw):
            return {"seekers": [], "mentors": [mentor(0, **kw)]}

        cases = [
            (with_seeker(availability=[[1, 18, 21], [7, 18, 21]]),
             "seekers[3].availability[1][0]: day must be 0-6"),
            (with_seeker(availability=[[1, 21, 18]]),
             "seekers[3].availability[0]: start hour must be before end hour"),
            (with_seeker(availability=[[1, 18, 18]]),
             "seekers[3].availability[0]: start hour must be before end hour"),
            (with_seeker(availability=[[1, 18, 25]]),
             "seekers[3].availability[0][2]: end hour must be 1-24"),
            (with_seeker(languages="en"), "seekers[3].languages: must be an array of strings"),
            (with_seeker(age="34"), "seekers[3].age: must be a whole number from 0 to 130"),
            (with_seeker(nickname="x"), "seekers[3].nickname: unknown field"),
            (with_seeker(capacity=2),
             "seekers[3].capacity: unknown field (only mentors have capacity)"),
            (with_seeker(id="s0"), "seekers[3].id: duplicate id (also seekers[0])"),
            (with_mentor(capacity=-1), "mentors[0].capacity: must not be negative"),
            (with_mentor(capacity=2, current=3),
             "mentors[0].current: must not be more than capacity (2)"),
            (with_mentor(trained="yes"), "mentors[0].trained: must be true or false"),
            ({"seekers": [], "mentors": [{"id": "m0", "languages": ["en"]}]},
             "mentors[0].capacity: required (how many people this mentor can take)"),
            ({"seekers": [], "mentors": [], "blocked": [["s1"]]},
             "blocked[0]: must be [seeker id, mentor id]"),
            ({"seekers": []}, "mentors: required (an array, possibly empty)"),
            ({"seekers": [], "mentors": [], "min_recovery_days": -1},
             "min_recovery_days: must be a whole number from 0 to 100000"),
            ([], "the input must be a JSON object with seekers and mentors"),
            # weights
            ({"seekers": [], "mentors": [], "weights": {"tag": -0.5}},
             "weights.tag: must be a number of points from 0 to 10 with at most two decimals"),
            ({"seekers": [], "mentors": [], "weights": {"near": 10.5}},
             "weights.near: must be a number of points from 0 to 10 with at most two decimals"),
            ({"seekers": [], "mentors": [], "weights": {"hour": 0.333}},
             "weights.hour: must be a number of points from 0 to 10 with at most two decimals"),
            ({"seekers": [], "mentors": [], "weights": {"pathway": True}},
             "weights.pathway: must be a number of points from 0 to 10 with at most two "
             "decimals"),
            ({"seekers": [], "mentors": [], "weights": {"distance": 1}},
             "weights.distance: unknown field (expected pathway, hour, tag, region, near, "
             "age_similar, age_close)"),
            ({"seekers": [], "mentors": [], "weights": 2},
             "weights: must be an object of points by part (pathway, hour, tag, region, "
             "near, age_similar, age_close)"),
            ({"seekers": [], "mentors": [], "weight": {}},
             "weight: unknown field (expected seekers, mentors, blocked, min_recovery_days, "
             "weights)"),
        ]
        for doc, message in cases:
            with self.subTest(message=message):
                self.assert_refused(doc, message)

    def test_malformed_json(self):
        self.assert_refused(None, "line 1, column 15: '}' expected near ']'",
                            raw='{"seekers": []]')

    def test_missing_file(self):
        p = subprocess.run([BINARY, "match", os.path.join(self.tmp.name, "nope.json")],
                           capture_output=True, text=True, check=False)
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stdout, "")
        self.assertIn("cannot read", p.stderr)
        self.assertIn("No such file or directory", p.stderr)

    def test_usage(self):
        p = subprocess.run([BINARY, "match"], capture_output=True, text=True, check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("usage: circles match [--pair-scores] FILE.json", p.stderr)
        p = subprocess.run([BINARY, "match", "--best", "x.json"], capture_output=True,
                           text=True, check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("unknown option '--best'", p.stderr)

    def test_help(self):
        p = subprocess.run([BINARY, "match", "--help"], capture_output=True, text=True,
                           check=False)
        self.assertEqual(p.returncode, 0)
        for word in ("seekers", "mentors", "wants_gender", "availability", "capacity",
                     "min_recovery_days", "--pair-scores", "unmatched", "total_score",
                     "exit status 2"):
            self.assertIn(word, p.stdout)
        p = subprocess.run([BINARY, "--help"], capture_output=True, text=True, check=False)
        self.assertIn("circles match [--pair-scores] FILE.json", p.stdout)


if __name__ == "__main__":
    unittest.main()
