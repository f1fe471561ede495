"""POST /v1/screen with evidence (dob, nationality, id_number) and a profile; DELETE /v1/reviews/{id}."""

from __future__ import annotations

import httpx

ZAWAHIRI = "Ayman al Zawahiri"  # SDN 2676, DOB 19 Jun 1951 in OFAC's remarks


def h(tokens: dict[str, str], scope: str) -> dict[str, str]:
    """The Authorization header of a scope's token."""
    return {"Authorization": f"Bearer {tokens[scope]}"}


def _mine(body: dict[str, object], key: str = "hits") -> list[dict[str, object]]:
    return [x for x in body[key] if x["entity_id"] == "2676"]  # type: ignore[attr-defined,index]


def test_screen_takes_evidence_and_a_profile(client: httpx.Client, tokens: dict[str, str]) -> None:
    one = {"name": ZAWAHIRI, "dob": "1951-06-19", "nationality": "EG", "profile": "payments"}
    r = client.post("/v1/screen", json=one, headers=h(tokens, "check"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["profile"] == "payments" and body["threshold"] == 0.7
    hit = _mine(body)[0]
    assert {"kind": "dob", "query": "1951-06-19", "entry": "1951-06-19", "effect": "+0.15"} in hit["evidence"]
    assert all(
        x["list"] in ("SDN", "SSI", "CMIC", "NS-MBS", "PLC", "CAP", "ofac_sdn", "ofac_cons")
        for x in body["hits"]
    )
    batch = {"queries": {"a": {"name": ZAWAHIRI, "dob": "1981-01-01"}}, "profile": "payments"}
    r = client.post("/v1/screen", json=batch, headers=h(tokens, "check"))
    assert r.status_code == 200, r.text
    answer = r.json()["responses"]["a"]
    assert not _mine(answer) and _mine(answer, "cleared")
    for bad, field in (({"dob": "1951-02-30"}, "dob"), ({"id_number": "x:"}, "id_number")):
        r = client.post("/v1/screen", json={"name": ZAWAHIRI, **bad}, headers=h(tokens, "check"))
        assert r.status_code == 422 and r.json()["field"] == field, r.text
        r = client.post(
            "/v1/screen", json={"queries": {"q": {"name": ZAWAHIRI, **bad}}}, headers=h(tokens, "check")
        )
        assert r.status_code == 422 and r.json()["field"] == f"queries.q.{field}", r.text
    r = client.post("/v1/screen", json={"name": ZAWAHIRI, "profile": "nope"}, headers=h(tokens, "check"))
    assert r.status_code == 422 and r.json()["field"] == "profile"


def test_false_positive_suppresses_and_withdraw_restores(
    client: httpx.Client, tokens: dict[str, str]
) -> None:
    name = "Dr Ayman Zawahiri"
    hit = _mine(client.post("/v1/screen", json={"name": name}, headers=h(tokens, "check")).json())[0]
    decision = {
        "party": name,
        "list": hit["list"],
        "entity_id": "2676",
        "decision": "false_positive",
        "note": "no",
    }
    made = client.post("/v1/reviews", json=decision, headers=h(tokens, "review")).json()
    again = _mine(client.post("/v1/screen", json={"name": name}, headers=h(tokens, "check")).json())
    same = next(x for x in again if x["list"] == hit["list"])
    assert same["suppressed"]["review_id"] == made["id"] and same["suppressed"]["reason"] == "no"
    url = f"/v1/reviews/{made['id']}?reason=checked"
    assert client.delete(url, headers=h(tokens, "check")).status_code == 403
    r = client.delete(url, headers=h(tokens, "review"))
    assert r.status_code == 200 and r.json()["decision"] == "withdrawn", r.text
    back = _mine(client.post("/v1/screen", json={"name": name}, headers=h(tokens, "check")).json())
    assert next(x for x in back if x["list"] == hit["list"])["suppressed"] is None
    # the decision is no longer current (its withdrawal is): a conflict with the trail's state, documented
    again = client.delete(url, headers=h(tokens, "review"))
    assert again.status_code == 409 and again.json()["error"] == "conflict" and again.json()["field"] == "id"
    doc = client.get("/openapi.json").json()
    assert "409" in doc["paths"]["/v1/reviews/{review_id}"]["delete"]["responses"]
