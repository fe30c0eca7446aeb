"""The data report lists what would otherwise hide: static places, no-op events, large jumps."""

from __future__ import annotations

import dataclasses

from layers import Timeline
from layers.model.records import Change
from layers.tools.report import build_report, format_report


def test_report_on_mini(mini):
    report = build_report(mini, Timeline(mini))
    assert report.never_changing == ["bravo", "echo"]
    assert report.no_effect == []
    assert report.approximate == ["delta"]
    assert [e for e, _, _ in report.large_jumps] == ["e1", "e2", "e4"]  # the mini zones are large
    first = report.pockets[0]  # charlie (government) is ringed by the other five zones for years
    assert (first.zones, first.faction, first.days) == (("charlie",), "government", 3040)
    assert all(p.days >= 120 for p in report.pockets)
    text = format_report(mini, report)
    assert "places whose controller never changes (2):\n  bravo\n  echo" in text


def test_an_event_that_repeats_the_state_changes_nothing(mini):
    e1 = mini.events[0]
    repeat = dataclasses.replace(e1, id="again", seq=99, changes=(Change("sdf", ("foxtrot",)),))
    ds = dataclasses.replace(mini, events=mini.events + (repeat,))
    ds = dataclasses.replace(ds, events=tuple(sorted(ds.events, key=lambda e: e.sort_key)))
    assert "again" in build_report(ds, Timeline(ds)).no_effect
