"""The confidence rule, stated as a table: sources (publisher, read, via) -> the highest confidence allowed."""

from __future__ import annotations

import datetime as dt

import pytest

from layers import load_dataset
from layers.io.publishers import Publisher, allowed_confidence
from layers.model.errors import DataError
from layers.model.records import Source
from tests.conftest import TODAY

PUBS = {p.name: p for p in [
    Publisher("Reuters", "wire", "independent", ""), Publisher("AFP", "wire", "independent", ""),
    Publisher("TRT", "state", "turkish-state", ""), Publisher("Anadolu", "state", "turkish-state", ""),
    Publisher("SANA", "state", "pro-government", ""), Publisher("SMART", "local", "pro-opposition", ""),
    Publisher("Wikipedia", "encyclopedia", "independent", ""), Publisher("Blog", "aggregator", "independent", ""),
    Publisher("Al-Masdar News", "local", "pro-government", ""),
]}


def src(pub: str, read: str = "yes", via: str = "") -> Source:
    return Source(f"https://example.org/{pub}", pub, dt.date(2020, 1, 1), "", read, "says so", via)


@pytest.mark.parametrize("sources, expected", [
    ([src("Reuters"), src("AFP")], "high"),                       # two independent wires
    ([src("SANA"), src("SMART")], "high"),                        # both sides agree
    ([src("TRT"), src("Anadolu")], "medium"),                     # two of one partisan lean
    ([src("TRT")], "low"),                                        # a single partisan source
    ([src("Reuters")], "medium"),                                 # a single independent source
    ([src("Wikipedia")], "medium"),                               # an encyclopedia: medium at most
    ([src("Wikipedia"), src("Reuters")], "medium"),               # encyclopedias never count toward high
    ([src("Reuters"), src("AFP", read="no")], "medium"),          # unread sources do not count
    ([src("Reuters", read="no"), src("AFP", read="no")], "low"),
    ([src("Reuters"), src("AFP", read="known")], "high"),         # known counts
    ([src("Al-Masdar News")] * 3, "low"),                         # one outlet three times counts once
    ([src("Reuters"), src("Blog", via="Reuters")], "medium"),     # a repost of Reuters is Reuters
    ([src("SANA"), src("Blog", via="SMART")], "high"),            # the repost's origin is what counts
    ([src("Unrated")], "low"),
], ids=lambda v: "+".join(s.publisher for s in v) if isinstance(v, list) else v)
def test_confidence_rule(sources, expected):
    assert allowed_confidence(sources, PUBS) == expected


def _rated(mini_copy, confidence="high"):
    (mini_copy / "publishers.csv").write_text("name,kind,lean,note\nSynthetic,local,pro-opposition,test\n"
                                              "Synthetic test data,local,independent,test\n")
    text = (mini_copy / "events" / "a.yaml").read_text()
    text = text.replace("      publisher: Synthetic\n", "      publisher: Synthetic\n      read: yes\n"
                        "      evidence: says so\n").replace("  summary: Synthetic.", "  summary: Synthetic.\n"
                                                            "  title_ar: عنوان")
    text = text.replace("summary: Synthetic <script>", "title_ar: عنوان\n  summary: Synthetic <script>")
    (mini_copy / "events" / "a.yaml").write_text(text)
    return text


def test_validation_refuses_confidence_above_the_rule(mini_copy):
    _rated(mini_copy)
    with pytest.raises(DataError) as info:
        load_dataset(mini_copy, today=TODAY, sealed=False)
    messages = [str(p) for p in info.value.problems]
    assert "mini/events/a.yaml:1: event e1: confidence high is above what its sources allow (low)" in messages


def test_rated_dataset_needs_read_and_evidence(mini_copy):
    text = _rated(mini_copy).replace("      read: yes\n      evidence: says so\n", "", 1)
    (mini_copy / "events" / "a.yaml").write_text(text.replace("confidence: high", "confidence: low"))
    with pytest.raises(DataError) as info:
        load_dataset(mini_copy, today=TODAY, sealed=False)
    assert any("event e1: source https://example.org/e1 needs read: yes, known or no" in str(p)
               for p in info.value.problems)
