"""Stage: find actor mentions (armed groups, forces) and victim mentions (civilians) with their codes."""

from __future__ import annotations

import re
from functools import cache

from .. import lexicon
from .cues import actor_facts
from .document import Document, Mention, overlaps_any, resolve_overlaps
from .normalize import compile_ar, normalize_key

_OTHER_ORGANISATION = compile_ar(r"تنظيم\s+(?:القاعده|حراس\s+الدين|جند\s+الاقصى|انصار)")
# «الجبهة» alone, after the report has named a «جبهة …», is that front (as «التنظيم» is the Islamic State):
# «هاجمت جبهة النصرة مقرا … وشنت الجبهة هجوما». Not when an adjective follows («الجبهة الجنوبية»).
_FRONT = compile_ar(r"(?<!\w)[وفبل]?(?:لل|ال)جبهه(?!\s+ال)(?!\w)")

_LATTER = compile_ar(
    r"(?<!\w)[وف]?(?:رد|ردت|قام|قامت|شن|شنت|قصف|قصفت|استهدف|استهدفت|هاجم|هاجمت|بادر|بادرت)\s+(?P<it>الاخير|الاخيره)(?!\w)"
)

# «طيران حربي يرجح أنه من كيان الاحتلال», «طائرات حربية تابعة للائتلاف»: the side named after a force, hedged or
# as its owner, is whose force it was (the generic «طيران حربي» would otherwise be the regime's).
_OWNED_BY = compile_ar(
    r"\W{0,10}(?:(?:التي|الذي)\s+)?"
    r"(?:(?:يرجح|يعتقد|رجح|يشتبه)\s+(?:ب)?(?:انه|انها|انهم|ان)\s+(?:(?:تابع|تابعه|تعود|يعود)\s+)?|(?:تابع|تابعه)\s+)"
    r"(?:(?:من|الى)\s+)?\W*$"
)


# «مليشيات "قسد"», «ميليشيا حزب الاتحاد الديمقراطي»: the bare word «militias» in construct with a side's name is
# that side's militias, not the pro-regime militias the bare word means alone.
_BARE_MILITIAS = compile_ar(r"[وبل]?(?:ال)?مي?ليشي(?:ا|ات)")
_CONSTRUCT = compile_ar(r"[\s\"'«»]*")


def _owned(doc: Document, a: Mention, b: Mention) -> bool:
    if b.start - a.end > 30:
        return False
    if _OWNED_BY.fullmatch(doc.norm, a.end, b.start):
        return True
    return bool(_BARE_MILITIAS.fullmatch(doc.norm, a.start, a.end) and _CONSTRUCT.fullmatch(doc.norm, a.end, b.start))


def _attributed(doc: Document, actors: tuple[Mention, ...]) -> tuple[Mention, ...]:
    """A force followed by its owner, hedged or not, becomes one mention of that owner."""
    out: list[Mention] = []
    skip = -1
    for i, a in enumerate(actors):
        if i == skip:
            continue
        b = actors[i + 1] if i + 1 < len(actors) else None
        if b is not None and _owned(doc, a, b):
            out.append(Mention(a.start, b.end, b.label, b.value))
            skip = i + 1
        else:
            out.append(a)
    return tuple(out)


# «غارات جوية روسية», «ضربات جوية تركية», «قصف جوي روسي», «طائرات حربية يرجح أنها روسية»: the
# nationality adjective of a strike or of the craft that struck names its author (each side's adjectives are data:
# `strike_adjectives` in actors.jsonl).
_STRIKE_NOUN = (
    r"(?<!\w)[وبل]?(?:ال|لل)?(?:غارات|غاره|غارتين|ضربات|ضربه|قصف|قصفا|هجمات|طلعات|طائرات|طائره|مقاتلات)"
    r"(?:\s+(?:ال)?(?:جوي|حربي)(?:ه|ا)?)?\s+(?:(?:يرجح|يعتقد|يشتبه)\s+(?:انها|انه)\s+)?(?:ال)?"
)
# «شنت تركيا غارات», «غارات شنتها روسيا»: a state named as the subject of a strike is its armed forces (`state_names`
# in actors.jsonl). Named otherwise («أعلنت تركيا», «الحدود مع تركيا») a state is no side of a fight.
_STRIKE_VERB = r"(?<!\w)[وف]?(?:شن|شنت|شنها|شنتها|نفذ|نفذت|نفذها|نفذتها|قصفت|قصفتها|استهدفت|استهدفتها|اغارت)\s+"


def _side_word_regex(field: str, before: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """`before`, then a word of a field of actors.jsonl (group «word», longest first); and each word's side."""
    by_word = {normalize_key(w): code for code, f in actor_facts().items() for w in f.get(field, ())}
    words = "|".join(sorted(by_word, key=len, reverse=True))
    return compile_ar(rf"{before}(?P<word>{words})(?!\w)"), by_word


@cache
def _strike_nationality() -> tuple[re.Pattern[str], dict[str, str]]:
    return _side_word_regex("strike_adjectives", _STRIKE_NOUN)


@cache
def _state_striking() -> tuple[re.Pattern[str], dict[str, str]]:
    return _side_word_regex("state_names", _STRIKE_VERB)


def _sides_named_by(
    doc: Document, actors: tuple[Mention, ...], named: tuple[re.Pattern[str], dict[str, str]]
) -> tuple[Mention, ...]:
    """The actors, with a side for each word `named` finds («روسية», «تركيا») that no actor mention covers yet."""
    regex, codes = named
    found = []
    for m in regex.finditer(doc.norm):
        start, end = m.span("word")
        code = codes[m.group("word")]
        if not overlaps_any(actors, start, end):
            found.append(Mention(start, end, code, actor_facts()[code]))
    return resolve_overlaps([*actors, *found]) if found else actors


def find(doc: Document) -> Document:
    found = [Mention(start, end, entry.label, entry.data) for start, end, entry in lexicon.actors().finditer(doc.norm)]
    actors = _sides_named_by(doc, _attributed(doc, resolve_overlaps(found)), _strike_nationality())
    actors = _sides_named_by(doc, actors, _state_striking())
    # «التنظيم» alone is the Islamic State in Syrian reporting, unless the report names another «تنظيم».
    if _OTHER_ORGANISATION.search(doc.norm):
        actors = tuple(a for a in actors if not a.value.get("coref"))
    fronts = {a.label for a in actors if "جبهه" in doc.norm[a.start : a.end]}
    if len(fronts) == 1:  # one named front: two («جبهة النصرة»، «الجبهة الجنوبية») leave «الجبهة» unresolved
        code = next(iter(fronts))
        data = next(a.value for a in actors if a.label == code)
        short = [Mention(m.start(), m.end(), code, data) for m in _FRONT.finditer(doc.norm)]
        first = min(a.start for a in actors if a.label == code)
        short = [m for m in short if m.start > first and not overlaps_any(actors, m.start, m.end)]
        if short:
            actors = resolve_overlaps([*actors, *short])
    latter = [m for m in _LATTER.finditer(doc.norm) if not overlaps_any(actors, m.start("it"), m.end("it"))]
    if latter:
        # «بينما ردّ الأخير بقصف …»: «the latter» is the side named last before it.
        extra = []
        for m in latter:
            before = [a for a in actors if a.end <= m.start()]
            if before:
                extra.append(Mention(m.start("it"), m.end("it"), before[-1].label, before[-1].value))
        actors = resolve_overlaps([*actors, *extra])
    victims = tuple(
        Mention(start, end, entry.label)
        for start, end, entry in lexicon.victims().finditer(doc.norm)
        if not overlaps_any(actors, start, start + 1)
    )
    return doc.with_(actors=actors, victims=victims)
