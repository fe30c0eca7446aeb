"""The bundled history (data/): it validates, every change is sourced, and well-known days come out right."""

from __future__ import annotations

import datetime as dt

import pytest

from layers import Timeline, load_dataset, resolve_state
from tests.conftest import ROOT

DS = load_dataset(ROOT / "data")
TL = Timeline(DS)
FALL_OF_ASSAD = dt.date(2024, 12, 8)
SNA_MERGED = dt.date(2025, 1, 29)


def test_scale():
    assert len(DS.places) >= 400
    assert len(DS.events) >= 200


def test_every_event_has_a_source_with_url_publisher_and_date():
    for ev in DS.events:
        assert ev.sources, ev.id
        for s in ev.sources:
            assert s.url.startswith(("http://", "https://")) and s.publisher, ev.id
            assert s.published is not None or s.publisher.lower().startswith("wikipedia"), (ev.id, s.url)


def test_every_place_has_a_coordinate_source():
    for p in DS.places:
        assert p.coord_source, p.id
        assert p.coord_quality in ("sourced", "approximate"), p.id
        if p.coord_quality == "sourced":
            assert p.coord_source.startswith(("geonames:", "http://", "https://")), p.id


def test_every_change_of_controller_comes_from_an_event():
    for zid, runs in TL.runs.items():
        for before, after in zip(runs, runs[1:]):
            if before.controller != after.controller:
                assert after.cause in DS.event_by_id, (zid, after)


def test_no_assad_government_or_hts_after_the_fall_and_no_sna_after_the_merger():
    after_fall = resolve_state(DS, FALL_OF_ASSAD).controller
    assert not [z for z, f in after_fall.items() if f in ("government", "hts")]
    for day in (SNA_MERGED, DS.end):
        assert not [z for z, f in resolve_state(DS, day).controller.items() if f in ("government", "hts", "opposition")]


def test_no_isis_ground_after_the_2018_expulsion():
    """ISIS lost its last ground in Aleppo governorate in 2017 and its Idlib/Hama pocket in Feb 2018."""
    assert "isis" not in set(resolve_state(DS, dt.date(2018, 3, 1)).controller.values())


def test_the_seed_report_is_an_event_of_the_russian_layer():
    seed = [e for e in DS.events if any("syrianobserver.com/news/83371" in s.url for s in e.sources)]
    assert len(seed) == 1
    ev = seed[0]
    assert ev.date == dt.date(2023, 6, 1)
    assert any(pc.faction == "russia" and not pc.add and "tal_rifaat" in pc.zones for pc in ev.presence)
    assert "russia" in resolve_state(DS, dt.date(2023, 5, 31)).presence["tal_rifaat"]
    assert "russia" not in resolve_state(DS, dt.date(2023, 6, 2)).presence["tal_rifaat"]


@pytest.mark.parametrize("day, place, faction", [
    ("2016-01-01", "al_bab", "isis"),
    ("2016-01-01", "afrin", "sdf"),
    ("2016-01-01", "azaz", "opposition"),
    ("2016-02-20", "tal_rifaat", "sdf"),
    ("2016-02-20", "menagh_airbase", "sdf"),
    ("2016-08-13", "manbij", "sdf"),
    ("2016-08-25", "jarabulus", "opposition"),
    ("2016-12-23", "aleppo_masaken_hanano", "government"),
    ("2017-02-24", "al_bab", "opposition"),
    ("2017-06-10", "maskanah", "government"),
    ("2018-03-20", "afrin", "opposition"),
    ("2019-08-24", "khan_shaykhun", "government"),
    ("2020-02-01", "maarat_al_numan", "government"),
    ("2020-03-06", "saraqib", "government"),
    ("2022-01-01", "idlib", "hts"),
    ("2024-11-30", "aleppo_citadel", "hts"),
    ("2024-12-10", "manbij", "opposition"),
    ("2024-12-10", "aleppo_sheikh_maqsoud", "sdf"),
    ("2026-11-26", "aleppo_sheikh_maqsoud", "transitional"),
    ("2026-11-26", "kobani", "sdf"),
])
def test_well_known_days(day, place, faction):
    assert resolve_state(DS, dt.date.fromisoformat(day)).controller[place] == faction
