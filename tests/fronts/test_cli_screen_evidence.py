"""`exportctl screen` with evidence (--dob, --nationality, --id-number, parties columns), profiles, and
reviewers' decisions (`exportctl audit review|withdraw`) through the real Typer app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from exportctl.errors import InputError
from exportctl.fronts.cli.main import app
from exportctl.ops.party_file import check_dob, read_parties

runner = CliRunner()
ZAWAHIRI = "Ayman al Zawahiri"  # SDN 2676, DOB 19 Jun 1951 in OFAC's remarks

LIST = """id,name,aliases,country,type
C-3,Ivan Petrovich Sidorov,,RU,person
"""


def _json(args: list[str]) -> tuple[int, dict[str, object]]:
    res = runner.invoke(app, [*args, "--format", "json"])
    assert res.exit_code in (0, 1), res.output
    return res.exit_code, json.loads(res.stdout)


@pytest.mark.slow
def test_dob_raises_contradiction_clears_and_decisions_suppress() -> None:
    code, same = _json(["screen", ZAWAHIRI, "--dob", "1951-06-19", "--profile", "export-us"])
    hit = next(h for h in same["hits"] if h["list"] == "SDN" and h["entity_id"] == "2676")  # type: ignore[union-attr]
    assert code == 1 and same["profile"] == "export-us"
    assert {"kind": "dob", "query": "1951-06-19", "entry": "1951-06-19", "effect": "+0.15"} in hit["evidence"]
    assert all(
        h["list"] in ("EL", "MEU", "UVL", "DPL", "DTC", "ISN", "SDN", "ofac_sdn") for h in same["hits"]
    )
    code, other = _json(["screen", ZAWAHIRI, "--dob", "1981-01-01", "--profile", "export-us"])
    assert not any(h["entity_id"] == "2676" for h in other["hits"])  # type: ignore[union-attr]
    cleared = [h for h in other["cleared"] if h["entity_id"] == "2676"]  # type: ignore[union-attr]
    assert cleared and all(h["score"] < 0.7 and "contradict" in h["explanation"] for h in cleared)

    # a reviewer's false positive on both entries of the person: the hits stay, suppressed, exit 0
    for lst in ("SDN", "ofac_sdn"):
        res = runner.invoke(
            app,
            ["audit", "review", ZAWAHIRI, "--list", lst, "--entity-id", "2676",
             "--decision", "false_positive", "--note", "our client, born 1990", "--by", "J. Doe",
             "--format", "json"],
        )  # fmt: skip
        assert res.exit_code == 0, res.output
    decided = json.loads(res.stdout)
    code, quiet = _json(["screen", ZAWAHIRI, "--profile", "export-us"])
    mine = [h for h in quiet["hits"] if h["entity_id"] == "2676"]  # type: ignore[union-attr]
    assert mine and all(h["suppressed"] and h["suppressed"]["by"].startswith("J. Doe (cli:") for h in mine)
    assert code == (1 if any(not h["suppressed"] for h in quiet["hits"]) else 0)  # type: ignore[union-attr]
    table = runner.invoke(app, ["screen", ZAWAHIRI, "--profile", "export-us"])
    assert "SUPPRESSED by review" in table.stdout and "our client, born 1990" in table.stdout

    res = runner.invoke(
        app, ["audit", "withdraw", str(decided["id"]), "--reason", "checked again", "--by", "K"]
    )
    assert res.exit_code == 0, res.output
    _, back = _json(["screen", ZAWAHIRI, "--profile", "export-us"])
    assert any(
        h["list"] == "ofac_sdn" and h["entity_id"] == "2676" and not h["suppressed"] for h in back["hits"]
    )  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--dob", "1951-02-30"], "dob"),
        (["--dob", "19.06.1951"], "dob"),
        (["--nationality", "Narnia"], "nationality"),
        (["--id-number", "passport:"], "id_number"),
        (["--profile", "no-such-profile"], "profile"),
    ],
)
def test_bad_evidence_exits_2_naming_the_field(tmp_path: Path, args: list[str], field: str) -> None:
    lists = tmp_path / "l.csv"
    lists.write_text(LIST, encoding="utf-8")
    res = runner.invoke(app, ["screen", "Ivan Sidorov", "--only-list-file", str(lists), *args])
    assert res.exit_code == 2 and f"field '{field}'" in res.stderr and "Traceback" not in res.output, (
        res.output
    )


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_check_dob_is_valid_text_or_one_input_error(text: str) -> None:
    try:
        got = check_dob(text)
    except InputError as err:
        assert err.field == "dob"
    else:
        assert got == "" or got[:4].isdigit()


def test_parties_headers_ignore_case_and_punctuation(tmp_path: Path) -> None:
    lists = tmp_path / "l.csv"
    lists.write_text(LIST, encoding="utf-8")
    parties = tmp_path / "p.csv"
    parties.write_text(
        "Name,Date of Birth,NATIONALITY,ID-Number\nIvan Sidorov,1970-01-01,RU,passport:1234\n",
        encoding="utf-8",
    )
    assert read_parties(parties)[0].columns == ["name", "dob", "nationality", "id_number"]
    out = tmp_path / "o.jsonl"
    res = runner.invoke(app, ["screen", str(parties), "--only-list-file", str(lists), "-o", str(out)])
    assert res.exit_code == 1, res.output
    (row,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert row["hits"][0]["entity_id"] == "C-3" and row["cleared"] == []
    # the user list carries no dob, nationality or id: only name evidence (the score, and the common-name
    # factor when it applies: frequency.py)
    assert {e["kind"] for e in row["hits"][0]["evidence"]} == {"name"}, "the user list carries no evidence"
    bad = tmp_path / "bad.csv"
    bad.write_text("name,dob\nIvan Sidorov,1970-01-01\nOther,yesterday\n", encoding="utf-8")
    res = runner.invoke(app, ["screen", str(bad), "--only-list-file", str(lists)])
    assert res.exit_code == 2 and "field 'dob'" in res.stderr and "bad.csv:3" in res.stderr, res.stderr


def test_user_profiles_file(tmp_path: Path) -> None:
    mine = tmp_path / "profiles.yml"
    mine.write_text("profiles:\n  strict:\n    lists: [UVL]\n    threshold: 0.95\n", encoding="utf-8")
    from exportctl.ops.screen_profiles import load_profiles

    profiles = load_profiles(mine)
    assert {"export-us", "export-cn", "payments", "strict"} <= set(profiles)
    assert profiles["strict"].threshold == 0.95 and profiles["strict"].source == str(mine)
    broken = tmp_path / "broken.yml"
    broken.write_text("profiles:\n  x:\n    lists: []\n    threshold: 2\n", encoding="utf-8")
    res = runner.invoke(app, ["screen", "Acme", "--profile", "x", "--profiles", str(broken)])
    assert res.exit_code == 2 and "profiles.x" in res.stderr


@pytest.mark.slow
def test_fail_on_ranks_hits_by_reviewers_decisions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--fail-on suppressed|hit|match: exit 1 when a hit is at least at that level (default: hit)."""
    monkeypatch.setenv("EXPORTCTL_DATABASE_URL", f"sqlite:///{tmp_path}/store.db")  # its own decisions
    name = "Huawei Technical Service Co., Ltd."
    code, first = _json(["screen", name, "--profile", "export-us"])
    hits = first["hits"]
    assert code == 1 and hits  # the contract's default: something hit
    assert runner.invoke(app, ["screen", name, "--profile", "export-us", "--fail-on", "hit"]).exit_code == 1
    assert runner.invoke(app, ["screen", name, "--profile", "export-us", "--fail-on", "match"]).exit_code == 0

    def decide(hit: dict[str, str], decision: str) -> None:
        res = runner.invoke(
            app,
            ["audit", "review", name, "--list", hit["list"], "--entity-id", hit["entity_id"],
             "--decision", decision, "--note", "checked", "--by", "J. Doe"],
        )  # fmt: skip
        assert res.exit_code == 0, res.output

    decide(hits[0], "match")  # type: ignore[index,arg-type]
    assert runner.invoke(app, ["screen", name, "--profile", "export-us", "--fail-on", "match"]).exit_code == 1
    for hit in hits:  # type: ignore[union-attr]
        decide(hit, "false_positive")  # the newest decision on each pair: every hit suppressed
    assert runner.invoke(app, ["screen", name, "--profile", "export-us"]).exit_code == 0
    assert runner.invoke(app, ["screen", name, "--profile", "export-us", "--fail-on", "match"]).exit_code == 0
    suppressed = ["screen", name, "--profile", "export-us", "--fail-on", "suppressed"]
    assert runner.invoke(app, suppressed).exit_code == 1

    book = tmp_path / "parties.csv"
    book.write_text(f'id,name\n1,"{name}"\n2,Acme Widgets Nowhere\n', encoding="utf-8")
    code, summary = _json(["screen", str(book), "--profile", "export-us", "--fail-on", "suppressed"])
    assert code == 1 and summary["failed"] is True and summary["fail_on"] == "suppressed"
    code, summary = _json(["screen", str(book), "--profile", "export-us"])
    assert code == 0 and "failed" not in summary and summary["hit_rows"] == 0


def test_fail_on_takes_a_screening_level() -> None:
    res = runner.invoke(app, ["screen", "Acme", "--fail-on", "hold", "--format", "json"])
    assert res.exit_code == 2 and json.loads(res.stderr)["field"] == "fail_on"
