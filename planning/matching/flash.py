"""The result of a flash-mentoring meeting: proposed pairs by stable matching, and who is left."""

from collections import defaultdict
from dataclasses import dataclass, field

from planning.matching.stable import stable_match
from planning.models import FlashChoice, FlashPair, FlashParticipant


@dataclass
class Proposal:
    mentor: FlashParticipant
    mentee: FlashParticipant
    mentor_rank: int  # where each put the other: 1 is their first wish
    mentee_rank: int
    is_confirmed: bool


@dataclass
class Unmatched:
    participant: FlashParticipant
    choices: list = field(default_factory=list)  # names, best first
    chosen_by: int = 0


@dataclass
class FlashResult:
    proposals: list
    unmatched: list
    answered: int
    total: int


def choice_lists(event_id):
    """{participant id: [chosen participant ids, best first]} for one meeting."""
    lists = defaultdict(list)
    rows = (FlashChoice.objects.filter(chooser__event_id=event_id)
            .order_by("chooser_id", "rank").values_list("chooser_id", "chosen_id"))
    for chooser, chosen in rows:
        lists[chooser].append(chosen)
    return lists


def flash_result(event):
    """Mutual choices matched (mentees propose, mentors keep up to their free places)."""
    people = {p.pk: p for p in FlashParticipant.objects.filter(event=event)
              .select_related("person").order_by("person__last_name", "person__first_name")}
    lists = choice_lists(event.pk)
    mentors = {pk for pk, p in people.items() if p.side == FlashParticipant.Side.MENTOR}
    mentee_prefs = {pk: lists.get(pk, []) for pk in people if pk not in mentors}
    mentor_prefs = {pk: lists.get(pk, []) for pk in mentors}
    capacities = {pk: people[pk].capacity for pk in mentors}
    confirmed = set(FlashPair.objects.filter(event=event).values_list("mentor_id", "mentee_id"))
    match = stable_match(mentee_prefs, mentor_prefs, capacities)
    proposals = [
        Proposal(people[mentor], people[mentee], mentor_prefs[mentor].index(mentee) + 1,
                 mentee_prefs[mentee].index(mentor) + 1,
                 (people[mentor].person_id, people[mentee].person_id) in confirmed)
        for mentee, mentor in match.items()
    ]
    proposals.sort(key=lambda p: (p.mentor.person.full_name, p.mentee.person.full_name))
    chosen_by = defaultdict(int)
    for chosen_list in lists.values():
        for pk in chosen_list:
            chosen_by[pk] += 1
    taken = defaultdict(int)
    for mentor in match.values():
        taken[mentor] += 1
    unmatched = [
        Unmatched(p, [people[c].person.full_name for c in lists.get(pk, [])], chosen_by[pk])
        for pk, p in people.items()
        if (pk in mentee_prefs and pk not in match)
        or (pk in mentors and taken[pk] == 0)
    ]
    answered = sum(1 for p in people.values() if p.chosen_at is not None)
    return FlashResult(proposals, unmatched, answered, len(people))
