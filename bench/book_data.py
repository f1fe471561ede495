"""Synthetic order books for the book benches, written in chunks (the generator never holds the book).

A realistic book: an order id, a real ECCN (some with subparagraphs) or EAR99, a product now and then,
30 destinations, a value, a date among `dates`, and a consignee on EVERY row drawn from `parties`
distinct names (books repeat their customers heavily): about 1 in 20 of those names is a listed name of
the active data version's screening lists, a few of them misspelt, so fuzzy screening has work to do.

By default a row's destination is drawn apart from its consignee, so each consignee is shipped to all 30
destinations (its country for screening, as none is given): 20,000 names are ~485,000 (name, country)
keys in 1M rows. With `home`, 9 rows in 10 go to the consignee's own country, as a forwarder's customers
do (~2 keys per name).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

DESTS = [
    "CN",
    "HK",
    "MO",
    "NL",
    "DE",
    "IN",
    "AE",
    "RU",
    "JP",
    "KR",
    "TW",
    "SG",
    "MY",
    "TH",
    "VN",
    "MX",
    "BR",
    "TR",
    "IL",
    "SA",
    "GB",
    "FR",
    "CA",
    "AU",
    "PK",
    "BY",
    "VE",
    "IR",
    "CU",
    "US",
]
PRODUCTS = [""] * 40 + ["NVIDIA H20", "EDA software", "ethane", "LEAP-1C", "AMD MI308"]
SUFFIXES = ("Ltd.", "GmbH", "Co., Ltd.", "LLC", "S.A.", "Pte. Ltd.", "Inc.", "B.V.", "Trading Co.")
WORDS = [
    "Pacific",
    "Northern",
    "Allied",
    "Global",
    "United",
    "Golden",
    "Bright",
    "Star",
    "River",
    "Ocean",
    "Summit",
    "Crown",
    "Delta",
    "Prime",
    "Orient",
    "Harbor",
    "Eagle",
    "Lotus",
    "Phoenix",
    "Silver",
    "Green",
    "Red",
    "Blue",
    "Sun",
    "Moon",
    "Mountain",
    "Valley",
    "Bridge",
    "Tower",
    "Ridge",
]


def party_names(n: int, listed: list[str], seed: int = 7) -> list[str]:
    """n distinct consignee names: 1 in 20 a listed name (1 in 4 of those misspelt), the rest made up."""
    rng = np.random.default_rng(seed)
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        if listed and rng.random() < 0.05:
            name = listed[int(rng.integers(len(listed)))]
            if rng.random() < 0.25 and len(name) > 6:
                i = int(rng.integers(1, len(name) - 1))
                name = name[:i] + name[i + 1 :]  # one letter dropped
        else:
            a, b = rng.choice(len(WORDS), 2, replace=False)
            name = f"{WORDS[a]} {WORDS[b]} {int(rng.integers(1, 10_000))} {SUFFIXES[int(rng.integers(9))]}"
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def book_chunks(
    rows: int, eccns: list[str], names: list[str], dates: int = 120, chunk: int = 500_000, seed: int = 1
) -> list[tuple[int, int]]:
    """The (start, length) chunks of a book of `rows` rows."""
    return [(s, min(chunk, rows - s)) for s in range(0, rows, chunk)]


def book_chunk(
    start: int,
    length: int,
    eccns: list[str],
    names: list[str],
    dates: int = 120,
    seed: int = 1,
    home: bool = False,
) -> pl.DataFrame:
    """Rows [start, start+length) of the synthetic book, as text columns (as a CSV would be read)."""
    rng = np.random.default_rng([seed, start])
    day0 = dt.date(2019, 1, 1)
    day_pool = sorted(
        {day0 + dt.timedelta(days=int(d)) for d in np.random.default_rng(seed).integers(0, 2500, dates)}
    )
    paras = {"3A090": ["a", "b", "c"], "3B001": ["c", "f.1", "a.1"], "5A992": ["c"], "3A001": ["b.2", "a.1"]}
    pool = list(eccns) + ["EAR99"] * 200 + [f"{e}.{p}" for e, ps in paras.items() for p in ps] * 20
    # drawn in the order the book always was (the default book is the one of the earlier figures)
    item, product = rng.integers(0, len(pool), length), rng.integers(0, len(PRODUCTS), length)
    where, who = rng.integers(0, len(DESTS), length), rng.integers(0, len(names), length)
    value, day = np.round(rng.uniform(100, 200_000, length), 2), rng.integers(0, len(day_pool), length)
    if home:  # 9 in 10 rows to the consignee's own country
        where = np.where(rng.random(length) < 0.9, who % len(DESTS), where)
    return pl.DataFrame(
        {
            "order_id": [f"PO-{i:09d}" for i in range(start + 1, start + length + 1)],
            "eccn": np.array(pool, dtype=object)[item].tolist(),
            "product": np.array(PRODUCTS, dtype=object)[product].tolist(),
            "destination": np.array(DESTS, dtype=object)[where].tolist(),
            "ultimate_consignee": np.array(names, dtype=object)[who].tolist(),
            "value_usd": value.astype(str).tolist(),
            "date": [day_pool[i].isoformat() for i in day],
        },
        schema={
            c: pl.Utf8
            for c in ("order_id", "eccn", "product", "destination", "ultimate_consignee", "value_usd", "date")
        },
    ).with_columns(pl.col("product").replace("", None))


def write_book(
    path: Path,
    rows: int,
    eccns: list[str],
    names: list[str],
    dates: int = 120,
    chunk: int = 500_000,
    home: bool = False,
) -> Path:
    """Write the synthetic book to `path` (.parquet or .csv) chunk by chunk; returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer: pq.ParquetWriter | None = None
    with path.open("wb") as fh:
        for i, (start, length) in enumerate(book_chunks(rows, eccns, names, dates, chunk)):
            part = book_chunk(start, length, eccns, names, dates, home=home)
            if path.suffix == ".parquet":
                table: pa.Table = part.to_arrow()
                if writer is None:
                    writer = pq.ParquetWriter(fh, table.schema)
                writer.write_table(table, row_group_size=100_000)
            else:
                part.write_csv(fh, include_header=i == 0)
        if writer is not None:
            writer.close()
    return path
