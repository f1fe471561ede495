"""Party screening: normalise names, index the lists, score and explain every hit (matcher exportctl-v3)."""

from exportctl.engine.screening.build import build_index
from exportctl.engine.screening.hits import HIT_SCHEMA
from exportctl.engine.screening.index import BuildStats, ScreeningIndex
from exportctl.engine.screening.lists import LIST_SCHEMA, LIST_TABLES, list_table, read_list_file
from exportctl.engine.screening.normalise import normalise, split_listed_name
from exportctl.engine.screening.score import Scored, score_tokens
from exportctl.engine.screening.screen import (
    DEFAULT_THRESHOLD,
    MATCHER_VERSION,
    cached_index,
    clear_caches,
    match_lists,
    match_parties,
    score_names,
    screen,
    screen_tokens,
)
from exportctl.engine.screening.similarity import token_sim

__all__ = [
    "DEFAULT_THRESHOLD",
    "HIT_SCHEMA",
    "LIST_SCHEMA",
    "LIST_TABLES",
    "MATCHER_VERSION",
    "BuildStats",
    "Scored",
    "ScreeningIndex",
    "build_index",
    "cached_index",
    "clear_caches",
    "list_table",
    "match_lists",
    "match_parties",
    "normalise",
    "read_list_file",
    "score_names",
    "score_tokens",
    "screen",
    "screen_tokens",
    "split_listed_name",
    "token_sim",
]
