"""Turn raw message bytes into a Report, or say precisely why not (the dead-letter reason)."""

from __future__ import annotations

import base64
import re
from datetime import datetime
from typing import Any

import orjson

from .records import DeadLetter, Report

# The smallest share of Arabic letters among a text's letters for it to be a report we can read.
MIN_ARABIC_SHARE = 0.3
DEAD_LETTER_SAMPLE_BYTES = 64_000


class InvalidReport(ValueError):
    """A message that can never become a report; `reason` is what a person reads in the dead letter."""

    def __init__(self, reason: str, error_class: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.error_class = error_class


def parse_report(raw: bytes, max_bytes: int) -> Report:
    """Validate and decode one message from the reports topic. Raises InvalidReport."""
    if len(raw) > max_bytes:
        raise InvalidReport(f"too large: {len(raw)} bytes, the cap is {max_bytes}", "too_large")
    if not raw.strip():
        raise InvalidReport("empty message", "empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidReport(f"invalid UTF-8 at byte {exc.start}", "invalid_utf8") from None
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise InvalidReport(f"not JSON: {exc}", "invalid_json") from None
    return report_from_dict(data)


def report_from_dict(data: Any) -> Report:
    """Check the report shape (schemas/report.schema.json) by hand-written rules that give readable reasons."""
    if not isinstance(data, dict):
        raise InvalidReport(f"a report must be a JSON object, got {type(data).__name__}", "wrong_schema")
    for name in ("id", "source", "published_at", "text"):
        if not isinstance(data.get(name), str) or not data[name].strip():
            raise InvalidReport(f"field {name!r} is missing or not a non-empty string", "wrong_schema")
    for name in ("url", "title", "language"):
        if data.get(name) is not None and not isinstance(data[name], str):
            raise InvalidReport(f"field {name!r} must be a string or null", "wrong_schema")
    try:
        published = datetime.fromisoformat(data["published_at"])
    except ValueError:
        raise InvalidReport("published_at is not an ISO 8601 date-time", "wrong_schema") from None
    if published.tzinfo is None:
        raise InvalidReport("published_at has no UTC offset", "wrong_schema")
    text = data["text"]
    if not is_arabic(text):
        raise InvalidReport("text is not Arabic (too few Arabic letters)", "not_arabic")
    return Report(
        id=data["id"],
        source=data["source"],
        published_at=published,
        text=text,
        language=data.get("language") or "ar",
        url=data.get("url"),
        title=data.get("title"),
    )


def is_arabic(text: str, sample: int = 4000) -> bool:
    """Are at least MIN_ARABIC_SHARE of the first `sample` characters' letters (str.isalpha) Arabic ones?"""
    head = text[:sample]
    arabic = sum(map(len, _ARABIC_LETTERS.findall(head)))
    # Only the rare non-Arabic word characters are looked at one by one.
    other = sum(map(str.isalpha, "".join(_OTHER_WORD_CHARS.findall(head))))
    letters = arabic + other
    if not letters:
        return False
    return arabic / letters >= MIN_ARABIC_SHARE


def _char_class(chars: list[str]) -> str:
    """A regex character class for `chars` (sorted), as ranges."""
    ranges: list[list[int]] = []
    for code in map(ord, chars):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


# The Arabic blocks counted as Arabic (the main block and the presentation forms).
_ARABIC_BLOCKS = ((0x0600, 0x06FF), (0xFB50, 0xFEFF))
# Runs of their letters (str.isalpha), in one C-level scan instead of a Python step per character.
_ARABIC_LETTERS = re.compile(
    "[" + _char_class([chr(c) for lo, hi in _ARABIC_BLOCKS for c in range(lo, hi + 1) if chr(c).isalpha()]) + "]+"
)
# Word characters that are neither decimal digits, "_" nor in the Arabic blocks: every other letter is one.
_OTHER_WORD_CHARS = re.compile(r"[^\W\d_" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _ARABIC_BLOCKS) + "]+")


def dead_letter(
    raw: bytes, error: InvalidReport, topic: str, partition: int | None, offset: int | None, key: bytes | None
) -> DeadLetter:
    """Keep as much of the original as is safe: decoded text if it is UTF-8, else base64; capped in size."""
    sample = raw[:DEAD_LETTER_SAMPLE_BYTES]
    try:
        original, encoding = sample.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        original, encoding = base64.b64encode(sample).decode("ascii"), "base64"
    return DeadLetter(
        reason=error.reason,
        error_class=error.error_class,
        topic=topic,
        partition=partition,
        offset=offset,
        original=original,
        original_encoding=encoding,
        original_size=len(raw),
        truncated=len(raw) > len(sample),
        key=key.decode("utf-8", "replace") if key else None,
    )
