"""Build workers/data/gazetteer.csv from the shared gazetteer sources and our hand-made regions.csv and quarters.csv.

    python scripts/build_gazetteer.py [SRC_DIR]      # default ../shared/data/gazetteer
    python scripts/build_gazetteer.py --stopwords ../shared/data/saudinewsnet-2015-07.jsonl.gz
                                                      # automatic part of place_stopwords.txt, as TSV
    python scripts/build_gazetteer.py --whole-words ../shared/data/saudinewsnet-2015-07.jsonl.gz
                                                      # section 3 of place_stopwords.txt, as TSV

The product ships the built file, so the sources are only needed to rebuild. What the build fixes in the
sources (wrong-governorate coordinates, English-only rows, duplicate places) is printed to stderr.
"""

from __future__ import annotations

import csv
import math
import re
import statistics
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workers.pipeline.normalize import normalize_key  # noqa: E402

DATA = ROOT / "workers" / "data"
OUT_COLUMNS = (
    "name_ar",
    "name_en",
    "level",
    "pcode",
    "admin1_pcode",
    "admin2_pcode",
    "admin3_pcode",
    "admin1_en",
    "admin2_en",
    "admin3_en",
    "admin1_ar",
    "lat",
    "lon",
    "alt_names",
    "source",
)
LEVEL_ORDER = {"admin1": 0, "admin2": 1, "admin3": 2, "region": 3, "community": 4, "place": 5, "quarter": 6}

# Rough governorate extents (lat_min, lat_max, lon_min, lon_max) with ~0.1° slack. Without boundary polygons
# this is the only check we can make, and it catches the gross errors in the joined coordinates (whole
# Syrian Archive governorates swapped, a latitude typo of 2°, name joins that picked a namesake far away).
BBOX: dict[str, tuple[tuple[float, float, float, float], ...]] = {
    "SY01": ((33.40, 33.62, 36.15, 36.45),),
    # Aleppo's border with Ar-Raqqa runs near 38.2°E south of Lake Assad and near 38.6°E north of it.
    "SY02": ((35.55, 36.40, 36.35, 38.20), (36.40, 36.95, 36.35, 38.65)),
    "SY03": ((32.30, 34.50, 35.75, 39.00),),
    "SY04": ((33.30, 35.30, 36.15, 40.90),),
    "SY05": ((34.70, 35.80, 36.10, 38.40),),
    "SY06": ((35.20, 36.05, 35.70, 36.45),),
    "SY07": ((35.25, 36.35, 36.10, 37.15),),
    "SY08": ((35.60, 37.40, 39.70, 42.45),),
    # Deir-ez-Zor reaches 38.8°E only in the desert south of the river; along it Ar-Raqqa ends near 39.7°E.
    "SY09": ((34.20, 35.45, 38.80, 41.50), (35.45, 36.00, 39.70, 41.50)),
    "SY10": ((34.60, 35.30, 35.80, 36.45),),
    "SY11": ((35.30, 36.80, 38.15, 39.85),),
    "SY12": ((32.30, 33.30, 35.80, 36.80),),
    "SY13": ((32.30, 33.20, 36.30, 37.70),),
    "SY14": ((32.60, 33.40, 35.60, 36.10),),
}
# Syrian Archive files some Damascus-area places under "SY01|SY03": within this radius of the city centre
# they are taken as Damascus city, beyond it as Rural Damascus.
DAMASCUS_RADIUS_KM = 7.0
# Built-up radius of governorate capitals: Aleppo is far larger than the others.
CITY_KM = {"SY02": 12.0}
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad\u0640]")
PLACE_PREFIXES = ("قرية ", "بلدة ", "مدينة ", "ناحية ")
PLACE_SUFFIXES = (" البلد", " الضاحية", " الضاحبة")
ARABIC = re.compile("[\u0621-\u064a]")


@dataclass
class Row:
    name_ar: str
    name_en: str
    level: str
    pcode: str
    admin1_pcode: str
    admin2_pcode: str = ""
    admin3_pcode: str = ""
    lat: float | None = None
    lon: float | None = None
    alts: list[str] = field(default_factory=list)
    src: str = "ocha"
    xy: str = ""

    def add_alts(self, names: list[str]) -> None:
        for n in names:
            n = clean(n)
            if n and n != self.name_ar and n != self.name_en and n not in self.alts:
                self.alts.append(n)


def clean(name: str) -> str:
    name = INVISIBLE.sub("", name)
    return " ".join(name.strip(" -_/\\").split())


def key(name: str) -> str:
    k = normalize_key(name)
    return k[2:] if k.startswith("ال") and len(k) > 3 else k


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return 111.2 * math.hypot(lat1 - lat2, (lon1 - lon2) * math.cos(math.radians(lat1)))


def in_bbox(a1: str, lat: float, lon: float) -> bool:
    return any(la0 <= lat <= la1 and lo0 <= lon <= lo1 for la0, la1, lo0, lo1 in BBOX[a1])


def en_key(name: str) -> str:
    """A loose transliteration key, to join the English-only countries-states-cities rows."""
    s = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).lower()
    s = re.sub(r"[^a-z ]", "", s)
    s = re.sub(r"\b(al|as|ash|ad|at|ar|an|az|el|ath)\b", "", s).replace(" ", "")
    return s.replace("ou", "u").replace("ee", "i").replace("e", "a").replace("y", "i")


def xy_tag(coord_source: str) -> str:
    """Short provenance of a point: syrianarchive, csc (countries-states-cities) or seat."""
    for tag in ("syrianarchive", "csc", "seat"):
        if coord_source.startswith(tag):
            return tag
    return coord_source


def is_seat(community: Row, unit_name_ar: str) -> bool:
    """The community an admin unit is named after ("مركز القنيطرة" -> القنيطرة); spacing varies by level."""
    return key(community.name_ar).replace(" ", "") == key(unit_name_ar.removeprefix("مركز ")).replace(" ", "")


def split_compound(name: str, disambiguators: set[str]) -> list[str]:
    """OCHA merges villages as "A_B", "A / B", "A-B", "A (B)"; each part is a name, except parts that
    only repeat a district or governorate to tell namesakes apart ("دير حنا / القرداحة")."""
    parts = [clean(p) for p in re.split(r"[_/\\()\-]", name)]
    if len(parts) < 2:
        return []
    return [p for p in parts if len(p) > 1 and ARABIC.search(p) and key(p) not in disambiguators]


def log(msg: str) -> None:
    print(msg, file=sys.stderr)


def namesake_check(communities: list[Row], admin: dict[str, dict[str, str]]) -> Callable[[Row, float, float], str]:
    """The source joined Syrian Archive points to communities by name within a governorate, so a village
    can carry the point of a city neighbourhood or of a far namesake. The returned check says why a point
    is implausible for a community ("" if it is fine):
    - within a governorate capital (CITY_KM) but outside the capital's district: the points of Aleppo
      neighbourhoods such as الحلوانية or بياضة landed on namesake villages near Jarablus and Kobani.
      Damascus is exempt, its suburbs lie in Rural Damascus districts;
    - more than 60 km from the point of its sub-district's seat community."""
    with_xy = [c for c in communities if c.lat is not None and c.lon is not None]
    capitals = {
        c.admin1_pcode: c for c in with_xy if c.admin1_pcode != "SY01" and is_seat(c, admin[c.admin1_pcode]["name_ar"])
    }
    seats = {c.admin3_pcode: c for c in with_xy if is_seat(c, admin[c.admin3_pcode]["name_ar"])}

    def why(c: Row, lat: float, lon: float) -> str:
        cap, seat = capitals.get(c.admin1_pcode), seats.get(c.admin3_pcode)
        if (
            cap
            and c.admin2_pcode != cap.admin2_pcode
            and km(lat, lon, cap.lat or 0.0, cap.lon or 0.0) < CITY_KM.get(cap.admin1_pcode, 6.0)
        ):
            return f"inside {cap.name_ar} city"
        if seat and seat is not c and (d := km(lat, lon, seat.lat or 0.0, seat.lon or 0.0)) > 60:
            return f"{d:.0f} km from its sub-district seat"
        return ""

    return why


def drop_namesake_points(communities: list[Row], check: Callable[[Row, float, float], str]) -> None:
    """Drop implausible points, and points shared by communities of different sub-districts (مارع and نبل
    carry one point): we cannot tell which of them it belongs to."""
    by_point: dict[tuple[float, float], set[str]] = defaultdict(set)
    for c in communities:
        if c.lat is not None and c.lon is not None:
            by_point[(c.lat, c.lon)].add(c.admin3_pcode)
    for c in communities:
        if c.lat is None or c.lon is None:
            continue
        why = check(c, c.lat, c.lon)
        if not why and len(by_point[(c.lat, c.lon)]) > 1:
            why = "point shared with another sub-district's community"
        if why:
            log(f"  dropped coordinates of community {c.name_ar} ({c.pcode}, {c.admin2_pcode}): {why}")
            c.lat = c.lon = None
            c.xy = ""


def quarters(rows: list[Row]) -> list[Row]:
    """quarters.csv: city quarters the sources lack («الزبلطاني», «الوعر»), filed under their city's codes. They carry
    no point of their own: the loader gives them the city's sub-district point at precision 2."""
    cities = {r.pcode: r for r in rows if r.level == "community"}
    out = []
    for r in csv.DictReader((DATA / "quarters.csv").open(encoding="utf-8")):
        city = cities.get(r["city_pcode"])
        if city is None:
            raise SystemExit(f"quarters.csv {r['name_ar']}: no community {r['city_pcode']}")
        quarter = Row(
            r["name_ar"],
            r["name_en"],
            "quarter",
            "",
            city.admin1_pcode,
            admin2_pcode=city.admin2_pcode,
            admin3_pcode=city.admin3_pcode,
            src="project",
        )
        quarter.add_alts([a for a in r["alt_names"].split("|") if a])
        out.append(quarter)
    return out


def build(src: Path) -> list[Row]:
    admin = {r["pcode"]: r for r in csv.DictReader((src / "syria_admin.csv").open(encoding="utf-8"))}
    rows: list[Row] = []
    english_only: list[dict[str, str]] = []
    for r in csv.DictReader((src / "gazetteer.csv").open(encoding="utf-8")):
        if not clean(r["name_ar"]):
            english_only.append(r)
            continue
        lat = float(r["lat"]) if r["lat"] else None
        lon = float(r["lon"]) if r["lon"] else None
        row = Row(
            clean(r["name_ar"]),
            clean(r["name_en"]),
            r["level"],
            r["pcode"],
            r["admin1_pcode"],
            lat=lat,
            lon=lon,
            src="syrianarchive" if r["level"] == "place" else "ocha",
            xy=xy_tag(r["coord_source"]) if lat is not None else "",
        )
        row.add_alts(r["alt_names"].split(";"))
        rows.append(row)

    # Parent links: the source gives communities only their admin1.
    for row in rows:
        if row.pcode:
            a = admin[row.pcode]
            chain = [row.pcode]
            while a["parent_pcode"] in admin:
                chain.append(a["parent_pcode"])
                a = admin[a["parent_pcode"]]
            by_level = {admin[p]["level"]: p for p in chain}
            row.admin2_pcode = by_level.get("admin2", "")
            row.admin3_pcode = by_level.get("admin3", "")
            row.admin1_pcode = by_level["admin1"]

    # Compound community names -> alt names.
    disamb: dict[str, set[str]] = defaultdict(set)
    for a in admin.values():
        if a["level"] in ("admin1", "admin2", "admin3"):
            disamb[a["admin1_pcode"]].add(key(a["name_ar"].removeprefix("مركز ")))
    for row in rows:
        if row.level == "community":
            row.add_alts(split_compound(row.name_ar, disamb[row.admin1_pcode]))

    # Places filed under two governorates.
    dam = next(r for r in rows if r.pcode == "C1001")
    for row in rows:
        if row.admin1_pcode == "SY01|SY03":
            assert row.lat is not None and row.lon is not None and dam.lat is not None and dam.lon is not None
            near = km(row.lat, row.lon, dam.lat, dam.lon) <= DAMASCUS_RADIUS_KM
            row.admin1_pcode = "SY01" if near else "SY03"

    # Coordinates outside their governorate: p-coded rows keep the p-code and lose the point; Syrian
    # Archive places keep the point (their governorate labels are what is wrong) and move to the governorate
    # whose box holds it (where boxes overlap, that of the nearest community with a trusted point).
    def outside(r: Row) -> bool:
        return r.lat is not None and r.lon is not None and not in_bbox(r.admin1_pcode, r.lat, r.lon)

    anchors = [r for r in rows if r.level == "community" and r.lat is not None and not outside(r)]
    dropped: set[int] = set()
    for row in rows:
        if row.lat is None or row.lon is None or not outside(row):
            continue
        homes = [a for a in BBOX if in_bbox(a, row.lat, row.lon)]
        if row.level == "place" and homes:
            lat, lon = row.lat, row.lon
            near = [c for c in anchors if c.admin1_pcode in homes]
            home = min(near, key=lambda c: km(lat, lon, c.lat or 0.0, c.lon or 0.0)).admin1_pcode
            if home != row.admin1_pcode:
                log(f"  moved place {row.name_ar} {row.admin1_pcode} -> {home} ({lat:.3f},{lon:.3f})")
                row.admin1_pcode = home
            continue
        if row.level in ("community", "place"):
            log(
                f"  dropped coordinates of {row.level} {row.name_ar} ({row.pcode or '-'}, {row.admin1_pcode}): "
                f"{row.lat:.4f},{row.lon:.4f} is outside the governorate"
            )
            dropped.add(id(row))
        row.lat = row.lon = None
        row.xy = ""
    rows = [r for r in rows if not (r.level == "place" and id(r) in dropped)]

    communities = [r for r in rows if r.level == "community"]
    check = namesake_check(communities, admin)
    drop_namesake_points(communities, check)

    # English-only countries-states-cities rows: give their point to a namesake community lacking one.
    by_en: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for c in communities:
        for n in [c.name_en, *c.alts]:
            if not ARABIC.search(n):
                by_en[(c.admin1_pcode, en_key(n))].append(c)
    for r in english_only:
        cands = list({id(c): c for c in by_en.get((r["admin1_pcode"], en_key(r["name_en"])), [])}.values())
        seats = [c for c in cands if is_seat(c, admin[c.admin3_pcode]["name_ar"])]
        cands = seats if len(cands) > 1 and len(seats) == 1 else cands
        lat, lon = float(r["lat"]), float(r["lon"])
        if (
            len(cands) == 1
            and cands[0].lat is None
            and in_bbox(r["admin1_pcode"], lat, lon)
            and not check(cands[0], lat, lon)
        ):
            cands[0].lat, cands[0].lon, cands[0].xy = lat, lon, "csc"
            cands[0].add_alts([r["name_en"]])
            log(f"  coordinates for {cands[0].name_ar} ({cands[0].pcode}) from csc row {r['name_en']}")
    log(f"  {len(english_only)} English-only rows folded or dropped (no Arabic name to match on)")

    # Hand-made aliases and regions.
    regions: list[Row] = []
    for r in csv.DictReader((DATA / "regions.csv").open(encoding="utf-8")):
        alts = [a for a in r["alt_names"].split("|") if a]
        if r["level"] == "alias":
            hits = [x for x in rows if x.admin1_pcode == r["admin1_pcode"] and key(x.name_ar) == key(r["name_ar"])]
            if not hits:
                raise SystemExit(f"regions.csv alias {r['name_ar']} ({r['admin1_pcode']}) matches no row")
            for x in hits:
                x.add_alts(alts)
            continue
        reg = Row(
            r["name_ar"],
            r["name_en"],
            "region",
            "",
            r["admin1_pcode"],
            admin2_pcode=r["admin2_pcode"],
            lat=float(r["lat"]),
            lon=float(r["lon"]),
            src="project",
            xy="project",
        )
        reg.add_alts(alts)
        regions.append(reg)

    rows += quarters(rows)

    # Syrian Archive places that are a community under another spelling ("دوما البلد", "ناحية المالكية")
    # fold into it; places sharing a name with a region give way to the region; duplicates collapse.
    for row in rows:
        if row.level == "place":
            for p in PLACE_PREFIXES:
                if row.name_ar.startswith(p):
                    row.add_alts([row.name_ar.removeprefix(p)])
            for s in PLACE_SUFFIXES:
                if row.name_ar.endswith(s):
                    row.add_alts([row.name_ar.removesuffix(s)])
    comm_index: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for c in communities:
        for n in [c.name_ar, *c.alts]:
            if ARABIC.search(n) and c not in comm_index[(c.admin1_pcode, key(n))]:
                comm_index[(c.admin1_pcode, key(n))].append(c)
    region_keys = {(g.admin1_pcode, key(n)) for g in regions for n in [g.name_ar, *g.alts]}
    kept: list[Row] = []
    seen: set[tuple[str, str]] = set()
    merged = superseded = dups = 0
    for row in rows:
        if row.level != "place":
            kept.append(row)
            continue
        names = [n for n in [row.name_ar, *row.alts] if ARABIC.search(n)]
        cands = {id(c): c for n in names for c in comm_index.get((row.admin1_pcode, key(n)), [])}
        c = next(iter(cands.values())) if len(cands) == 1 else None
        if c and (row.lat is None or row.lon is None or not check(c, row.lat, row.lon)):
            if c.lat is None and row.lat is not None:
                c.lat, c.lon, c.xy = row.lat, row.lon, row.xy
            c.add_alts(names)
            merged += 1
            continue
        if c and key(c.name_ar) in {key(n) for n in names}:
            # Same name, same governorate, implausible point: the community itself with a bad point
            # (Syrian Archive's "Tal Abyad mantiqah" sits in Ar-Raqqa city). A match through a compound
            # part only (المغاير of "المغاير_قرق مغار") may be a different place and is kept.
            log(f"  dropped place {row.name_ar} ({row.admin1_pcode}): its point does not fit {c.name_ar} ({c.pcode})")
            continue
        if any((row.admin1_pcode, key(n)) in region_keys for n in names):
            superseded += 1
            continue
        k = (row.admin1_pcode, key(row.name_ar))
        if k in seen:
            dups += 1
            continue
        seen.add(k)
        kept.append(row)
    rows = kept
    log(f"  places: {merged} folded into communities, {superseded} superseded by regions, {dups} duplicates")

    # Admin units get the point of their seat community, else the mean of their communities' points; the
    # source's own admin points were seat points too, recomputed so dropped seats do not leak back.
    members: dict[str, list[Row]] = defaultdict(list)
    for c in (r for r in rows if r.level == "community"):
        for p in (c.admin1_pcode, c.admin2_pcode, c.admin3_pcode):
            members[p].append(c)
    filled = Counter()
    for row in rows:
        if row.level not in ("admin1", "admin2", "admin3"):
            continue
        own = [c for c in members[row.pcode] if c.lat is not None]
        seats = [c for c in own if is_seat(c, row.name_ar)]
        if seats:
            row.lat, row.lon, row.xy = seats[0].lat, seats[0].lon, "seat"
        elif own:
            row.lat = round(statistics.fmean(c.lat for c in own if c.lat is not None), 6)
            row.lon = round(statistics.fmean(c.lon for c in own if c.lon is not None), 6)
            row.xy = f"mean{len(own)}"
        else:
            row.lat = row.lon = None
            row.xy = ""
        filled[(row.level, row.xy.rstrip("0123456789") or "none")] += 1
    log(f"  admin unit coordinates: {dict(sorted(filled.items()))}")

    rows += regions
    rows.sort(key=lambda r: (LEVEL_ORDER[r.level], r.admin1_pcode, r.pcode, r.name_ar, r.name_en, r.lat or 0))
    return rows


def write(rows: list[Row], src: Path, out: Path = DATA / "gazetteer.csv") -> Path:
    admin = {r["pcode"]: r for r in csv.DictReader((src / "syria_admin.csv").open(encoding="utf-8"))}
    with out.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(OUT_COLUMNS)
        for r in rows:
            a1 = admin[r.admin1_pcode]
            w.writerow(
                [
                    r.name_ar,
                    r.name_en,
                    r.level,
                    r.pcode,
                    r.admin1_pcode,
                    r.admin2_pcode,
                    r.admin3_pcode,
                    a1["name_en"],
                    admin[r.admin2_pcode]["name_en"] if r.admin2_pcode else "",
                    admin[r.admin3_pcode]["name_en"] if r.admin3_pcode else "",
                    a1["name_ar"],
                    "" if r.lat is None else f"{r.lat:.5f}",
                    "" if r.lon is None else f"{r.lon:.5f}",
                    "|".join(r.alts),
                    r.src if not r.xy or r.xy == r.src else f"{r.src};xy={r.xy}",
                ]
            )
    return out


def stopword_candidates(archive: Path, min_docs: int = 10) -> list[tuple[str, int, float]]:
    """Keys whose only candidates are communities or places, seen in >= min_docs articles of a JSONL(.gz)
    news archive (field "text"), fewer than half of them mentioning Syria: (key, articles, Syria share).
    Section 1 of place_stopwords.txt is this list; the rest of that file is judged by hand."""
    import gzip
    import json

    from workers.gazetteer import LEVEL_RANK, load_gazetteer
    from workers.pipeline.normalize import normalize_text

    gaz = load_gazetteer()
    hit: dict[str, bool] = {}
    docs: Counter[str] = Counter()
    syria: Counter[str] = Counter()
    opener = gzip.open if archive.suffix == ".gz" else open
    with opener(archive, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            text = normalize_text(d.get("title", "") + "\n" + d["text"])
            # «والنظام», «بالمدينة», «للمدينة» -> «ال…»: the article form the gazetteer is looked up with.
            words = [re.sub(r"^(?:[وبفك]ال|لل)(?=..)", "ال", w) for w in re.sub(r"[^\w\s]", " ", text).split()]
            seen = set()
            for i in range(len(words)):
                for n in range(1, gaz.max_words + 1):
                    k = " ".join(words[i : i + n])
                    if k not in hit:
                        hit[k] = bool(gaz.lookup(k))
                    if hit[k]:
                        seen.add(k)
            docs.update(seen)
            if "سوري" in text:
                syria.update(seen)
    return sorted(
        (k, n, round(syria[k] / n, 2))
        for k, n in docs.items()
        if n >= min_docs
        and syria[k] / n < 0.5
        and min(LEVEL_RANK[p.level] for p in gaz.lookup(k)) >= LEVEL_RANK["community"]
    )


def whole_word_candidates(archive: Path, min_count: int = 10, ratio: int = 3) -> list[tuple[str, str, int, int]]:
    """Tokens of a JSONL(.gz) news archive that read as proclitic + gazetteer name («وزارة» = و + Zara) but are
    words: seen >= min_count times and >= ratio times as often as the name alone. (token, name, counts).
    Section 3 of place_stopwords.txt is this list."""
    import gzip
    import json

    from workers.pipeline.normalize import normalize_text
    from workers.pipeline.places import clitic_readings, known_names

    tokens: Counter[str] = Counter()
    opener = gzip.open if archive.suffix == ".gz" else open
    with opener(archive, "rt", encoding="utf-8") as f:
        for line in f:
            tokens.update(re.findall(r"\w+", normalize_text(json.loads(line).get("text") or "")))
    known = known_names()
    return sorted(
        (token, name, n, tokens[name])
        for token, n in tokens.items()
        if n >= min_count
        for name in clitic_readings(token)[1:]
        if name in known and n >= ratio * tokens[name]
    )


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[1] == "--stopwords":
        for k, n, share in stopword_candidates(Path(argv[2])):
            print(f"{k}\t{n}\t{share}")
        return 0
    if len(argv) == 3 and argv[1] == "--whole-words":
        for token, name, n, alone in whole_word_candidates(Path(argv[2])):
            print(f"{token}\t{name}\t{n}\t{alone}")
        return 0
    src = Path(argv[1]) if len(argv) > 1 else ROOT / "../shared/data/gazetteer"
    if not (src / "gazetteer.csv").exists():
        log(f"no gazetteer.csv under {src}")
        return 2
    rows = build(src)
    out = write(rows, src)
    counts = Counter(r.level for r in rows)
    with_xy = Counter(r.level for r in rows if r.lat is not None)
    log(
        f"wrote {out} ({out.stat().st_size:,} bytes): "
        + ", ".join(f"{lv} {counts[lv]} ({with_xy[lv]} with coordinates)" for lv in LEVEL_ORDER)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
