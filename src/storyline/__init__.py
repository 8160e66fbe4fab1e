"""storyline: who said what, when - and where news outlets agree, conflict or stand alone.

    >>> import storyline
    >>> report = storyline.analyze(["examples/"])
    >>> report.to_dict()["schema"]
    'storyline.report/1'
"""

import sys as _sys
import types as _types

from .errors import ConfigError, InputError, ModelError, StorylineError
from .models import Analysis, Article, Claim, CleanArticle, Entity, InputFailure, Quote, TimeExpression
from .options import Options, load_options
from .report import SCHEMA, Report, Story
from .version import __version__


class _Package(_types.ModuleType):
    """The package module. Importing the ``storyline.analyze`` submodule binds it as an attribute
    of the package, over the function of the same name below; the function is kept."""

    def __setattr__(self, name: str, value: object) -> None:
        if name == "analyze" and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


# The NLP stack (spaCy, thinc, torch) takes seconds to import: it is loaded when an analysis
# runs, not when the package is imported (``storyline --help`` must answer at once).
_sys.modules[__name__].__class__ = _Package


def analyze(inputs, options=None, progress=None):  # type: ignore[no-untyped-def]
    """Analyse articles (paths, Articles or CleanArticles) into a ``storyline.report/1`` Report."""
    from .pipeline import analyze as run

    return run(inputs, options, progress)


__all__ = [
    "SCHEMA",
    "Analysis",
    "Article",
    "Claim",
    "CleanArticle",
    "ConfigError",
    "Entity",
    "InputError",
    "InputFailure",
    "ModelError",
    "Options",
    "Quote",
    "Report",
    "Story",
    "StorylineError",
    "TimeExpression",
    "__version__",
    "analyze",
    "load_options",
]
