import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants import demo
from participants.models import (
    Consent,
    GroupMembership,
    MenteeRecord,
    MentoringGroup,
    MentorProfile,
    Municipality,
    Organisation,
    Person,
    PersonalProgram,
    PlanItem,
)
from portfolio.models import Achievement, ObservationVisit
from practices.models import Material, Practice, Review

pytestmark = pytest.mark.django_db

MODELS = (Municipality, Organisation, Person, Consent, MentorProfile, MenteeRecord,
          MentoringGroup, GroupMembership, PersonalProgram, PlanItem, User,
          Practice, Review, Material, ObservationVisit, Achievement)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def loaded():
    return demo.load().municipality


def test_demo_builds_the_khanka_school_of_mentoring(loaded):
    people = Person.objects.filter(municipality=loaded)

    assert (loaded.name, loaded.time_zone) == ("Ханкайский муниципальный округ",
                                               "Asia/Vladivostok")
    assert loaded.organisations.count() == 18
    assert loaded.organisations.filter(short_name="МБОУ ООШ с. Новоукраинка").exists()
    assert people.count() == 286
    assert MentorProfile.objects.filter(person__municipality=loaded).count() == 28
    assert people.young_specialists().count() == 10
    assert all(hasattr(p, "mentee_record") for p in people.young_specialists())
    assert Consent.objects.filter(person__municipality=loaded, withdrawn_at__isnull=True,
                                  text__version="1").count() == 286


def test_demo_names_agree_in_gender(loaded):
    for person in Person.objects.filter(municipality=loaded):
        female = person.patronymic.endswith("на")
        assert person.patronymic.endswith(("на", "ич")), person
        if female:
            assert not person.last_name.endswith(("ов", "ев", "ёв", "ин", "ский")), person
        else:
            assert not person.last_name.endswith(("ова", "ева", "ёва", "ина", "ская")), person


def test_demo_people_have_contacts_and_work(loaded):
    people = Person.objects.filter(municipality=loaded)

    assert people.filter(email="").count() == 0
    assert people.exclude(phone="").count() >= 270
    assert people.filter(organisation__isnull=True).count() == 0
    assert people.filter(position="").count() == 0
    assert people.filter(experience_years__isnull=True).count() == 0


def test_demo_keeps_the_mentors_and_curator_of_the_order(loaded):
    fedorova = Person.objects.get(municipality=loaded, last_name="Фёдорова", first_name="Елена",
                                  patronymic="Львовна")
    curator = Person.objects.get(municipality=loaded, user__username="curator")

    assert fedorova.organisation.short_name == "МБОУ СОШ № 2 с. Камень-Рыболов"
    assert fedorova.mentor_profile.can_help.startswith("Формирование функциональной грамотности")
    assert curator.full_name == "Косар Наталья Викторовна"
    assert curator.user.groups.filter(name="Куратор").exists()


def test_demo_pairs_have_consent_and_one_has_a_program(loaded):
    groups = MentoringGroup.objects.filter(municipality=loaded)

    assert 4 <= groups.count() <= 6
    assert not GroupMembership.objects.filter(group__in=groups, consent_at__isnull=True).exists()
    assert not groups.filter(mentor_consent_at__isnull=True).exists()
    assert PersonalProgram.objects.get(group__in=groups).items.count() >= 5


def _log_in(client, username, password):
    # Through the login page: django-axes refuses authenticate() without a request.
    response = client.post(reverse("admin:login"), {"username": username, "password": password})
    return response.status_code == 302


def test_curator_and_admin_can_log_in(client, loaded):
    assert _log_in(client, "curator", "curator")
    response = client.get(reverse("admin:participants_person_changelist"))
    assert response.context["cl"].result_count == 286
    client.logout()
    assert _log_in(client, "admin", "admin")
    assert User.objects.get(username="admin").is_superuser


def test_running_load_demo_twice_leaves_one_copy(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the demo practices' files
    first_out = io.StringIO()
    call_command("load_demo", stdout=first_out)
    first = counts()

    out = io.StringIO()
    call_command("load_demo", stdout=out)

    assert counts() == first
    assert first["Person"] == 286 and first["Municipality"] == 1
    assert first["Practice"] > 0 and first["Achievement"] > 0
    assert "ничего" in out.getvalue()
    # The demo's letters are kept, not sent: one line says so, and a rerun has none to add.
    from notifications.models import Notification

    assert not Notification.objects.filter(status="pending").exists()
    assert Notification.objects.filter(kind="practice_accepted", status="skipped").exists()
    assert Notification.objects.filter(status="skipped").count() > 100
    assert [line for line in first_out.getvalue().splitlines()
            if line.startswith("Письма демо (")] != []
    assert "Письма демо" not in out.getvalue()


def test_demo_writes_people_in_bulk():
    with CaptureQueriesContext(connection) as captured:
        demo.load()

    # About 730 today, mostly the mentor and mentee services; a service call per person of
    # the roster would add some 1,400 more. The roster goes in with bulk_create.
    assert len(captured) < 1000
