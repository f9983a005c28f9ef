"""The extraction hand-off settings: read from the environment, refused when they make no sense."""

from __future__ import annotations

import pytest

from workers.settings import Settings


def test_the_batch_settings_are_read_from_the_environment():
    settings = Settings.from_env({"RASAD_EXTRACT_BATCH": "16", "RASAD_EXTRACT_BATCH_WAIT_MS": "0"})
    assert (settings.extract_batch, settings.extract_batch_wait_ms) == (16, 0)
    assert Settings().extract_batch == 1  # one report at a time unless a deployment asks for more


@pytest.mark.parametrize(
    ("env", "named"),
    [({"RASAD_EXTRACT_BATCH": "0"}, "EXTRACT_BATCH"), ({"RASAD_EXTRACT_BATCH_WAIT_MS": "-1"}, "EXTRACT_BATCH_WAIT_MS")],
)
def test_a_batch_of_nothing_or_a_negative_wait_is_refused(env, named):
    with pytest.raises(ValueError, match=named):
        Settings.from_env(env)
