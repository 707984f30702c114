#!/usr/bin/env python3
"""crisis_train.py: train the learned half of the crisis-language scanner.

The model is a logistic regression over the feature names that
`circles crisis-scan --features` writes for each text (words, word pairs,
letter 4-grams, concept-lexicon hits and their co-occurrence in a clause:
src/safety/crisis_model.h lists them).  Features are hashed with 32-bit
FNV-1a, as src/safety/crisis_model.c does, and the weights are written as
the generated table src/safety/crisis_model_data.c.

Data: the labelled sets in tests/data/crisis/ ("LABEL<TAB>TEXT"): en, es,
heldout_*, heldout2_*, heldout3_* and train_*.  Newer held-out sets
(heldout4_*, heldout5_*, ...) are the honest measures of the scanner and
are never read here.

Training: AdaGrad, 20 epochs, L2 1e-4, positives weighted 1.5, and half of
each text's features dropped at random each time it is seen, so that no
single word carries a text and weight spreads to what recurs across
wordings (tests/unit/safety/test_crisis_eval.c trains the same way for its
leave-one-set-out figures).

The scanner flags a text when the model's probability reaches the
threshold, or when a rule fires and the probability is at least the veto
(0.003).  The threshold is chosen without looking at the data being scored:
out-of-set predictions (each training set group scored by a model trained
on the others) are combined with the phrase rules' answers that way, and
the threshold is the lowest that keeps the combined false alarms at or
under --fa (default 0.10, the limit the network accepts: missing a crisis
is worse than a false alarm), so recall on new wording is as high as that
allows.  docs/CRISIS.md has the figures.

Usage:
	scripts/crisis_train.py [--binary build/circles] --write
		train on every allowed set, write src/safety/crisis_model_data.c
	scripts/crisis_train.py --cv [--old-rules CMD]
		out of set: the groups of sets (a set and its other language)
		are dealt into five folds; each fold is scored by a model
		trained (and its threshold chosen) without it: the model alone,
		the rules, and both.  CMD is a scanner reading lines and
		writing 1/0, e.g. the rules as they were before any held-out
		set was used to write them.

Only the Python standard library; a model trains in about ten seconds, and
--write (a model per set group to choose the threshold) in a few minutes.
"""
import argparse
import math
import os
import random
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "tests", "data", "crisis")
OUT_C = os.path.join(ROOT, "src", "safety", "crisis_model_data.c")

# Sets the training may read.  Anything else in DATA (heldout4_*, heldout5_*
# ...) is an honest held-out measure and must stay unseen.
ALLOWED = re.compile(r"^(en|es|heldout_(en|es)|heldout2_(en|es)|heldout3_(en|es)|train[0-9]*_[a-z0-9_]+)\.tsv$")
FAMILIES = ("w:", "m:", "n:", "b:", "g:", "c:", "nc:", "tc:", "pc:", "cc:", "ncc:", "cs:", "x:")


def fnv1a(s):
    h = 2166136261
    for ch in s.encode():
        h ^= ch
        h = (h * 16777619) & 0xFFFFFFFF
    return h


def load_sets():
    sets = {}
    for name in sorted(os.listdir(DATA)):
        if not ALLOWED.match(name):
            continue
        rows = []
        with open(os.path.join(DATA, name), encoding="utf-8") as f:
            for ln, line in enumerate(f, 1):
                line = line.rstrip("\r\n")
                if not line:
                    continue
                if len(line) < 3 or line[0] not in "01" or line[1] != "\t":
                    sys.exit("%s:%d: expected \"0|1 TAB text\"" % (name, ln))
                rows.append((int(line[0]), line[2:]))
        sets[name[:-4]] = rows
    return sets


def run_binary(binary, args, texts):
    inp = "".join(t.replace("\n", " ") + "\n" for t in texts)
    res = subprocess.run([binary, "crisis-scan"] + args, input=inp.encode(), stdout=subprocess.PIPE,
                         check=True)
    lines = res.stdout.decode().split("\n")[:-1]
    if len(lines) != len(texts):
        sys.exit("crisis-scan answered %d lines for %d texts" % (len(lines), len(texts)))
    return lines


def run_cmd(cmd, texts):
    inp = "".join(t.replace("\n", " ") + "\n" for t in texts)
    res = subprocess.run(cmd, shell=True, input=inp.encode(), stdout=subprocess.PIPE, check=True)
    return [int(x[0]) for x in res.stdout.decode().split("\n")[:-1]]


def featurise(binary, sets, families):
    """{set: [(label, [hash...], text)]} with the chosen feature families."""
    out = {}
    for name, rows in sets.items():
        lines = run_binary(binary, ["--features"], [t for _, t in rows])
        feats = []
        for (label, text), line in zip(rows, lines):
            names = set(x for x in line.split(" ")[1:] if x.startswith(families))
            feats.append((label, sorted(fnv1a(n) for n in names), text))
        out[name] = feats
    return out


HYPER = {"epochs": 20, "l2": 1e-4, "pos_weight": 1.5, "veto": 0.003, "dropout": 0.5}


def train(examples, epochs=None, l2=None, pos_weight=None, seed=7):
    """Logistic regression by AdaGrad SGD; returns ({hash: w}, bias)."""
    epochs = epochs or HYPER["epochs"]
    l2 = HYPER["l2"] if l2 is None else l2
    pos_weight = pos_weight or HYPER["pos_weight"]
    dropout = HYPER["dropout"]
    rnd = random.Random(seed)
    w, g2 = {}, {}
    b, gb = 0.0, 1e-8
    lr = 0.3
    order = list(range(len(examples)))
    for _ in range(epochs):
        rnd.shuffle(order)
        for i in order:
            y, f = examples[i][0], examples[i][1]
            if dropout > 0:
                # drop features at random: no single word can carry a text,
                # so weight spreads to the concepts that recur across wordings
                f = [h for h in f if rnd.random() >= dropout]
            z = b + sum(w.get(h, 0.0) for h in f)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            g = (p - y) * (pos_weight if y else 1.0)
            gb += g * g
            b -= lr * g / math.sqrt(gb)
            for h in f:
                wh = w.get(h, 0.0)
                gh = g + l2 * wh
                acc = g2.get(h, 1e-8) + gh * gh
                g2[h] = acc
                w[h] = wh - lr * gh / math.sqrt(acc)
    return w, b


def prob(model, f):
    w, b = model
    z = b + sum(w.get(h, 0.0) for h in f)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def combine(rule_flags, probs, t):
    """The scanner's decision (crisis_scan_with): a rule's flag stands unless
    the model is all but sure the text is ordinary; the model flags alone at t."""
    v = HYPER["veto"]
    return [int((r and p >= v) or p >= t) for r, p in zip(rule_flags, probs)]


def group_of(name):
    # the same wording task in two languages is one group
    return re.sub(r"_(en|es)$", "", name)


FOLDS = 5


def folds_of(names):
    """Groups sorted by name, dealt into FOLDS folds in turn (for --cv;
    tests/unit/safety/test_crisis_eval.c deals them the same way)."""
    groups = sorted(set(group_of(n) for n in names))
    return {g: i % FOLDS for i, g in enumerate(groups)}


def choose_threshold(feats, rules, names, fa_target):
    """Out-of-group probabilities for the sets `names`, then the lowest
    threshold whose combined (rules or model) false alarms stay <= fa_target."""
    groups = sorted(set(group_of(n) for n in names))
    scored = []  # (prob, label, rule)
    for g in groups:
        tr = [e for n in names if group_of(n) != g for e in feats[n]]
        model = train(tr)
        for n in names:
            if group_of(n) != g:
                continue
            for (label, f, _), r in zip(feats[n], rules[n]):
                scored.append((prob(model, f), label, r))
    negs = sum(1 for _, y, _ in scored if y == 0)
    best = 0.999
    v = HYPER["veto"]
    # a finer grid near 1, where an over-confident model's scores crowd
    for t in [x / 100 for x in range(5, 95)] + [x / 1000 for x in range(950, 1000)]:
        fa = sum(1 for p, y, r in scored if y == 0 and ((r and p >= v) or p >= t))
        if fa <= fa_target * negs:
            best = t
            break
    pos = [(p, r) for p, y, r in scored if y == 1]
    rec = sum(1 for p, r in pos if (r and p >= v) or p >= best) / max(1, len(pos))
    fa = sum(1 for p, y, r in scored if y == 0 and ((r and p >= v) or p >= best)) / max(1, negs)
    return best, rec, fa


TOTALS = {}


def figures(labels, flags, key=None):
    if key is not None:
        t = TOTALS.setdefault(key, [0, 0, 0, 0])
        t[0] += sum(1 for y, f in zip(labels, flags) if y and f)
        t[1] += sum(labels)
        t[2] += sum(1 for y, f in zip(labels, flags) if not y and f)
        t[3] += len(labels) - sum(labels)
    pos = sum(labels)
    neg = len(labels) - pos
    tp = sum(1 for y, f in zip(labels, flags) if y and f)
    fp = sum(1 for y, f in zip(labels, flags) if not y and f)
    return "recall %.2f (%2d/%d)  false alarms %.2f (%d/%d)" % (tp / max(1, pos), tp, pos,
                                                                fp / max(1, neg), fp, neg)


def write_table(model, threshold, path, nsets, nexamples):
    w, b = model
    items = sorted((h, v) for h, v in w.items() if abs(v) >= 1e-3)
    with open(path, "w") as f:
        f.write("/*\n * crisis_model_data.c: the weights of the crisis scanner's model.\n")
        f.write(" * Generated by scripts/crisis_train.py --write from %d labelled sets\n" % nsets)
        f.write(" * (%d texts) in tests/data/crisis/: do not edit, run the script.\n */\n" % nexamples)
        f.write('#include "safety/crisis_model.h"\n\n')
        f.write("const struct cm_weight crisis_model_weights[] = {\n")
        for h, v in items:
            f.write("\t{ 0x%08xu, %.5ff },\n" % (h, v))
        f.write("};\n")
        f.write("const size_t crisis_model_nweights = sizeof(crisis_model_weights) / "
                "sizeof(crisis_model_weights[0]);\n")
        f.write("const float crisis_model_bias = %.5ff;\n" % b)
        f.write("const float crisis_model_threshold = %.3ff;\n" % threshold)
        f.write("const float crisis_model_veto = %.3ff;\n" % HYPER["veto"])
    return len(items)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "circles"))
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--cv", action="store_true")
    ap.add_argument("--old-rules", default=None)
    ap.add_argument("--fa", type=float, default=0.10)
    ap.add_argument("--families", default=",".join(FAMILIES))
    ap.add_argument("--epochs", type=int, default=HYPER["epochs"])
    ap.add_argument("--l2", type=float, default=HYPER["l2"])
    ap.add_argument("--pos-weight", type=float, default=HYPER["pos_weight"])
    ap.add_argument("--veto", type=float, default=HYPER["veto"])
    ap.add_argument("--dropout", type=float, default=HYPER["dropout"])
    args = ap.parse_args()
    HYPER.update(epochs=args.epochs, l2=args.l2, pos_weight=args.pos_weight, veto=args.veto,
                 dropout=args.dropout)
    families = tuple(x for x in args.families.split(",") if x)

    sets = load_sets()
    feats = featurise(args.binary, sets, families)
    rules = {n: [int(x[0]) for x in run_binary(args.binary, ["--only=rules"], [t for _, t in rows])]
             for n, rows in sets.items()}

    if args.cv:
        print("out of set (%d folds of set groups; features: %s; false alarm target %.2f): each fold"
              " scored by a model trained, and its threshold chosen, without it"
              % (FOLDS, ",".join(families), args.fa))
        fold = folds_of(list(sets))
        for k in range(FOLDS):
            names = [n for n in sets if fold[group_of(n)] != k]
            t, cvrec, cvfa = choose_threshold(feats, rules, names, args.fa)
            model = train([e for n in names for e in feats[n]])
            print("fold %d (threshold %.3f; inner recall %.2f, false alarms %.2f)" % (k, t, cvrec, cvfa))
            for held in sorted(n for n in sets if fold[group_of(n)] == k):
                labels = [y for y, _ in sets[held]]
                texts = [x for _, x in sets[held]]
                probs = [prob(model, f) for _, f, _ in feats[held]]
                print("  %s" % held)
                print("    model alone            %s" % figures(labels, [int(p >= t) for p in probs],
                                                                "model alone"))
                if args.old_rules:
                    old = run_cmd(args.old_rules, texts)
                    print("    old rules (before)     %s" % figures(labels, old, "old rules"))
                    print("    old rules + model      %s" % figures(labels, combine(old, probs, t),
                                                                    "old rules + model"))
                print("    rules now              %s" % figures(labels, rules[held], "rules now"))
                print("    rules now + model      %s" % figures(labels, combine(rules[held], probs, t),
                                                            "rules now + model"))
            sys.stdout.flush()
        print("all sets together:")
        for k, (tp, p, fp, n) in TOTALS.items():
            print("  %-22s recall %.3f (%d/%d)  false alarms %.3f (%d/%d)" % (k, tp / p, tp, p, fp / n, fp, n))

    if args.write:
        names = list(sets)
        t, cvrec, cvfa = choose_threshold(feats, rules, names, args.fa)
        model = train([e for n in names for e in feats[n]])
        n = write_table(model, t, OUT_C, len(names), sum(len(sets[x]) for x in names))
        print("wrote %s: %d weights, threshold %.3f (out-of-set recall %.2f, false alarms %.2f)" %
              (os.path.relpath(OUT_C, ROOT), n, t, cvrec, cvfa))


if __name__ == "__main__":
    main()
