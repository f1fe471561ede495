"""Scripts with no reader of their own (Armenian, Georgian, Ethiopic, Myanmar, the Indic scripts but
Devanagari ...): read through ICU's transforms, as listed in icu_scripts.tsv.

The readings come beside the plain text (which `normalise` spells through anyascii), never instead of it.
An English Mc/Mac name as these alphabets write it (Մակքոնել Makkonel, Μακ Κόνελ Mak Konel) is also
spelt the way the lists write it (Mcconel), as `translit` does for Cyrillic's Мак.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

TABLE_FILE = Path(__file__).with_name("icu_scripts.tsv")


@lru_cache(maxsize=1)
def _table() -> tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...]:
    """(script, its block as a pattern, ICU transform ids) per row of the table."""
    rows: list[tuple[str, re.Pattern[str], tuple[str, ...]]] = []
    for line in TABLE_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        script, first, last, ids = line.split("\t")
        block = re.compile(f"[{chr(int(first, 16))}-{chr(int(last, 16))}]")
        rows.append((script, block, tuple(i.strip() for i in ids.split(",") if i.strip())))
    return tuple(rows)


@lru_cache(maxsize=64)
def _transform(transform_id: str) -> Any:
    """ICU's transform of that id, or None where this ICU lacks it."""
    import icu

    try:
        return icu.Transliterator.createInstance(transform_id)
    except icu.ICUError:
        return None


def icu_scripts(text: str) -> tuple[str, ...]:
    """The scripts of the table a name is written in, in the table's order."""
    if text.isascii():
        return ()
    return tuple(dict.fromkeys(script for script, block, _ids in _table() if block.search(text)))


# Mak/Mac before k, c, d, g, m, n, f at a word's start: an English Mc/Mac name written out by ear. Hangul
# and Devanagari add a vowel to it (매코널 maekoneol, मैककॉनेल maikkonel): `vowelled` readings also allow it.
_MAC_LATIN = re.compile(r"(?<![^\W\d_])ma[ck]\s?([kcdgmnf])", re.IGNORECASE)
_MAC_VOWELLED = re.compile(
    r"(?<![^\W\d_])ma[ei]?[ck]\s?([kcdgmnf])|(?<![^\W\d_])mae()k(?=[aeiou])", re.IGNORECASE
)


def mac_spelling(latin: str, vowelled: bool = False) -> str:
    """A reading with an English Mc/Mac name in the lists' letters (Makkonel, Mak Konel -> Mcconel; with
    `vowelled`, also maekoneol -> Mcconeol, maikkonel -> Mcconel); '' when it holds none."""
    pattern = _MAC_VOWELLED if vowelled else _MAC_LATIN
    if not pattern.search(latin):
        return ""

    def mc(m: re.Match[str]) -> str:
        nxt = (m.group(1) or "k").lower()
        return "Mcc" if nxt in "kc" else "Mc" + nxt

    return pattern.sub(mc, latin)


def _plain(text: str) -> str:
    """Latin letters without accents or the apostrophes of aspiration (Mit’ch’ -> Mitch)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[ʿʾʹʺʻ’‘`´ʼ']", "", text)


def icu_readings(text: str) -> list[str]:
    """The ICU readings of a name in the table's scripts (each script's transforms in order, then any Mc/Mac
    spelling of them), without repeats; [] for a name in none of them."""
    found = icu_scripts(text)
    if not found:
        return []
    out: list[str] = []
    for script, _block, ids in _table():
        if script not in found:
            continue
        for transform_id in ids:
            transform = _transform(transform_id)
            if transform is not None:
                out.append(_plain(transform.transliterate(text)))
    out += [mac for form in out if (mac := mac_spelling(form))]
    return [form for form in dict.fromkeys(" ".join(f.split()) for f in out) if form and form != text]
