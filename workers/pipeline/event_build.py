"""Event building: a candidate with its actors, date and tolls becomes an Event with evidence spans."""

from __future__ import annotations

import hashlib

from ..records import EXTRACTOR_VERSION, Event, Evidence
from .candidates import Candidate
from .document import Document, Mention, Segment
from .event_actors import actors_with_echoes
from .event_dates import date_of
from .event_tolls import toll_count
from .places import PlaceMatch


def build(doc: Document, cand: Candidate) -> Event:
    """The Event a candidate describes, with its evidence spans in the raw text."""
    report = doc.report
    clause = doc.clauses[cand.clause]
    place: PlaceMatch = cand.place.value
    p = place.place
    a1, a2, a1m, a2m = actors_with_echoes(doc, cand)
    event_date, precision = date_of(doc, cand)
    killed = toll_count(cand.tolls, "killed")
    injured = toll_count(cand.tolls, "injured")
    location_ar = _without_lam(doc.raw_text(cand.place.start, cand.place.end))
    ident = "|".join([report.id, cand.sub_event_type, p.pcode or place.key, event_date, a1.code, a2.code if a2 else ""])
    evidence = [_evidence(doc, "trigger", cand.trigger), _evidence(doc, "place", cand.place)]
    if a1m:
        evidence.append(_evidence(doc, "actor1", a1m))
    if a2m:
        evidence.append(_evidence(doc, "actor2", a2m))
    evidence += [_evidence(doc, t.label, t) for t in cand.tolls]
    confidence = 0.4 + 0.15 * (not place.vague) + 0.15 * (a1.code != "UNKNOWN") + 0.15 * (precision == 1)
    confidence += 0.1 * (killed is not None)
    return Event(
        event_id=hashlib.sha1(ident.encode()).hexdigest()[:24],
        report_id=report.id,
        revision=1,
        event_date=event_date,
        time_precision=precision,
        event_type=cand.event_type,
        sub_event_type=cand.sub_event_type,
        actor1=a1,
        actor2=a2,
        country=p.country,
        admin1=p.admin1_en,
        admin1_pcode=p.admin1_pcode,
        admin2=p.admin2_en,
        admin2_pcode=p.admin2_pcode,
        admin3=p.admin3_en,
        admin3_pcode=p.admin3_pcode,
        location=p.name_en or None,
        location_ar=location_ar,
        latitude=p.lat,
        longitude=p.lon,
        geo_precision=p.geo_precision if not place.vague else 3,
        fatalities=killed,
        injured=injured,
        source=report.source,
        notes=_notes(doc, clause, cand.trigger),
        evidence=tuple(sorted(evidence, key=lambda e: (e.start, e.role))),
        confidence=round(min(confidence, 0.95), 2),
        extractor_version=EXTRACTOR_VERSION,
        report_ids=(report.id,),
    )


def _without_lam(name: str) -> str:
    """«للزبداني» → «الزبداني»: the place as named, without the preposition fused into its article."""
    return "ال" + name[2:] if name.startswith("لل") and len(name) > 3 else name


def _evidence(doc: Document, role: str, m: Mention) -> Evidence:
    start, end = doc.raw_span(m.start, m.end)
    return Evidence(role, start, end, doc.raw[start:end])


def _notes(doc: Document, clause: Segment, trigger: Mention) -> str:
    """The sentence around the trigger, capped so a one-sentence bulletin does not become the note."""
    sentence = doc.sentences[clause.sentence]
    start = max(sentence.start, trigger.start - 200)
    end = min(sentence.end, trigger.end + 200)
    # Cut at word boundaries: a note that starts mid-word reads as garbage.
    if start > sentence.start:
        start = doc.norm.find(" ", start, trigger.start) + 1 or start
    if end < sentence.end:
        end = doc.norm.rfind(" ", trigger.end, end) if doc.norm.rfind(" ", trigger.end, end) > 0 else end
    note = doc.raw_text(start, end).strip()
    return ("… " if start > sentence.start else "") + note + (" …" if end < sentence.end else "")
