"""The data manifest: `controlmap seal` writes it, and validate refuses data that differs from it, naming
the file and what differs, with the exact command that re-seals a deliberate change."""

from __future__ import annotations

import subprocess
import sys

import pytest

from layers import DataError, load_dataset
from layers.cli import main
from layers.io.manifest import MANIFEST_NAME, build_manifest, count_records
from tests.conftest import MINI, ROOT, TODAY


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "layers", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def problems(folder) -> list[str]:
    with pytest.raises(DataError) as info:
        load_dataset(folder, today=TODAY)
    return [str(p) for p in info.value.problems]


def test_bundled_data_and_mini_are_sealed():
    for folder in (ROOT / "data", MINI):
        listed = {line.split(" ", 3)[3] for line in (folder / MANIFEST_NAME).read_text().splitlines()
                  if line and not line.startswith("#")}
        assert listed == {e.path for e in build_manifest(folder)}
    load_dataset(MINI, today=TODAY)  # sealed by default, and it matches


def test_half_an_events_file_is_refused_with_the_counts(mini_copy):
    events = mini_copy / "events" / "a.yaml"
    text = events.read_text()
    events.write_text(text[: text.index("- id: e3")])
    assert problems(mini_copy) == ["mini/events/a.yaml: 2 events, manifest says 4 events"]
    load_dataset(mini_copy, today=TODAY, sealed=False)  # still valid YAML: only the seal catches it


def test_missing_added_and_changed_files(mini_copy):
    (mini_copy / "base" / "lakes.geojson").unlink()
    (mini_copy / "events" / "b.yaml").write_text((mini_copy / "events" / "a.yaml").read_text())
    initial = mini_copy / "initial.yaml"
    initial.write_text(initial.read_text().replace("2016-01-01", "2016-01-02"))
    assert problems(mini_copy) == [
        "mini/base/lakes.geojson: missing, manifest says 57 features",
        "mini/events/b.yaml: not in the manifest",
        "mini/initial.yaml: changed since sealed (2 keys, checksum differs)",
    ]


def test_no_manifest_is_refused(mini_copy):
    (mini_copy / MANIFEST_NAME).unlink()
    assert problems(mini_copy) == ["mini/MANIFEST: missing: the data was never sealed"]


def test_validate_prints_the_command_that_reseals(mini_copy):
    events = mini_copy / "events" / "a.yaml"
    events.write_text(events.read_text().replace("title: Foxtrot taken", "title: Foxtrot captured"))
    res = run("validate", "--data", str(mini_copy))
    assert res.returncode == 1 and "Traceback" not in res.stderr
    lines = res.stderr.strip().splitlines()
    assert lines[0] == "mini/events/a.yaml: changed since sealed (4 events, checksum differs)"
    assert lines[1].endswith(f"then seal them with `controlmap seal --data {mini_copy}`")
    assert run("validate", "--unsealed", "--data", str(mini_copy)).returncode == 0
    sealed = run("seal", "--data", str(mini_copy))
    assert sealed.returncode == 0 and sealed.stdout.startswith(f"wrote {mini_copy}/MANIFEST: 11 files")
    assert run("--data", str(mini_copy), "validate").returncode == 0


def test_seal_refuses_invalid_data(mini_copy):
    events = mini_copy / "events" / "a.yaml"
    events.write_text(events.read_text().replace("confidence: high", "confidence: sure", 1))
    before = (mini_copy / MANIFEST_NAME).read_bytes()
    res = run("seal", "--data", str(mini_copy))
    assert res.returncode == 1 and "confidence must be high, medium or low" in res.stderr
    assert (mini_copy / MANIFEST_NAME).read_bytes() == before


@pytest.mark.parametrize("command", [
    ["validate"], ["report"], ["at", "2018-03-20", "36.869", "36.512"], ["stats", "--every", "12m"],
])
def test_data_option_before_or_after_the_subcommand(command, capsys):
    assert main(["--data", str(MINI), *command]) == 0
    before = capsys.readouterr().out
    assert main([*command, "--data", str(MINI)]) == 0
    assert capsys.readouterr().out == before


def test_counts_are_read_per_format():
    assert count_records("events/x.yaml", b"- id: a\n  x: 1\n- id: b\n") == (2, "events")
    assert count_records("x.csv", b"\xef\xbb\xbfa,b\r\n1,2\r\n\r\n3,4\r\n") == (2, "rows")
    assert count_records("base/x.geojson", b'{"type":"FeatureCollection","features":[{"type":"Feature"}]}') \
        == (1, "features")
    assert count_records("labels.txt", b"a\n# note\n\nb # c\n") == (2, "lines")
