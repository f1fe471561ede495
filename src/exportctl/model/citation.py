"""Citations to legal instruments and sources, checkable by a lawyer."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

CitationKind = Literal[
    "federal_register",  # volume, page, document number
    "cfr",  # e.g. 15 CFR 744.23
    "executive_order",
    "proclamation",
    "statute",  # a law: IEEPA, the Trade Act of 1974, the PRC Export Control Law
    "regulation",  # a government regulation or ministerial order: PRC State Council decrees, MOFCOM orders
    "hts_heading",  # chapter 99 heading, e.g. 9903.88.03
    "mofcom_announcement",
    "prc_tariff_commission",
    "ustr_notice",
    "cbp_guidance",  # CSMS messages
    "joint_statement",
    "press_release",
    "agency_announcement",  # an agency's own published announcement or guidance (BIS guidance, FAQ)
    "letter",  # is-informed letters, known through filings
    "sec_filing",
    "dataset",  # a data snapshot (CSL, CCL ...)
    "other",
]


class Citation(BaseModel):
    """One reference to an instrument: what it is, where it is, and the URL to read it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: CitationKind
    title: str
    url: str | None = None
    volume: int | None = None  # Federal Register volume
    page: int | None = None  # Federal Register first page
    document: str | None = None  # FR document number, EO number, announcement number
    section: str | None = None  # EAR/CFR section, e.g. "744.23(a)(3)"
    heading: str | None = None  # HTS chapter 99 heading
    date: dt.date | None = None
    note: str | None = None

    def short(self) -> str:
        """A compact human form, e.g. '90 FR 1234 (2025-01-15)' or '15 CFR 744.23'."""
        if self.kind == "federal_register" and self.volume and self.page:
            text = f"{self.volume} FR {self.page}"
        elif self.kind == "cfr" and self.section:
            titled = self.section.startswith(("15 ", "19 ", "31 "))
            text = self.section if titled else f"15 CFR {self.section}"
        elif self.kind == "hts_heading" and self.heading:
            text = f"HTSUS {self.heading}"
        elif self.document:
            text = f"{self.title} ({self.document})"
        else:
            text = self.title
        return text
