"""Shared fixtures: the spaCy pipeline is loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.nlp import load_pipeline

#: The shared folder beside the repository (seed articles, evaluation data), when present.
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    return load_pipeline("auto")
