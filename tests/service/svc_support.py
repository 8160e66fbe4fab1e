"""Data and helpers shared by the service tests (conftest.py holds the fixtures)."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import httpx

from storyline.ingest import read_article_text
from storyline.models import Article

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"
ARTIFACTS = Path(os.environ.get("STORYLINE_ARTIFACTS", REPO / "tmp" / "artifacts"))
PG_URL = os.environ.get("STORYLINE_TEST_PG_URL", "postgresql://storyline:storyline@127.0.0.1:5432/storyline_test")
TOKEN = "test-token-0123456789"

#: A small corpus: two outlets on one harbour story (they disagree on a figure), and an
#: unrelated story whose text carries markup that must render as text.
CORPUS = [
    dict(id="harbour-times", outlet="Harbour Times", title="Harbour bridge to close for repairs",
         url="https://harbourtimes.example/bridge", published="2024-03-04",
         text="The Kingsport harbour bridge will close for 3 weeks from Monday, the city council said.\n"
              "\"We have no choice but to close the harbour bridge,\" said Mayor Alma Reyes.\n"
              "Ferry operators in Kingsport expect 40,000 extra passengers while the bridge is shut.\n"
              "Reyes added that the repairs would cost £12 million."),
    dict(id="coast-herald", outlet="Coast Herald", title="Kingsport bridge shuts",
         url="https://coastherald.example/kingsport-bridge", published="2024-03-05",
         text="Kingsport's harbour bridge closes for 5 weeks from Monday, the city council confirmed.\n"
              "\"We have no choice but to close the harbour bridge,\" Mayor Alma Reyes told reporters.\n"
              "Ferry operators in Kingsport said they expect 40,000 extra passengers during the closure.\n"
              "The repairs will cost £15 million, according to the council."),
    dict(id="zoo-note", outlet="Valley Post", title="Zoo <script>alert('title')</script> welcomes pandas",
         url="https://valleypost.example/zoo", published="2024-05-01",
         text="The Riverton zoo welcomed two giant pandas on Friday, keeper Tomas Lind said.\n"
              "<script>alert('xss')</script> Visitors queued for hours to see the pandas.\n"
              "\"They are settling in well,\" Lind said."),
]


def corpus_articles() -> list[Article]:
    from storyline.ingest import article_from_record

    return [article_from_record(r, source=f"corpus:{r['id']}", default_id=r["id"]) for r in CORPUS]


def make_article(n: int, topic: str = "orchard") -> Article:
    """A small distinct article (for batches in crash and CLI tests)."""
    text = (f"The {topic} cooperative number {n} in Westvale harvested {100 + n} tonnes of apples on Tuesday, "
            f"manager Priya Sen{n} said.\n\"This is our best season in years,\" Sen{n} said.")
    return read_article_text(text, source=f"gen:{n}", article_id=f"{topic}-{n}",
                             url=f"https://orchards.example/{topic}/{n}", outlet=f"Outlet {n % 3}")




#: How each of four outlets tells the canal story (its own words, so each is its own source).
_CANAL = [
    ("Engineers in Dunmore closed the old canal lock for {weeks} weeks on Monday, the water board said.\n"
     "\"The gates have to be replaced before winter,\" said board chair Nora Vale.\n"
     "Barge operators expect {boats} boats to queue at the lock while it is shut.\n"
     "Item {n}: the repairs will cost {cost} million euros, according to the board."),
    ("Dunmore's canal lock is shut from Monday and will stay closed for {weeks} weeks.\n"
     "Nora Vale, who chairs the water board, said: \"The gates have to be replaced before winter.\"\n"
     "Around {boats} barges are expected to wait upstream during the closure.\n"
     "The board puts the bill for the work at {cost} million euros (report {n})."),
    ("Boatmen on the Dunmore canal face a {weeks}-week wait after the lock closed on Monday.\n"
     "Some {boats} vessels could be stuck, skippers warned, as the old gates come out.\n"
     "A spokesman for the water board said the job would cost {cost} million euros.\n"
     "Vale insisted the replacement could not wait (note {n})."),
    ("Repair crews began work on the Dunmore lock on Monday, shutting it for {weeks} weeks.\n"
     "The water board estimated the cost at {cost} million euros.\n"
     "Operators said {boats} barges had booked passages that will now be delayed.\n"
     "Board chair Nora Vale said the gates were beyond patching (update {n})."),
]


def story_article(n: int) -> Article:
    """The ``n``-th article of one story told by four outlets in their own words, who differ on
    its figures (for stories grown over several batches)."""
    outlet = n % 4
    text = _CANAL[outlet].format(weeks=3 + n % 2, boats=40 + 5 * (n % 3), cost=2 + n % 3, n=n)
    return read_article_text(text, source=f"gen:canal-{n}", article_id=f"canal-{n}",
                             url=f"https://outlet{outlet}.example/canal/{n}", outlet=f"Outlet {outlet}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    def __init__(self, url: str, db: Path, proc: subprocess.Popen[bytes]) -> None:
        self.url, self.db, self.proc = url, db, proc

    def client(self, **kw: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, **kw)  # type: ignore[arg-type]


def service_env(db: Path | str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYLINE_")}
    env.update(STORYLINE_DB=str(db), STORYLINE_CONFIG=os.devnull, **extra)
    return env
