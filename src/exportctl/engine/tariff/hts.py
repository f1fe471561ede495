"""The HTS lines a stack can be computed for, and the resolution of user codes (10, 8, 6 or 4 digits).

Reads the `hts` table of helper `exportctl.sources.hts` (docs/tables.md): statistical (10-digit) rows
take the rate texts of their 8-digit line, and `chapter99_effective` already holds the chapter 99
headings of the row and of its ancestors (the Section 301 footnotes "See 9903.88.03").
"""

from __future__ import annotations

import re

import polars as pl

from exportctl.engine.common.memo import ByIdentity

NEEDED = ("hts", "level", "description", "general", "special", "other", "chapter99_effective")
_CODE = re.compile(r"^\d{2}(\d{2}){0,4}$")


def digits(code: str) -> str:
    """'8471.30.0100' -> '8471300100' (dots, spaces and dashes removed)."""
    return re.sub(r"[.\s\-]", "", code or "")


def dotted(code: str) -> str:
    """'8471300100' -> '8471.30.01.00', the way the HTS prints it."""
    parts = [code[:4], code[4:6], code[6:8], code[8:10]]
    return ".".join(p for p in parts if p)


def dotted_expr(col: str) -> pl.Expr:
    """`dotted` as a column expression."""
    c = pl.col(col)
    parts = [c.str.slice(0, 4), c.str.slice(4, 2), c.str.slice(6, 2), c.str.slice(8, 2)]
    joined = pl.concat_list(parts).list.eval(pl.element().filter(pl.element() != "")).list.join(".")
    return pl.when(c.is_null()).then(None).otherwise(joined)


def valid_shape(code: str) -> bool:
    """True for 2, 4, 6, 8 or 10 digits."""
    return bool(_CODE.match(code))


_TEXTS = ("general", "special", "other")


def rate_lines(hts: pl.DataFrame) -> pl.DataFrame:
    """Every line a code can resolve to, with its effective general, special and column 2 texts.

    Those are every statistical (10-digit) line, every 8-digit line with a rate of its own or above
    it, and a 4- or 6-digit line that prints a rate with nothing below it. Heading 9503 prints its only
    rate line at 4 digits, its statistical lines 9503.00.00.11 ... under it. Each empty text is taken
    from the nearest numbered ancestor (8, then 6, then 4 digits) that prints one. A statistical line
    with no general text anywhere above it (9802.00.91.00, a special rate only) is kept with "".
    """
    missing = [c for c in NEEDED if c not in hts.columns]
    if missing:
        from exportctl.errors import DataError

        raise DataError(f"hts table lacks columns {missing}", field="hts")
    numbered = (
        hts.filter(pl.col("hts").is_not_null())
        .with_columns(pl.col(c).fill_null("").str.strip_chars().alias(c) for c in _TEXTS)
        .unique(subset="hts", keep="first", maintain_order=True)
    )
    out = numbered.with_columns(pl.col("chapter99_effective").fill_null(pl.lit([], dtype=pl.List(pl.Utf8))))
    for n in (8, 6, 4):
        anc = numbered.filter(pl.col("level") == n).select(
            pl.col("hts").alias("_a"), *[pl.col(c).alias(f"_{c}") for c in _TEXTS]
        )
        out = (
            out.with_columns(
                pl.when(pl.col("level") > n).then(pl.col("hts").str.slice(0, n)).otherwise(None).alias("_a")
            )
            .join(anc, on="_a", how="left")
            .with_columns(
                pl.when(pl.col(c) == "").then(pl.col(f"_{c}").fill_null("")).otherwise(pl.col(c)).alias(c)
                for c in _TEXTS
            )
            .drop("_a", *[f"_{c}" for c in _TEXTS])
        )
    # a 4- or 6-digit rate line is a line of its own only when nothing is printed below it; otherwise it
    # only lends its texts (a code resolves to the lines layers can name, as for any shorter code)
    deeper = numbered.filter(pl.col("level") >= 8)["hts"]
    parents = set(deeper.str.slice(0, 4).to_list()) | set(deeper.str.slice(0, 6).to_list())
    own_rate = (
        (pl.col("level") < 8)
        & pl.col("hts").is_in(numbered.filter(pl.col("general") != "")["hts"].implode())
        & ~pl.col("hts").is_in(sorted(parents))
    )
    keep = (pl.col("level") == 10) | ((pl.col("level") == 8) & (pl.col("general") != "")) | own_rate
    return (
        out.filter(keep)
        .select("hts", "level", "description", "general", "special", "other", "chapter99_effective")
        .sort("hts")
    )


_SIGS: ByIdentity[pl.DataFrame] = ByIdentity(4)


def _signed(lines: pl.DataFrame) -> pl.DataFrame:
    """The lines with `_sig`: what must agree below a shorter code (rates and chapter 99 references)."""
    return lines.with_columns(
        (
            pl.col("general") + "|" + pl.col("other") + "|" + pl.col("chapter99_effective").list.join(",")
        ).alias("_sig")
    )


def resolve_codes(lines: pl.DataFrame, codes: pl.Series) -> pl.DataFrame:
    """Per distinct code: status (ok, ambiguous_hts, unknown_hts, invalid_hts), the line, suggestions.

    An exact 8- or 10-digit line is taken as is. A shorter code is accepted when every line below it has
    the same rates and chapter 99 references (then the first such line stands for it); otherwise it is
    ambiguous and the distinct lines are suggested. An unknown code gets the nearest valid codes.
    """
    q = (
        pl.DataFrame({"code": codes.cast(pl.Utf8)})
        .unique()
        .with_columns(pl.col("code").map_elements(valid_shape, return_dtype=pl.Boolean).alias("_valid"))
    )
    sig = _SIGS.get_or_build(lines, lambda: _signed(lines))
    found: list[pl.DataFrame] = []
    for n in sorted({len(c) for c in q.filter("_valid")["code"].to_list()}):
        sub = q.filter(pl.col("_valid") & (pl.col("code").str.len_chars() == n)).select("code")
        cand = sig.with_columns(pl.col("hts").str.slice(0, n).alias("code")).join(sub, on="code")
        found.append(cand.select("code", "hts", "level", "_sig"))
    cands = (
        pl.concat(found)
        if found
        else pl.DataFrame(schema={"code": pl.Utf8, "hts": pl.Utf8, "level": pl.Int64, "_sig": pl.Utf8})
    )
    agg = (
        cands.sort("level", "hts")
        .group_by("code")
        .agg(
            pl.col("_sig").n_unique().alias("_n"),
            pl.col("hts").first().alias("hts"),
            pl.col("hts").filter(pl.col("level") == pl.col("level").min()).alias("_alts"),
        )
    )
    out = q.join(agg, on="code", how="left").with_columns(
        pl.when(~pl.col("_valid"))
        .then(pl.lit("invalid_hts"))
        .when(pl.col("_n").is_null())
        .then(pl.lit("unknown_hts"))
        .when(pl.col("_n") > 1)
        .then(pl.lit("ambiguous_hts"))
        .otherwise(pl.lit("ok"))
        .alias("status")
    )
    unknown = out.filter(pl.col("status") == "unknown_hts")["code"].to_list()
    near = {c: nearest(lines, c) for c in unknown}  # only failing codes: a handful, not one per line
    return out.with_columns(
        pl.when(pl.col("status") == "ok").then(pl.col("hts")).otherwise(None).alias("hts"),
        pl.when(pl.col("status") == "ambiguous_hts")
        .then(
            pl.col("_alts").list.eval(pl.element().map_elements(dotted, return_dtype=pl.Utf8)).list.head(10)
        )
        .when(pl.col("status") == "unknown_hts")
        .then(pl.col("code").replace_strict(near, default=None, return_dtype=pl.List(pl.Utf8)))
        .otherwise(pl.lit([], dtype=pl.List(pl.Utf8)))
        .alias("suggestions"),
    ).select("code", "status", "hts", "suggestions")


def _dotted_element() -> pl.Expr:
    e = pl.element()
    parts = [e.str.slice(0, 4), e.str.slice(4, 2), e.str.slice(6, 2), e.str.slice(8, 2)]
    return pl.concat_str(parts, separator=".").str.strip_chars_end(".").str.replace_all(r"\.\.+", ".")


def nearest(lines: pl.DataFrame, code: str, limit: int = 5) -> list[str]:
    """The valid lines sharing the longest prefix with `code`, closest numerically first."""
    for n in range(len(code) - 1, 1, -1):
        cand = lines.filter(pl.col("hts").str.starts_with(code[:n]) & (pl.col("level") <= 8))
        if cand.height:
            target = int(code.ljust(10, "0")[:10])
            ranked = cand.with_columns(
                (pl.col("hts").str.pad_end(10, "0").cast(pl.Int64) - target).abs().alias("_d")
            ).sort("_d", "hts")
            return [dotted(h) for h in ranked["hts"].head(limit).to_list()]
    return []
