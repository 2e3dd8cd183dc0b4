"""Scarce places across a cohort: each graduate wants ``wanted[g]`` distinct items from their
ranked candidates, each item has a number of places. :func:`min_cost` solves it as a min-cost
flow (OR-Tools): as many places filled as possible, and among those the largest total match
score. :func:`greedy` is the campaigns' round-robin assignment, kept as the baseline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ortools.graph.python import min_cost_flow

from matcher.offers.single import assign

Candidates = Mapping[str, Sequence[tuple[str, float]]]
Chosen = dict[str, list[tuple[str, float]]]
#: Scores are scaled to integers for the solver; match scores carry four decimals, so this
#: keeps them exactly and the optimum is never below greedy through rounding.
SCALE = 1_000_000


@dataclass(frozen=True)
class Summary:
    """What an assignment achieved: places filled, graduates with at least one, total score."""

    assigned: int
    covered: int
    total_score: float

    @classmethod
    def of(cls, chosen: Chosen) -> Summary:
        return cls(
            assigned=sum(len(v) for v in chosen.values()),
            covered=sum(1 for v in chosen.values() if v),
            total_score=round(sum(s for v in chosen.values() for _, s in v), 4),
        )

    def as_dict(self) -> dict[str, float | int]:
        return {"assigned": self.assigned, "covered": self.covered, "score": self.total_score}


def min_cost(
    candidates: Candidates, wanted: Mapping[str, int], capacity: Mapping[str, int]
) -> Chosen:
    """The optimal assignment: maximum number of places filled, then maximum total score.
    Never gives an item more graduates than its ``capacity`` nor a graduate one item twice."""
    flow = min_cost_flow.SimpleMinCostFlow()
    graduates = [g for g in candidates if wanted.get(g, 0) > 0]
    items = sorted({ref for g in graduates for ref, _ in candidates[g] if capacity.get(ref, 0) > 0})
    source, sink = 0, 1
    g_node = {g: 2 + n for n, g in enumerate(graduates)}
    i_node = {ref: 2 + len(graduates) + n for n, ref in enumerate(items)}
    arcs: dict[int, tuple[str, str, float]] = {}
    for g in graduates:
        flow.add_arc_with_capacity_and_unit_cost(source, g_node[g], int(wanted[g]), 0)
        seen: set[str] = set()
        for ref, score in candidates[g]:
            if ref in seen or ref not in i_node:
                continue
            seen.add(ref)
            arc = flow.add_arc_with_capacity_and_unit_cost(
                g_node[g], i_node[ref], 1, -round(score * SCALE)
            )
            arcs[arc] = (g, ref, score)
    for ref in items:
        flow.add_arc_with_capacity_and_unit_cost(i_node[ref], sink, int(capacity[ref]), 0)
    demand = sum(int(wanted[g]) for g in graduates)
    flow.set_node_supply(source, demand)
    flow.set_node_supply(sink, -demand)
    chosen: Chosen = {g: [] for g in candidates}
    if not arcs:
        return chosen
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"the assignment solver stopped with status {status}")
    for arc, (g, ref, score) in arcs.items():
        if flow.flow(arc) > 0:
            chosen[g].append((ref, score))
    for g in chosen:
        chosen[g].sort(key=lambda pair: (-pair[1], pair[0]))
    return chosen


def greedy(
    candidates: Candidates, wanted: Mapping[str, int], capacity: Mapping[str, int]
) -> Chosen:
    """The baseline: rounds in which the strongest remaining match chooses first."""
    return assign(candidates, wanted, dict(capacity))


def oversubscribed(chosen: Chosen, capacity: Mapping[str, int]) -> dict[str, tuple[int, int]]:
    """Items given to more graduates than they have places: ref → (given, places)."""
    given: dict[str, int] = {}
    for picks in chosen.values():
        for ref, _ in picks:
            given[ref] = given.get(ref, 0) + 1
    return {ref: (n, capacity.get(ref, 0)) for ref, n in given.items() if n > capacity.get(ref, 0)}
