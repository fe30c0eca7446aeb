"""Merge publisher ratings into data/publishers.csv: the existing file first, then draft files.

Where drafts disagree, the lean taken is the partisan one (the cautious choice for the confidence rule) and
the kind is the most common, a non-aggregator winning a tie. Names already in data/publishers.csv keep their
rating: edit that file by hand to change one. Usage: python scripts/merge_publishers.py DRAFT.csv ...
"""

from __future__ import annotations

import csv
import io
import sys
from collections import Counter
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "publishers.csv"
ALIASES = {"pro-government (Assad)": "pro-government"}


def main(drafts: list[str]) -> int:
    rows: dict[str, list[dict[str, str]]] = {}
    fixed: dict[str, dict[str, str]] = {}
    if OUT.exists():
        fixed = {r["name"]: r for r in csv.DictReader(io.StringIO(OUT.read_text(encoding="utf-8")))}
    for draft in drafts:
        for r in csv.DictReader(io.StringIO(Path(draft).read_text(encoding="utf-8"))):
            r = {k: (v or "").strip() for k, v in r.items() if k}
            r["lean"] = ALIASES.get(r["lean"], r["lean"])
            rows.setdefault(r["name"], []).append(r)
    merged = dict(fixed)
    for name, rs in rows.items():
        if name in merged or not name:
            continue
        leans = [r["lean"] for r in rs]
        lean = next((x for x in leans if x != "independent"), leans[0])
        kinds = Counter(r["kind"] for r in rs).most_common()
        kind = sorted(kinds, key=lambda kc: (-kc[1], kc[0] == "aggregator"))[0][0]
        note = max((r.get("note", "") for r in rs), key=len)
        merged[name] = {"name": name, "kind": kind, "lean": lean, "note": note}
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["name", "kind", "lean", "note"], lineterminator="\n")
    w.writeheader()
    for name in sorted(merged, key=str.lower):
        w.writerow({k: merged[name].get(k, "") for k in ("name", "kind", "lean", "note")})
    tmp = OUT.with_suffix(".csv.tmp")
    tmp.write_text(buf.getvalue(), encoding="utf-8")
    tmp.replace(OUT)
    print(f"{len(merged)} publishers ({len(merged) - len(fixed)} new) -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
