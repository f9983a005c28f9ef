"""Stage: find actor mentions (armed groups, forces) and victim mentions (civilians) with their codes."""

from __future__ import annotations

from .. import lexicon
from .document import Document, Mention, overlaps_any, resolve_overlaps
from .normalize import compile_ar

_OTHER_ORGANISATION = compile_ar(r"تنظيم\s+(?:القاعده|حراس\s+الدين|جند\s+الاقصى|انصار)")


def find(doc: Document) -> Document:
    found = [Mention(start, end, entry.label, entry.data) for start, end, entry in lexicon.actors().finditer(doc.norm)]
    actors = resolve_overlaps(found)
    # «التنظيم» alone is the Islamic State in Syrian reporting, unless the report names another «تنظيم».
    if _OTHER_ORGANISATION.search(doc.norm):
        actors = tuple(a for a in actors if not a.value.get("coref"))
    victims = tuple(
        Mention(start, end, entry.label)
        for start, end, entry in lexicon.victims().finditer(doc.norm)
        if not overlaps_any(actors, start, start + 1)
    )
    return doc.with_(actors=actors, victims=victims)
