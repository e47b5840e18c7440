"""Confirming a suggestion or a flash-mentoring pair forms the pair through participants."""

import datetime

import pytest
from django.utils import timezone

from config.errors import Conflict, Forbidden, Invalid
from notifications.models import Notification, Preference
from notifications.rendering import render
from participants.models import MentoringGroup
from planning.matching import services
from planning.matching.flash import flash_result
from tests.factories import EventFactory
from tests.planning.fixtures import participant

pytestmark = pytest.mark.django_db


def test_confirmed_suggestion_forms_a_pair_with_consent_and_tells_both(
        municipality, school, curator):
    consent = timezone.now() - datetime.timedelta(days=1)
    group = services.confirm_suggestion(school["mentee"], school["broad"], by=curator,
                                        consent_at=consent)
    assert group.mentor == school["broad"]
    assert [m.mentee for m in group.memberships.all()] == [school["mentee"]]
    assert group.mentor_consent_at == consent
    assert group.memberships.get().consent_at == consent
    letters = Notification.objects.filter(kind="mentoring_pair")
    assert set(letters.values_list("recipient_id", flat=True)) == {
        school["mentee"].pk, school["broad"].pk}


def test_mentee_with_a_mentor_cannot_get_a_second(municipality, school, curator):
    services.confirm_suggestion(school["mentee"], school["broad"], by=curator)
    with pytest.raises(Conflict) as error:
        services.confirm_suggestion(school["mentee"], school["near"], by=curator)
    assert error.value.code == "mentee_has_mentor"
    assert MentoringGroup.objects.filter(mentor=school["near"]).count() == 0


def test_full_mentor_is_refused(municipality, school, curator):
    with pytest.raises(Conflict) as error:
        services.confirm_suggestion(school["mentee"], school["full"], by=curator)
    assert error.value.code == "mentor_full"


def test_curator_of_another_municipality_cannot_confirm(school, other_curator):
    with pytest.raises(Forbidden):
        services.confirm_suggestion(school["mentee"], school["broad"], by=other_curator)
    assert not MentoringGroup.objects.filter(memberships__mentee=school["mentee"]).exists()


# --- flash-mentoring ----------------------------------------------------------------------------


def test_opening_choices_gives_each_present_person_a_link_once(meeting, school, curator):
    event, young = meeting
    assert services.open_flash_choices(event, by=curator) == 5
    services.open_flash_choices(event, by=curator)
    assert Notification.objects.filter(kind="flash_choice").count() == 5
    broad = participant(event, school["broad"])
    assert (broad.side, broad.capacity) == ("mentor", 2)  # 3 places, one mentee already
    assert participant(event, young[0]).side == "mentee"
    assert len(broad.token) >= 32


def test_choices_open_only_after_a_flash_mentoring_meeting(municipality, curator):
    seminar = EventFactory(municipality=municipality)
    with pytest.raises(Invalid):
        services.open_flash_choices(seminar, by=curator)


def test_mutual_choices_become_proposals_and_the_rest_are_listed(meeting, school, curator):
    event, (zaytseva, ilyina) = meeting
    services.open_flash_choices(event, by=curator)
    broad, near = participant(event, school["broad"]), participant(event, school["near"])
    andreeva, z, i = (participant(event, p) for p in (school["mentee"], zaytseva, ilyina))
    services.record_flash_choices(broad, [z.pk, andreeva.pk], consent=True)
    services.record_flash_choices(near, [andreeva.pk], consent=True)
    services.record_flash_choices(andreeva, [near.pk, broad.pk], consent=True)
    services.record_flash_choices(z, [broad.pk], consent=True)
    services.record_flash_choices(i, [], consent=False)  # chose nobody
    result = flash_result(event)
    pairs = {(p.mentor.person_id, p.mentee.person_id) for p in result.proposals}
    assert pairs == {(school["near"].pk, school["mentee"].pk), (school["broad"].pk, zaytseva.pk)}
    assert [u.participant.person_id for u in result.unmatched] == [ilyina.pk]
    assert (result.answered, result.total) == (5, 5)


def test_choice_of_someone_from_the_same_side_is_refused(meeting, school, curator):
    event, (zaytseva, ilyina) = meeting
    services.open_flash_choices(event, by=curator)
    with pytest.raises(Invalid):
        services.record_flash_choices(participant(event, zaytseva),
                                      [participant(event, ilyina).pk], consent=True)


def test_choosing_someone_needs_consent_to_the_pair(meeting, school, curator):
    event, (zaytseva, _ilyina) = meeting
    services.open_flash_choices(event, by=curator)
    with pytest.raises(Invalid):
        services.record_flash_choices(participant(event, zaytseva),
                                      [participant(event, school["broad"]).pk], consent=False)


def test_confirmed_flash_pair_is_formed_with_both_consents(meeting, school, curator):
    event, (zaytseva, _ilyina) = meeting
    services.open_flash_choices(event, by=curator)
    broad, z = participant(event, school["broad"]), participant(event, zaytseva)
    services.record_flash_choices(broad, [z.pk], consent=True)
    services.record_flash_choices(z, [broad.pk], consent=True)
    z.refresh_from_db()
    group = services.confirm_flash_pair(event, broad, z, by=curator)
    assert group.mentor == school["broad"]
    assert group.memberships.get().mentee == zaytseva
    assert group.mentor_consent_at == z.consent_at  # the later of the two
    assert flash_result(event).proposals[0].is_confirmed


def test_one_sided_choice_cannot_be_confirmed(meeting, school, curator):
    event, (zaytseva, _ilyina) = meeting
    services.open_flash_choices(event, by=curator)
    broad, z = participant(event, school["broad"]), participant(event, zaytseva)
    services.record_flash_choices(broad, [z.pk], consent=True)
    with pytest.raises(Invalid):
        services.confirm_flash_pair(event, broad, z, by=curator)
    assert not MentoringGroup.objects.filter(mentor=school["broad"],
                                             memberships__mentee=zaytseva).exists()


def test_choice_letter_carries_the_personal_link(meeting, school, curator):
    event, (zaytseva, _ilyina) = meeting
    services.open_flash_choices(event, by=curator)
    letter = Notification.objects.get(kind="flash_choice", recipient=zaytseva)
    preference, _created = Preference.objects.get_or_create(person=zaytseva)
    rendered = render(letter, preference)
    assert participant(event, zaytseva).token in rendered.text
    assert "наставников" in rendered.text and event.title in rendered.subject
