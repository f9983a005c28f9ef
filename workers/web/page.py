"""The map page as HTML: linked to the bundled static files (served by the worker) or with everything inline.

One template (static/index.html) and one script (static/rasad.js) serve both the live page and the export, so
they cannot drift apart. Data goes in as JSON inside a <script type="application/json"> block, escaped so that
no text from a report can close the block or start markup.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from ..gazetteer import load_gazetteer

STATIC = Path(__file__).resolve().parent / "static"
LEAFLET = "vendor/leaflet"
OUTLINES = STATIC / "vendor" / "natural-earth" / "countries.geojson"
PLACEHOLDER = re.compile(r"<!--rasad:(title|styles|config|scripts)-->")
DEFAULT_TITLE = "rasad — رصد · live view"
GOVERNORATES = tuple(f"SY{n:02d}" for n in range(1, 15))
# Where a governorate's label sits relative to its seat, as Leaflet's iconAnchor for a 120x30 label (default:
# centred below). Damascus and Rural Damascus share a point on this scale, so one label goes above.
LABEL_ANCHORS = {"SY01": [60, 34], "SY03": [60, -4]}


@cache
def governorates() -> tuple[dict[str, Any], ...]:
    """SY01..SY14 with English and Arabic names and their seat's coordinates, for the offline base map."""
    gazetteer = load_gazetteer()
    out = []
    for pcode in GOVERNORATES:
        place = gazetteer.governorate(pcode)
        if place.lat is None or place.lon is None:
            continue
        entry: dict[str, Any] = {
            "pcode": pcode,
            "name_en": place.name_en,
            "name_ar": place.name_ar,
            "lat": place.lat,
            "lon": place.lon,
        }
        if pcode in LABEL_ANCHORS:
            entry["anchor"] = LABEL_ANCHORS[pcode]
        out.append(entry)
    return tuple(out)


@cache
def outlines() -> Any:
    """Country borders for the offline base map (vendored by scripts/vendor_leaflet.sh), or None."""
    return json.loads(OUTLINES.read_text(encoding="utf-8")) if OUTLINES.exists() else None


def script_json(data: Any) -> str:
    """JSON that is safe inside a <script> element: '<', '>' and '&' as \\u escapes (also U+2028/9 for old parsers)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for ch in "<>&\u2028\u2029":
        text = text.replace(ch, f"\\u{ord(ch):04x}")
    return text


def _read(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def render_page(
    config: dict[str, Any], inline: bool, static_prefix: str = "static/", title: str = DEFAULT_TITLE
) -> str:
    """The page with `config` (mode, data, limits) added to the base map's data. `inline` puts Leaflet, the
    stylesheet and the script in the page (one self-contained file); otherwise they are linked under
    `static_prefix`, relative so the page also works behind a proxy that mounts it under a sub-path."""
    full = {"governorates": list(governorates()), "outlines": outlines(), **config}
    if inline:
        styles = f"<style>\n{_read(LEAFLET + '/leaflet.css')}\n{_read('rasad.css')}\n</style>"
        scripts = "\n".join(
            f"<script>\n{_inline_js(name)}\n</script>" for name in (LEAFLET + "/leaflet.js", "rasad.js")
        )
    else:
        styles = (
            f'<link rel="stylesheet" href="{static_prefix}{LEAFLET}/leaflet.css">\n'
            f'<link rel="stylesheet" href="{static_prefix}rasad.css">'
        )
        scripts = (
            f'<script src="{static_prefix}{LEAFLET}/leaflet.js"></script>\n'
            f'<script src="{static_prefix}rasad.js"></script>'
        )
    parts = {"title": html.escape(title), "styles": styles, "config": script_json(full), "scripts": scripts}
    return PLACEHOLDER.sub(lambda m: parts[m.group(1)], _read("index.html"))


def _inline_js(name: str) -> str:
    # "</script" inside a script ends the element whatever the JavaScript means; "<\/script" is the same JS.
    return _read(name).replace("</script", "<\\/script")
