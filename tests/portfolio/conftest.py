import datetime

import pytest
from django.test import Client

from participants import roles
from participants.models import MentorProfile
from portfolio.points import Period
from tests.factories import (
    MenteeRecordFactory,
    MentoringGroupFactory,
    OrganisationFactory,
    make_user,
)

API = "/api/v1"
SCHOOL_YEAR = Period(datetime.date(2026, 9, 1), datetime.date(2027, 8, 31))


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def school(municipality):
    return OrganisationFactory(municipality=municipality, name="МБОУ СОШ № 2 с. Камень-Рыболов",
                               short_name="СОШ № 2")


@pytest.fixture
def mentor(mentor_user, school):
    person = mentor_user.person
    person.last_name, person.first_name, person.patronymic = "Фёдорова", "Елена", "Львовна"
    person.organisation = school
    person.save()
    MentorProfile.objects.create(person=person)
    return person


@pytest.fixture
def mentee_user(municipality):
    return make_user("mentee", role=roles.PARTICIPANT, municipality=municipality)


@pytest.fixture
def pair(municipality, mentor, mentee_user):
    mentee = mentee_user.person
    mentee.last_name, mentee.first_name = "Молодых", "Ирина"
    mentee.save()
    MenteeRecordFactory(person=mentee)
    return MentoringGroupFactory(municipality=municipality, mentor=mentor, mentees=[mentee])


def map_answers(**override):
    """A filled observation map of the shipped template (codes of its criteria)."""
    answers = {"design": "4", "activity_approach": "3", "group_work": "5",
               "functional_literacy": "2", "digital_resources": "4", "assessment": "3",
               "creativity": "4", "self_analysis": "3", "difficulties": "",
               "recommendations": "Продумать этап рефлексии."}
    answers.update(override)
    return answers
