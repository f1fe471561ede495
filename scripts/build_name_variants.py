"""Build the name-variant table of the screening matcher (engine/screening/name_variants.tsv.gz).

    .venv/bin/python scripts/build_name_variants.py [--check]

For every token of the bundled lists' names and aliases (as the matcher normalises them), rigour's person-name
data gives the Wikidata given and family names and the nicknames the token can spell. Two tokens that share
one are spellings of one name ("Husayn" / "Hussein", "Hsi" / "Xi", "Ted" / "Theodore"). rigour answers such a
lookup in about a millisecond after a five-second start, too slow for a batch of a million names, so the
answers are computed here once and shipped: one line per token, `token<TAB>ids`, the ids numbering rigour's
symbols in the order first met. The same bundled lists and rigour version give a byte-identical file.
`--check` rebuilds in memory and fails when the committed file differs.

Non-Latin spellings follow (`script_vocabulary`): the given and family names of Faker's person providers for
the scripts the matcher romanises (Arabic, Persian, Hebrew, Cyrillic, Greek, Hangul, kana, Thai, Devanagari,
Armenian, Georgian), each kept with the symbols it shares with a list token, so that a name written in its
own script meets the Latin spelling the lists use (محمد / Mohammed, Владимир / Vladimir) by the data
rather than by a letter-for-letter transliteration.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from exportctl.engine.screening.variants import TABLE_FILE, native_key, rigour_symbols  # noqa: E402


def vocabulary() -> list[str]:
    """The normalised tokens of every name and alias on the bundled lists, sorted."""
    from exportctl.data import pack
    from exportctl.engine.screening import build_index
    from exportctl.engine.screening.lists import LIST_TABLES, list_table

    tables = {t.name: t.records for t in pack.load_pack() if t.name in LIST_TABLES}
    index = build_index(list_table(tables))
    return sorted(tok for tok in index.df if len(tok) >= 2 and tok.isalpha())


SCRIPT_LOCALES = (
    "ar_AA", "ar_DZ", "ar_PS", "ar_SA", "fa_IR", "he_IL", "ru_RU", "uk_UA", "bg_BG", "mk_MK", "el_GR",
    "ko_KR", "ja_JP", "th_TH", "hi_IN", "mr_IN", "ne_NP", "hy_AM", "ka_GE",
)  # fmt: skip
_NAME_FIELDS = ("first_names", "last_names", "middle_names", "first_name_pairs", "last_name_pairs")


def script_vocabulary() -> list[str]:
    """The non-Latin words of the person names in Faker's providers for SCRIPT_LOCALES, sorted."""
    import importlib
    import re
    import unicodedata

    words: set[str] = set()
    for locale in SCRIPT_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for field in _NAME_FIELDS:
            for item in getattr(provider, field, ()) or ():
                for text in item if isinstance(item, tuple) else (item,):
                    for word in re.split(r"[\s\-\u30fb]+", unicodedata.normalize("NFKC", str(text)).lower()):
                        if len(word) >= 2 and not word.isascii() and word.isalpha():
                            words.add(word)
    return sorted(words)


def render(tokens: list[str], native: list[str] | None = None) -> bytes:
    """The table for these tokens: a header naming the rigour version, then one line per named token; then
    the `native` (non-Latin) words that share a symbol with a list token, with those symbols only."""
    from importlib.metadata import version

    ids: dict[str, int] = {}
    native = native or []
    counts = f"{len(tokens)} list tokens, {len(native)} native words"
    lines = [f"# rigour {version('rigour')}; {counts}; token<TAB>symbols"]
    for tok in tokens:
        symbols = sorted(rigour_symbols(tok))
        if symbols:
            lines.append(tok + "\t" + ",".join(str(ids.setdefault(s, len(ids))) for s in symbols))
    native_ids: dict[str, set[int]] = {}
    for word in native:
        known = {ids[s] for s in rigour_symbols(word) if s in ids}
        if known:
            native_ids.setdefault(native_key(word), set()).update(known)
    for word, known in sorted(native_ids.items()):
        lines.append(word + "\t" + ",".join(str(i) for i in sorted(known)))
    text = "\n".join(lines) + "\n"
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def main(argv: list[str] | None = None) -> int:
    """Build (or check) the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--check", action="store_true", help="rebuild in memory and compare with the file")
    args = ap.parse_args(argv)
    data = render(vocabulary(), script_vocabulary())
    if args.check:
        same = TABLE_FILE.exists() and TABLE_FILE.read_bytes() == data
        print("name variants: up to date" if same else f"name variants: {TABLE_FILE} differs; rebuild it")
        return 0 if same else 1
    TABLE_FILE.write_bytes(data)
    print(f"wrote {TABLE_FILE} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
