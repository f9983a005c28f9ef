"""Date choice: a candidate's date from its clause, sentence or story, else the report's week."""

from __future__ import annotations

from datetime import date, timedelta

from . import dates as date_stage
from .candidates import Candidate
from .cues import cue_regex
from .document import Document, Mention, within


def date_of(doc: Document, cand: Candidate) -> tuple[str, int]:
    """The event's date (ISO) and ACLED time precision (1 day, 2 week)."""
    clause = doc.clauses[cand.clause]
    sentence = doc.sentences[cand.sentence]
    found = date_stage.refine(within(doc.dates, clause.start, clause.end))
    place_clause = doc.clauses[doc.clause_index(cand.place.start)]
    if found is None and place_clause.sentence == cand.sentence:
        # «…قتل في ضربة جوية، بينما كان يتنقل قرب بلدة سرمدا في الثامن من يوليو»: the place's clause dates it
        found = date_stage.refine(within(doc.dates, place_clause.start, place_clause.end))
    if found is None:
        earlier = [d for d in doc.dates if sentence.start <= d.start < clause.start and not _reported_on(doc, d)]
        later = [d for d in doc.dates if clause.end <= d.start < sentence.end and not _reported_on(doc, d)]
        found = date_stage.refine(earlier[-1:]) or date_stage.refine(later[:1])
    if found is None:
        prior = [d for d in doc.dates if d.start < sentence.start and not _reported_on(doc, d)]
        found = date_stage.refine(prior[-1:])
    if found is None:
        published = doc.report.published_at.date()
        # No date in the text: ACLED codes the report's date with week precision.
        return published.isoformat(), 2
    value, precision = found
    return _iso(value), precision


# «حسبما أفاد الأحد المرصد»: the day a source spoke dates its statement, not the events other clauses tell.
_REPORTING_VERB = cue_regex(r"(?<!\w)[وف]?(?:حسبما\s+|كما\s+)?{reporting_verbs}\s+$")


def _reported_on(doc: Document, d: Mention) -> bool:
    return bool(_REPORTING_VERB.search(doc.norm, max(0, d.start - 16), d.start))


def _iso(value: date | timedelta) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)
