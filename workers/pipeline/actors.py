"""Stage: find actor mentions (armed groups, forces) and victim mentions (civilians) with their codes."""

from __future__ import annotations

from .. import lexicon
from .document import Document, Mention, resolve_overlaps


def find(doc: Document) -> Document:
    found = [Mention(start, end, entry.label, entry.data) for start, end, entry in lexicon.actors().finditer(doc.norm)]
    actors = resolve_overlaps(found)
    # «التنظيم» means the Islamic State only in a report that names it.
    if not any(a.label == "ISLAMIC_STATE" and not a.value.get("coref") for a in actors):
        actors = tuple(a for a in actors if not a.value.get("coref"))
    victims = tuple(
        Mention(start, end, entry.label)
        for start, end, entry in lexicon.victims().finditer(doc.norm)
        if not any(a.start <= start < a.end for a in actors)
    )
    return doc.with_(actors=actors, victims=victims)
