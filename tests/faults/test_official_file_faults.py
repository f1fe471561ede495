"""Faults in the official-format files themselves (bytes, not tables): each is refused by its parser or
by the gate, and the active version is kept."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from store_faults import pack_store

from exportctl.errors import ExportctlError
from exportctl.ops import gate as gates
from exportctl.store import Store, open_store

Damage = Callable[[bytes], bytes]


def _truncate(data: bytes) -> bytes:
    return data[: len(data) * 2 // 3]


def _nul(data: bytes) -> bytes:
    return data[:200] + b"\x00" * 64 + data[200:]


def _double_encode(data: bytes) -> bytes:
    return data.decode("utf-8").encode("utf-8").decode("latin-1").encode("utf-8")


def _empty(data: bytes) -> bytes:
    return b""


FILES = {
    "country chart": "ear-2026-07-23/country-chart.json",
    "country groups": "ear-2026-07-23/country-groups.json",
    "licence exceptions": "ear-2026-07-23/license-exception-catalog.json",
    "MEU list": "bis-lists-2026-07/bis_meu.json",
}
CASES = [
    (f"{label}: {how}", rel, damage)
    for label, rel in FILES.items()
    for how, damage in (("truncated", _truncate), ("NUL bytes", _nul), ("empty", _empty))
] + [("country groups: UTF-8 encoded twice", FILES["country groups"], _double_encode)]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A store whose active version is the bundled pack (a copy of the session's pack store)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('files') / 'store.db'}"
    pack_store(url)
    st = open_store(url)
    yield st
    st.close()


@pytest.mark.parametrize(("case", "rel", "damage"), CASES, ids=[c[0] for c in CASES])
def test_a_damaged_official_file_is_refused(
    case: str, rel: str, damage: Damage, store: Store, shared_data: Path, tmp_path: Path
) -> None:
    active = store.active_version()
    src = shared_data / rel
    path = tmp_path / src.name
    path.write_bytes(damage(src.read_bytes()))
    with pytest.raises(ExportctlError) as err:
        store.import_path(path, activate=True, gate=gates.gate)
    assert "\n" not in err.value.one_line()
    assert store.active_version() == active, case
