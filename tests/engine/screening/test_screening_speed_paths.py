"""The quicker paths of screening give the answers of the plain ones they replaced (issue 12: speed without
changing any answer)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import ScreeningIndex
from exportctl.engine.screening.index import _deletes, _deletes2
from exportctl.engine.screening.similarity import token_sim

WORDS = st.text(alphabet="abcdeghiklmnorsuy", min_size=0, max_size=12)


@given(WORDS)
def test_two_deletions_are_the_deletions_of_the_deletions(tok: str) -> None:
    assert _deletes2(tok) == {d2 for d1 in _deletes(tok) for d2 in _deletes(d1)}


def _probe_plain(index: ScreeningIndex, tok: str, probes: set[str]) -> dict[str, float]:
    """The probe loop as it was: every probe looked up in both tables."""
    found: dict[str, float] = {}
    for p in probes:
        for cand in index.deletes.get(p, "").split():
            if cand not in found and (s := token_sim(tok, cand)) > 0.0:
                found[cand] = s
        if p in index.postings and p not in found and (s := token_sim(tok, p)) > 0.0:
            found[p] = s
    return found


@settings(max_examples=200, deadline=None)
@given(tok=st.one_of(WORDS, st.sampled_from(["huawei", "kunlun", "vladimr", "putin", "bnak", "koreya"])))
def test_probe_finds_what_the_plain_loop_finds(small_index: ScreeningIndex, tok: str) -> None:
    probes = {tok, *_deletes(tok)} | _deletes2(tok)
    found: dict[str, float] = {}
    small_index._probe(tok, probes, found)
    assert found == _probe_plain(small_index, tok, probes)


@settings(max_examples=40, deadline=None)
@given(
    names=st.lists(
        st.sampled_from(["Huawei Technologies", "Kunlun", "Vladimir Putin", "Bank Melli", "Korea", "Acme"]),
        min_size=1,
        max_size=4,
    )
)
def test_a_few_hits_make_the_frame_many_hits_make(small_index: ScreeningIndex, names: list[str]) -> None:
    # A few hits (one name screened alone) take their entry columns from Python lists and their evidence
    # directly; many hits gather in polars: the same frame.
    import polars as pl
    from polars.testing import assert_frame_equal

    from exportctl.engine.screening import evidence, screen

    queries = pl.DataFrame({"name": names})
    few = screen(small_index, queries, threshold=0.3)
    saved = evidence.FEW_HITS
    try:
        evidence.FEW_HITS = -1
        many = screen(small_index, queries, threshold=0.3)
    finally:
        evidence.FEW_HITS = saved
    assert_frame_equal(few, many)


@settings(max_examples=30, deadline=None)
@given(
    names=st.lists(
        st.sampled_from(
            ["Huawei Technologies", "HUAWEI TECHNOLOGIES.", "huawei, technologies", "Vladimir Putin", "Acme"]
        ),
        min_size=1,
        max_size=5,
    )
)
def test_names_of_the_same_tokens_are_screened_once_alike(
    small_index: ScreeningIndex, names: list[str]
) -> None:
    # Latin names with the same tokens share one screening in a batch: each answers as it does alone.
    import polars as pl

    from exportctl.engine.screening import screen

    batch = screen(small_index, pl.DataFrame({"name": names}), threshold=0.3).drop("query")
    for qid, name in enumerate(names):
        alone = screen(small_index, pl.DataFrame({"name": [name]}), threshold=0.3).drop("query", "qid")
        assert batch.filter(pl.col("qid") == qid).drop("qid").equals(alone)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_merged_postings_keep_each_names_best_similarity(
    small_index: ScreeningIndex, data: st.DataObject
) -> None:
    # `_merge` skips the sort by similarity when its spellings come most similar first (as `reach` lists
    # them); in any order, each name keeps its best similarity, as a sort would give it.
    import numpy as np

    vocab = sorted(small_index.postings.index)
    toks = data.draw(st.lists(st.sampled_from(vocab), min_size=2, max_size=6, unique=True))
    sims = data.draw(st.lists(st.sampled_from([1.0, 0.9, 0.8, 0.5]), min_size=len(toks), max_size=len(toks)))
    exp = tuple(zip(toks, sims, strict=True))
    got = small_index._merge(exp)
    assert got is not None
    best: dict[int, float] = {}
    for tok, s in exp:
        for nid in small_index.postings[tok].tolist():
            best[nid] = max(best.get(nid, 0.0), s)
    assert got[0].tolist() == sorted(best)
    assert np.array_equal(got[1], np.asarray([best[n] for n in sorted(best)]))


@settings(max_examples=8, deadline=None)
@given(
    names=st.lists(
        st.sampled_from(
            [
                "Huawei Technologies",
                "HUAWEI TECHNOLOGIES.",
                "Vladimir Putin",
                "Putin, Vladimir",
                "華為技術有限公司",
                "Kim Jong Un",
                "Acme",
                "Bank of Kunlun Co Ltd, Karamay 834000, China",
            ]
        ),
        min_size=2,
        max_size=8,
    )
)
def test_forked_workers_answer_as_one_process(small_index: ScreeningIndex, names: list[str]) -> None:
    # Workers read their own keys' forms and screen the keys of the same tokens once within their chunk
    # (batch_screen.screen_all): the frame is that of one process screening them all.
    import polars as pl

    from exportctl.engine.screening import batch_screen, screen

    queries = pl.DataFrame({"name": names, "country": ["CN" if i % 3 else "" for i in range(len(names))]})
    one = screen(small_index, queries, threshold=0.3, workers=1)
    saved = batch_screen.PARALLEL_MIN, batch_screen.CHUNK_MIN
    try:
        batch_screen.PARALLEL_MIN, batch_screen.CHUNK_MIN = 1, 1
        forked = screen(small_index, queries, threshold=0.3, workers=2)
    finally:
        batch_screen.PARALLEL_MIN, batch_screen.CHUNK_MIN = saved
    assert forked.equals(one)


def _after_legal_plain(text: str) -> tuple[str, str]:
    """`name_part._after_legal` as it was: every legal word from the end tried."""
    from exportctl.engine.screening.name_part import _WORD, _bare, _legal_only, address_words

    words = list(_WORD.finditer(text))
    for k in range(len(words) - 2, 0, -1):
        if not _legal_only(words[k].group()):
            continue
        after = [_bare(w.group()) for w in words[k + 1 :]]
        if all(any(ch.isdigit() for ch in w) or w in address_words() or not w for w in after):
            return text[: words[k].end()], text[words[k + 1].start() :]
        return text, ""
    return text, ""


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Acme", "Ltd.", "GmbH", "Co", "123", "A-12", "Street", "road", "(", "Kunlun", "S.A.", "", "x,"]
        ),
        max_size=7,
    )
)
def test_the_last_word_check_cuts_after_a_legal_form_as_before(words: list[str]) -> None:
    from exportctl.engine.screening.name_part import _after_legal

    text = " ".join(words)
    assert _after_legal(text) == _after_legal_plain(text)


def test_names_cleaned_in_forked_workers_build_the_same_index(small_index: ScreeningIndex) -> None:
    # build_index(workers=2) cleans the names of its row ranges in forked processes and joins them in row
    # order: every array and table of the index is the one the process builds alone.
    import numpy as np

    from exportctl.engine.screening import build, build_index

    lists = small_index.entries
    alone = build_index(lists)
    saved = build.PARALLEL_BUILD_MIN
    try:
        build.PARALLEL_BUILD_MIN = 1
        forked = build_index(lists, workers=2)
    finally:
        build.PARALLEL_BUILD_MIN = saved
    assert forked.name_tokens == alone.name_tokens and forked.name_text == alone.name_text
    assert np.array_equal(forked.name_entry, alone.name_entry)
    assert np.array_equal(forked.name_family, alone.name_family)
    assert np.array_equal(forked.name_weight, alone.name_weight)
    assert forked.name_weights == alone.name_weights and forked.df == alone.df
    assert forked.deletes == alone.deletes and forked.postings.index == alone.postings.index
    assert np.array_equal(forked.postings.ids, alone.postings.ids)
    assert np.array_equal(forked.keys.ids, alone.keys.ids)


NAMES = st.one_of(
    st.sampled_from(
        [
            "Huawei Technologies",
            "華為技術",
            "Kim Jong Un",
            "Vladimir Putin",
            "Bank of Kunlun",
            "Green",
            "AECC",
            "Sinobright Import and Export Company, 12 Main Road, Beijing",
        ]
    ),
    st.text(alphabet="abcdeghiklmnorsuy HKVBJ", min_size=1, max_size=30),
)


@settings(max_examples=60, deadline=None)
@given(
    names=st.lists(NAMES, min_size=1, max_size=3),
    country=st.sampled_from(["", "CN", "RU", "KP"]),
    kind=st.sampled_from(["", "person", "entity"]),
    threshold=st.sampled_from([0.3, 0.7]),
)
def test_hit_records_are_the_rows_of_the_hits_frame(
    small_index: ScreeningIndex, names: list[str], country: str, kind: str, threshold: float
) -> None:
    # A single screening takes its hits as dicts without the frame (ops.screen.screen_names): the same
    # keys, values and order as the frame's rows, and columns given as lists screen as the frame does.
    import polars as pl

    from exportctl.engine.screening import screen
    from exportctl.engine.screening.hits import hit_records, hits_frame
    from exportctl.engine.screening.screen import MATCHER_VERSION, screen_rows

    n = len(names)
    cols = {"name": names, "country": [country] * n, "type": [kind] * n}
    rows, items = screen_rows(small_index, cols, threshold, cleared=True)
    records = hit_records(small_index, rows, items, MATCHER_VERSION)
    frame = screen(small_index, pl.DataFrame(cols), threshold, cleared=True)
    assert records == frame.rows(named=True)
    assert records == hits_frame(small_index, rows, items, MATCHER_VERSION).rows(named=True)
    assert [list(r) for r in records] == [frame.columns] * len(records)
    again = hit_records(small_index, rows, items, MATCHER_VERSION)
    for first, second in zip(records, again, strict=True):  # each answer's lists are its own to change
        assert first["programs"] is None or first["programs"] is not second["programs"]
        assert first["evidence"] is None or first["evidence"][0] is not second["evidence"][0]


NAME_WORDS = st.sampled_from(
    [
        "Acme",
        "Huawei",
        "Ltd.",
        "Co.,",
        "GmbH",
        "street",
        "Road",
        "district",
        "x" * 70,
        "-",
        "/",
        ":",
        ".",
        "",
        "12",
        "²",
        "٣",
        "PO",
        "#9",
        "Shenzhen",
        "China",
        "Kim,",
        "Jong",
        "Un",
        "lu",
        "Trading",
    ]
)


@settings(max_examples=400, deadline=None)
@given(
    words=st.lists(NAME_WORDS, min_size=0, max_size=8),
    seps=st.lists(
        st.sampled_from([" ", "  ", "\u00a0", ", ", ";", "\t", " | ", "\n"]), min_size=8, max_size=8
    ),
)
def test_a_text_read_as_uncut_is_one_name_part_leaves_whole(words: list[str], seps: list[str]) -> None:
    from exportctl.engine.screening.name_part import NAME_PART, Cut, name_part, screened_forms, uncut

    text = "".join(w + s for w, s in zip(words, seps, strict=False)).rstrip(" ")
    if uncut(text.strip()):
        assert name_part(text) == Cut(text.strip())
    # the forms screened are those the rules give (screened_forms as it was, name_part always asked)
    before = [(text, "", 1.0)] if text and len(text) <= 1000 else []
    cut = name_part(text) if text else Cut("")
    if cut.rest and cut.name and cut.name != text:
        before.append(
            (cut.name, cut.note() + (f" x{NAME_PART}" if before else ""), NAME_PART if before else 1.0)
        )
    assert screened_forms(text) == tuple(before)


def test_uncut_reads_bare_names_and_leaves_the_rest_to_the_rules() -> None:
    from exportctl.engine.screening.name_part import uncut

    assert uncut("Acme Trading GmbH") and uncut("Kim Jong Un")
    assert not uncut("Acme Ltd 123") and not uncut("Acme, Shenzhen") and not uncut("Acme Ltd street")
    assert not uncut("x" * 70 + " -")  # left with one word too long for a name


NEAR_NAMES = ["Miller Trading", "Miles Davis", "Millet Foods", "Huawei", "Kunlun", "Vladimir Putin", "Bank"]


@pytest.fixture(scope="module")
def near_index() -> ScreeningIndex:
    """An index whose words lie one and two edits from each other (miller, miles, millet)."""
    import polars as pl

    from exportctl.engine.screening import LIST_SCHEMA, build_index

    rows = [
        {
            "list": "SDN",
            "list_name": "SDN list",
            "entity_id": str(i),
            "name": name,
            "aliases": [],
            "type": "",
            "countries": [],
            "programs": [],
        }
        for i, name in enumerate(NEAR_NAMES)
    ]
    return build_index(pl.DataFrame(rows, schema=LIST_SCHEMA))


@settings(max_examples=200, deadline=None)
@given(
    tok=st.one_of(
        WORDS, st.sampled_from(["miilet", "mille", "milles", "mles", "hwaweii", "kunlnu", "vldimr", "bnka"])
    ),
    abjad=st.booleans(),
)
def test_reach_skips_two_deletions_expand_probed_with_the_same_answer(
    near_index: ScreeningIndex, tok: str, abjad: bool
) -> None:
    from exportctl.engine.screening.index import _mode

    index = near_index
    got = index.reach(tok, abjad)
    key = _mode(tok, abjad, False)[2]
    index._reach.pop(key, None)
    probed = set(index._probed2)
    index._probed2.clear()  # reach probes the two-deletion spellings again, as it did before
    try:
        assert index.reach(tok, abjad) == got
    finally:
        index._probed2 |= probed


@settings(max_examples=200, deadline=None)
@given(tok=st.one_of(WORDS, st.sampled_from(["ltd", "co", "bank", "the", "a", "trading", "huawei"])))
def test_the_identity_memo_answers_as_the_weight_does(small_index: ScreeningIndex, tok: str) -> None:
    from exportctl.engine.screening.index import W_GENERIC

    expected = len(tok) > 1 and small_index.weigh(tok) > W_GENERIC
    assert small_index.identity(tok) is expected
    assert small_index.identity_of(frozenset())(tok) is expected
    assert small_index.identity(tok, True) == (len(tok) > 1 and small_index.weigh(tok, True) > W_GENERIC)


def _reach_before(index: ScreeningIndex, tok: str, abjad: bool) -> tuple[tuple[str, float], ...]:
    """`reach` of a word of four letters or more as it was: its two-deletion spellings always probed."""
    from exportctl.engine.screening.align import VARIANT_SIM
    from exportctl.engine.screening.index import _mode
    from exportctl.engine.screening.variants import cognate_spellings, variant_spellings

    plain_abjad = _mode(tok, abjad, False)[0]
    found = dict(index.expand(tok, abjad))
    index._probe(tok, _deletes2(tok), found, plain_abjad)
    for cand in variant_spellings(tok) | cognate_spellings(tok):
        if cand in index.postings.index and found.get(cand, 0.0) < VARIANT_SIM:
            found[cand] = VARIANT_SIM
    return tuple(sorted(found.items(), key=lambda kv: (-kv[1], kv[0])))


@settings(max_examples=300, deadline=None)
@given(
    tok=st.one_of(
        WORDS,
        st.sampled_from(
            ["miilet", "mille", "miles", "mlies", "bnak", "bank", "hwaw", "kunl", "mhmd", "hsyn"]
        ),
    ),
    abjad=st.booleans(),
)
def test_reach_answers_as_it_did_when_every_two_deletion_was_probed(
    near_index: ScreeningIndex, tok: str, abjad: bool
) -> None:
    if len(tok) < 4:
        return
    index = near_index
    index._reach.clear()
    assert index.reach(tok, abjad) == _reach_before(index, tok, abjad)
