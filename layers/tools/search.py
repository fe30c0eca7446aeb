"""Place search that forgives transliteration: "Kobane", "Kobani", "Minbij", "Manbij", "tal rifat",
"Tell Rifaat" and "منبج" all find their place.

``FOLD_RULES`` is the one definition of how a name is folded: an ordered table of regular-expression
replacements that this module applies and the browser applies too (the table travels in the page;
assets/55-search.js). A query matches a name when the folded query starts a folded word sequence of the
name (its skeleton: lower case, no diacritics, no article, no vowels, no doubled letters).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from ..model.records import Place

# (pattern, replacement), applied in order to the lower-cased, accent-stripped text. The patterns use only
# syntax JavaScript reads the same way (no lookbehind, no named groups, no inline flags).
# The light fold: spelling noise (case, accents, Arabic letter variants, articles, punctuation).
LIGHT_RULES: tuple[tuple[str, str], ...] = (
    ("\\(.*?\\)", " "),                                  # "Aleppo (city centre)": the qualifier is no name
    ("[\u064b-\u065f\u0670\u0640]", ""),               # Arabic short vowels, shadda, tatweel
    ("[\u0622\u0623\u0625\u0671]", "\u0627"),          # alef forms -> alef
    ("\u0629", "\u0647"),                              # taa marbuta -> haa
    ("\u0649", "\u064a"),                              # alef maqsura -> yaa
    ("(^|\\s)\u0627\u0644", "$1"),                     # Arabic article al-
    ("['`\u2019\u02bf\u02be\u02bb\u02bc]", ""),        # ayn, hamza and apostrophes
    ("(^|[\\s-])(al|el|ad|ar|as|at|ash|az|an|ed|er|es|et)[\\s-]+", "$1"),  # Latin articles
    ("[-_.,/]", " "),
    ("\\s+", " "),
)
# The skeleton, applied after the light fold: transliteration (vowels, doubled letters, q/k, sh/ch, ...).
SKELETON_RULES: tuple[tuple[str, str], ...] = (
    ("\\b(tell|tall|tel)\\b", "tal"),
    ("\\b(jabal|jebel|jabel|djebel)\\b", "jbl"),
    ("\\b(sheikh|shaykh|shaikh|shekh|shiekh)\\b", "shykh"),
    ("\\b(deir|dayr|der)\\b", "dyr"),
    ("\\b(kafr|kfar|kefr|kafar)\\b", "kfr"),
    ("q", "k"),
    ("(ou|oo)", "u"),
    ("(kh)", "x"),
    ("(sh|ch)", "c"),
    ("(dh|th|z)", "d"),
    ("(gh|g)", "j"),
    ("w", "v"),
    ("[aeiouy]", ""),
    ("([a-z])\\1+", "$1"),                             # doubled letters: Rifaat / Rifat, Tell / Tel
    ("\\s+", " "),
)
FOLD_RULES = {"light": LIGHT_RULES, "skeleton": SKELETON_RULES}
_COMPILED = {k: [(re.compile(p), r.replace("$1", "\\1")) for p, r in rules] for k, rules in FOLD_RULES.items()}


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not "\u0300" <= c <= "\u036f")  # as assets/15-fold.js


def _apply(kind: str, text: str) -> str:
    for pattern, repl in _COMPILED[kind]:
        text = pattern.sub(repl, text)
    return text.strip()


def fold_light(text: str) -> str:
    """A name or query without spelling noise (the browser computes the same)."""
    return _apply("light", _strip_accents(text.lower()))


def fold(text: str) -> str:
    """A name or query reduced to its transliteration skeleton (the browser computes the same)."""
    return _apply("skeleton", fold_light(text))


def fold_rules_json() -> dict[str, list[list[str]]]:
    """The rule tables as the browser receives them."""
    return {k: [[p, r] for p, r in rules] for k, rules in FOLD_RULES.items()}


@dataclass(frozen=True)
class Hit:
    place_id: str
    score: int  # twice the match (0 exact name, 1 name starts with the query, 2 a word starts with it,
    # 3 inside a name, 4-7 the same on the transliteration skeleton), plus 1 when only another name matched


def _score(query: str, key: str) -> int | None:
    if key == query:
        return 0
    if key.startswith(query):
        return 1
    if (" " + key).find(" " + query) >= 0:
        return 2
    if len(query) >= 3 and query.replace(" ", "") in key.replace(" ", ""):
        return 3
    return None


POPULATION_TIERS = ((100_000, 1), (20_000, 2), (5_000, 3))


def importance(place: Place) -> tuple[int, int]:
    """Sort key among equally good matches and for labels: the most important of the gazetteer's rank
    (1 cities .. 4 villages), a town labelled on the map (2) and a population tier; then population."""
    pop = place.population or 0
    tier = next((t for limit, t in POPULATION_TIERS if pop >= limit), 4)
    rank = int(getattr(place, "rank", 4) or 4)
    return (min(rank, tier, 2 if place.label else 4), -pop)


def match(query_light: str, query_skeleton: str, names: Iterable[str]) -> int | None:
    """The best score of a folded query over a place's names, or None."""
    best = None
    for name in names:
        light = fold_light(name)
        s = _score(query_light, light)
        if s is None and len(query_skeleton) >= 2:
            s = _score(query_skeleton, _apply("skeleton", light))
            s = None if s is None else 4 + s
        if s is not None and (best is None or s < best):
            best = s
    return best


def search(places: Iterable[Place], query: str, limit: int = 12) -> list[Hit]:
    """The places whose English, Arabic or other names match the query, best first."""
    ql = fold_light(query)
    if not ql:
        return []
    qs = _apply("skeleton", ql)
    scored = []
    for p in places:
        # a match on the place's own English or Arabic name beats the same match on another of its names
        primary = match(ql, qs, [n for n in (p.name_en, p.name_ar) if n])
        other = match(ql, qs, [n for n in p.other_names if n])
        best = min((2 * s + k for s, k in ((primary, 0), (other, 1)) if s is not None), default=None)
        if best is not None:
            scored.append((best, importance(p), len(p.name_en), p.id))
    scored.sort()
    return [Hit(pid, s) for s, _, _, pid in scored[:limit]]
