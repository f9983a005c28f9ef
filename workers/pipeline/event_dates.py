"""Date choice: a candidate's date from its clause, sentence or story, else the report's week."""

from __future__ import annotations

from datetime import date, timedelta

from . import dates as date_stage
from .candidates import Candidate
from .cues import cue_regex
from .document import Document, Mention, nearest_first_before, starting_between, within


def date_of(doc: Document, cand: Candidate) -> tuple[str, int]:
    """The event's date (ISO) and ACLED time precision (1 day, 2 week)."""
    clause = doc.clauses[cand.clause]
    sentence = doc.sentences[cand.sentence]
    in_clause = within(doc.dates, clause.start, clause.end)
    # «وقال المرصد يوم الأربعاء إن الاشتباكات استمرت مساء الثلاثاء»: the day it was said yields to the day told.
    told = [d for d in in_clause if not _reported_on(doc, d)]
    found = date_stage.refine(told or in_clause)
    place_clause = doc.clauses[doc.clause_index(cand.place.start)]
    if found is None and place_clause.sentence == cand.sentence:
        # «…قتل في ضربة جوية، بينما كان يتنقل قرب بلدة سرمدا في الثامن من يوليو»: the place's clause dates it
        found = date_stage.refine(within(doc.dates, place_clause.start, place_clause.end))
    if found is None:
        earlier = [d for d in starting_between(doc.dates, sentence.start, clause.start) if not _reported_on(doc, d)]
        later = [d for d in starting_between(doc.dates, clause.end, sentence.end) if not _reported_on(doc, d)]
        found = date_stage.refine(earlier[-1:]) or date_stage.refine(later[:1])
    if found is None:
        # «وأفاد المرصد أمس بسيطرة الفصائل على …»: with no other day told, the day the source spoke.
        found = date_stage.refine(within(doc.dates, sentence.start, sentence.end))
    if found is None:
        # The nearest day told before (not a day a source spoke on), else the nearest of any.
        prior = nearest_first_before(doc.dates, sentence.start)
        nearest = next(prior, None)
        if nearest is not None and _reported_on(doc, nearest):
            nearest = next((d for d in prior if not _reported_on(doc, d)), nearest)
        found = date_stage.refine([nearest] if nearest is not None else [])
    if found is None:
        published = doc.report.published_at.date()
        # No date in the text: ACLED codes the report's date with week precision.
        return published.isoformat(), 2
    value, precision = found
    return _iso(value), precision


# «حسبما أفاد الأحد المرصد», «وقال المرصد السوري لحقوق الإنسان يوم الأربعاء», «في بيان له أمس»: the day a
# source spoke dates its statement, not the events it tells (those follow «إن»/«أن», which ends the source).
_REPORTING_VERB = cue_regex(
    r"(?:(?<!\w)[وف]?(?:حسبما\s+|كما\s+)?{reporting_verbs}(?:\s+(?!ان\s|بان\s)[^\s.،؛:]+){0,6}"
    r"|(?<!\w)[وف]?(?:في|ب)\s*بيان(?:\s+(?:له|لها|صدر|اصدره|اصدرته))?)\s+(?:يوم\s+)?$"
)


def _reported_on(doc: Document, d: Mention) -> bool:
    return bool(_REPORTING_VERB.search(doc.norm, max(0, d.start - 70), d.start))


def _iso(value: date | timedelta) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)
