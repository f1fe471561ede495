"""The vocabulary of measure files, kept as data (`data/vocabulary/measures.yaml`).

Free strings that name something the engines match on (a control reason, a tariff program, an end use,
a party list) or a review policy must come from this list when a registry measure file is loaded: a
typo is a load error naming file and line, not an effect that silently matches nothing. The check runs
where the loader passes the vocabulary as validation context (`registry.loader.load_measure_file`);
measures built in code and scenario measures are not checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo

VOCABULARY_FILE = "measures.yaml"
CONTEXT_KEY = "vocabulary"

__all__ = [
    "CONTEXT_KEY",
    "WORD_FIELDS",
    "ControlReason",
    "EndUse",
    "PartyList",
    "Program",
    "ReviewPolicy",
    "Vocabulary",
    "check_words",
    "context",
    "end_use_key",
    "vocabulary",
    "word",
]


def end_use_key(text: str) -> str:
    """An end use as the engine compares it: lower case, '_' and ' ' as '-'."""
    return text.lower().replace("_", "-").replace(" ", "-")


class Vocabulary(BaseModel):
    """The allowed words, by field of the measure schema (unknown keys are errors)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    control_reasons: list[str] = Field(min_length=1)
    review_policies: list[str] = Field(min_length=1)
    programs: list[str] = Field(min_length=1)
    end_uses: list[str] = Field(min_length=1)
    party_lists: list[str] = Field(min_length=1)

    def unknown(self, field: str, words: Iterable[str]) -> list[str]:
        """The words not in the vocabulary of `field` (a schema field name), in their order."""
        if field == "review_policy":
            heads = [h.lower() for h in self.review_policies]
            return [w for w in words if not any(_starts(w.lower(), h) for h in heads)]
        if field == "end_uses":
            known = {end_use_key(u) for u in self.end_uses}
            return [w for w in words if end_use_key(w) not in known]
        allowed = set(self._list(field))
        return [w for w in words if w not in allowed]

    def allowed(self, field: str) -> list[str]:
        """The vocabulary of `field`, as listed in the file."""
        return list(self._list(field))

    def _list(self, field: str) -> list[str]:
        lists = {
            "control_reason": self.control_reasons,
            "review_policy": self.review_policies,
            "program": self.programs,
            "excludes_programs": self.programs,
            "advisory_with_programs": self.programs,
            "end_uses": self.end_uses,
            "party_lists": self.party_lists,
        }
        return lists[field]


def _starts(text: str, head: str) -> bool:
    """`text` begins with the words of `head` (a whole-word prefix)."""
    return text.startswith(head) and not re.match(r"\w", text[len(head) : len(head) + 1])


@cache
def vocabulary(path: str | None = None) -> Vocabulary:
    """The vocabulary file (the bundled one by default), validated strictly: errors name file and line."""
    from exportctl.registry.strict_yaml import load_yaml, validate_loaded

    p = Path(path) if path else Path(str(resources.files("exportctl.data") / "vocabulary" / VOCABULARY_FILE))
    return validate_loaded(Vocabulary, load_yaml(p), p)


def context() -> dict[str, Any]:
    """The validation context that turns the vocabulary checks on."""
    return {CONTEXT_KEY: vocabulary()}


def check_words(field: str, words: list[str], info: ValidationInfo) -> None:
    """Raise ValueError naming the first unknown word of `field`, when the context carries a vocabulary."""
    vocab = info.context.get(CONTEXT_KEY) if isinstance(info.context, dict) else None
    if not isinstance(vocab, Vocabulary):
        return
    bad = vocab.unknown(field, words)
    if bad:
        what = "start with one of" if field == "review_policy" else "one of"
        raise ValueError(
            f"{bad[0]!r} is not in the {field} vocabulary ({what}: {', '.join(vocab.allowed(field))}; "
            f"data/vocabulary/{VOCABULARY_FILE})"
        )


def word(field: str) -> AfterValidator:
    """A string of a vocabulary (registry.vocabulary): checked where the loader passes the vocabulary."""

    def check(value: str, info: ValidationInfo) -> str:
        check_words(field, [value], info)
        return value

    return AfterValidator(check)


ControlReason = Annotated[str, word("control_reason")]  # 'NS', 'RS', 'AT', 'EL', 'MEU', 'CN-dual-use' ...
ReviewPolicy = Annotated[str, word("review_policy")]  # 'presumption of denial; case-by-case for ...'
Program = Annotated[str, word("program")]  # 'section_301', 'ieepa_reciprocal', 'section_232_steel' ...
EndUse = Annotated[str, word("end_uses")]  # 'military', 'supercomputer', ...
PartyList = Annotated[str, word("party_lists")]  # 'EL', 'MEU', 'UVL', 'cn-unreliable-entity-list' ...
# the fields of an effect (or an amend's `changes`) whose values come from a vocabulary
WORD_FIELDS = ("control_reason", "review_policy", "program")
