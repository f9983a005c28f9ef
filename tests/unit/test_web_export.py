"""export_html: the live view's map as one self-contained HTML file (opened in a real browser by the integration
test test_live_view.py::test_the_export_opens_offline_with_its_markers)."""

from __future__ import annotations

import json
import re

import orjson

from workers.handling import handle
from workers.web import export_html
from workers.web.page import script_json

CONFIG = re.compile(r'<script id="rasad-config" type="application/json">(.*?)</script>', re.S)


def config_of(html: str) -> dict:
    found = CONFIG.search(html)
    assert found, "no config block"
    return json.loads(found.group(1))


def test_the_export_is_one_file_with_leaflet_styles_script_and_data_inline(tmp_path, seed_report):
    events = handle(orjson.dumps(seed_report), 10**7).events  # Event records are accepted as they are
    assert events
    alert = {
        "alert_id": "a1",
        "rule": "mass_casualties",
        "severity": "error",
        "event_ids": [events[0].event_id],
        "area": {"admin1_pcode": "SY07", "location_ar": "أم الخلاخيل"},
        "window": {"start": "2018-02-10", "end": "2018-02-10"},
        "summary": "21 killed",
    }
    path = export_html(events, [alert], tmp_path / "map.html", reports=[seed_report])
    html = path.read_text(encoding="utf-8")
    # Nothing to fetch: no external script, stylesheet or image (only map tiles, when the reader is online).
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", html)
    assert 't.version="1.9.4"' in html and ".leaflet-container" in html and "function highlighted" in html
    config = config_of(html)
    assert config["mode"] == "static"
    assert {e["event_id"] for e in config["events"]} == {e.event_id for e in events}
    assert [a["alert_id"] for a in config["alerts"]] == ["a1"]
    assert [g["pcode"] for g in config["governorates"]] == [f"SY{n:02d}" for n in range(1, 15)]
    assert all(g["name_ar"] and -90 <= g["lat"] <= 90 for g in config["governorates"])
    assert config["outlines"]["features"], "the offline base map's borders are inline"
    links = config["events"][0]["reports"]
    assert links == [
        {
            "id": seed_report["id"],
            "url": seed_report.get("url"),
            "source": seed_report["source"],
            "title": seed_report.get("title"),
            "published_at": seed_report["published_at"],
        }
    ]


def test_only_the_latest_revision_of_an_event_is_exported(tmp_path):
    base = {"event_id": "e1", "report_ids": ["r1"], "event_date": "2018-02-10", "latitude": 35.0, "longitude": 36.0}
    path = export_html(
        [{**base, "revision": 2, "fatalities": 9}, {**base, "revision": 1, "fatalities": 4}], [], tmp_path / "m.html"
    )
    [only] = config_of(path.read_text(encoding="utf-8"))["events"]
    assert (only["revision"], only["fatalities"]) == (2, 9)


def test_text_from_reports_cannot_break_out_of_the_data_block(tmp_path):
    hostile = '</script><script>alert("x")</script><!-- & \u2028'
    event = {"event_id": "e1", "revision": 1, "event_date": "2018-02-10", "notes": hostile, "location_ar": hostile}
    html = export_html([event], [], tmp_path / "m.html", title="<b>title</b>").read_text(encoding="utf-8")
    assert '<script>alert("x")' not in html
    assert "<title>&lt;b&gt;title&lt;/b&gt;</title>" in html
    assert config_of(html)["events"][0]["notes"] == hostile


def test_script_json_escapes_markup_characters():
    text = script_json({"a": "</script>&<!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script>&<!--"}
