"""The About / method page (/about, ?lang=ar for Arabic): what the colours mean, how zones are drawn, what
confidence means, the coding choices, the licences and how to cite the map. Plain HTML, no script."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from ..model.credits import ATTRIBUTION
from ..model.records import Dataset
from .facts import TITLE, as_of, citation, source_count

TEXT: dict[str, dict[str, Any]] = {
    "en": {
        "title": f"About the {TITLE}", "back": "← Back to the map", "colours": "What the colours mean",
        "faction": "Faction", "usual": "Usual", "cb": "Colour-blind-safe",
        "colours_note": "Russian and Turkish forces are shown as markers over the ground's controller, not as "
                        "areas. A dark line between two colours is a front line.",
        "zones": "How the areas are drawn",
        "zones_text": "Control is assigned to fixed zones: each place of the gazetteer gets the ground nearer to "
                      "it than to any other listed place, cut at the Euphrates and Lake Assad, and hand-drawn "
                      "polygons where a line must be exact. The state on a day is the initial state of 1 January "
                      "2016 plus every sourced change dated on or before that day. Hatched ground has a "
                      "controller inferred from the surrounding roads and towns rather than a source of its own.",
        "confidence": "What confidence means",
        "conf": [("high", "two independent reputable sources, or an uncontested major event"),
                 ("medium", "one reputable source, or a date uncertain by a few days"),
                 ("low", "a single partisan source, or an unclear extent")],
        "choices": "Coding choices",
        "choices_list": [
            "Rebel groups of 2016 and, from Euphrates Shield, the Turkish-backed SNA and NLF are 'opposition'.",
            "Before HTS was formed (28 Jan 2017) only areas run by Nusra alone are coded HTS.",
            "SDF areas with Russian or government forces beside them stay SDF; Russia is an overlay.",
            "From 8 Dec 2024 the new authorities in Damascus are their own faction, 'transitional'; no place "
            "is held by the Assad government after that day.",
            "Turkey is an overlay of bases and observation posts; ground held by Turkish-backed forces is "
            "'opposition'."],
        "freshness": "Data as of {asof}: {events} events citing {sources} sources (version {digest}). After "
                     "{asof} the map has no newer information.",
        "licences": "Licences and attribution", "cite": "How to cite",
        "cite_text": "Cite the date and the link of the view you used (the Share button gives both):",
        "accessed": "accessed",
    },
    "ar": {
        "title": "حول خريطة السيطرة في شمال سوريا", "back": "→ العودة إلى الخريطة", "colours": "معنى الألوان",
        "faction": "الطرف", "usual": "الألوان المعتادة", "cb": "ألوان مناسبة لعمى الألوان",
        "colours_note": "تظهر القوات الروسية والتركية علامات فوق الطرف المسيطر على الأرض، لا مناطق. الخط الداكن "
                        "بين لونين خط جبهة.",
        "zones": "كيف ترسم المناطق",
        "zones_text": "تُنسب السيطرة إلى مناطق ثابتة: لكل مكان في المعجم الجغرافي الأرض الأقرب إليه من أي مكان آخر، "
                      "مقطوعة عند الفرات وبحيرة الأسد، ومضلعات مرسومة يدوياً حيث يجب أن يكون الخط دقيقاً. حالة "
                      "أي يوم هي الحالة الأولية في 1 كانون الثاني 2016 مع كل تغيير موثق حتى ذلك اليوم. الأرض "
                      "المخططة مسيطر عليها استنتاجاً من الطرق والبلدات المحيطة لا من مصدر خاص بها.",
        "confidence": "معنى درجة الثقة",
        "conf": [("high", "مصدران موثوقان مستقلان، أو حدث كبير غير متنازع عليه"),
                 ("medium", "مصدر موثوق واحد، أو تاريخ غير مؤكد ببضعة أيام"),
                 ("low", "مصدر منحاز واحد، أو امتداد غير واضح")],
        "choices": "خيارات الترميز",
        "choices_list": [
            "فصائل 2016، ومنذ درع الفرات الجيش الوطني والجبهة الوطنية للتحرير المدعومة من تركيا: «المعارضة».",
            "قبل تشكيل هيئة تحرير الشام (28 كانون الثاني 2017) لا تُرمز للهيئة إلا المناطق التي أدارتها "
            "النصرة وحدها.",
            "مناطق قسد التي انتشرت فيها قوات روسية أو حكومية تبقى لقسد، وروسيا طبقة فوقها.",
            "منذ 8 كانون الأول 2024 السلطات الجديدة في دمشق طرف مستقل «الحكومة الانتقالية»، "
            "ولا مكان لحكومة الأسد بعده.",
            "تركيا طبقة من القواعد ونقاط المراقبة، والأرض التي تسيطر عليها فصائل مدعومة من تركيا «معارضة»."],
        "freshness": "البيانات حتى {asof}: {events} حدثاً تستند إلى {sources} مصدراً (الإصدار {digest}). بعد {asof} "
                     "لا معلومات أحدث على الخريطة.",
        "licences": "الترخيص والإسناد", "cite": "كيف تستشهد بالخريطة",
        "cite_text": "اذكر التاريخ ورابط العرض الذي استخدمته (زر المشاركة يعطي الاثنين):",
        "accessed": "تاريخ الاطلاع",
    },
}


def about_page(ds: Dataset, lang: str, base_url: str) -> str:
    t = TEXT["ar" if lang == "ar" else "en"]
    ar = lang == "ar"
    rows = "".join(
        f"<tr><td>{escape(f.name_ar if ar and f.name_ar else f.name_en)}</td>"
        f"<td><span class='sw' style='background:{escape(f.color)}'></span></td>"
        f"<td><span class='sw' style='background:{escape(f.color_cb)}'></span></td></tr>" for f in ds.factions)
    conf = "".join(f"<li><b>{k}</b>: {escape(v)}</li>" for k, v in t["conf"])
    choices = "".join(f"<li>{escape(c)}</li>" for c in t["choices_list"])
    fresh = t["freshness"].format(asof=f"<bdi>{as_of(ds).isoformat()}</bdi>", events=len(ds.events),
                                  sources=source_count(ds), digest=escape(ds.digest))
    link = f"{base_url}?date={as_of(ds).isoformat()}"
    cite = escape(citation(ds, link)) + f", {t['accessed']} {dt.date.today().isoformat()}."
    back, other = ("/?lang=ar", "/about") if ar else ("/", "/about?lang=ar")
    return f"""<!DOCTYPE html>
<html lang="{'ar' if ar else 'en'}" dir="{'rtl' if ar else 'ltr'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(t['title'])}</title>
<link rel="stylesheet" href="/assets/style.css"></head>
<body class="about-page"><main>
<p><a href="{back}">{escape(t['back'])}</a> · <a href="{other}">{'English' if ar else 'العربية'}</a></p>
<h1>{escape(t['title'])}</h1>
<p>{fresh}</p>
<h2>{escape(t['colours'])}</h2>
<table><thead><tr><th>{escape(t['faction'])}</th><th>{escape(t['usual'])}</th><th>{escape(t['cb'])}</th></tr></thead>
<tbody>{rows}</tbody></table>
<p>{escape(t['colours_note'])}</p>
<h2>{escape(t['zones'])}</h2><p>{escape(t['zones_text'])}</p>
<h2>{escape(t['confidence'])}</h2><ul>{conf}</ul>
<h2>{escape(t['choices'])}</h2><ul>{choices}</ul>
<h2>{escape(t['licences'])}</h2><p dir="ltr">{escape(ATTRIBUTION)}</p>
<h2>{escape(t['cite'])}</h2><p>{escape(t['cite_text'])}</p>
<blockquote dir="ltr" class="citation">{cite}</blockquote>
</main></body></html>
"""
