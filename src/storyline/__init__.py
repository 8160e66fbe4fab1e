"""storyline: who said what, when - and where news outlets agree, conflict or stand alone.

    >>> import storyline
    >>> report = storyline.analyze(["examples/"])
    >>> report.to_dict()["schema"]
    'storyline.report/1'
"""

# Importing the pipeline loads the ``storyline.analyze`` submodule, which would otherwise
# shadow the function of the same name below.
from . import pipeline as _pipeline  # noqa: E402
from .errors import ConfigError, InputError, ModelError, StorylineError
from .models import Analysis, Article, Claim, CleanArticle, Entity, InputFailure, Quote, TimeExpression
from .options import Options, load_options
from .report import SCHEMA, Report, Story
from .version import __version__


def analyze(inputs, options=None, progress=None):  # type: ignore[no-untyped-def]
    """Analyse articles (paths, Articles or CleanArticles) into a ``storyline.report/1`` Report."""
    return _pipeline.analyze(inputs, options, progress)


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
