"""Near-duplicate source groups: copies (wire copy, reposts, light edits) share a group; other stories do not."""

from __future__ import annotations

import pytest

from storyline.dedup import SourceGrouper, minhash, source_groups
from storyline.models import Article, CleanArticle

STORY = (
    "Firefighters in the northern town of Kellerby battled a blaze at a disused textile mill for more than "
    "nine hours on Sunday, the county fire service said. Crews from six stations were called to the building "
    "on Mill Lane shortly after 3am, and nearby homes were evacuated as a precaution. Station manager Aisha "
    "Okafor said the roof had collapsed and the structure would have to be demolished. No one was injured. "
    "Police said they were treating the fire as suspicious and appealed for anyone who saw people near the "
    "mill on Saturday night to come forward. The mill, built in 1862, closed in 1998 and had been empty "
    "since a plan to turn it into flats fell through."
)
# A repost: the wire text with a reposting line and a few words changed.
LIGHT_EDIT = (
    "Reposted from the county wire. " + STORY.replace("battled", "fought").replace("No one was injured.",
                                                                                   "Nobody was hurt.")
)
# Same topic (a mill fire), different story and different words.
SAME_TOPIC = (
    "A second fire in a month has damaged a former cotton mill in Brassington, where residents say the "
    "owners have left the site unsecured. Three engines attended the blaze on Tuesday evening. The council "
    "said it would write to the owners, a property company based in Leeds, demanding that the doors and "
    "windows be boarded up. Local councillor Tom Reyes said children had been seen playing inside."
)
OTHER = (
    "The central bank left its main interest rate unchanged at 4.5 percent on Thursday, saying inflation "
    "was falling more slowly than it had expected in the spring."
)


def _art(i: int, text: str, outlet: str = "unknown") -> CleanArticle:
    return CleanArticle(Article(f"a{i}", text, "test", outlet=outlet), text, ())


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        (STORY, STORY, True),  # verbatim wire copy
        (STORY, LIGHT_EDIT, True),  # repost with light edits
        (STORY, SAME_TOPIC, False),  # same kind of event, another story
        (STORY, OTHER, False),
        (SAME_TOPIC, OTHER, False),
    ],
)
def test_copies_share_a_group(first: str, second: str, same: bool) -> None:
    groups = source_groups([_art(1, first), _art(2, second)], threshold=0.7)
    assert (groups[0] == groups[1]) is same


def test_a_passage_taken_whole_is_one_source_unless_reuse_is_off() -> None:
    third = STORY[: len(STORY) // 3]
    # a third of the text is no near-copy of the whole ...
    assert len(set(source_groups([_art(1, STORY), _art(2, third)], reuse=1))) == 2
    # ... but every word of it comes from the other: one source
    assert len(set(source_groups([_art(1, STORY), _art(2, third)]))) == 1


def test_minhash_estimates_jaccard() -> None:
    assert minhash(STORY).jaccard(minhash(STORY)) == 1.0
    assert minhash(STORY).jaccard(minhash(LIGHT_EDIT)) > 0.7
    assert minhash(STORY).jaccard(minhash(SAME_TOPIC)) < 0.1


def test_same_named_outlet_is_one_source() -> None:
    arts = [_art(1, STORY, "bbc.co.uk"), _art(2, OTHER, "bbc.co.uk"), _art(3, SAME_TOPIC, "unknown"),
            _art(4, OTHER, "unknown")]
    groups = source_groups(arts)
    assert groups[0] == groups[1]  # one outlet
    assert groups[1] == groups[3]  # copy of an article of that outlet
    assert groups[2] not in {groups[0]}
    assert groups == ["g1", "g1", "g2", "g1"]


def test_incremental_batches_match_one_batch() -> None:
    texts = [STORY, SAME_TOPIC, OTHER, LIGHT_EDIT, OTHER + " Markets barely moved."]
    grouper = SourceGrouper(threshold=0.7)
    first = grouper.add([(t, None) for t in texts[:2]])
    second = grouper.add([(t, None) for t in texts[2:]])
    assert first + second == grouper.groups()
    assert source_groups([_art(i, t) for i, t in enumerate(texts)]) == ["g1", "g2", "g3", "g1", "g3"]
    assert second == ["g3", "g1", "g3"]


def test_empty_and_tiny_texts() -> None:
    assert source_groups([]) == []
    assert source_groups([_art(1, "")]) == ["g1"]
    assert source_groups([_art(1, "One article alone is one source.")]) == ["g1"]
    assert source_groups([_art(1, ""), _art(2, "Hi.")]) == ["g1", "g2"]


def test_a_rewrite_sharing_most_of_its_prose_is_one_source():  # type: ignore[no-untyped-def]
    """A wire story run again with a new top and cuts shares long passages, not the whole text."""
    wire = ("The harbour board voted on Monday to close the north pier for repairs after engineers found cracks "
            "in three of its concrete supports. Work will start in March and is expected to last six weeks, the "
            "board said in a statement. Ferries will use the south pier while the work goes on, and the board "
            "expects short delays at peak times. Fishing boats that moor at the north pier will be moved to the "
            "old dock, where the board has laid on extra berths and a temporary fuel station for the season.")
    rewrite = ("Fishermen in Port Alder reacted angrily on Tuesday. " + wire.split(". ", 1)[1]
               + " Local councillor Ada Brenn called the decision rushed and asked for a public meeting.")
    other = ("Engineers have found cracks in the north pier, and the harbour board will close it from March, "
             "board member Ian Hole told reporters. \"We had no choice,\" he said. Ferries are expected to run "
             "from the south pier for about six weeks while the supports are repaired.")
    groups = source_groups([_art(1, wire), _art(2, rewrite), _art(3, other)])
    assert groups[0] == groups[1] != groups[2]
    # independent outlets quoting one long statement share the statement, not their prose
    speech = ('"We will rebuild every berth, we will pay every fisherman for the lost weeks, and we will not rest '
              'until the north pier is safe for the families who depend on it," the mayor said.')
    a = "The mayor spoke at the quay on Monday evening after the vote. " + speech
    b = "Speaking to fishermen gathered outside the town hall, the mayor promised help. " + speech
    assert len(set(source_groups([_art(1, a), _art(2, b)]))) == 2


def test_a_repeated_text_joins_its_first_copy_without_a_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    from datasketch import MinHashLSH

    lookups: list[int] = []
    query = MinHashLSH.query

    def counted(self: MinHashLSH, minhash: object) -> list[int]:
        lookups.append(1)
        return list(query(self, minhash))

    monkeypatch.setattr(MinHashLSH, "query", counted)
    stream = [STORY, SAME_TOPIC, STORY, LIGHT_EDIT, STORY, OTHER, SAME_TOPIC, LIGHT_EDIT]
    SourceGrouper().add([(t, None) for t in dict.fromkeys(stream)])  # each text once
    distinct = len(lookups)
    lookups.clear()
    groups = SourceGrouper().add([(t, None) for t in stream])
    # a stream of repeats costs the lookups of its distinct texts, not one more per copy
    assert len(lookups) == distinct
    assert groups == ["g1", "g2", "g1", "g1", "g1", "g6", "g2", "g1"]


TOWNS = ("Kelmarsh", "Oberwald", "Tressady")


def _alert(i: int) -> str:
    """One record of a feed that repeats an alert with a new number (distinct texts, near-identical)."""
    return (f"Water main alert {i}: engineers are repairing a burst pipe under the high street in {TOWNS[i % 3]} "
            "and supply should return to every home by tonight, the utility company said in a statement.")


def test_near_identical_records_cost_a_bounded_lookup_each(monkeypatch: pytest.MonkeyPatch) -> None:
    from datasketch import MinHashLSH

    offered: list[int] = []  # candidates the two indexes return, per lookup
    query = MinHashLSH.query

    def counted(self: MinHashLSH, minhash: object) -> list[int]:
        found = list(query(self, minhash))
        offered.append(len(found))
        return found

    monkeypatch.setattr(MinHashLSH, "query", counted)
    for n in (100, 400):
        offered.clear()
        grouper = SourceGrouper()
        assert len(set(grouper.add([(_alert(i), None) for i in range(n)]))) == 1  # one source
        # the records form one group of copies, which stands in each index by at most index_max
        # members: a lookup offers no more, however many records came before (all pairs: n - 1)
        assert max(offered) <= grouper.index_max < n / 3
        # and the candidates already in the record's group are not compared again
        assert grouper.comparisons <= 2 * n


@pytest.mark.parametrize("index_max", [1, 2, 3])
def test_a_copy_of_an_article_no_longer_indexed_still_joins_its_group(index_max: int) -> None:
    late = [OTHER, STORY, _alert(0), LIGHT_EDIT, SAME_TOPIC, _alert(3) + " More soon."]
    stream = [_alert(i) for i in range(12)] + late
    small = SourceGrouper(index_max=index_max).add([(t, None) for t in stream])
    # every alert (the first ones left the indexes long ago) and its late copies are one source;
    # the wire story and its repost another; the rest stand alone
    assert small == SourceGrouper(index_max=10_000).add([(t, None) for t in stream])
    assert len({small[i] for i in (*range(12), 14, 17)}) == 1
    assert small[13] == small[15] != small[0]
    assert len({small[0], small[12], small[13], small[16]}) == 4
