#!/usr/bin/env python3
"""Cuts the small crm-pair slice committed in tests/fixtures/ from
the full development data in ../shared/data/crm-pair/. Run once by a developer who has that data;
tests and the demo only ever read the committed slice.

  python3 scripts/make-fixtures.py [path/to/crm-pair]

The slice: A's first 600 rows, and 600 of B's rows: every B row that shares a website host or a
company name with the A slice (so the slice has a real overlap), then the first others.
"""
import csv, re, sys
from pathlib import Path

src = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared/data/crm-pair")
out = Path(__file__).resolve().parents[1] / "tests/fixtures"
N = 600

def host(v):
    v = v.strip().lower()
    v = re.sub(r"^[a-z]+://", "", v).split("/")[0].split("?")[0].split(":")[0]
    v = v.split("@")[-1]
    return v[4:] if v.startswith("www.") else v

def read(name):
    with open(src / name, newline="", encoding="utf-8") as f:
        r = list(csv.reader(f))
    return r[0], r[1:]

ha, a = read("partner_a.csv")
hb, b = read("partner_b.csv")
a = a[:N]
a_hosts = {host(r[2]) for r in a if r[2].strip()} | {r[7].split("@")[-1].lower() for r in a if "@" in r[7]}
a_names = {r[1].lower() for r in a}
pick = [r for r in b if host(r[2]) in a_hosts or host(r[3]) in a_hosts or r[1].lower() in a_names][:N]
chosen = {id(r) for r in pick}
pick += [r for r in b if id(r) not in chosen][: N - len(pick)]
pick.sort(key=lambda r: int(r[0]))

_, truth = read("truth.csv")
ids = {r[0] for r in a}
for name, header, rows in [("partner_a.csv", ha, a), ("partner_b.csv", hb, pick)]:
    with open(out / name, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\r\n").writerows([header] + rows)
print(f"tests/fixtures: {len(a)} A rows, {len(pick)} B rows ({len([r for r in pick if id(r) in chosen])} sharing a host or name with A)")
