"""Batch screening: a table of query names in, a table of hits out (one query is a batch of one)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import polars as pl

from exportctl.engine.screening import evidence, frequency, homonym, weak
from exportctl.engine.screening.build import build_index, normalise_type
from exportctl.engine.screening.collector import collector_paused
from exportctl.engine.screening.forms import (
    abjad_score,
    abjad_words,
    cjk_person,
    form_abjad,
    han_syllables,
    japanese_read,
    korean_spelt,
    query_forms,
    whole_name,
)
from exportctl.engine.screening.hits import clear_entry_values, hits_frame
from exportctl.engine.screening.index import ScreeningIndex
from exportctl.engine.screening.korean import korean_order
from exportctl.engine.screening.name_part import screened_forms
from exportctl.engine.screening.normalise import (
    cjk_chars,
    family_of,
    family_span,
    has_han,
    name_key,
    normalise,
    split_listed_name,
)
from exportctl.engine.screening.one_word import org_word_left
from exportctl.engine.screening.patronymic import (
    GIVEN_PATRONYMIC,
    given_patronymic,
    patronymic_names,
    patronymic_query,
)
from exportctl.engine.screening.prune import QueryBound
from exportctl.engine.screening.retrieval import Candidates
from exportctl.engine.screening.score import (
    Part,
    Scored,
    cjk_score,
    score_tokens,
)
from exportctl.engine.screening.surname import TITLE_SURNAME, explain, surname_rank, title_surname
from exportctl.engine.screening.titles import surname_query, title_span
from exportctl.engine.screening.translit import scripts

MATCHER_VERSION = "exportctl-v3"
DEFAULT_THRESHOLD = 0.7
MAX_HITS = 10
COUNTRY_MISMATCH = 0.9  # the query names a country and the entry lists others
TYPE_MISMATCH = 0.75  # a person against an entity, or the reverse
CRAFT_MISMATCH = 0.6  # a person or company against a vessel or aircraft ("EMILY S" is a ship)
CRAFT = frozenset({"vessel", "aircraft"})
CRAFT_OR_ENTITY = frozenset({"entity", *CRAFT})


def _adjust(
    index: ScreeningIndex,
    entry: int,
    score: float,
    country: str,
    qtype: str,
    explain: bool = True,
    parts: Sequence[Part] = (),
) -> tuple[float, list[str]]:
    """`score` times the country and type factors of `entry`, and their notes (none unless `explain`: the
    factor alone is asked of every candidate, the notes only of a scored one); `parts`: the scored pair's,
    whose words left over tell an untyped query that names a company (`one_word.org_word_left`)."""
    notes = []
    listed_countries = index.entry_countries[entry]
    if country and listed_countries and country not in listed_countries:
        score *= COUNTRY_MISMATCH
        if explain:
            notes.append(f"country {country} not in {','.join(sorted(listed_countries))} x{COUNTRY_MISMATCH}")
    ltype = index.entry_type[entry]
    if qtype and ltype and qtype != ltype:
        factor = CRAFT_MISMATCH if {qtype, ltype} & CRAFT else TYPE_MISMATCH
        score *= factor
        if explain:
            notes.append(f"type {qtype}/{ltype} x{factor}")
    elif not qtype and ltype in CRAFT and org_word_left(parts):
        # "Samsung Electronics" / the vessel SAMSUN: a query holding a generic word the craft's name lacks
        # names a company, as a query typed entity does (a legal form alone does not: "NAVIS 6 LLC")
        score *= CRAFT_MISMATCH
        if explain:
            notes.append(f"company words/{ltype} x{CRAFT_MISMATCH}")
    return score, notes


def _person_entry(ltype: str, qtype: str) -> bool:
    """A listed person, or an untyped entry screened for a person (frequency.partial_common)."""
    return ltype == "person" or (not ltype and qtype == "person")


def _other_script(
    index: ScreeningIndex,
    scored: Scored,
    no_initials: bool,
    hebrew: bool,
    read: bool = False,
    abjad: frozenset[str] = frozenset(),
) -> Scored:
    """The adjustments of a name written in another script than Latin and met by a Latin listed name
    (`read`), in a script without initials, in Hebrew, scored in a romanisation: one place for the screening
    and the pair-scoring paths."""
    if no_initials:
        scored = weak.letters_not_initials(scored)
        scored = weak.romanised(scored, index.weigh_of(abjad), index.identity_of(abjad), abjad)
    if read:
        scored = weak.read_names(scored, abjad)
        if no_initials:  # a reading of Arabic, Hebrew, Hangul, Han, kana or Thai is a guess; ЗТЕ is ZTE
            scored = weak.short_company_reading(scored, index.identity_of(abjad))
    if hebrew:
        scored = weak.hebrew_short_skeletons(scored, abjad)
    return scored


def screen_tokens(
    index: ScreeningIndex,
    tokens: tuple[str, ...],
    threshold: float = DEFAULT_THRESHOLD,
    country: str = "",
    qtype: str = "",
    max_hits: int = MAX_HITS,
    chars: str = "",
    cands: Candidates | None = None,
    whole: bool = False,
    han: bool = False,
    no_initials: bool = False,
    hebrew: bool = False,
    read: bool = False,
    abjad: frozenset[str] = frozenset(),
    scores: dict[Any, Scored] | None = None,
) -> list[tuple[int, int, float, str]]:
    """Hits of one normalised query: (entry row, name id, score, explanation), best first.

    `chars` are the query's Han, kana and Hangul characters (`cjk_chars`), compared one by one with a
    listed name written in those scripts too; `cands`, its candidates when retrieved with a batch;
    `whole`: the query is a CJK person name, matched as one name (`forms.whole_name`); `han`: the tokens
    are the pinyin of a Han name (`forms.han_syllables`); `no_initials`: the query is written in a script
    without initials (`weak.letters_not_initials`); `read`: the query is written in another script than
    Latin (`weak.read_names`); `abjad`: its tokens romanised from an abjad (`similarity.abjad_set`);
    `scores`: name scores of earlier queries to reuse (the same name with another country: `_screen_keys`)."""
    if not tokens:
        return []
    best: dict[int, tuple[float, int, Scored, list[str]]] = {}
    found = index.keys.get(name_key(tokens))
    if found is None and any(span := title_span(tokens)):  # "Predsjednik X": X's own listed names first
        found = index.keys.get(name_key(tokens[span[0] : len(tokens) - span[1]]))
    exact = [] if found is None else found.tolist()
    nids, bounds = cands if cands is not None else index.candidates(tokens, threshold, abjad)
    surname = surname_query(tokens)  # "President Putin", "V. V. Putin": one surname (surname.py)
    if surname is not None and not surname_rank(surname.surname) and threshold <= TITLE_SURNAME:
        nids, bounds = _with_surname(index, nids, bounds, surname.surname)
    named = patronymic_query(tokens)  # "Sergei Viktorovich": given name and patronymic (patronymic.py)
    if named is not None and threshold <= GIVEN_PATRONYMIC:
        more = patronymic_names(index, named)  # their bound counts the family name the rule forgives
        nids, bounds = (
            np.concatenate([more, nids]),
            np.concatenate([np.full(len(more), SURNAME_BOUND), bounds]),
        )
    wq = index.weights(tokens, abjad)
    weigh, identity = index.weigh_of(abjad), index.identity_of(abjad)
    # a plain Latin query, no rule that lifts a score: pairs that cannot reach the threshold skip the scorer
    plain = (
        not (chars or whole or han or no_initials or hebrew or read or abjad)
        and surname is None
        and named is None
    )
    wb, alpha = index.bound_weights(tokens, wq) if plain else (wq, 1.0)
    memo: dict[Any, Scored] = {} if scores is None else scores
    asked = (tokens, chars, abjad)  # what the name score depends on besides the listed name
    order = [(nid, 1.0) for nid in exact] + list(zip(nids.tolist(), bounds.tolist(), strict=True))
    seen: set[int] = set()
    bound_of: QueryBound | None = None
    for nid, bound in order:
        if nid in seen:
            continue
        seen.add(nid)
        entry = int(index.name_entry[nid])
        if entry in best and best[entry][0] >= bound:
            continue  # another name of this entry already scored at least what this one could
        if len(best) >= max_hits and min(b[0] for b in best.values()) >= bound:
            break  # candidates come best bound first: none of the rest can enter the top hits
        factor = _adjust(index, entry, 1.0, country, qtype, False)[0] if country or qtype else 1.0
        if factor < threshold:
            continue  # a name scores 1 at most: this entry's country and type factors keep it below
        if whole and index.entry_type[entry] in CRAFT_OR_ENTITY:
            continue  # a CJK person name scores 0 against an organisation (forms.whole_name)
        listed = index.name_tokens[nid]
        lchars = cjk_chars(index.name_text[nid]) if chars else ""
        family = family_of(listed, int(index.name_family[nid]))
        scored = memo.get((asked, listed, lchars, family))
        if scored is None and plain:  # below the threshold whatever the alignment? (prune.py)
            skip = (asked, listed, factor)  # asked again for the same name on other lists
            verdict = memo.get(skip)
            if verdict is None:
                if bound_of is None:
                    bound_of = QueryBound(tokens, wq, wb, alpha)  # made once for all the candidates
                verdict = memo[skip] = _PRUNED if bound_of.cannot_reach(listed, threshold / factor) else _KEPT
            if verdict is _PRUNED:
                continue
        if scored is None:  # the same name sits on several lists (the SDN is in the CSL too)
            scored = score_tokens(tokens, listed, weigh, identity, wq, index.name_weights[nid], family, abjad)
            scored = memo[(asked, listed, lchars, family)] = _by_characters(scored, chars, lchars)
        if whole:
            entity = index.entry_type[entry] in CRAFT_OR_ENTITY
            scored = whole_name(scored, listed, entity, "" if lchars else chars, family)
        if han:
            scored = han_syllables(scored)
        # a reading has no typos, but a name written in the listed name's own script may (سلطان / سلمان)
        by_reading = read and not scripts(index.name_text[nid])
        scored = weak.longer_words(_other_script(index, scored, no_initials, hebrew, by_reading, abjad))
        if surname is not None:
            scored = title_surname(surname, scored, listed, family, index.entry_type[entry] in ("person", ""))
        if named is not None:
            scored = given_patronymic(
                named, scored, listed, family, index.entry_type[entry] in ("person", "")
            )
        scored = frequency.partial_common(
            scored, identity, _person_entry(index.entry_type[entry], qtype), qtype in CRAFT_OR_ENTITY, abjad
        )
        if scored.score <= 0.0:
            continue
        score, notes = _adjust(index, entry, scored.score, country, qtype, parts=scored.parts)
        if score >= threshold and (entry not in best or score > best[entry][0]):
            best[entry] = (score, nid, scored, notes)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[:max_hits]
    # Explanations are written only for the hits kept.
    return [
        (entry, nid, round(score, 4), "; ".join([explain(scored), *notes]) if notes else explain(scored))
        for entry, (score, nid, scored, notes) in ranked
    ]


_PRUNED, _KEPT = Scored(0.0, ()), Scored(1.0, ())  # prune.py's verdicts, kept beside the scores

SURNAME_BOUND = 1.0  # a rare surname's names are scored whatever their bound (surname.py lifts them)
SURNAME_RETRIEVAL = 0.3  # the names a rare surname alone retrieves at this bound (its own and near spellings)


def _with_surname(
    index: ScreeningIndex, nids: np.ndarray, bounds: np.ndarray, surname: str
) -> tuple[np.ndarray, np.ndarray]:
    """The candidates of a title-and-surname query and, first, the names the surname alone retrieves
    (their bound counts the missing given names, which that rule does not)."""
    more, _b = index.candidates((surname,), SURNAME_RETRIEVAL)
    if not len(more):
        return nids, bounds
    return np.concatenate([more, nids]), np.concatenate([np.full(len(more), SURNAME_BOUND), bounds])


def _by_characters(scored: Scored, chars: str, lchars: str) -> Scored:
    """The lower of the token score and the character score, when both names have CJK characters."""
    by_chars = cjk_score(chars, lchars)
    if by_chars is None or by_chars.score >= scored.score:
        return scored
    return Scored(by_chars.score, scored.parts, scored.factors + by_chars.factors)


Key = tuple[str, str, str]
Hit = tuple[int, int, float, str]
Row = evidence.Row  # qid, query, entry row, name id, score, explanation


def screen(
    index: ScreeningIndex,
    queries: pl.DataFrame,
    threshold: float = DEFAULT_THRESHOLD,
    max_hits: int = MAX_HITS,
    workers: int = 1,
    cleared: bool = False,
) -> pl.DataFrame:
    """Screen a table of names (column `name`; optional `qid`, `country`, `type`, `dob`, `nationality`,
    `id_number`): one row per hit, with its `evidence` (evidence.py).

    Hits come best first within each query; `qid` is the query's row number unless given. With
    `workers` > 1, large batches are split over forked processes. With `cleared`, hits whose name reached
    the threshold but whose evidence (a contradicting date of birth or id) took them below it are kept.
    """
    if "name" not in queries.columns:
        raise ValueError("queries need a 'name' column")
    cols = {
        c: queries[c].cast(pl.Int64 if c == "qid" else pl.Utf8).to_list()
        for c in ("qid", "name", "country", "type", *evidence.QUERY_COLUMNS)
        if c in queries.columns
    }
    with collector_paused():  # the hit rows and the frame's columns are all kept
        rows, items = screen_rows(index, cols, threshold, max_hits, workers, cleared)
        return hits_frame(index, rows, items, MATCHER_VERSION)


def screen_rows(
    index: ScreeningIndex,
    queries: Mapping[str, Sequence[Any]],
    threshold: float = DEFAULT_THRESHOLD,
    max_hits: int = MAX_HITS,
    workers: int = 1,
    cleared: bool = False,
) -> tuple[list[Row], list[list[dict[str, str]]]]:
    """`screen` of queries given as columns (`name`, optional `qid`, `country`, ...: lists of one length),
    before its table: the hit rows (qid, query, entry row, name id, score, explanation) and their
    evidence items, for hits.hits_frame or hits.hit_records (one name needs no table to be screened)."""
    with collector_paused():  # memos, hits and rows are kept till the end: a collection would walk them
        return _screen_rows(index, queries, threshold, max_hits, workers, cleared)


def _screen_rows(
    index: ScreeningIndex,
    queries: Mapping[str, Sequence[Any]],
    threshold: float,
    max_hits: int,
    workers: int,
    cleared: bool,
) -> tuple[list[Row], list[list[dict[str, str]]]]:
    """`screen_rows`, the collector paused."""
    if "name" not in queries:
        raise ValueError("queries need a 'name' column")
    n = len(queries["name"])
    names = [str(v) if v is not None else "" for v in queries["name"]]
    qids = list(queries["qid"]) if "qid" in queries else list(range(n))
    countries = _column(queries, "country", n)
    types = _column(queries, "type", n)
    keys = [  # a Korean name in two Hangul words is screened as the one word family + given (korean.py)
        (korean_order(name) or name, country.upper().strip(), normalise_type(qtype))
        for name, country, qtype in zip(names, countries, types, strict=True)
    ]
    # -- evidence seam (evidence.py): a query's dob, nationality and id_number may raise its hits, so its
    # name is also retrieved below the threshold by what they could add; then every hit is moved.
    ev = evidence.query_evidence(queries, qids, [k[1] for k in keys])
    # -- name-part seam (name_part.py): a text with an address, a reference number or thousands of
    # characters after the name is screened whole (when it may be a name) and on its name part.
    parts = {key: _part_keys(key) for key in dict.fromkeys(keys)}
    at: dict[Key, float] = {}
    for qid, key in zip(qids, keys, strict=True):
        level = evidence.retrieval_threshold(threshold, ev.get(qid, {}))
        for sub, _note, _factor in parts[key]:
            at[sub] = min(at.get(sub, threshold), level)
    from exportctl.engine.screening.batch_screen import screen_all  # it screens with screen_tokens

    found = dict(zip(at, screen_all(index, list(at), threshold, max_hits, workers), strict=True))
    lower: dict[Key, list[Hit]] = {}
    for level in sorted({v for v in at.values() if v < threshold}):
        group = [k for k in at if at[k] == level]
        lower.update(zip(group, screen_all(index, group, level, max_hits, workers), strict=True))
    rows: list[tuple[int, str, int, int, float, str]] = []
    plain: set[tuple[int, int]] = set()
    for qid, name, key in zip(qids, names, keys, strict=True):
        for entry, nid, score, text in _merge_parts(
            [(found[s], n, f) for s, n, f in parts[key]], max_hits, threshold
        ):
            rows.append((qid, name, entry, nid, score, text))
            plain.add((qid, entry))
        below = _merge_parts([(lower.get(s, []), n, f) for s, n, f in parts[key]], max_hits, 0.0)
        rows.extend((qid, name, e, nid, sc, t) for e, nid, sc, t in below if (qid, e) not in plain)
    rows, items = evidence.step(
        rows,
        index.entries,
        index.entry_countries,
        index.name_text,
        ev,
        threshold,
        COUNTRY_MISMATCH,
        cleared,
        plain,
    )
    # -- homonym seam (homonym.py): a common person's name alerts, its hits marked for review
    by_qid = dict(zip(qids, keys, strict=True))
    rows, items = homonym.mark(
        rows, items, {q: k[2] for q, k in by_qid.items()}, {q: k[0] for q, k in by_qid.items()}
    )
    items = frequency.note_evidence(rows, items)  # a common-name factor of the name step, shown as evidence
    return rows, items


def _part_keys(key: Key) -> list[tuple[Key, str, float]]:
    """The keys a query is screened under: its whole name and its name part, each with note and factor."""
    return [((text, key[1], key[2]), note, factor) for text, note, factor in screened_forms(key[0])]


def _merge_parts(found: list[tuple[list[Hit], str, float]], max_hits: int, floor: float) -> list[Hit]:
    """The hits of a query's forms (name_part.py), the best per entry; a name part's hit says so and
    scores its factor times (kept only at `floor` or above)."""
    if len(found) == 1 and not found[0][1]:
        return found[0][0]
    best: dict[int, Hit] = {}
    for hits, note, factor in found:
        for entry, nid, score, text in hits:
            score = round(score * factor, 4)
            if score >= floor and (entry not in best or score > best[entry][2]):
                best[entry] = (entry, nid, score, f"{text}; {note}" if note else text)
    return sorted(best.values(), key=lambda h: (-h[2], h[0]))[:max_hits]


def _column(queries: Mapping[str, Sequence[Any]], col: str, n: int) -> list[str]:
    if col not in queries:
        return [""] * n
    return ["" if v is None else str(v) for v in queries[col]]


def match_parties(
    index: ScreeningIndex, names: pl.DataFrame, threshold: float = DEFAULT_THRESHOLD, workers: int = 1
) -> pl.DataFrame:
    """The determination engines' seam: `names` (qid, name[, country, type]) -> one row per hit (in
    `workers` forked processes when there are many names: `screen`).

    Columns: those of `screen`, plus `listed_name` (the entry's name), `match_score` and `match_kind`
    ("exact" when the normalised names are equal, else "fuzzy").
    """
    hits = screen(index, names, threshold, workers=workers)
    return hits.with_columns(
        pl.col("name").alias("listed_name"),
        pl.col("score").alias("match_score"),
        pl.when(pl.col("score") >= 1.0).then(pl.lit("exact")).otherwise(pl.lit("fuzzy")).alias("match_kind"),
    )


def score_names(index: ScreeningIndex, query: str, listed: str) -> Scored:
    """Score one query name against one listed name (cleaned like a list entry; best variant wins)."""
    query = korean_order(query) or query
    chars = cjk_chars(query)
    whole = not query.isascii() and cjk_person(query)
    written_in = scripts(query)
    no_initials = not weak.NO_INITIALS.isdisjoint(written_in)
    hebrew = "hebrew" in written_in
    primary, more = split_listed_name(listed)
    best = Scored(0.0, ())
    for variant in [primary, *more]:
        for _text, lt in query_forms(variant) or (("", normalise(variant)),):
            family = family_of(lt, family_span(variant, lt))
            for form, tokens in query_forms(query):
                abjad = form_abjad(query, tokens)
                scored = score_tokens(
                    tokens,
                    lt,
                    index.weigh_of(abjad),
                    index.identity_of(abjad),
                    index.weights(tokens, abjad),
                    index.weights(lt),
                    family,
                    abjad,
                )
                lchars = cjk_chars(variant) if chars else ""
                scored = _by_characters(scored, chars, lchars)
                if whole:
                    scored = whole_name(scored, lt, False, "" if lchars else chars, family)
                if form == query and has_han(query):
                    scored = han_syllables(scored)
                by_reading = bool(written_in) and not scripts(variant)  # as in screen_tokens
                scored = _other_script(index, scored, no_initials, hebrew, by_reading, abjad)
                scored = weak.longer_words(scored)
                if (surname := surname_query(tokens)) is not None and not has_han(query):
                    # no entry type here: a title phrase or initials say the name is a person's, and so
                    # does a listed name written "FAMILY, Given" (then an office is enough: "Premier X")
                    person = surname.titled or bool(surname.initials) or ("," in variant and bool(family))
                    scored = title_surname(surname, scored, lt, family, person)
                if (named := patronymic_query(tokens)) is not None:
                    scored = given_patronymic(named, scored, lt, family, True)
                # no entry type here: the listed name is a person's unless it holds a legal form or a
                # generic word, which the rule checks itself (as screen_tokens does for an untyped entry)
                scored = frequency.partial_common(scored, index.identity_of(abjad), True, False, abjad)
                by_words = abjad_score(abjad_words(query), abjad_words(variant))
                if by_words is not None and by_words.score < scored.score:
                    scored = Scored(by_words.score, scored.parts, scored.factors + by_words.factors)
                if scored.score > best.score or not best.parts:
                    best = scored
    return best


_INDEXES: dict[tuple[int, int], ScreeningIndex] = {}


def cached_index(lists: pl.DataFrame) -> ScreeningIndex:
    """`build_index(lists)`, memoised in-process by the table's content (so batch callers build once)."""
    cols = [c for c in ("list", "entity_id", "name", "aliases") if c in lists.columns]
    key = (lists.height, int(lists.select(cols).hash_rows().sum()))
    index = _INDEXES.get(key)
    if index is None:
        if len(_INDEXES) >= 4:
            _INDEXES.clear()
        index = _INDEXES[key] = build_index(lists)
    return index


def match_lists(
    queries: pl.DataFrame, lists: pl.DataFrame, threshold: float = DEFAULT_THRESHOLD
) -> pl.DataFrame:
    """`match_parties` over a list table given as such (the index is built once per table content)."""
    return match_parties(cached_index(lists), queries, threshold)


def clear_caches() -> None:
    """Forget the per-process memo of normalised names, token similarities and built indexes (benchmarks
    start cold with it; nothing else needs it)."""
    from exportctl.engine.screening.normalise import clear_normalise_caches
    from exportctl.engine.screening.prune import clear_listed
    from exportctl.engine.screening.similarity import token_sim

    clear_normalise_caches()
    clear_listed()
    query_forms.cache_clear()
    cjk_person.cache_clear()
    japanese_read.cache_clear()
    korean_spelt.cache_clear()
    token_sim.cache_clear()
    _INDEXES.clear()
    clear_entry_values()
