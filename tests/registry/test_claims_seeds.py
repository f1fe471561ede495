"""The seed reports' claims (src/exportctl/data/claims/seeds.yaml): each has a verdict and a reason, and the
headline ones keep their verdicts. The official facts the verdicts rest on are golden cases under
tests/golden/claims/, run by the golden runner."""

from __future__ import annotations

from pathlib import Path

import yaml

from exportctl.registry.schema import Claim

CLAIMS_FILE = Path(__file__).resolve().parents[2] / "src" / "exportctl" / "data" / "claims" / "seeds.yaml"
CLAIMS = [Claim.model_validate(c) for c in yaml.safe_load(CLAIMS_FILE.read_text(encoding="utf-8"))]


def test_every_claim_has_a_verdict_and_a_reason() -> None:
    assert len(CLAIMS) >= 15
    for claim in CLAIMS:
        assert claim.why.strip()
        assert claim.verdict in ("consistent", "inconsistent", "partly_consistent", "unverifiable")


def test_the_headline_inconsistencies_are_flagged() -> None:
    verdicts = {c.id: c.verdict for c in CLAIMS}
    assert verdicts["seed002-eleven-rare-earths"] == "inconsistent"  # 7 rare earths, from April 2025
    assert verdicts["seed003-rescinded-import-measures"] == "inconsistent"
    assert verdicts["seed002-us-55"] == "partly_consistent"  # 55% only for Section 301 list 1-3 goods
    assert verdicts["seed001-145-to-30"] == "consistent"
    # #13: Rubio is Secretary of State (right), not a congressional critic, quote untraced
    assert verdicts["seed000-rubio-congress"] == "partly_consistent"
    # #13: the framework was signed (US side, Jun 26, 2025), but not in London
    assert verdicts["seed002-london-signed"] == "partly_consistent"
