"""storyline: who said what, when - and where news outlets agree, conflict or stand alone.

    >>> import storyline
    >>> report = storyline.analyze(["examples/"])
    >>> report.to_dict()["schema"]
    'storyline.report/1'
"""

from .errors import ConfigError, InputError, ModelError, StorylineError
from .models import Analysis, Article, Claim, CleanArticle, Entity, InputFailure, Quote, TimeExpression
from .options import Options, load_options
from .report import SCHEMA, Report, Story

__version__ = "0.1.0"


def analyze(inputs, options=None, progress=None):  # type: ignore[no-untyped-def]
    """Analyse articles (paths, Articles or CleanArticles) into a ``storyline.report/1`` Report.

    Imported lazily so ``import storyline`` stays quick and spaCy loads only when needed.
    """
    from .pipeline import analyze as _analyze

    return _analyze(inputs, options, progress)


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
