"""Stage: find event triggers (words that say violence happened) and give each its ACLED sub-event type."""

from __future__ import annotations

from .. import lexicon
from .document import Document, Mention, resolve_overlaps


def find(doc: Document) -> Document:
    found = [
        Mention(m.start(), m.end(), entry.label, entry.data)
        for entry in lexicon.triggers()
        for m in entry.regex.finditer(doc.norm)
    ]
    return doc.with_(triggers=resolve_overlaps(found))
