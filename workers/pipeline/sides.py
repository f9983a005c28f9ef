"""Sides of a fight: allied and opposed actors, air forces, «بين X و Y» pairs and a fight's other side."""

from __future__ import annotations

from .cues import camps, cue_regex, fights_from_the_air
from .document import Document, Mention, starting_between, within
from .normalize import compile_ar

AIR_ACTOR = cue_regex(r"{air_words}")
# «طائرات التحالف الدولي بقيادة الولايات المتحدة»: the longest actor name leaves the aircraft noun before it.
AIRCRAFT_BEFORE = cue_regex(r"(?<!\w)(?:ال)?{aircraft_nouns}\s+(?:(?:ال)?حربيه\s+)?$")


_FROM_THE_AIR = fights_from_the_air()


def is_air(doc: Document, a: Mention) -> bool:
    """An air force, named by its aircraft, or a side whose war in Syria is fought from the air («قصف روسي»)."""
    return a.label in _FROM_THE_AIR or bool(
        AIR_ACTOR.search(doc.norm[a.start : a.end]) or AIRCRAFT_BEFORE.search(doc.norm, max(0, a.start - 24), a.start)
    )


def coordination_head(doc: Document, mentions: list[Mention]) -> Mention:
    """The first conjunct of the allied actors ending the list: «قوات الأسد وحزب الله بدأت» → قوات الأسد."""
    i = len(mentions) - 1
    while i > 0 and not opposed(mentions[i - 1], mentions[i]) and joined(doc, mentions[i - 1], mentions[i]):
        i -= 1
    return mentions[i]


def joined(doc: Document, a: Mention, b: Mention) -> bool:
    """«X و Y» / «X وY» (the conjunction may be the proclitic of Y's mention)."""
    between = doc.norm[a.end : b.start]
    return bool(_AND.fullmatch(between)) and ("و" in between or doc.norm[b.start] == "و")


_AND = compile_ar(r"\s*،?\s*(?:و\s*)?")
OPPONENT_REACH = 2  # sentences back (one ahead) where a fight's unnamed other side may have been named


def opponent(doc: Document, a1m: Mention, sentence: int) -> Mention | None:
    """A fight told with one side only: the other side is the nearest opposed actor of the story — in the
    same sentence, else the sentences just before it («… بيد فصائل المعارضة. واستمرت الاشتباكات …»), else the next."""
    lo = doc.sentences[max(0, sentence - OPPONENT_REACH)].start
    hi = doc.sentences[min(len(doc.sentences) - 1, sentence + 1)].end
    pool = [
        a
        for a in within(doc.actors, lo, hi)
        if opposed(a, a1m)
        and a.label != "COALITION"  # it fights from the air, not in ground clashes
        and not AIR_ACTOR.search(doc.norm[a.start : a.end])
        and not in_disjunction(doc, a)
    ]
    if not pool:
        return None
    here = doc.sentences[sentence]

    def rank(a: Mention) -> tuple[int, int]:
        s = doc.sentence_index(a.start)
        tier = 0 if s == sentence else 1 if s < sentence else 2
        return tier, abs(a.start - a1m.start) if tier == 0 else (here.start - a.start if tier == 1 else a.start)

    return min(pool, key=rank)


_OR = compile_ar(r"^\s*او\s+(?:\w+\s+){0,2}$")


def in_disjunction(doc: Document, m: Mention) -> bool:
    """Is the actor one of «X أو Y» (two different sides offered as alternatives)?"""
    after = starting_between(doc.actors, m.end, m.end + 30)
    before = [a for a in starting_between(doc.actors, max(0, m.start - 60), m.start) if a.end <= m.start]
    return any(a.label != m.label and _OR.match(doc.norm[m.end : a.start]) for a in after[:1]) or any(
        a.label != m.label and _OR.match(doc.norm[a.end : m.start]) for a in before[-1:]
    )


# Sides that fight together: named one after the other («قوات النظام وحزب الله») they are one side.
ALLIES = camps()


def opposed(a: Mention, b: Mention) -> bool:
    """Are the two actors of different camps (an actor with no camp is one of its own)?"""
    side_a, side_b = ALLIES.get(a.label, a.label), ALLIES.get(b.label, b.label)
    return side_a != side_b


_BETWEEN = compile_ar(r"(?<!\w)بين\s")
_SIDE_MARK = compile_ar(r"من\s+(?:طرف|جانب|جهه)(?!\s+(?:اخر|اخري|ثانيه))")


def clash_pair(doc: Document, ci: int, within_clause: bool = False) -> tuple[Mention | None, Mention | None]:
    """«اشتباكات بين X من طرف، وY من طرف آخر»: the pair named in this clause or, for a clash told on
    without its sides («في الاشتباكات التي تركزت…»), in the last clause of the story that named them."""
    first_sentence = max(0, doc.clauses[ci].sentence - 1)
    fallback: tuple[Mention | None, Mention | None] = (None, None)
    for cj in range(ci, -1, -1):
        clause = doc.clauses[cj]
        if clause.sentence < first_sentence:
            break
        found = _BETWEEN.search(doc.norm, clause.start, clause.end)
        if not found:
            if within_clause:
                break  # the pair of THIS clause only: an earlier «بين» names another fight's sides
            continue
        end = clause.end if within_clause else doc.clauses[min(cj + 2, len(doc.clauses) - 1)].end
        after = [a for a in doc.actors if found.end() <= a.start < end]
        if after:
            # The second side comes after «من طرف / من جانب / من جهة»; without it, the next other actor.
            side = _SIDE_MARK.search(doc.norm, after[0].end, end)
            pool = [a for a in after[1:] if side is None or a.start >= side.end()]
            partner = next((a for a in pool if opposed(a, after[0])), None)
            if partner is not None:
                return after[0], partner
            fallback = fallback if fallback[0] else (after[0], None)
        if within_clause:
            break
    return fallback
