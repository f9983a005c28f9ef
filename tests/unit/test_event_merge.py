"""Merging one deed told twice: the actor pair the merge keeps."""

from __future__ import annotations

from tests.factories import make_event
from workers.pipeline.event_merge import merge
from workers.records import Actor


def test_a_side_named_as_author_by_a_later_telling_is_not_also_its_target():
    unknown, state, civilians = Actor("UNKNOWN", "Unidentified"), Actor("ISLAMIC_STATE", "IS"), Actor("CIVILIANS", "C")
    first = make_event(sub_event_type="Suicide bomb", actor1=unknown, actor2=state)
    later = make_event(sub_event_type="Suicide bomb", actor1=state, actor2=civilians)
    merged = merge(first, later)
    assert (merged.actor1.code, merged.actor2.code if merged.actor2 else None) == ("ISLAMIC_STATE", "CIVILIANS")
