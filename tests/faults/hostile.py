"""The hostile-input corpus: the files in corpus/ (raw message bytes) and the inputs too big to keep, built here.

corpus/manifest.json says for each input what it is and its expected outcome: a dead-letter error_class, or
"processed" (events or no event, never an exception).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import orjson

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
CORPUS = Path(__file__).parent / "corpus"
MANIFEST = CORPUS / "manifest.json"
PROCESSED = "processed"
ERROR_CLASSES = frozenset({"too_large", "empty", "invalid_utf8", "invalid_json", "wrong_schema", "not_arabic"})
# The cap the expectations hold under: the worker's default RASAD_MAX_REPORT_BYTES.
CAP = 1_000_000

# No single event on record comes near this many deaths: a toll above it is a misread number.
ABSURD_TOLL = 1_000_000

KILLING = "استشهد 12 مدنيا جراء قصف الطائرات الحربية على مدينة دوما في ريف دمشق"


@dataclass(frozen=True)
class Hostile:
    name: str  # the file name, or the generator's name; also the message key on the broker
    raw: bytes
    expect: str  # a dead-letter error_class or "processed"
    what: str
    known_bug: str | None = None


def _report(name: str, text: str, **fields: object) -> bytes:
    return orjson.dumps(
        {"id": name, "source": "faults", "published_at": "2018-02-11T12:00:00+03:00", "text": text, **fields}
    )


def _sized(name: str, size: int) -> bytes:
    """A well-formed report of exactly `size` bytes (the text padded with one-byte spaces)."""
    head = _report(name, KILLING + " ")
    filler = "قصف " * ((size - len(head)) // len("قصف ".encode()))
    raw = _report(name, KILLING + " " + filler)
    return _report(name, KILLING + " " + filler + " " * (size - len(raw)))


GENERATORS: dict[str, Callable[[str], bytes]] = {
    "ten-megabytes": lambda n: _sized(n, 10_000_000),
    "just-over-the-cap": lambda n: _sized(n, 1_020_000),
    "huge-title": lambda n: _report(n, KILLING, title="عنوان طويل " * 45_000),
    "commas-100k": lambda n: _report(n, KILLING + "،" * 100_000),
    "long-run-of-a-place-name": lambda n: _report(n, "دمشق " * 100_000),
    "long-run-of-a-trigger-word": lambda n: _report(n, "اشتباكات " * 1_500),
    "one-giant-token": lambda n: _report(n, "ب" * 450_000),
    "digit-run": lambda n: _report(n, "قتل " + "7" * 200_000 + " مدنيا في دوما"),
    "one-clause-village-list": lambda n: _report(
        n, "قصفت قوات النظام أمس قرى " + " و".join(["سراقب", "أريحا", "كفرنبل", "معرة النعمان"] * 4_000) + "."
    ),
    "space-run": lambda n: _report(n, KILLING + " " * 500_000 + "قصف"),
    "blank-line-run": lambda n: _report(n, KILLING + "\n\n \n" * 100_000 + "قصف"),
    "comma-space-run": lambda n: _report(n, KILLING + "، " * 100_000 + "قصف"),
    "comma-village-list": lambda n: _report(
        n, "قصفت قوات النظام أمس قرى (" + "، ".join(["سراقب", "أريحا", "كفرنبل", "معرة النعمان"] * 4_000) + ")."
    ),
}


def manifest() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def load_corpus() -> list[Hostile]:
    """Every input of the manifest, files first, then the generated ones, in manifest order."""
    data = manifest()
    out = [
        Hostile(e["file"], (CORPUS / e["file"]).read_bytes(), e["expect"], e["what"], e.get("known_bug"))
        for e in data["inputs"]
    ]
    out += [
        Hostile(e["name"], GENERATORS[e["name"]](e["name"]), e["expect"], e["what"], e.get("known_bug"))
        for e in data["generated"]
    ]
    return out


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


CHECK_DEAD_LETTER = validator("dead-letter")
CHECK_EVENT = validator("event")
