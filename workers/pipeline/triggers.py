"""Stage: find event triggers (words that say violence happened) and give each its ACLED sub-event type."""

from __future__ import annotations

from .. import lexicon
from .document import Document, Mention, resolve_overlaps


def find(doc: Document) -> Document:
    matches = lexicon.triggers().finditer(doc.norm)
    found = [Mention(start, end, entry.label, entry.data) for start, end, entry in matches]
    return doc.with_(triggers=resolve_overlaps(found))
