"""The data migration that strips existing anonymous responses of their links to people."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone
from django.utils.crypto import salted_hmac

from surveys import services
from surveys.models import Invitation, Response
from tests.surveys.conftest import make_questionnaire, make_round

pytestmark = pytest.mark.django_db
migration = importlib.import_module("surveys.migrations.0004_anonymity_by_construction")


def old_key(person):
    """The key of the old scheme: the same for a person in every round."""
    return salted_hmac("surveys.respondent", f"person:{person.pk}",
                       algorithm="sha256").hexdigest()


def old_response(round, person, at, *, keep_person):
    return Response.objects.create(
        round=round, respondent_key=old_key(person), person=person if keep_person else None,
        organisation=person.organisation, is_young_specialist=False, submitted_at=at,
        updated_at=at)


def test_existing_responses_are_rekeyed_and_anonymous_ones_stripped(people, municipality):
    at = timezone.now() - datetime.timedelta(hours=5, minutes=17)
    anonymous = make_round(make_questionnaire(anonymous=True), people)
    named = make_round(make_questionnaire(), people)
    person = people[0]
    Invitation.objects.filter(round=anonymous, person=person).update(answered_at=at)
    stripped = old_response(anonymous, person, at, keep_person=False)
    kept = old_response(named, person, at, keep_person=True)
    orphan = Response.objects.create(round=anonymous, respondent_key="gone", submitted_at=at)

    migration.strip_links(apps, None)

    for response in (stripped, kept, orphan):
        response.refresh_from_db()
    invitation = Invitation.objects.get(round=anonymous, person=person)
    # The person's link still opens their answer; nothing stored leads there without the key.
    assert services.response_of(invitation) == stripped
    assert stripped.pair_key == services.pair_key(anonymous, person.pk)
    assert (stripped.person_id, stripped.organisation_id, stripped.is_young_specialist) == (
        None, None, None)
    assert stripped.submitted_at == stripped.updated_at == anonymous.opens_at
    answered = timezone.localtime(invitation.answered_at, municipality.zone)
    assert (answered.hour, answered.minute) == (0, 0)
    assert answered.date() == timezone.localtime(at, municipality.zone).date()
    # A named response keeps its person and times, under its new per-round key.
    assert kept.respondent_key == services.respondent_key(
        Invitation.objects.get(round=named, person=person).token)
    assert (kept.person, kept.submitted_at) == (person, at)
    assert orphan.respondent_key != "gone" and len(orphan.respondent_key) == 64
    assert old_key(person) not in Response.objects.values_list("respondent_key", flat=True)


def test_shipped_descriptions_lose_their_anonymity_sentence_edited_ones_stay():
    from surveys.models import Questionnaire

    reword = importlib.import_module(
        "surveys.migrations.0005_descriptions_without_anonymity_notice")
    shipped_old, shipped_new = next(iter(reword.REWORDED.items()))
    shipped = make_questionnaire(anonymous=True)
    edited = make_questionnaire(anonymous=True)
    Questionnaire.objects.filter(pk=shipped.pk).update(description=shipped_old)
    Questionnaire.objects.filter(pk=edited.pk).update(description=shipped_old + " Спасибо!")

    reword.forwards(apps, None)

    assert Questionnaire.objects.get(pk=shipped.pk).description == shipped_new
    assert Questionnaire.objects.get(pk=edited.pk).description == shipped_old + " Спасибо!"
