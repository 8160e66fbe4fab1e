"""Shared fixtures: the spaCy pipeline is loaded once per test session. And the CI rule that a run
with ``STORYLINE_NO_SKIPS=1`` fails on a skipped test or on selecting none."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from storyline.nlp import load_pipeline

#: The shared folder beside the repository (seed articles, evaluation data), when present.
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    return load_pipeline("auto")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With ``STORYLINE_NO_SKIPS=1`` (.ci/run sets it) a skip or an empty selection fails the run:
    in CI every service, corpus and library a test needs is there, so either means a broken set-up
    or a marker expression that no longer selects anything."""
    if not os.environ.get("STORYLINE_NO_SKIPS"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        print("\nSTORYLINE_NO_SKIPS: no test was selected")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    elif skipped and exitstatus == pytest.ExitCode.OK:
        print(f"\nSTORYLINE_NO_SKIPS: {len(skipped)} test(s) skipped; every one must run here")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
