"""The analysis worker: takes queued writes from the store's ``jobs`` table and stores them.

``POST /articles`` only checks and queues (202 with a status URL); this loop does the
analysis, in its own process, so the server's readers never wait on it. ``storyline
serve`` starts one beside the server (``worker = true`` in ``[service]``, the default);
``storyline worker`` runs one alone, and several may run against one store: a job is
claimed under a lease the worker renews while it works, and a job whose worker died is
claimed again once the lease runs out (see :meth:`Store.claim`).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import StorylineError, describe
from ..nlp import load_pipeline
from ..options import Options
from .store import RECONCILE_EVERY, Job, Store

log = logging.getLogger("storyline.service.worker")

#: Seconds a claimed job stays the worker's without a heartbeat; renewed every third of it.
LEASE = 60.0


@contextmanager
def _heartbeat(store: Store, job: Job, lease: float) -> Iterator[None]:
    done = threading.Event()

    def beat() -> None:
        while not done.wait(lease / 3):
            try:
                if not store.renew(job, lease=lease):
                    log.warning("job %s was taken by another worker; this one's result will be dropped", job.id)
                    return
            except Exception as exc:  # noqa: BLE001 - a missed beat only shortens the lease
                log.warning("cannot renew the lease of job %s: %s", job.id, describe(exc))

    thread = threading.Thread(target=beat, name=f"lease-{job.id[:8]}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def run_once(store: Store, options: Options, *, lease: float = LEASE) -> bool:
    """Claim and run one job; False when there was none to claim."""
    job = store.claim(lease=lease)
    if job is None:
        return False
    with _heartbeat(store, job, lease):
        try:
            result = store.run_job(job, options)
        except StorylineError as exc:  # the store went away: the lease runs out and the job is tried again
            log.warning("job %s not finished: %s", job.id, exc)
            return True
        except Exception as exc:  # noqa: BLE001 - a bug: the job fails, the worker goes on
            log.exception("job %s failed", job.id)
            store.fail_job(job, f"internal error ({describe(exc)}); this is a bug, please report it "
                                   "with the server log")
            return True
    log.info("job %s: stored %d, already stored %d", job.id, len(result.stored), len(result.duplicates))
    return True


def run_worker(url: str, options: Options, *, stop: Any = None, lease: float = LEASE, poll: float = 0.5,
               parent: int | None = None, drain: bool = False) -> None:
    """Run jobs from the store at ``url`` until ``stop`` (an Event) is set, the ``parent``
    process is gone, or -- with ``drain`` -- the queue is empty."""
    stop = stop or threading.Event()
    # Load the pipeline before taking a job: a worker stopped while it loads (a restart, a
    # deploy) must not count as an attempt against the job it would have held.
    load_pipeline(options.model)
    with Store(url) as store:
        while not stop.is_set():
            if parent is not None and os.getppid() != parent:
                break  # the server that started this worker is gone
            ran = run_once(store, options, lease=lease)
            try:
                # once the queue is empty, or a story has waited too long behind a stream of jobs:
                # reconcile what earlier jobs, a killed worker or an ingest run left stale, each
                # story in its own transaction
                if not ran or (store.stale_age() or 0.0) >= RECONCILE_EVERY:
                    store.reconcile_stale(options)
            except StorylineError as exc:  # the store went away: the marks stay for the next try
                log.warning("stale stories not reconciled: %s", exc)
            if not ran:
                if drain:
                    break
                stop.wait(poll)


def worker_process(url: str, options: Options, stop: Any, parent: int) -> None:
    """Entry point of the worker process ``serve`` starts (spawned: no state shared with the server)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s storyline worker: %(message)s")
    try:
        run_worker(url, options, stop=stop, parent=parent)
    except KeyboardInterrupt:
        pass
