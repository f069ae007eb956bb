"""Average-linkage grouping over a sparse set of scored pairs, near-linear in the pairs.

Facts (sentences of one fact) and stories (articles of one event) are both groups whose members
must pair well with each other on average, not only through one link: a chain of good pairs
(A~B, B~C) does not make A and C one group unless A~C holds up too.
"""

from __future__ import annotations

from collections.abc import Sequence


def average_linkage(
    a: Sequence[int],
    b: Sequence[int],
    scores: Sequence[float],
    link: float,
    parts: Sequence[int] | None = None,
    always: Sequence[bool] | None = None,
) -> dict[int, list[int]]:
    """Groups of the units named in the pairs (a[k], b[k], scores[k]), which come strongest first.

    Two groups merge when the mean score over every pair of their members (an unscored pair
    counts 0) reaches `link`. With `parts` (a part per unit), groups that share a part never
    merge (one sentence per article in a fact). A pair marked in `always` merges its groups
    without the mean (near-identical sentences). Link sums are kept per neighbouring group and
    merged smaller-into-larger, so the work stays near-linear in the pairs.

    Returns group id -> members, in the order they joined (units in no pair are left out).
    """
    group_of: dict[int, int] = {}
    members: dict[int, list[int]] = {}
    taken: dict[int, set[int]] = {}
    links: dict[int, dict[int, float]] = {}  # group -> neighbouring group -> summed pair scores
    for i, j, score in zip(a, b, scores):
        for unit in (i, j):
            if unit not in group_of:
                group_of[unit] = unit
                members[unit] = [unit]
                taken[unit] = {parts[unit]} if parts is not None else set()
                links[unit] = {}
        links[i][j] = links[i].get(j, 0.0) + score
        links[j][i] = links[j].get(i, 0.0) + score
    forced = always if always is not None else [False] * len(a)
    for i, j, identical in zip(a, b, forced):
        ga, gb = group_of[i], group_of[j]
        if ga == gb or not taken[ga].isdisjoint(taken[gb]):
            continue
        if not identical and links[ga].get(gb, 0.0) / (len(members[ga]) * len(members[gb])) < link:
            continue
        if len(members[ga]) < len(members[gb]):
            ga, gb = gb, ga
        for unit in members[gb]:
            group_of[unit] = ga
        members[ga].extend(members.pop(gb))
        taken[ga] |= taken.pop(gb)
        _fold_links(links, ga, gb, links.pop(gb))
    return members


def _fold_links(links, keep: int, gone: int, moved: dict[int, float]) -> None:
    """Group `gone` joined `keep`: its summed pair scores (`moved`, taken out of `links`) add
    to those of `keep`, and every neighbour that linked to `gone` now links to `keep`."""
    moved.pop(keep, None)
    links[keep].pop(gone, None)
    for other, total in moved.items():
        links[keep][other] = links[keep].get(other, 0.0) + total
        neighbour = links[other]
        neighbour[keep] = neighbour.get(keep, 0.0) + neighbour.pop(gone)


def best_first_linkage(
    n: int, a: Sequence[int], b: Sequence[int], scores: Sequence[float], link: float
) -> list[list[int]]:
    """Groups of units 0..n-1 by exact average linkage over a sparse set of scored pairs (an
    unscored pair counts 0): the two groups with the highest mean score merge first, until no
    two reach `link`. With every pair scored this is textbook average linkage (UPGMA); with
    each unit's best few partners it stays near-linear in them. Every unit is in one group."""
    import heapq

    links: list[dict[int, float]] = [{} for _ in range(n)]
    for i, j, score in zip(a, b, scores):
        if i != j and score > 0:
            links[i][j] = links[i].get(j, 0.0) + score
            links[j][i] = links[j].get(i, 0.0) + score
    size = [1] * n
    members: list[list[int] | None] = [[unit] for unit in range(n)]
    heap = [(-total, i, j) for i in range(n) for j, total in links[i].items() if i < j and total >= link]
    heapq.heapify(heap)
    while heap:
        negative, i, j = heapq.heappop(heap)
        if members[i] is None or members[j] is None:
            continue
        mean = links[i].get(j, 0.0) / (size[i] * size[j])
        if mean < link:
            continue
        if mean < -negative - 1e-12:  # stale: a group grew since; its true mean goes back in line
            heapq.heappush(heap, (-mean, i, j))
            continue
        if size[i] < size[j]:
            i, j = j, i
        moved, links[j] = links[j], {}
        _fold_links(links, i, j, moved)
        members[i].extend(members[j])  # type: ignore[union-attr, arg-type]  # both groups are live here
        members[j] = None
        size[i] += size[j]
        for other, total in links[i].items():
            mean = total / (size[i] * size[other])
            if mean >= link:
                heapq.heappush(heap, (-mean, min(i, other), max(i, other)))
    return [group for group in members if group is not None]
