"""What a query's reading tokens stand for, carried with the query (never process-wide state).

A foreign name written in another script is read back into Latin letters in ways the plain edit distance
cannot judge: an Arabic loan reading (هواوي 'huawi') compares by `loanwords.loan_sim`, a katakana or Hangul
word stands for all its readings (ドナルド: donald, donarudo ...), a Han transcription word (弗拉基米尔)
compares by the consonant classes its characters spell (`loan_han.lattice_sim`). Which tokens of a query
are such readings is a property of that query's text alone: `Marks` holds it next to the query's abjad
tokens, so the same name screened before or after any other gets the same answer.
"""

from __future__ import annotations

from collections.abc import Mapping

Reads = dict[str, tuple[str, ...]]  # a reading token -> what it stands for (Latin readings, or a Han word)


class Marks(frozenset[str]):
    """The query tokens romanised from an abjad (the set's members, `similarity.abjad_set`), with the
    readings its foreign-name tokens stand for (`reads`)."""

    reads: Mapping[str, tuple[str, ...]]
    vowelled: frozenset[str]  # tokens romanised from an alphabet (`similarity.translit_sim`)
    written: Mapping[str, str]  # a token -> the word of the query it reads, when the form reads word for word

    def __new__(
        cls,
        abjad: frozenset[str] = frozenset(),
        reads: Mapping[str, tuple[str, ...]] | None = None,
        vowelled: frozenset[str] = frozenset(),
        written: Mapping[str, str] | None = None,
    ) -> Marks:
        """Marks of one query form: its abjad tokens, its reading tokens, its alphabet readings and the
        words its tokens read."""
        made = super().__new__(cls, abjad)
        made.reads = dict(reads or {})
        made.vowelled = vowelled
        made.written = dict(written or {})
        return made


def reads_of(marks: frozenset[str], token: str) -> tuple[str, ...]:
    """What a query token stands for under the query's marks; () for a plain token."""
    return marks.reads.get(token, ()) if isinstance(marks, Marks) else ()


def written_of(marks: frozenset[str], token: str) -> str:
    """The query word a token of a word-for-word reading reads (`Marks.written`); "" when unknown."""
    return marks.written.get(token, "") if isinstance(marks, Marks) else ""


def vowelled_of(marks: frozenset[str], token: str) -> bool:
    """Whether a query token is romanised from an alphabet under the query's marks (`Marks.vowelled`)."""
    return isinstance(marks, Marks) and token in marks.vowelled


def add_reads(reads: Reads | None, token: str, readings: tuple[str, ...]) -> None:
    """Record that `token` stands for `readings` (merged with what it already stands for in this query)."""
    if reads is None or not token or not readings:
        return
    reads[token] = tuple(dict.fromkeys((*reads.get(token, ()), *readings)))


__all__ = ["Marks", "Reads", "add_reads", "reads_of", "vowelled_of", "written_of"]
