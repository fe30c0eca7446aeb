"""Print the JSON body of a real callback POST (the day's CSV export, as the export panel sends it) for
bench/load.lua, read from the running server's /_dash-dependencies.

    python bench/callback_body.py http://127.0.0.1:8050 > body.json
"""

from __future__ import annotations

import json
import sys
import urllib.request


def csv_export_body(base: str) -> dict:
    with urllib.request.urlopen(base.rstrip("/") + "/_dash-dependencies", timeout=30) as res:  # noqa: S310
        deps = json.load(res)
    cb = next(d for d in deps if any(i["id"] == "export-csv" for i in d["inputs"]))
    spec = cb["output"]
    parts = spec[2:-2].split("...") if spec.startswith("..") else [spec]  # Dash's multi-output notation
    outputs = [dict(zip(("id", "property"), part.rsplit(".", 1))) for part in parts]
    inputs = [{"id": i["id"], "property": i["property"], "value": 1 if i["id"] == "export-csv" else 0}
              for i in cb["inputs"]]
    state = [{"id": s["id"], "property": s["property"], "value": 1000} for s in cb["state"]]
    return {"output": cb["output"], "outputs": outputs, "inputs": inputs, "state": state,
            "changedPropIds": ["export-csv.n_clicks"]}


if __name__ == "__main__":
    print(json.dumps(csv_export_body(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8050")))
