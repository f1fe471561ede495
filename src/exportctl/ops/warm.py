"""What a single answer reuses between calls in one process: kept per data version, bounded.

A single determination used to load the registry (~700 YAML files), re-date the screening lists and
rebuild the per-version frames on every call: ~0.65 s for one row the batch engine answers in ~20 µs.
Everything kept here is a pure function of (data version, registry content), and is keyed by both, so
activating or rolling back a version is seen at the next call and never answered from another's frames.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, TypeVar

from exportctl.engine.common.memo import Lru

if TYPE_CHECKING:
    from exportctl.ops.check import Context

_CONTEXTS: Lru[Context] = Lru(4)
V = TypeVar("V")


def shared_context() -> Context:
    """The Context of the active data version and the bundled registry, kept per process.

    Keyed by the data version and the registry's content hash (and the objects holding them, which
    the store and ops.registry already keep per process).
    """
    from exportctl.ops.check import Context
    from exportctl.ops.registry_cache import bundled_registry
    from exportctl.store import active_dataset

    dataset = active_dataset()
    registry = bundled_registry()
    key = (str(dataset.version), registry.content_hash, id(dataset), id(registry))
    return _CONTEXTS.get_or_build(key, lambda: settled(Context(dataset=dataset, registry=registry)))


def settled(value: V) -> V:
    """`value`, with every object alive now (what a warm process loaded: registry, tables, a screening
    index) moved out of the collector's walks (`gc.freeze`).

    A warm process holds ~400k container objects once an index is loaded (its postings are lists and
    frozensets); each full collection walked all of them, 0.2-0.7 s at a time, and a single check that
    happened to trigger one took that long (the p99 of a new consignee per call). Frozen objects are still
    freed when their last reference goes; only a cycle among them would outlive its use (none is made
    by what is loaded).
    """
    gc.freeze()
    return value


# a name in each script whose readings the scorer builds tables for on first use (Hangul spellings, kana
# and UniDic readings, pinyin, Cyrillic and Arabic romanisations): persons and companies
SAMPLE_NAMES = (
    "김민준",
    "박서연 주식회사",
    "山田太郎",
    "株式会社山田",
    "王小明",
    "北京华为技术有限公司",
    "Иван Петров",
    "ООО Ромашка",
    "محمد علي",
    "شركة النور",
    "דוד כהן",
    "Θεόδωρος Παππάς",
    "สมชาย ใจดี",
    "राजेश कुमार",
)


def warm_screening(ctx: Context) -> None:
    """Load the Context's US screening index and screen a name of each script once, so that the readings
    tables the scorer builds on first use (~1-3 s for Hangul spellings and kana readings) are built by a
    service's start, not by the first request naming a Korean or Japanese party; then settled."""
    from exportctl.engine.screening import japanese, korean
    from exportctl.engine.screening.screen import screen_rows
    from exportctl.ops.check import index_key
    from exportctl.ops.screen_index import cached_list_index

    lists = ctx.us_lists()
    if lists is None or not lists.height:
        return
    index = cached_list_index(index_key(ctx) + ":us", lists)
    # the tables themselves: a sample name already screened in this process is answered from memory
    korean.warm()
    japanese.warm()
    screen_rows(index, {"name": list(SAMPLE_NAMES)})
    settled(None)
