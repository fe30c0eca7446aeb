"""The command-line contract (DESIGN.md): exit codes, one-line errors, JSON answers."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from layers import load_dataset
from layers.cli import main
from tests.conftest import MINI, ROOT, TODAY


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "layers", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_validate_ok():
    res = run("--data", str(MINI), "validate")
    assert res.returncode == 0, res.stderr
    assert "6 places, 6 zones, 4 events" in res.stdout


def test_validate_reports_problems_without_traceback(mini_copy):
    events = mini_copy / "events" / "a.yaml"
    events.write_text(events.read_text().replace("confidence: high", "confidence: sure", 1))
    res = run("--data", str(mini_copy), "validate", "--unsealed")
    assert res.returncode == 1
    assert res.stderr.strip().splitlines() == [
        "mini/events/a.yaml:1: event e1: confidence must be high, medium or low, not 'sure'"]
    assert "Traceback" not in res.stderr + res.stdout


def test_at_answers_with_event_and_sources(capsys):
    assert main(["--data", str(MINI), "at", "2018-03-20", "36.869", "36.512"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["controller"] == "opposition" and answer["presence"] == ["turkey"]
    assert answer["since"] == "2018-03-18" and answer["event_id"] == "e2"
    assert answer["sources"][0]["url"] == "https://example.org/e2"
    assert {"date", "lon", "lat", "controller", "presence", "since", "event_id", "sources"} <= set(answer)


def test_at_outside_the_area_is_null(capsys):
    assert main(["--data", str(MINI), "at", "2018-03-20", "30.0", "30.0"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["controller"] is None and answer["sources"] == []


def test_at_batch(tmp_path, capsys):
    batch = tmp_path / "q.csv"
    batch.write_text("date,lon,lat\n2016-01-01,37.95,36.53\n2016-08-12,37.95,36.53\n")
    assert main(["--data", str(MINI), "at", "--batch", str(batch)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [json.loads(x)["controller"] for x in lines] == ["isis", "sdf"]


@pytest.mark.parametrize("args, message", [
    (["at", "2018-02-30", "36.8", "36.5"], "argument date: '2018-02-30' is not a date (YYYY-MM-DD)"),
    (["at", "2018-03-20", "east", "36.5"], "argument lon: 'east' is not a number"),
    (["at", "2018-03-20", "36.8", "95"], "argument lat: '95' is out of range (±90)"),
    (["at", "2018-03-20", "nan", "36"], "argument lon: 'nan' is out of range (±180)"),
    (["at", "2018-03-20"], "at needs DATE LON LAT, or --batch FILE.csv"),
    (["at", "1999-01-01", "36.8", "36.5"], f"date 1999-01-01 is outside the data (2016-01-01 .. {TODAY})"),
    (["at", "--batch", "/nonexistent.csv"],
     "--batch: cannot read /nonexistent.csv: [Errno 2] No such file or directory: '/nonexistent.csv'"),
    (["serve", "--port", "99999"], "argument --port: '99999' is not a port number (1-65535)"),
    (["frobnicate"], "argument command: invalid choice: 'frobnicate' (choose from 'validate', 'seal', 'report', 'at', "
                     "'snapshot', 'animate', 'import', 'stats', 'compare-map', 'serve')"),
    ([], "the following arguments are required: command"),
])
def test_bad_arguments_exit_2_with_one_line(args, message):
    res = run("--data", str(MINI), *args)
    assert res.returncode == 2, res.stderr
    assert res.stderr.splitlines() == [f"controlmap: error: {message}"]


def test_bad_batch_rows_get_an_error_line_and_the_others_answer(tmp_path, capsys):
    batch = tmp_path / "q.csv"
    rows = ["2016-01-01,37.95,36.53"] * 9998 + ["1999-01-01,37.95,36.53", "2016-01-01,x,36.53", "2016-01-01,1"]
    batch.write_text("\ufeffdate,lon,lat\r\n" + "\r\n".join(rows) + "\r\n")
    assert main(["--data", str(MINI), "at", "--batch", str(batch)]) == 0
    captured = capsys.readouterr()
    answers = [json.loads(x) for x in captured.out.splitlines()]
    assert len(answers) == 10001 and all(a["controller"] == "isis" for a in answers[:9998])
    assert answers[9998:] == [
        {"line": 10000, "error": f"date 1999-01-01 is outside the data (2016-01-01 .. {load_dataset(MINI).end})"},
        {"line": 10001, "error": "'x' is not a number"},
        {"line": 10002, "error": "expected date,lon,lat, found 2 fields"},
    ]
    assert captured.err.strip() == f"controlmap: 3 of 10001 rows in {batch} had errors (see their \"error\")"


def test_bad_batch_header_is_a_usage_error(tmp_path):
    batch = tmp_path / "q.csv"
    batch.write_text("day,x,y\n2016-01-01,37.95,36.53\n")
    res = run("--data", str(MINI), "at", "--batch", str(batch))
    assert res.returncode == 2
    assert res.stderr.strip() == f"controlmap: error: {batch}:1: header must be date,lon,lat"


def test_missing_data_directory():
    res = run("--data", "/nonexistent", "validate")
    assert res.returncode == 1
    assert res.stderr.strip() == "/nonexistent: not a directory"
