"""Screenings at once in threads (the API's thread pool, a library user's threads): each one's answers
are those it gives alone, whatever threshold or index the others screen with."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest

from exportctl.engine.screening import ScreeningIndex, batch_screen
from exportctl.engine.screening.screen import Key, Row, screen_rows

NAMES = [
    "Huawei Technologies",
    "Huawei Tech Co",
    "Vladimir Putin",
    "Kim Jong Un",
    "Bank of Kunlun",
    "Aero Engine Corp",
    "Tekhnodinamika",
    "Sinobright Import",
    "華為技術有限公司",
]
ROUNDS = 200


@pytest.fixture
def switch_often() -> Iterator[None]:
    """Threads switched every few microseconds: a shared state between screenings shows at once."""
    saved = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(saved)


def _run_together(jobs: list[Callable[[], list[Row]]]) -> list[list[list[Row]]]:
    """Each job run ROUNDS times, all jobs in threads at once (started together): its answers."""
    start = threading.Barrier(len(jobs))

    def repeat(job: Callable[[], list[Row]]) -> list[list[Row]]:
        start.wait()
        return [job() for _ in range(ROUNDS)]

    with ThreadPoolExecutor(len(jobs)) as pool:
        return list(pool.map(repeat, jobs))


@pytest.mark.usefixtures("switch_often")
def test_screenings_at_once_answer_as_alone(
    small_index: ScreeningIndex, sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex]
) -> None:
    # other thresholds, and a user's list file (ops.screen_names list_files: its own index), at once
    other = sdn_index_of([("1", "Huawei Technologies", "Entity"), ("2", "PUTIN, Vladimir", "Individual")])
    asked = [(small_index, 0.75), (small_index, 0.99), (other, 0.8), (small_index, 0.9)]
    jobs = [lambda i=i, t=t: screen_rows(i, {"name": NAMES}, threshold=t)[0] for i, t in asked]
    alone = [job() for job in jobs]
    assert len({repr(a) for a in alone}) == len(asked)  # each its own answers: a mix-up would show
    for job_answers, expected in zip(_run_together(jobs), alone, strict=True):
        assert all(got == expected for got in job_answers)


def test_a_screening_begun_in_between_changes_nothing(
    small_index: ScreeningIndex,
    sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The interleaving made certain: screening A stops once its keys are read (`_by_tokens`) until B,
    # another index and threshold in another thread, has read its own and waits; A then ends, then B.
    other = sdn_index_of([("1", "Huawei Technologies", "Entity"), ("2", "PUTIN, Vladimir", "Individual")])
    alone_a = screen_rows(small_index, {"name": NAMES}, threshold=0.75)[0]
    alone_b = screen_rows(other, {"name": NAMES}, threshold=0.99)[0]
    assert alone_a != alone_b
    real = batch_screen._by_tokens
    a_thread = threading.get_ident()
    b_in, a_done = threading.Event(), threading.Event()
    with ThreadPoolExecutor(1) as pool:
        b: list[Future[tuple[list[Row], Any]]] = []

        def paused(keys: list[Key]) -> tuple[list[Key], list[int]]:
            if threading.get_ident() == a_thread and not b:
                b.append(pool.submit(screen_rows, other, {"name": NAMES}, threshold=0.99))
                assert b_in.wait(30)
            elif threading.get_ident() != a_thread and not b_in.is_set():
                b_in.set()
                assert a_done.wait(30)
            return real(keys)

        monkeypatch.setattr(batch_screen, "_by_tokens", paused)
        try:
            got_a = screen_rows(small_index, {"name": NAMES}, threshold=0.75)[0]
        finally:
            a_done.set()
        assert got_a == alone_a  # A screened with its own index and threshold, not B's
        assert b[0].result()[0] == alone_b
