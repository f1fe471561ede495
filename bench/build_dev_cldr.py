"""Build the foreign-names-in-other-scripts dev set (bench/data/dev_cldr_places.jsonl) from CLDR via Babel.

CLDR (Unicode, Unicode licence; read through PyPI `babel`, BSD-3-Clause, which bundles it) names every
time zone's exemplar city in each locale: Los Angeles is 로스앤젤레스, 洛杉矶, لوس انجلوس, לוס אנג׳לס,
ลอสแองเจลิส, Λος Άντζελες in Korean, Chinese, Arabic, Hebrew, Thai and Greek. Most are transcriptions of a
foreign name as that language writes it (the kind of name the issue's Western persons written in Hangul,
Han, Arabic, Hebrew, Thai or Greek are), some are translations (Berlin is Βερολίνο): the set measures how
often a transcription reader meets the Latin name, not a share it could reach in full. The Latin side is
English CLDR's name of the city (the zone id's last part where English has no name of its own). A source
no held-out set uses (those draw on the UN list, watchman, nomenklatura, rigour's tests, yente,
japanese-personal-name-dataset and sinonym). Kept: cities whose name in the locale is written in the
locale's own script and differs from the Latin name, PER_LOCALE (80) per locale, every k-th in zone id
order. `negative` rows pair a city with the Latin name of the city seven places on (in the same locale).
Deterministic (no random sampling). The matcher is tuned on this set.

    .venv/bin/python bench/build_dev_cldr.py            # dev_cldr_places.jsonl
    .venv/bin/python bench/build_dev_cldr.py --scripts  # dev_cldr_scripts.jsonl

`--scripts` writes the same kind of set for the scripts with no reader of their own in translit.py, read
through ICU (`icu_scripts.tsv`: Armenian, Georgian, Amharic's Ethiopic, Burmese, Khmer, Lao, Sinhala,
Bengali, Gujarati, Punjabi's Gurmukhi, Tamil, Telugu, Kannada, Malayalam; 40 each) to
bench/data/dev_cldr_scripts.jsonl.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

OUT = Path(__file__).with_name("data") / "dev_cldr_places.jsonl"
OUT_SCRIPTS = Path(__file__).with_name("data") / "dev_cldr_scripts.jsonl"
PER_LOCALE = 80  # cities kept per locale: every k-th of the zones in id order
LOCALES = {
    "ko": "HANGUL",
    "zh": "HAN",
    "ja": "KANA",
    "ar": "ARABIC",
    "fa": "ARABIC",
    "he": "HEBREW",
    "th": "THAI",
    "el": "GREEK",
    "ru": "CYRILLIC",
    "uk": "CYRILLIC",
    "hi": "DEVANAGARI",
}
# The scripts read through ICU (issue #12: the held-out one-person set writes names in some of them).
SCRIPT_LOCALES = {
    "hy": "ARMENIAN",
    "ka": "GEORGIAN",
    "am": "ETHIOPIC",
    "my": "MYANMAR",
    "km": "KHMER",
    "lo": "LAO",
    "si": "SINHALA",
    "bn": "BENGALI",
    "gu": "GUJARATI",
    "pa": "GURMUKHI",
    "ta": "TAMIL",
    "te": "TELUGU",
    "kn": "KANNADA",
    "ml": "MALAYALAM",
}
PER_SCRIPT_LOCALE = 40
_LATIN = re.compile(r"[A-Za-z]")


def _english() -> dict[str, str]:
    from babel import Locale

    zones = Locale.parse("en").time_zones
    out: dict[str, str] = {}
    for zone in Locale.parse("ko").time_zones:
        own = zones.get(zone, {}).get("city") if zone in zones else None
        out[zone] = str(own or zone.rsplit("/", 1)[-1].replace("_", " "))
    return out


def main() -> None:
    """Write the cases (`--scripts`: the ICU-read scripts' set)."""
    import sys

    if "--scripts" in sys.argv[1:]:
        build(SCRIPT_LOCALES, PER_SCRIPT_LOCALE, OUT_SCRIPTS)
    else:
        build(LOCALES, PER_LOCALE, OUT)


def build(locales: dict[str, str], per_locale: int, path: Path) -> None:
    """Write the cases of `locales` (per_locale cities each) to `path`."""
    from babel import Locale

    english = _english()
    out: list[dict[str, str]] = []
    for lang, script in locales.items():
        rows = []
        for zone, data in sorted(Locale.parse(lang).time_zones.items()):
            city = data.get("city")
            latin = english.get(zone)
            if not city or not latin or zone.startswith("Etc/") or _LATIN.search(str(city)):
                continue
            rows.append({"script": script, "lang": lang, "query": str(city), "latin": latin, "match": "true"})
        rows = rows[:: max(1, len(rows) // per_locale)][:per_locale]
        negatives = [
            {**row, "latin": rows[(i + 7) % len(rows)]["latin"], "match": "false"}
            for i, row in enumerate(rows)
        ]
        out += rows + negatives
    with path.open("w", encoding="utf-8") as fh:
        for case in out:
            fh.write(json.dumps(case, ensure_ascii=False) + "\n")
    print(f"{len(out)} cases -> {path}")


if __name__ == "__main__":
    main()
