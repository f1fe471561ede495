"""Is the retrieval bound an upper bound of the scorer? Draws mutated list names and clean names, retrieves
their candidates at the default threshold (`candidates_batch`) and scores every candidate with
`score_tokens`; counts the candidates the scorer rates above their bound, and those whose bound is below
the threshold (the ones a true bound would let screening skip). Asserts nothing.

    .venv/bin/python bench/screening_bound.py [--queries 3000] [--show 10]
"""

from __future__ import annotations

import argparse
import os

from screening_common import build_index, list_table, load_tables, mutated_set
from screening_speed import clean_names

from exportctl.engine.screening import DEFAULT_THRESHOLD
from exportctl.engine.screening.forms import query_forms
from exportctl.engine.screening.normalise import family_of
from exportctl.engine.screening.retrieval import candidates_batch
from exportctl.engine.screening.score import score_tokens


def main() -> None:
    """Run the check."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--queries", type=int, default=3000)
    ap.add_argument("--show", type=int, default=10)
    args = ap.parse_args()
    index = build_index(list_table(load_tables(sdn=True, extra=False)))
    n = args.queries
    mutated = mutated_set(index.entries, per_kind=n // 2 // 13 + 1).head(n // 2)
    clean, _types = clean_names(n - mutated.height)
    names = [name for name in mutated["name"].to_list() + clean if name.isascii()]
    queries = [t for name in names for _x, t in query_forms(name)]
    found = candidates_batch(index, queries, DEFAULT_THRESHOLD)
    total = below = over = 0
    worst = 0.0
    for q, (nids, bounds) in zip(queries, found, strict=True):
        wq = index.weights(q)
        for nid, bound in zip(nids.tolist(), bounds.tolist(), strict=True):
            lt = index.name_tokens[nid]
            family = family_of(lt, int(index.name_family[nid]))
            s = score_tokens(q, lt, index.weigh, index.identity, wq, index.name_weights[nid], family).score
            total += 1
            below += bound < DEFAULT_THRESHOLD
            if s > bound + 1e-9:
                over += 1
                worst = max(worst, s - bound)
                if over <= args.show:
                    print(f"  score {s:.3f} > bound {bound:.3f}: {' '.join(q)} / {' '.join(lt)}")
    print(
        f"{len(queries):,} queries, {total:,} candidates; bound below {DEFAULT_THRESHOLD}: {below:,}; scored "
        f"above their bound: {over:,} (worst by {worst:.3f}); load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
