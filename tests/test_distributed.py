"""Dask scale-out: a LocalCluster and a real ``dask scheduler`` with two ``dask worker`` processes.

Both must give exactly the single-process results, in the same order.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("distributed")
pytestmark = pytest.mark.slow  # clusters of worker processes: a minute and more

from storyline.analyze import iter_analyses, iter_analyses_dask  # noqa: E402
from storyline.clean import clean  # noqa: E402
from storyline.distributed import dask_client, validate_scheduler  # noqa: E402
from storyline.errors import ConfigError  # noqa: E402
from storyline.models import Analysis, Article, CleanArticle  # noqa: E402
from storyline.options import Options  # noqa: E402

# Fictional coverage of one small story by three outlets, plus an unrelated item.
TEXTS = [
    ("gazette", "Harbour Gazette", date(2024, 3, 5),
     "Port Ellery will restore its dawn ferry by April, the council said on Tuesday.\n"
     '"We will bring back the 6am sailing," said Mara Quill, the council\'s head of transport.\n'
     "She added that Ellery Lines had agreed to hire four more deckhands.\n"),
    ("courier", "Quayside Courier", date(2024, 3, 6),
     "The dawn ferry returns next month, transport chief Mara Quill announced on Tuesday.\n"
     '"The 6am sailing is coming back," Quill told reporters, adding that 40 residents had petitioned.\n'),
    ("wire", "Coastal Wire", None,
     "Ellery Lines confirmed on Wednesday it would recruit three deckhands, not four.\n"
     'A spokesman, Tomas Reyes, said: "We expect crews in place by April 2."\n'),
    ("weather", "Harbour Gazette", date(2024, 3, 7),
     "Gales are forecast for the coast on Friday, the Met Office said.\n"
     "Harbour master Ines Koval said moorings would be checked before the weekend.\n"),
]


def _articles() -> list[CleanArticle]:
    opts = Options()
    return [clean(Article(id=i, raw=t, source=f"{i}.txt", outlet=o, published=d), opts) for i, o, d, t in TEXTS]


@pytest.fixture(scope="module")
def articles() -> list[CleanArticle]:
    return _articles() * 3  # 12 articles: several tasks per worker with batches of 2


@pytest.fixture(scope="module")
def expected(articles: list[CleanArticle]) -> list[Analysis]:
    return list(iter_analyses(articles, Options()))


@dataclass(frozen=True, slots=True)
class DaskOptions(Options):
    """Options with the ``scheduler`` field the lead adds to ``Options``."""

    scheduler: str = ""


def test_local_cluster_matches_single_process(articles: list[CleanArticle], expected: list[Analysis]) -> None:
    done: list[int] = []
    got = list(iter_analyses_dask(articles, Options(workers=2), scheduler="local", batch_size=2,
                                  on_done=done.append))
    assert got == expected
    assert [a.article.article.id for a in got] == [a.article.id for a in articles]
    assert sum(done) == len(articles)


def test_iter_analyses_takes_the_dask_path_from_options(articles: list[CleanArticle],
                                                        expected: list[Analysis]) -> None:
    got = list(iter_analyses(articles[:4], DaskOptions(workers=1, scheduler="local")))
    assert got == expected[:4]


@pytest.mark.parametrize("value", ["local", "tcp://127.0.0.1:8786", "tls://sched.example:8786"])
def test_validate_scheduler_accepts(value: str) -> None:
    assert validate_scheduler(value) == value


@pytest.mark.parametrize("value", ["", "127.0.0.1:8786", "threads", "tcp://"])
def test_validate_scheduler_lists_valid_values(value: str) -> None:
    with pytest.raises(ConfigError, match="use 'local'.*or the address of a running Dask scheduler"):
        validate_scheduler(value)


def test_unreachable_scheduler_is_a_clear_error() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ConfigError, match=rf"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}"):
        with dask_client(f"tcp://127.0.0.1:{port}", timeout=1):
            pass


# ---------------------------------------------------------------- a real scheduler and two workers


def _dask(*args: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "dask", *args], stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # the process group holds the worker's nanny and child
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


@pytest.fixture()
def dask_cluster(tmp_path: Path) -> Iterator[str]:
    """``dask scheduler`` on a free port of 127.0.0.1 and two ``dask worker`` processes; yields its address."""
    scheduler_file = tmp_path / "scheduler.json"
    procs = [_dask("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                   "--scheduler-file", str(scheduler_file), log=tmp_path / "scheduler.log")]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() or not scheduler_file.read_text().strip():
            assert procs[0].poll() is None, (tmp_path / "scheduler.log").read_text()
            assert time.monotonic() < deadline, "the dask scheduler did not start within 60 s"
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for n in range(2):
            procs.append(_dask("worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--nworkers", "1",
                               "--no-dashboard", "--death-timeout", "60", "--name", f"w{n}",
                               log=tmp_path / f"worker{n}.log"))
        yield address
    finally:
        for proc in reversed(procs):
            _stop(proc)


def test_scheduler_and_two_workers_match_single_process(
    dask_cluster: str, articles: list[CleanArticle], expected: list[Analysis]
) -> None:
    with dask_client(dask_cluster) as client:
        client.wait_for_workers(2, timeout=90)
        got = list(iter_analyses_dask(articles, Options(), client=client, batch_size=2))
        ran_on = {w["name"] for w in client.scheduler_info()["workers"].values()}
    assert got == expected
    assert ran_on == {"w0", "w1"}
