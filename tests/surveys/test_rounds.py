"""Rounds: who is invited for each audience, invitations sent once, reminders to non-responders."""

import datetime

import pytest
from django.utils import timezone

from events.models import Attendance
from notifications.models import Notification
from surveys import services, tasks
from surveys.errors import Forbidden, Invalid, RoundClosed
from surveys.models import Invitation, Round
from tests.factories import (
    EventFactory,
    MenteeRecordFactory,
    MentorProfileFactory,
    PersonFactory,
    ProgramFactory,
    RegistrationFactory,
    TrackFactory,
    in_days,
)
from tests.surveys.conftest import full_answers, make_questionnaire, make_round

pytestmark = pytest.mark.django_db


def invited(round):
    return set(round.invitations.values_list("person_id", flat=True))


def attend(event, person, present=True):
    Attendance.objects.create(event=event, person=person, present=present)


@pytest.fixture
def past_event(municipality):
    return EventFactory(municipality=municipality, starts_at=in_days(-2),
                        ends_at=in_days(-2) + datetime.timedelta(hours=2))


# --- audiences -------------------------------------------------------------------------------

def test_event_round_invites_those_marked_present(questionnaire, municipality, past_event):
    came, missed, registered_only = (PersonFactory(municipality=municipality) for _ in range(3))
    attend(past_event, came)
    attend(past_event, missed, present=False)
    RegistrationFactory(event=past_event, person=registered_only)
    round = services.create_round(questionnaire, audience="event", event=past_event)
    assert invited(round) == {came.pk}


def test_event_round_opens_when_the_event_ends_by_default(questionnaire, past_event):
    round = services.create_round(questionnaire, audience="event", event=past_event)
    assert round.opens_at == past_event.ends_at
    assert round.closes_at == past_event.ends_at + services.DEFAULT_DURATION
    assert past_event.title in round.title


def test_track_round_invites_registered_and_attending_people(questionnaire, municipality):
    track = TrackFactory(program=ProgramFactory(municipality=municipality))
    first = EventFactory(municipality=municipality, track=track, program=track.program)
    second = EventFactory(municipality=municipality, track=track, program=track.program)
    elsewhere = EventFactory(municipality=municipality)
    registered, walked_in, cancelled, stranger = (PersonFactory(municipality=municipality)
                                                  for _ in range(4))
    RegistrationFactory(event=first, person=registered)
    attend(second, walked_in)
    RegistrationFactory(event=first, person=cancelled, status="cancelled")
    RegistrationFactory(event=elsewhere, person=stranger)
    round = services.create_round(questionnaire, audience="track", track=track)
    assert invited(round) == {registered.pk, walked_in.pk}
    assert round.program == track.program


def test_program_round_invites_participants_of_all_its_events(questionnaire, municipality):
    program = ProgramFactory(municipality=municipality)
    in_track = EventFactory(municipality=municipality, program=program,
                            track=TrackFactory(program=program))
    loose = EventFactory(municipality=municipality, program=program)
    a, b, c = (PersonFactory(municipality=municipality) for _ in range(3))
    RegistrationFactory(event=in_track, person=a)
    attend(loose, b)
    RegistrationFactory(event=EventFactory(municipality=municipality), person=c)
    round = services.create_round(questionnaire, audience="program", program=program)
    assert invited(round) == {a.pk, b.pk}


def test_mentees_round_invites_active_mentees_of_the_municipality(questionnaire, municipality,
                                                                  other_municipality):
    active = MenteeRecordFactory(person__municipality=municipality)
    MenteeRecordFactory(person__municipality=municipality, is_active=False)
    MenteeRecordFactory(person__municipality=other_municipality)
    round = services.create_round(questionnaire, audience="mentees", municipality=municipality)
    assert invited(round) == {active.person_id}


def test_mentors_round_invites_active_mentors_of_the_municipality(questionnaire, municipality,
                                                                  other_municipality):
    active = MentorProfileFactory(person__municipality=municipality)
    MentorProfileFactory(person__municipality=municipality, is_active=False)
    MentorProfileFactory(person__municipality=other_municipality)
    round = services.create_round(questionnaire, audience="mentors", municipality=municipality)
    assert invited(round) == {active.person_id}


def test_hand_picked_round_invites_exactly_those_picked(questionnaire, people):
    round = make_round(questionnaire, people[:2])
    assert invited(round) == {people[0].pk, people[1].pk}


def test_hand_picked_person_of_another_municipality_is_refused(questionnaire, people,
                                                               other_municipality):
    stranger = PersonFactory(municipality=other_municipality)
    with pytest.raises(Invalid, match="из другого муниципалитета"):
        make_round(questionnaire, [people[0], stranger], municipality=people[0].municipality)


def test_people_who_withdrew_consent_are_not_invited(questionnaire, people):
    people[0].is_anonymised = True
    people[0].save()
    assert invited(make_round(questionnaire, people)) == {people[1].pk, people[2].pk}


def test_event_audience_without_an_event_is_refused(questionnaire, municipality):
    with pytest.raises(Invalid):
        services.create_round(questionnaire, audience="event", municipality=municipality)


def test_an_old_version_cannot_start_a_round(questionnaire, people):
    services.revise_questionnaire(questionnaire)
    questionnaire.refresh_from_db()
    with pytest.raises(Invalid, match="не текущая версия"):
        make_round(questionnaire, people)


def test_curator_of_another_municipality_cannot_create_a_round(questionnaire, people,
                                                               other_curator):
    with pytest.raises(Forbidden):
        services.create_round(questionnaire, audience="hand_picked", persons=people,
                              municipality=people[0].municipality, by=other_curator)


# --- invitations and reminders ---------------------------------------------------------------

def test_invitations_are_enqueued_once_per_person(questionnaire, people):
    round = make_round(questionnaire, people)
    services.open_round(round)
    services.open_round(round)
    invitations = Notification.objects.filter(kind="survey_invitation")
    assert invitations.count() == 3
    assert set(invitations.values_list("dedup_key", flat=True)) == {
        f"round:{round.pk}:invite:person:{p.pk}" for p in people}
    assert {n.subject_key for n in invitations} == {f"round:{round.pk}"}


def test_invitation_carries_the_personal_link_and_is_scheduled_at_opening(questionnaire, people,
                                                                          settings):
    round = make_round(questionnaire, people, opens_in=2, closes_in=9)
    services.open_round(round)
    message = Notification.objects.get(kind="survey_invitation", recipient=people[0])
    token = Invitation.objects.get(round=round, person=people[0]).token
    assert message.context["survey_url"] == f"/s/{token}/"  # rendering adds the site
    assert message.scheduled_at == round.opens_at
    assert "Владивосток" in message.context["closes"]


def test_open_round_invites_people_who_joined_the_audience_since(questionnaire, municipality,
                                                                 past_event):
    round = services.create_round(questionnaire, audience="event", event=past_event)
    late = PersonFactory(municipality=municipality)
    attend(past_event, late)
    services.open_round(round)
    assert invited(round) == {late.pk}
    assert Notification.objects.filter(kind="survey_invitation", recipient=late).exists()


def test_open_round_plans_a_reminder_a_day_before_closing(questionnaire, people):
    round = make_round(questionnaire, people, opens_in=-1, closes_in=5)
    services.open_round(round)
    reminders = Notification.objects.filter(kind="survey_reminder")
    assert reminders.count() == 3
    assert {r.scheduled_at for r in reminders} == {round.closes_at - services.REMIND_BEFORE}


def test_reminders_go_only_to_those_who_have_not_answered(questionnaire, people):
    round = make_round(questionnaire, people)
    answered = Invitation.objects.get(round=round, person=people[0])
    services.save_answers(answered, full_answers(questionnaire), submit=True)
    draft = Invitation.objects.get(round=round, person=people[1])
    services.save_answers(draft, {"text": "черновик"}, submit=False)
    count = services.remind_non_responders(round, at=timezone.now())
    recipients = set(Notification.objects.filter(kind="survey_reminder")
                     .values_list("recipient_id", flat=True))
    assert count == 2
    assert recipients == {people[1].pk, people[2].pk}


def test_reminding_twice_the_same_day_sends_one_reminder(questionnaire, people):
    round = make_round(questionnaire, people)
    # Noon tomorrow in the municipality's zone: "now" and five minutes later were two days
    # when the suite ran at 23:56 in Vladivostok.
    zone = round.municipality.zone
    noon = datetime.datetime.combine(timezone.localdate(timezone.now(), zone)
                                     + datetime.timedelta(days=1), datetime.time(12), zone)
    services.remind_non_responders(round, at=noon)
    services.remind_non_responders(round, at=noon + datetime.timedelta(minutes=5))
    assert Notification.objects.filter(kind="survey_reminder").count() == 3


def test_reminding_a_closed_round_is_refused(questionnaire, people):
    round = make_round(questionnaire, people, opens_in=-10, closes_in=-1)
    with pytest.raises(RoundClosed):
        services.remind_non_responders(round)


def test_sweep_opens_rounds_whose_time_has_come(questionnaire, people):
    due = make_round(questionnaire, people, opens_in=-1, closes_in=3)
    make_round(questionnaire, people, opens_in=3, closes_in=9)
    make_round(questionnaire, people, opens_in=-9, closes_in=-3)
    assert tasks.open_due_rounds() == 1
    subjects = set(Notification.objects.values_list("subject_key", flat=True))
    assert subjects == {f"round:{due.pk}"}


def test_tasks_take_ids_and_are_safe_to_run_twice(questionnaire, people):
    round = make_round(questionnaire, people)
    tasks.open_round(round.pk)
    tasks.open_round(round.pk)
    assert Notification.objects.filter(kind="survey_invitation").count() == 3
    assert tasks.open_round(999999) == 0
    assert Round.objects.count() == 1


def test_reminder_task_for_a_closed_round_does_nothing(questionnaire, people):
    round = make_round(questionnaire, people, opens_in=-10, closes_in=-1)
    assert tasks.remind_non_responders(round.pk) == 0
    assert not Notification.objects.exists()


# --- a declared before/after series ---------------------------------------------------------------

def _after(questionnaire, people, before, opens_in=-1):
    now = timezone.now()
    return services.create_round(
        questionnaire, audience="hand_picked", municipality=people[0].municipality,
        persons=people, pair_of=before, opens_at=now + datetime.timedelta(days=opens_in),
        closes_at=now + datetime.timedelta(days=5))


def test_after_round_joins_the_series_of_its_before(people):
    questionnaire = make_questionnaire(anonymous=True)
    first = make_round(questionnaire, people, opens_in=-30, closes_in=-20)
    second = _after(questionnaire, people, first, opens_in=-10)
    third = _after(questionnaire, people, second)
    assert second.pair_of == first and third.pair_of == first  # one series, one anchor
    assert first.pair_anchor_id == second.pair_anchor_id == third.pair_anchor_id


@pytest.mark.parametrize("case, message", [
    ("other_questionnaire", "по другой анкете"),
    ("named_after_anonymous", "Анонимный опрос можно сравнивать только с анонимным"),
    ("earlier", "должен начинаться позже"),
])
def test_after_round_is_refused_when_it_cannot_be_compared(people, case, message):
    anonymous = make_questionnaire(anonymous=True)
    before = make_round(anonymous, people, opens_in=-10, closes_in=-5)
    questionnaire = anonymous
    if case == "other_questionnaire":
        questionnaire = make_questionnaire(anonymous=True)
    elif case == "named_after_anonymous":  # a next version of the same form, made named
        questionnaire = services.update_questionnaire(services.revise_questionnaire(anonymous),
                                                      is_anonymous=False)
    with pytest.raises(Invalid, match=message):
        _after(questionnaire, people, before, opens_in=-20 if case == "earlier" else -1)
    assert Round.objects.count() == 1
