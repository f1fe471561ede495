"""Aligning the tokens of a query name with those of a listed name: equal tokens first, then the most
similar pairs, then two or three adjacent tokens on one side joined against one on the other ("Huawei" /
"hua wei"), then spellings of one person name in rigour's name data. Each token aligns at most once.
"""

from __future__ import annotations

from collections.abc import Sequence

from exportctl.engine.screening.arabic_names import joined_reads
from exportctl.engine.screening.readings import reads_of, vowelled_of
from exportctl.engine.screening.similarity import token_sim
from exportctl.engine.screening.terms import pinyin_syllables
from exportctl.engine.screening.variants import are_variants

VARIANT_SIM = 0.8  # two spellings of one person name in rigour's name data ("Ted" / "Theodore")

Pair = tuple[float, float, tuple[int, ...], tuple[int, ...]]  # gain, similarity, query and listed positions


def greedy(
    q: Sequence[str],
    lt: Sequence[str],
    wq: Sequence[float],
    wl: Sequence[float],
    abjad: frozenset[str] = frozenset(),
) -> tuple[list[Pair], set[int], set[int]]:
    """Align equal tokens, then the most similar pairs; the pairs and the aligned positions on each side.
    `abjad`: the query tokens romanised from an abjad (`similarity.abjad_set`)."""
    chosen: list[Pair] = []
    used_q: set[int] = set()
    used_l: set[int] = set()
    # Equal tokens align first (no pair can do better for either token); only the rest is compared.
    where: dict[str, list[int]] = {}
    for j, b in enumerate(lt):
        where.setdefault(b, []).append(j)
    for i, a in enumerate(q):
        spots = where.get(a)
        if spots:
            j = spots.pop(0)
            used_q.add(i)
            used_l.add(j)
            chosen.append((min(wq[i], wl[j]), 1.0, (i,), (j,)))
    if len(used_q) == len(q) or len(used_l) == len(lt):
        return chosen, used_q, used_l
    cands: list[Pair] = []
    free_l = [j for j in range(len(lt)) if j not in used_l]
    for i, a in enumerate(q):
        if i in used_q:
            continue
        ab, reads, vowelled = a in abjad, reads_of(abjad, a), vowelled_of(abjad, a)  # the same for every j
        for j in free_l:
            s = token_sim(a, lt[j], ab, reads, vowelled)
            if s > 0.0:
                cands.append((s * min(wq[i], wl[j]), s, (i,), (j,)))
    chosen += take(cands, used_q, used_l)
    return chosen, used_q, used_l


def take(cands: list[Pair], used_q: set[int], used_l: set[int]) -> list[Pair]:
    """The best pairs first, each only if none of its tokens is aligned yet (marked aligned as taken)."""
    cands.sort(key=lambda c: (-c[0], -c[1], c[2], c[3]))
    chosen = []
    for gain, sim, qi, lj in cands:
        if not used_q.isdisjoint(qi) or not used_l.isdisjoint(lj):
            continue
        used_q.update(qi)
        used_l.update(lj)
        chosen.append((gain, sim, qi, lj))
    return chosen


def joins(
    q: Sequence[str],
    lt: Sequence[str],
    wq: Sequence[float],
    wl: Sequence[float],
    used_q: set[int],
    used_l: set[int],
    abjad: frozenset[str] = frozenset(),
) -> list[Pair]:
    """Align two or three adjacent unaligned tokens on one side with one unaligned token on the other."""
    found: list[Pair] = []
    free_l = [j for j in range(len(lt)) if j not in used_l]
    free_q = [i for i in range(len(q)) if i not in used_q]
    if not free_q or not free_l:
        return []  # nothing left on one side: no pair to find
    marks = {i: (q[i] in abjad, reads_of(abjad, q[i]), vowelled_of(abjad, q[i])) for i in free_q}
    for size in (2, 3):
        for i in free_q:
            run = tuple(range(i, i + size))
            if run[-1] < len(q) and used_q.isdisjoint(run):
                joined = "".join(q[x] for x in run)
                ab = all(q[x] in abjad for x in run)  # abjad readings joined are one ('lwk wyl': lukoil)
                # Arabic-script words joined read as one word (عبد القادر: Abdulqadir)
                read = joined_reads([reads_of(abjad, q[x]) for x in run])
                for j in free_l:
                    s = token_sim(joined, lt[j], ab, read)
                    if s > 0.0:
                        found.append((s * min(sum(wq[x] for x in run), wl[j]), s, run, (j,)))
        for j in free_l:
            run = tuple(range(j, j + size))
            if run[-1] < len(lt) and used_l.isdisjoint(run):
                joined = "".join(lt[x] for x in run)
                for i in free_q:
                    s = token_sim(q[i], joined, *marks[i])
                    if s > 0.0:
                        found.append((s * min(wq[i], sum(wl[x] for x in run)), s, (i,), run))
    return take(found, used_q, used_l)


def variants(
    q: Sequence[str],
    lt: Sequence[str],
    wq: Sequence[float],
    wl: Sequence[float],
    used_q: set[int],
    used_l: set[int],
) -> list[Pair]:
    """Align tokens left over that spell one person name ("Ted" / "Theodore", "Husayn" / "Hussein"); two
    different pinyin syllables never do (`other_syllables`)."""
    found: list[Pair] = [
        (VARIANT_SIM * min(wq[i], wl[j]), VARIANT_SIM, (i,), (j,))
        for i in range(len(q))
        if i not in used_q and not q[i].isdigit()
        for j in range(len(lt))
        if j not in used_l
        and not lt[j].isdigit()
        and are_variants(q[i], lt[j])
        and not other_syllables(q[i], lt[j])
    ]
    return take(found, used_q, used_l)


def other_syllables(a: str, b: str) -> bool:
    """Two different syllables of Hanyu Pinyin: two different characters (li / yi, hui / wei), however often
    Wikidata's name items, which gather the readings of one name across languages, put them together."""
    if a == b or len(a) > 6 or len(b) > 6:
        return False
    pinyin = pinyin_syllables()
    return a in pinyin and b in pinyin
