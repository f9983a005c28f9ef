from __future__ import annotations

import csv
import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

from workers.gazetteer import DATA, Place, _build, load_gazetteer
from workers.pipeline.normalize import normalize_key

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT.parent / "shared" / "data" / "gazetteer"

# The governorate table of the evaluation conventions (shared/eval/README.md).
GOVERNORATES = {
    "SY01": "دمشق",
    "SY02": "حلب",
    "SY03": "ريف دمشق",
    "SY04": "حمص",
    "SY05": "حماة",
    "SY06": "اللاذقية",
    "SY07": "إدلب",
    "SY08": "الحسكة",
    "SY09": "دير الزور",
    "SY10": "طرطوس",
    "SY11": "الرقة",
    "SY12": "درعا",
    "SY13": "السويداء",
    "SY14": "القنيطرة",
}


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


@pytest.fixture(scope="module")
def places(gaz) -> set[Place]:
    return {p for k in gaz.keys() for p in gaz.lookup(k)}


def test_governorates(gaz):
    for pcode, name in GOVERNORATES.items():
        g = gaz.governorate(pcode)
        assert (g.pcode, g.level, g.admin1_pcode, g.admin1_ar, g.name_ar) == (pcode, "admin1", pcode, name, name)
        assert gaz.governorate_by_name(name) == g
        assert g in gaz.lookup(name)


def test_counts_per_level(places):
    levels = Counter(p.level for p in places)
    assert (levels["admin1"], levels["admin2"], levels["admin3"], levels["community"]) == (14, 62, 272, 7950)
    assert 15 <= levels["region"] <= 30
    assert 300 <= levels["place"] <= 460
    assert 10 <= levels["foreign"] <= 60


def test_every_place_has_a_point_and_a_precision(places):
    for p in places:
        assert p.lat is not None and p.lon is not None, p
        assert p.geo_precision in {1, 2, 3}, p
        if p.country == "Syria":
            assert 32.2 < p.lat < 37.5 and 35.5 < p.lon < 42.5, p
    precision = Counter((p.level, p.geo_precision) for p in places)
    assert precision[("admin1", 3)] == 14 and precision[("community", 1)] > 400


def test_admin_chain(places):
    for p in places:
        if p.level in {"admin2", "admin3", "community"}:
            assert p.admin2_pcode and p.admin2_pcode.startswith(p.admin1_pcode or "-"), p
        if p.level in {"admin3", "community"}:
            assert p.admin3_pcode and p.admin3_pcode.startswith(p.admin2_pcode or "-"), p
        if p.level == "community":
            assert p.pcode and p.pcode.startswith("C") and p.admin1_en and p.admin2_en and p.admin3_en, p


def test_abu_dali_is_ambiguous_and_the_hint_decides(gaz):
    cands = gaz.lookup("أبو دالي")
    assert {p.admin1_pcode for p in cands} >= {"SY04", "SY05", "SY07"}
    idleb = gaz.resolve(cands, "SY07")
    assert (idleb.admin1_pcode, idleb.admin2_en, idleb.level) == ("SY07", "Al Ma'ra", "community")
    assert gaz.resolve(cands, None) == gaz.resolve(tuple(reversed(cands)), None)  # deterministic
    assert gaz.resolve(cands, "SY11") == gaz.resolve(cands, None)  # a hint with no candidate is ignored
    assert gaz.resolve((), "SY07") is None


@pytest.mark.parametrize(
    ("name", "pcode"),
    [("الزبداني", "SY03"), ("عين العرب", "SY02"), ("كوباني", "SY02"), ("دوما", "SY03"), ("تدمر", "SY04")],
)
def test_well_known_towns(gaz, name, pcode):
    assert gaz.resolve(gaz.lookup(name), None).admin1_pcode == pcode


def test_district_beats_namesake_villages(gaz):
    ras_al_ain = gaz.lookup("رأس العين")
    assert len({p.admin1_pcode for p in ras_al_ain}) > 1
    assert (gaz.resolve(ras_al_ain, None).level, gaz.resolve(ras_al_ain, None).admin1_pcode) == ("admin2", "SY08")


def test_regions(gaz):
    ghab = gaz.resolve(gaz.lookup("سهل الغاب"), None)
    assert (ghab.level, ghab.admin1_pcode, ghab.pcode, ghab.geo_precision) == ("region", "SY05", None, 3)
    assert ghab.lat is not None and ghab.lon is not None
    # A region beats the Lattakia village that shares its name.
    assert gaz.resolve(gaz.lookup("القلمون"), None).admin1_pcode == "SY03"
    assert gaz.resolve(gaz.lookup("الغوطة الشرقية"), None).level == "region"


def test_keys_are_normalised(gaz):
    assert all(k == normalize_key(k) for k in gaz.keys())
    idleb = gaz.lookup("إدلب")
    assert idleb and all(gaz.lookup(v) == idleb for v in ("ادلب", "أدلب", "إِدْلِب", "ادلـــب"))
    assert gaz.lookup("كفرنبل") == gaz.lookup("كفر نبل")  # written joined or split
    assert gaz.lookup("سلمية") == gaz.lookup("السلمية")  # with or without the article
    assert gaz.lookup("نبّل") == gaz.lookup("نبل")
    assert gaz.max_words == max(len(k.split()) for k in gaz.keys())


def test_foreign(gaz):
    suruc = [p for p in gaz.lookup("سروج") if p.level == "foreign"]
    assert len(suruc) == 1 and (suruc[0].country, suruc[0].pcode, suruc[0].admin1_pcode) == ("Turkey", None, None)
    assert gaz.resolve(gaz.lookup("سروج"), None) == suruc[0]  # villages of that name in Hama and Idleb
    assert gaz.resolve(gaz.lookup("سروج"), "SY05").admin1_pcode == "SY05"
    assert gaz.lookup("سوروتش") == tuple(suruc)


@pytest.mark.parametrize(
    ("name", "pcode"),
    [
        ("حلب", "SY02"),
        ("ادلب", "SY07"),
        ("الرقه", "SY11"),
        ("دير الزور", "SY09"),
        ("ديرالزور", "SY09"),
        ("ريف دمشق", "SY03"),
        ("محافظة الحسكة", "SY08"),
        ("ريف حماة", "SY05"),
        ("الريف الإدلبي", "SY07"),
        ("الحلبي", "SY02"),
        ("الريف الدمشقي", "SY03"),
        ("السويدا", "SY13"),
    ],
)
def test_governorate_by_name(gaz, name, pcode):
    assert gaz.governorate_by_name(name).pcode == pcode


def test_governorate_by_name_rejects_other_places(gaz):
    assert gaz.governorate_by_name("الزبداني") is None
    assert gaz.governorate_by_name("مدينة حلب") is None


def test_stopwords(gaz):
    assert gaz.is_common_word("علي") and gaz.is_common_word("السعودية") and gaz.is_common_word("تركيا")
    assert not gaz.is_common_word("الزبداني") and not gaz.is_common_word("حلب")
    assert gaz.needs_cue("الباب") and gaz.needs_cue("دوما") and not gaz.is_common_word("الباب")
    for word in ("علي", "الباب"):
        assert gaz.lookup(word)  # the places stay in the gazetteer
    assert gaz.is_whole_word("وزاره") and not gaz.is_whole_word("وحلب")
    text = (DATA / "place_stopwords.txt").read_text(encoding="utf-8")
    names, whole_words = text.split("[whole_words]")
    for word in (ln.split("#")[0].strip() for ln in names.splitlines()):
        if word and word != "[needs_cue]":
            assert word == normalize_key(word) and gaz.lookup(word), word
    for line in whole_words.splitlines():
        word, _, reading = line.partition("# not ")
        if word.strip() and not line.startswith("#"):  # a word that reads as proclitic + the place it names
            assert word.strip() == normalize_key(word) and gaz.lookup(reading.strip()), line


def test_data_files_are_well_formed():
    with (DATA / "gazetteer.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == (
        "name_ar name_en level pcode admin1_pcode admin2_pcode admin3_pcode admin1_en admin2_en admin3_en "
        "admin1_ar lat lon alt_names source".split()
    )
    pcodes = [r["pcode"] for r in rows if r["pcode"]]
    assert len(pcodes) == len(set(pcodes))
    with (DATA / "foreign.csv").open(encoding="utf-8", newline="") as f:
        assert {r["country"] for r in csv.DictReader(f)} <= {"Turkey", "Lebanon", "Iraq", "Jordan"}


def test_loading_is_cached():
    # Load time is measured in bench/, not asserted here (timed unit tests are flaky on a loaded machine).
    assert load_gazetteer() is load_gazetteer()
    assert _build().max_words == load_gazetteer().max_words


@pytest.mark.skipif(not (SOURCE / "gazetteer.csv").exists(), reason="shared gazetteer sources not present")
def test_build_reproduces_the_shipped_file(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("build_gazetteer", ROOT / "scripts" / "build_gazetteer.py")
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, build)  # dataclasses look their module up
    spec.loader.exec_module(build)
    out = build.write(build.build(SOURCE), SOURCE, tmp_path / "gazetteer.csv")
    assert out.read_bytes() == (DATA / "gazetteer.csv").read_bytes()
