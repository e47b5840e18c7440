"""Stable matching with capacities (hospitals/residents, mentee-proposing Gale–Shapley).

Mentees propose down their list; a mentor holds the best proposals up to their capacity and
drops the worst when a better one comes. Only mutual choices count: a mentee's proposal to a
mentor who did not name them is skipped. Ties in a mentor's list (two mentees at the same rank)
are broken by the order the mentor gave them, then by id, so the result is deterministic.
The result is mentee-optimal and stable: no mentee and mentor who both chose each other prefer
each other to what they got (tests/planning/test_stable.py checks this by brute force).
"""

import heapq
from collections import deque


def stable_match(mentee_prefs, mentor_prefs, capacities):
    """{mentee: mentor} for mentees matched; prefs are ordered lists, best first.

    `mentor_prefs[m]` may be a list of mentees or a list of lists (a group of equals per rank).
    A mentor without capacity (or with 0) takes nobody.
    """
    rank = {mentor: _ranks(prefs) for mentor, prefs in mentor_prefs.items()}
    held = {mentor: [] for mentor in mentor_prefs}  # heaps of (-rank, tie, mentee): worst on top
    next_choice = dict.fromkeys(mentee_prefs, 0)
    free = deque(mentee_prefs)
    match = {}
    while free:
        mentee = free.popleft()
        prefs = mentee_prefs[mentee]
        while next_choice[mentee] < len(prefs):
            mentor = prefs[next_choice[mentee]]
            next_choice[mentee] += 1
            place = rank.get(mentor, {}).get(mentee)
            capacity = capacities.get(mentor, 0)
            if place is None or capacity <= 0:
                continue  # not a mutual choice, or no place at all
            heap = held[mentor]
            entry = (-place[0], -place[1], mentee)
            if len(heap) < capacity:
                heapq.heappush(heap, entry)
                match[mentee] = mentor
                break
            if entry > heap[0]:  # better (smaller rank) than the worst held
                dropped = heapq.heapreplace(heap, entry)[2]
                del match[dropped]
                free.append(dropped)
                match[mentee] = mentor
                break
    return match


def _ranks(prefs):
    """{mentee: (rank, position)}: equals share a rank; position breaks the tie."""
    ranks = {}
    position = 0
    for index, item in enumerate(prefs):
        group = item if isinstance(item, (list, tuple, set, frozenset)) else [item]
        for mentee in sorted(group) if isinstance(group, (set, frozenset)) else group:
            ranks.setdefault(mentee, (index, position))
            position += 1
    return ranks
