"""Toll attachment: each casualty count goes to the candidate it belongs to; an event's counts are summed."""

from __future__ import annotations

import bisect

from .candidates import Candidate
from .clause_filters import STATISTIC_TOLL
from .cues import cue_regex
from .document import Document, Mention, starting_between, within
from .event_kinds import BOMBARDMENT_TRIGGERS, BOMBARDMENTS
from .normalize import compile_ar
from .numbers import Toll

_RESULT = cue_regex(r"\W{0,10}(?:و|ف)?(?:ما|مما)?\s*{result_verbs}")


class _Index:
    """The candidates by clause, by sentence (first places of their lists), by the clause their place is named in
    and by the clauses that echo them, in the candidates' order: a report of thousands of deeds must not have each
    toll scan them all."""

    def __init__(self, doc: Document, candidates: list[Candidate]) -> None:
        self.by_clause: dict[int, list[Candidate]] = {}
        self.by_sentence: dict[int, list[Candidate]] = {}
        self.by_place_clause: dict[int, list[Candidate]] = {}
        self.echoing: dict[int, list[Candidate]] = {}
        # By sentence, asked once however many tolls it tells: where a source's count opens it, and the one deed
        # that count is of (None when the sentence opens otherwise).
        self.counted_by_source: dict[int, tuple[int, Candidate | None] | None] = {}
        for c in candidates:
            if c.first_in_list:
                self.by_clause.setdefault(c.clause, []).append(c)
                self.by_sentence.setdefault(c.sentence, []).append(c)
                self.by_place_clause.setdefault(doc.clause_index(c.place.start), []).append(c)
            for e in dict.fromkeys(e for e, _ in c.echoes):
                self.echoing.setdefault(e, []).append(c)


def attach_tolls(doc: Document, candidates: list[Candidate], muted: set[int]) -> None:
    """Give each toll to its candidate (in place); tolls of muted clauses (statistics) go nowhere."""
    index = _Index(doc, candidates)
    for toll in doc.tolls:
        value: Toll = toll.value
        if value.subset:
            continue
        ci = doc.clause_index(toll.start)
        if ci in muted and value.count != 0:
            continue
        if value.count is not None and value.count > STATISTIC_TOLL:
            continue
        target = _toll_target(doc, candidates, index, toll, ci)
        if target is None:
            continue
        target.tolls.append(toll)
        if value.count == 0 and _BOTH_SIDES.match(doc.norm, toll.end, doc.clauses[ci].end):
            # «قصف جوي على القرى، تبعه قصف من المعارضة على المطار، دون ورود معلومات عن قتلى أو جرحى من الطرفين»:
            # «no casualties on either side» holds for the deeds of both sides told just before it.
            for other in candidates:
                if other is not target and ci - _BOTH_SIDES_REACH <= other.clause < ci and other.first_in_list:
                    if doc.clauses[other.clause].sentence == doc.clauses[ci].sentence:
                        other.tolls.append(toll)
        for other in _list_of(candidates, target):
            # «غارات على أحياء A وB وC اقتصرت أضرارها على المادية»: zero holds for each place of the list; a
            # positive toll stays on the first place (it is not split) but names the victims at each
            # («لقي 8 مدنيين في قصف على حيي الكلاسة والصاخور»).
            (other.tolls if value.count == 0 else other.list_tolls).append(toll)
    _list_totals_told_again_per_place(doc, candidates)


# Sentences after a list's total where the toll of one of its places may be told on its own.
PER_PLACE_SENTENCES = 3


def _list_totals_told_again_per_place(doc: Document, candidates: list[Candidate]) -> None:
    """«قتل 12 شخصاً في غارات استهدفت بلدتي سراقب وحزارين … استشهاد 11 مواطناً في بلدة سراقب … واستشهد رجل في
    بلدة حزارين»: the toll on a list's first place is the list's; when that place's own toll is told after it, of
    the same kind of deed and no more than the total, that is the place's toll, and the total only says who the
    victims were."""
    told_alone: dict[tuple[str, str], list[Candidate]] = {}
    for c in candidates:
        if not c.listed and toll_count(c.tolls, "killed"):
            told_alone.setdefault((c.sub_event_type, _place_key(doc, c)), []).append(c)
    for head in candidates:
        total = toll_count(head.tolls, "killed")
        if not (head.listed and head.first_in_list and total):
            continue
        alone = told_alone.get((head.sub_event_type, _place_key(doc, head)), [])
        # (in the candidates' order, so by sentence: a report of thousands of lists must not scan them all)
        lo = bisect.bisect_right(alone, head.sentence, key=lambda c: c.sentence)
        hi = bisect.bisect_right(alone, head.sentence + PER_PLACE_SENTENCES, key=lambda c: c.sentence)
        if any((toll_count(c.tolls, "killed") or 0) <= total for c in alone[lo:hi]):
            head.list_tolls += [t for t in head.tolls if t.label == "killed"]
            head.tolls = [t for t in head.tolls if t.label != "killed"]


def _place_key(doc: Document, c: Candidate) -> str:
    return doc.norm[c.place.start : c.place.end]


_BOTH_SIDES = compile_ar(r"\W{0,10}(?:\S+\s+){0,3}?(?:من|في\s+صفوف|بين|لدى)\s+(?:ال)?(?:طرفين|جانبين)(?!\w)")
_BOTH_SIDES_REACH = 6  # clauses before a «no casualties on either side» that it speaks of


def _list_of(candidates: list[Candidate], head: Candidate) -> list[Candidate]:
    """The other places of the coordinated list `head` begins (same clause and trigger)."""
    if not head.listed:
        return []
    return [c for c in candidates if c is not head and c.clause == head.clause and c.trigger is head.trigger]


def _toll_target(
    doc: Document, candidates: list[Candidate], index: _Index, toll: Mention, ci: int
) -> Candidate | None:
    same_clause = index.by_clause.get(ci)
    if same_clause:
        return min(same_clause, key=lambda c: abs(c.trigger.start - toll.start))
    echoed = index.echoing.get(ci)
    if echoed:
        return echoed[-1]  # «وأسفر الانفجار عن مقتل 25» told a sentence after the bombing: the bombing's toll
    sentence = doc.clauses[ci].sentence
    same_sentence = index.by_sentence.get(sentence, [])
    if not same_sentence:
        return _placed_later(doc, candidates, ci) or _counted_again_by_a_source(doc, index, toll, ci)
    preceding = [c for c in same_sentence if c.clause < ci]
    result = _RESULT.match(doc.norm, doc.clauses[ci].start) if preceding else None
    if result is not None:
        # «…، مما أسفر عن مقتل 30»: the toll of what came before; «وأسفر القصف عن …» of the bombardment before.
        named = _kind_named(doc, result.end())
        return max(preceding, key=lambda c: (c.sub_event_type in named, c.clause))
    if preceding and toll.value.count == 0:
        return max(preceding, key=lambda c: c.clause)  # «قصفت …، دون أنباء عن إصابات»: a trailing «no casualties»
    placed_here = [c for c in index.by_place_clause.get(ci, []) if c.sentence == sentence]
    if placed_here:
        return placed_here[0]  # «…، وأوضح أنه في حي المرور قتل 5 مسلحين»: the dead of the deed placed in this clause
    linked = _agent_linked(doc, preceding, toll, ci)
    if linked is not None:
        return linked  # «اندلعت اشتباكات بين المعارضة والنظام …، وقتلت المعارضة 3 جنود، تزامنا مع قصف …»
    # A deed made from deaths told at a place of its own takes no other toll.
    told_by_deed = [c for c in same_sentence if not c.own_dead] or same_sentence
    following = [c for c in told_by_deed if c.clause > ci]
    if following:
        return min(following, key=lambda c: c.clause)
    return max(told_by_deed, key=lambda c: c.clause)


def _kind_named(doc: Document, at: int) -> frozenset[str]:
    """The sub-event types the noun right after a result verb names: «أسفر القصف» a bombardment, else none."""
    nxt = starting_between(doc.triggers, at, at + 4)  # past a feminine «ت» and the space
    if nxt and nxt[0].label in BOMBARDMENT_TRIGGERS:
        return BOMBARDMENTS
    return frozenset()


# How far ahead an event told without a place may find the sentence that places it.
_PLACED_WITHIN = 3
_DEFINITE = compile_ar(r"[وفبل]?(?:ال|لل)\w+(?:\s+ال\w+)?")


def _placed_later(doc: Document, candidates: list[Candidate], ci: int) -> Candidate | None:
    """«قال مسؤول إن جنديا قتل في اشتباكات عبر الحدود. … وقالت تقارير إن الاشتباكات قريبة من قرية البيلي»: the
    toll of a clause that tells an event but no place goes to the first event of its type placed in the next
    sentences when that one refers back to it (a definite noun) and its sentence tells no toll of its own."""
    clause = doc.clauses[ci]
    types = {t.value["event_type"] for t in starting_between(doc.triggers, clause.start, clause.end)}
    later = [
        c
        for c in candidates
        if clause.sentence < c.sentence <= clause.sentence + _PLACED_WITHIN and c.first_in_list
    ]
    first = min(later, key=lambda c: c.clause, default=None)
    if first is None or first.event_type not in types:
        return None
    if not _DEFINITE.fullmatch(doc.norm, first.trigger.start, first.trigger.end):
        return None  # «… قريبة من البيلي» must refer back («الاشتباكات»), not tell a new event («انتحاريين»)
    # A lead's toll over several events («قتل 32 في سلسلة تفجيرات») is not the first event's when that one has its own.
    told = doc.sentences[first.sentence]
    own = any(t.label == "killed" for t in starting_between(doc.tolls, told.start, told.end))
    return None if own else first


# «وأفاد المرصد السوري من جهته عن مقتل 12»: a source's word, then its count of the dead as «عن/بـ مقتل».
_SOURCE_COUNTS = cue_regex(
    r"\W{0,10}[وف]?{reporting_verbs}(?:\s+[^\s.،؛:]+){0,8}?\s+(?:عن\s+|ب)(?:مقتل|سقوط|استشهاد|وفاه)(?!\w)"
)
_SOURCE_REACH = 2  # sentences before a source's count where the one deed it counts may be told
SOURCE_TOLL_REACH = 40  # characters after «عن مقتل» where the count stands


def _counted_again_by_a_source(doc: Document, index: _Index, toll: Mention, ci: int) -> Candidate | None:
    """«… انفجار سيارة مفخخة في جرمانا. وأفاد المرصد من جهته عن مقتل 12 شخصاً وإصابة 15»: a sentence opening with a
    source's count of the dead, and telling no deed and no place, counts the one deed told just before it."""
    sentence = doc.clauses[ci].sentence
    if sentence not in index.counted_by_source:
        told = doc.sentences[sentence]
        opening = _SOURCE_COUNTS.match(doc.norm, told.start, told.end)
        deed = _the_one_deed_before(doc, index, sentence) if opening else None
        index.counted_by_source[sentence] = (opening.end(), deed) if opening else None
    counted = index.counted_by_source[sentence]
    if not toll.value.count or counted is None or toll.start - counted[0] > SOURCE_TOLL_REACH:
        return None
    return counted[1]


def _the_one_deed_before(doc: Document, index: _Index, sentence: int) -> Candidate | None:
    told = doc.sentences[sentence]
    if within(doc.triggers, told.start, told.end) or within(doc.places, told.start, told.end):
        return None
    before = [c for s in range(max(0, sentence - _SOURCE_REACH), sentence) for c in index.by_sentence.get(s, [])]
    deeds = {(c.sub_event_type, c.place.value.place.pcode, c.place.value.place.name_ar) for c in before}
    return before[-1] if len(deeds) == 1 else None


def _agent_linked(doc: Document, preceding: list[Candidate], toll: Mention, ci: int) -> Candidate | None:
    """A toll whose killer is named before it in its clause («وقتلت المعارضة 3 جنود») belongs to the latest event
    before it in the sentence whose telling names that side, not to the next event told."""
    clause = doc.clauses[ci]
    agents = {a.label for a in starting_between(doc.actors, clause.start, toll.start)}
    if not agents:
        return None
    for cand in sorted(preceding, key=lambda c: c.clause, reverse=True):
        told = starting_between(doc.actors, doc.clauses[cand.clause].start, clause.start)
        if any(a.label in agents for a in told):
            return cand
    return None


def toll_count(tolls: list[Mention], kind: str) -> int | None:
    """Per-side counts are summed, restatements are not; a running total («ارتفع إلى») only raises it."""
    values = [t.value for t in tolls if t.label == kind]
    if not values:
        return None
    numeric = [v for v in values if v.count is not None]
    if not numeric:
        return None
    updates = [v.count for v in numeric if v.update]
    additions = sum(v.count for v in numeric if v.plus)
    numeric = [v for v in numeric if not v.plus]
    per_side: dict[str | None, int] = {}
    for v in numeric:
        if not v.update:
            per_side[v.side] = max(per_side.get(v.side, 0), v.count)
    unsided = per_side.pop(None, None)
    total = sum(per_side.values())
    if unsided is not None and unsided not in per_side.values():
        total = max(total, unsided) if total and unsided <= total else total + unsided
    if not (per_side or unsided is not None or updates):
        return additions or None
    return max([total + additions, *updates])
