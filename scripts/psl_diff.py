"""Generates hosts, URLs and emails from the Public Suffix List, normalizes them with
`overlap normalize domain` and with PyPI's `publicsuffixlist`, and compares (see scripts/psl-diff).

The reference side is written independently of the Rust code: URL parsing by urllib.parse, the
Unicode mapping by unicodedata (NFKC, lower case, NFC), Punycode by Python's RFC 3492 codec, the
registrable domain by publicsuffixlist.privatesuffix (accept_unknown=False: an unknown top-level
domain gives no domain, as our `unknown_tld` refusal does).
"""
import argparse
import random
import subprocess
import sys
import unicodedata
import urllib.parse

import publicsuffixlist
from publicsuffixlist import PublicSuffixList, PSLFILE

ap = argparse.ArgumentParser()
ap.add_argument("--overlap", required=True)
ap.add_argument("--quick", action="store_true")
ap.add_argument("--seed", type=int, default=20261023)
args = ap.parse_args()
rng = random.Random(args.seed)
psl = PublicSuffixList(accept_unknown=False)

rules = []
for line in open(PSLFILE, encoding="utf-8"):
    s = line.strip()
    if s and not s.startswith("//"):
        rules.append(s.split()[0])
if args.quick:
    rules = rng.sample(rules, 1000)

ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
UNI = "äöüßéèêñçøåæłśżčřğışаяжщ中文日本語한국"


def label(unicode=False):
    n = rng.randint(1, 12)
    s = "".join(rng.choice(ALNUM) for _ in range(n))
    if n > 2 and rng.random() < 0.15:
        i = rng.randint(1, n - 2)
        s = s[:i] + "-" + s[i + 1:]
    if unicode:
        i = rng.randint(0, len(s))
        s = s[:i] + "".join(rng.choice(UNI) for _ in range(rng.randint(1, 3))) + s[i:]
    return s


def expand(rule):
    """A concrete host the rule covers: `*` filled, `!` dropped."""
    r = rule.lstrip("!")
    return ".".join(label() if p == "*" else p for p in r.split("."))


def decorate(host):
    """How a CRM might hold the host: scheme, user info, port, path, query, fragment, case…"""
    h = host
    if rng.random() < 0.3:
        h = h.upper() if rng.random() < 0.5 else "".join(c.upper() if rng.random() < 0.3 else c for c in h)
    if rng.random() < 0.1:
        h += "."
    kind = rng.random()
    if kind < 0.15:
        return "info@" + h, "email"
    s = h
    if kind < 0.75:
        if rng.random() < 0.1:
            s = "user:pw@" + s
        if rng.random() < 0.2:
            s += ":" + str(rng.choice([80, 443, 8080]))
        s = rng.choice(["http://", "https://", "HTTPS://", "//", ""]) + s
        if rng.random() < 0.6:
            s += rng.choice(["/", "/about", "/a/b?c=d", "?utm_source=crm", "#top", "/x#y"])
    if rng.random() < 0.1:
        s = rng.choice(["  ", '"', "'"]) + s + rng.choice(["  ", '"', "'"])
    return s, "url"


def reference_host(s):
    """The host as an independent parser sees it."""
    t = s.strip().strip("\"'")
    if "://" not in t and not t.startswith("//"):
        t = "//" + t
    host = urllib.parse.urlsplit(t).hostname or ""
    return host.rstrip(".")


def to_ascii(host):
    m = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", host).lower())
    return ".".join(l if l.isascii() else "xn--" + l.encode("punycode").decode("ascii") for l in m.split("."))


def reference(s):
    host = reference_host(s)
    if not host:
        return None
    m = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", host).lower())
    p = psl.privatesuffix(m)
    return to_ascii(p) if p else None


cases = []
for r in rules:
    base = expand(r)
    cases.append((base, "rule itself"))
    cases.append((label() + "." + base, "one label under the rule"))
    u, _ = decorate(rng.choice(["www.", "", "shop."]) + label() + "." + base)
    cases.append((u, "decorated"))
    if rng.random() < 0.15:
        cases.append((label(unicode=True) + "." + base, "IDN label under the rule"))
for _ in range(len(rules) // 10):
    tld = label() + rng.choice(["", "x", "zz"])
    cases.append((label() + "." + tld, "unknown TLD"))

inputs = [c for c, _ in cases]
out = subprocess.run([args.overlap, "normalize", "domain"], input="\n".join(inputs) + "\n",
                     capture_output=True, text=True, check=True).stdout.split("\n")[: len(inputs)]
assert len(out) == len(inputs), (len(out), len(inputs))


def explain(inp, ours, ref):
    """Known, understood reasons for a disagreement; None when unexplained."""
    host = reference_host(inp)
    labels = host.split(".")
    if ours == "" and ref is not None:
        if any(len(l.encode("idna") if not l.isascii() else l) > 63 for l in labels if l):
            return "label over 63 bytes once encoded: we refuse a host DNS cannot hold"
        if any(l.startswith("-") or l.endswith("-") for l in labels):
            return "label starts or ends with '-': we refuse (RFC 952/1123), the reference does not check"
        if labels[-1] in ("local", "localhost", "internal", "lan", "home", "corp", "intranet", "private", "localdomain") \
                or host.endswith("home.arpa"):
            return "local-only name: refused as localhost by policy"
        if labels[-1] in ("example", "invalid", "test") or host in ("example.com", "example.net", "example.org"):
            return "documentation name: refused as placeholder by policy"
        if labels[-1].isdigit():
            return "numeric TLD: refused as an IP address by policy"
        if any(unicodedata.bidirectional(c) in ("R", "AL", "AN") for c in host) and \
                any(l and unicodedata.bidirectional(l[0]) not in ("L", "R", "AL") for l in labels):
            return "Bidi name with a label that starts with a digit: RFC 5893 rule 1, which UTS #46 (CheckBidi) and browsers apply"
    return None


agree = 0
disagreements = []
by_kind = {}
for (inp, kind), ours in zip(cases, out):
    ref = reference(inp)
    ok = (ours or None) == ref
    by_kind.setdefault(kind, [0, 0])
    by_kind[kind][0] += 1
    if ok:
        agree += 1
        by_kind[kind][1] += 1
    else:
        disagreements.append((inp, kind, ours, ref, explain(inp, ours, ref)))

total = len(cases)
pct = 100.0 * agree / total
print(f"psl-diff: overlap normalize domain vs publicsuffixlist {publicsuffixlist.__version__} (seed {args.seed})")
for k, (n, a) in sorted(by_kind.items()):
    print(f"  {k:28s} {a:6d}/{n:<6d} agree")
print(f"agreement: {agree}/{total} = {pct:.3f}%")
unexplained = [d for d in disagreements if d[4] is None]
for inp, kind, ours, ref, why in disagreements:
    print(f"  DISAGREE [{kind}] {inp!r}: ours={ours or None!r} reference={ref!r}\n      because: {why or 'UNEXPLAINED'}")
if pct < 99.9 or unexplained:
    print(f"psl-diff: FAIL ({len(unexplained)} unexplained)")
    sys.exit(1)
print(f"psl-diff: ok ({len(disagreements)} disagreements, all explained)")
