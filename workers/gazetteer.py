"""Syrian gazetteer for the location extractor: place names -> p-coded, geolocated places.

Data (workers/data/, see SOURCES.md): gazetteer.csv (OCHA admin units and communities, Syrian Archive
places, our regions and city quarters; built by scripts/build_gazetteer.py), foreign.csv (places abroad that reports
mention) and place_stopwords.txt (place names that are also everyday words).

Every index key is made with `normalize_key`, the normaliser the text pipeline uses, so a span taken
from normalised text looks up as is. `lookup` also tries the key with a leading «ال» added or removed
(«سلمية» finds «السلمية»).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from workers.pipeline.normalize import normalize_key

DATA = Path(__file__).resolve().parent / "data"
SYRIA = "Syria"
# Ambiguity order for `resolve`: a name that is both a district and a village is usually the district;
# curated regions and well-known foreign towns beat namesake villages («القلمون», «سروج»).
LEVEL_RANK = {"admin1": 0, "admin2": 1, "admin3": 2, "region": 3, "foreign": 4, "community": 5, "place": 6}
LEVEL_RANK["quarter"] = LEVEL_RANK["place"]  # quarters.csv: a place within a city
# Adjectives in «الريف الحلبي» etc. Each names the governorate whose countryside it describes, so
# «الدمشقي» is Rural Damascus. Standalone they are often surnames («الحموي», «الحلبي»): callers should
# use them after «ريف/الريف» only.
GOVERNORATE_ADJECTIVES = {
    "الحلبي": "SY02",
    "الادلبي": "SY07",
    "الحموي": "SY05",
    "الحمصي": "SY04",
    "الدرعاوي": "SY12",
    "اللاذقاني": "SY06",
    "الرقاوي": "SY11",
    "الديري": "SY09",
    "الحسكاوي": "SY08",
    "الدمشقي": "SY03",
    "السويداوي": "SY13",
    "القنيطري": "SY14",
    "الطرطوسي": "SY10",
}


@dataclass(frozen=True, slots=True)
class Place:
    name_ar: str
    name_en: str
    level: str  # admin1|admin2|admin3|community|place|quarter (of a city)|region|foreign|neighbourhood (made by places)
    pcode: str | None
    country: str
    admin1_pcode: str | None
    admin1_en: str | None
    admin1_ar: str | None
    admin2_pcode: str | None
    admin2_en: str | None
    admin3_pcode: str | None
    admin3_en: str | None
    lat: float | None
    lon: float | None
    # ACLED: 1 = the place's own point, 2 = its sub-district/district point, 3 = governorate point or region.
    geo_precision: int


def article_forms(key: str) -> tuple[str, ...]:
    """A normalised key as given, then with its leading «ال» removed or added."""
    if key.startswith("ال"):
        return (key, key[2:]) if len(key) > 3 else (key,)
    return key, "ال" + key


def key_variants(name: str) -> set[str]:
    """Index keys for one written name: normalised, plus spelling variants reporters use that the text
    normaliser does not fold: «كفر نبل»/«كفرنبل», «بئر»/«بير», a dropped final hamza («السويدا»)."""
    base = normalize_key(name)
    if not any("\u0621" <= ch <= "\u064a" for ch in base):
        return set()  # English alt names: reports are Arabic
    out = {base}
    words = base.split()
    if words[0] == "كفر" and len(words) > 1:
        out.add("كفر" + " ".join(words[1:]))
    elif words[0].startswith("كفر") and len(words[0]) >= 6:
        out.add("كفر " + base[3:])
    out |= {k.replace("بئر", "بير") for k in out if "بئر" in k}
    out |= {k[:-1] for k in out if k.endswith("اء")}
    return out


def _order(p: Place) -> tuple[int, int, str, str, str, float]:
    """Preference among namesakes: higher admin level, better point, then p-code order (deterministic)."""
    return (LEVEL_RANK[p.level], p.geo_precision, p.pcode or "~", p.admin1_pcode or "~", p.name_ar, p.lat or 0.0)


def _num(s: str) -> float | None:
    return float(s) if s else None


class Gazetteer:
    def __init__(
        self,
        places: list[tuple[Place, list[str]]],
        stopwords: set[str],
        cue_words: frozenset[str] = frozenset(),
        whole_words: frozenset[str] = frozenset(),
    ) -> None:
        index: dict[str, list[Place]] = defaultdict(list)
        for place, names in places:
            for name in names:
                for k in key_variants(name):
                    if place not in index[k]:
                        index[k].append(place)
        self._index = {k: tuple(sorted(v, key=_order)) if len(v) > 1 else (v[0],) for k, v in index.items()}
        self._admin1 = {p.pcode: p for p, _ in places if p.level == "admin1" and p.pcode}
        self._gov_names: dict[str, str] = {}
        for place, names in places:
            if place.level == "admin1" and place.pcode:
                for k in (k for n in names for k in key_variants(n)):
                    self._gov_names[k] = place.pcode
        for adj, pcode in GOVERNORATE_ADJECTIVES.items():
            self._gov_names[normalize_key(adj)] = pcode
        self._stop = stopwords
        self._cue = cue_words
        self._whole = whole_words
        self.max_words = max(len(k.split()) for k in self._index)

    def lookup(self, key: str) -> tuple[Place, ...]:
        """Places named `key` (or an alt name), with or without a leading «ال», most preferred first (the
        `resolve` order). The key is normalised here too, so raw names work."""
        hits = [self._index[k] for k in article_forms(normalize_key(key)) if k in self._index]
        if len(hits) < 2:
            return hits[0] if hits else ()
        return tuple(sorted(set(hits[0]) | set(hits[1]), key=_order))

    def keys(self) -> Iterator[str]:
        """Index keys, normalised, as the names are written (see `lookup` for the «ال» rule)."""
        return iter(self._index)

    def governorate(self, pcode: str) -> Place:
        return self._admin1[pcode]

    def governorate_by_name(self, key: str) -> Place | None:
        """«حلب», «محافظة إدلب», «ريف حماة», «الريف الإدلبي»/«الإدلبي» -> the governorate; «ريف دمشق» and
        «الريف الدمشقي» are Rural Damascus."""
        k = normalize_key(key)
        pcode = self._gov_name(k)
        for prefix in ("محافظه ", "ريف ", "الريف "):
            if not pcode and k.startswith(prefix):
                pcode = self._gov_name(k.removeprefix(prefix))
                if pcode == "SY01" and prefix != "محافظه ":
                    pcode = "SY03"  # the countryside of Damascus is the Rural Damascus governorate
        return self._admin1[pcode] if pcode else None

    def _gov_name(self, key: str) -> str | None:
        return next((self._gov_names[k] for k in article_forms(key) if k in self._gov_names), None)

    def resolve(
        self, candidates: tuple[Place, ...], admin1_hint: str | None = None, written: str | None = None
    ) -> Place | None:
        """One place for an ambiguous name: those in the hinted governorate first, then those named exactly
        as `written` (the normalised key: «قارة» is Qarra before «القارة»), then the higher admin level
        (LEVEL_RANK), then the better point (geo_precision), then p-code order."""
        if not candidates:
            return None
        pool = [p for p in candidates if admin1_hint and p.admin1_pcode == admin1_hint] or list(candidates)
        if written is None:
            return min(pool, key=_order)
        return min(pool, key=lambda p: (normalize_key(p.name_ar) != written, _order(p)))

    def is_common_word(self, key: str) -> bool:
        """True for minor places whose name is mostly an everyday word or a name in news text («علي»,
        «السعودية», «تركيا»): not places on a bare mention or after a preposition, at most right after an
        explicit «قرية»/«بلدة» (place_stopwords.txt, section 1)."""
        return normalize_key(key) in self._stop

    def needs_cue(self, key: str) -> bool:
        """True for real places whose name is also a frequent word («الباب», «دوما», «تدمر», «الحراك»):
        take them only after an explicit place noun («مدينة», «بلدة», «حي», «ريف») or next to their
        governorate (place_stopwords.txt, section 2)."""
        return normalize_key(key) in self._cue

    def is_whole_word(self, token: str) -> bool:
        """True for tokens that look like a proclitic + a place but are words («وزارة» is not و + Zara,
        «فرقة» not ف + Raqqa; place_stopwords.txt, section 3)."""
        return token in self._whole


def _read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        return [dict(zip(header, row, strict=True)) for row in rows]  # faster than DictReader


def _stopwords() -> tuple[set[str], frozenset[str], frozenset[str]]:
    """(section 1, section 2, section 3) of place_stopwords.txt; «[needs_cue]» and «[whole_words]» lines start
    sections 2 and 3."""
    sections: dict[str, set[str]] = {"common": set(), "[needs_cue]": set(), "[whole_words]": set()}
    target = sections["common"]
    for line in (DATA / "place_stopwords.txt").read_text(encoding="utf-8").splitlines():
        word = line.split("#")[0].strip()
        if word in sections:
            target = sections[word]
        elif word:
            target.add(normalize_key(word))
    return sections["common"], frozenset(sections["[needs_cue]"]), frozenset(sections["[whole_words]"])


def _build() -> Gazetteer:
    rows = _read("gazetteer.csv")
    points = {r["pcode"]: (_num(r["lat"]), _num(r["lon"])) for r in rows if r["level"].startswith("admin")}

    def point(r: dict[str, str]) -> tuple[float | None, float | None, int]:
        lat, lon = _num(r["lat"]), _num(r["lon"])
        own = {"admin1": 3, "admin2": 2, "admin3": 2, "region": 3}.get(r["level"], 1)
        if lat is not None:
            return lat, lon, own
        for pcode, precision in ((r["admin3_pcode"], 2), (r["admin2_pcode"], 2), (r["admin1_pcode"], 3)):
            lat, lon = points.get(pcode, (None, None))
            if lat is not None:
                return lat, lon, max(precision, own)
        return None, None, 3

    places: list[tuple[Place, list[str]]] = []
    for r in rows:
        lat, lon, precision = point(r)
        place = Place(
            name_ar=r["name_ar"],
            name_en=r["name_en"],
            level=r["level"],
            pcode=r["pcode"] or None,
            country=SYRIA,
            admin1_pcode=r["admin1_pcode"] or None,
            admin1_en=r["admin1_en"] or None,
            admin1_ar=r["admin1_ar"] or None,
            admin2_pcode=r["admin2_pcode"] or None,
            admin2_en=r["admin2_en"] or None,
            admin3_pcode=r["admin3_pcode"] or None,
            admin3_en=r["admin3_en"] or None,
            lat=lat,
            lon=lon,
            geo_precision=precision,
        )
        places.append((place, [r["name_ar"], *r["alt_names"].split("|")]))
    for r in _read("foreign.csv"):
        place = Place(
            name_ar=r["name_ar"],
            name_en=r["name_en"],
            level="foreign",
            pcode=None,
            country=r["country"],
            admin1_pcode=None,
            admin1_en=None,
            admin1_ar=None,
            admin2_pcode=None,
            admin2_en=None,
            admin3_pcode=None,
            admin3_en=None,
            lat=_num(r["lat"]),
            lon=_num(r["lon"]),
            geo_precision=1,
        )
        places.append((place, [r["name_ar"], *r["alt_names"].split("|")]))
    common, cue, whole = _stopwords()
    return Gazetteer([(p, [n for n in names if n]) for p, names in places], common, cue, whole)


@cache
def country_names() -> dict[str, str]:
    """Names of Syria and its neighbours (countries.csv), normalised → the country as foreign.csv names it."""
    return {
        normalize_key(name): r["country"]
        for r in _read("countries.csv")
        for name in [r["name_ar"], *filter(None, r["alt_names"].split("|"))]
    }


@cache
def load_gazetteer() -> Gazetteer:
    """The gazetteer, loaded once per process."""
    return _build()


def is_common_word(key: str) -> bool:
    """Module-level shortcut for `load_gazetteer().is_common_word(key)`."""
    return load_gazetteer().is_common_word(key)
