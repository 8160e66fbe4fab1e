"""Running the analysis on a Dask cluster: the same batch worker, the same results, in the same order.

``options.scheduler`` (or the ``scheduler`` argument) picks the cluster:

- ``"local"``: a ``LocalCluster`` of ``options.workers`` worker processes, one thread
  each, started for the run and shut down after it;
- ``"tcp://HOST:PORT"`` (or another Dask address): a running ``dask scheduler`` with
  its workers; every worker must have storyline and the spaCy pipeline installed.

``storyline.analyze.iter_analyses_dask`` runs ``storyline.analyze.analyze_batch``, bound
with ``functools.partial`` exactly as for the process pool, through :func:`map_batches` (a
``cue_lexicon`` file must exist at the same path on every worker). Batches are submitted a few
at a time (two per worker in flight) and their results yielded in input order, so a long
stream of articles never sits in memory at once. Errors raised on a worker (a missing
pipeline) are raised here; a scheduler that cannot be reached raises ``ConfigError``.
This module imports nothing of the analysis: it runs whatever worker it is given.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from .errors import ConfigError

__all__ = ["DASK_BATCH", "dask_client", "map_batches", "validate_scheduler", "warm_workers", "worker_count"]

T = TypeVar("T")
R = TypeVar("R")

#: Articles per Dask task: small enough to spread a few hundred articles over the
#: workers, large enough that task overhead (~ms) is noise next to parsing (~0.1 s/article).
DASK_BATCH = 8

_ADDRESS_RE = re.compile(r"(?:tcp|tls|inproc|ucx|ws|wss)://\S+")


def validate_scheduler(scheduler: str) -> str:
    """Return ``scheduler`` if it is ``"local"`` or a Dask address, else raise ``ConfigError``."""
    value = scheduler.strip()
    if value == "local" or _ADDRESS_RE.fullmatch(value):
        return value
    raise ConfigError(
        f"scheduler {scheduler!r} is not valid; use 'local' (a LocalCluster on this machine) "
        "or the address of a running Dask scheduler such as 'tcp://127.0.0.1:8786'"
    )


@contextmanager
def dask_client(scheduler: str, *, workers: int = 1, timeout: float = 30.0) -> Iterator[Any]:
    """A ``distributed.Client`` for ``scheduler``, closed (with its LocalCluster) on exit.

    ``workers`` is the number of LocalCluster processes; a remote cluster keeps its own.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - depends on the installation
        raise ConfigError(
            "--scheduler needs Dask; install it with: pip install 'dask[distributed]'"
        ) from None
    address = validate_scheduler(scheduler)
    if address == "local":
        cluster = LocalCluster(
            n_workers=max(1, workers), threads_per_worker=1, processes=True,
            dashboard_address=None, silence_logs=logging.ERROR,
            # the scheduler's HTTP server (metrics) on a free port, not 8787: another cluster on this
            # machine may hold that one, and taking it would be a clash (a warning, then another port)
            scheduler_kwargs={"dashboard_address": ":0"},
        )
        try:
            with Client(cluster) as client:
                yield client
        finally:
            cluster.close()
        return
    try:
        client = Client(address, timeout=timeout)
    except OSError as exc:
        raise ConfigError(
            f"cannot reach the Dask scheduler at {address} ({exc}); start one with 'dask scheduler' "
            "and 'dask worker ADDRESS', or use --scheduler local"
        ) from None
    with client:
        yield client


def map_batches(client: Any, worker: Callable[[T], R], batches: Iterable[T], *, window: int) -> Iterator[R]:
    """Run ``worker`` on each batch on the cluster; yield results in input order.

    At most ``window`` batches are submitted and not yet yielded.
    """
    pending: deque[Any] = deque()
    try:
        for batch in batches:
            # pure=False: no hashing of the batch for a key, and no caching across runs
            pending.append(client.submit(worker, batch, pure=False))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


def _load_model(model: str) -> str:
    from .nlp import load_pipeline, resolve_model_name

    load_pipeline(model)
    return resolve_model_name(model)


def warm_workers(client: Any, model: str) -> dict[str, str]:
    """Load the spaCy pipeline on every worker now (not in the first task); returns worker -> pipeline."""
    return dict(client.run(_load_model, model))


def worker_count(client: Any) -> int:
    """The number of workers the cluster has now (at least 1)."""
    return max(1, len(client.scheduler_info().get("workers", {})))
