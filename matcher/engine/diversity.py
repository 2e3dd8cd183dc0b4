"""Diversity of a top-k: at most a few postings of one employer per ten results and no two
near-identical postings (same employer and title)."""

from __future__ import annotations

from collections.abc import Sequence


def diversify(
    order: Sequence[int],
    employers: Sequence[int],
    titles: Sequence[int],
    k: int,
    max_per_employer: int,
) -> tuple[list[int], bool]:
    """Best-first selection of ``k`` of the candidates in ``order`` (indices into
    ``employers`` and ``titles``, the keys of each candidate's employer and of its employer and
    title) with at most ``max_per_employer`` postings of one employer per ten results and no two
    near-identical postings. Returns the selection and whether ``k`` passed the rules; when
    fewer did, the best skipped candidates fill the gap."""
    chosen: list[int] = []
    skipped: list[int] = []
    seen_titles: set[int] = set()
    per_employer: dict[tuple[int, int], int] = {}
    for i in order:
        key = (len(chosen) // 10, employers[i])
        if titles[i] in seen_titles or per_employer.get(key, 0) >= max_per_employer:
            skipped.append(i)
            continue
        chosen.append(i)
        seen_titles.add(titles[i])
        per_employer[key] = per_employer.get(key, 0) + 1
        if len(chosen) == k:
            return chosen, True
    return chosen + skipped[: k - len(chosen)], False
