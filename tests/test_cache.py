"""The start-up cache: a hit returns the stored value; a corrupt entry is rebuilt, not trusted."""

from __future__ import annotations

from layers.io.cache import FORMAT_VERSION, cached_json


def test_hit_miss_and_corruption(tmp_path):
    calls = []

    def build():
        calls.append(1)
        return {"a": [1, 2, 3]}

    assert cached_json("abc", "payload", build, tmp_path) == {"a": [1, 2, 3]}
    assert cached_json("abc", "payload", build, tmp_path) == {"a": [1, 2, 3]}
    assert len(calls) == 1
    entry = tmp_path / f"payload-abc-v{FORMAT_VERSION}.json.gz"
    entry.write_bytes(entry.read_bytes()[:20])  # truncated, as after a crash mid-write elsewhere
    assert cached_json("abc", "payload", build, tmp_path) == {"a": [1, 2, 3]}
    assert len(calls) == 2
    entry.write_bytes(b"not gzip at all")
    assert cached_json("abc", "payload", build, tmp_path) == {"a": [1, 2, 3]}
    assert len(calls) == 3
    assert cached_json("other", "payload", build, tmp_path) == {"a": [1, 2, 3]}  # new data, new key
    assert len(calls) == 4
    assert not list(tmp_path.glob("*.tmp"))


def test_unwritable_directory_still_builds(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert cached_json("abc", "figure", lambda: [1], blocker / "sub") == [1]
