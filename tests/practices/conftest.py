import datetime

import pytest
from django.contrib.auth.models import Group

from participants import roles
from participants.models import PersonalProgram, PlanItem
from practices import services
from practices.access import REGIONAL_EXPERT
from tests.factories import (
    MenteeRecordFactory,
    MentoringGroupFactory,
    MentorProfileFactory,
    OrganisationFactory,
    make_user,
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Each test stores uploads in its own folder, so 'nothing stored' can be checked."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def school(municipality):
    return OrganisationFactory(municipality=municipality, name="МБОУ СОШ № 8 с. Спасское",
                               short_name="СОШ № 8")


@pytest.fixture
def mentor(municipality, school):
    """A mentor with an account, a registry entry and a phone."""
    user = make_user("mentor", role=roles.MENTOR, municipality=municipality)
    person = user.person
    person.organisation, person.phone = school, "+79141234567"
    person.email, person.position = "zorina@school8.example", "учитель математики"
    person.last_name, person.first_name, person.patronymic = "Зорина", "Анна", "Викторовна"
    person.save()
    MentorProfileFactory(person=person)
    return person


@pytest.fixture
def program(municipality, mentor):
    """A finished personal program of the mentor with one young mentee."""
    mentee = MenteeRecordFactory(person__municipality=municipality,
                                 person__last_name="Молодова").person
    group = MentoringGroupFactory(municipality=municipality, mentor=mentor, mentees=[mentee],
                                  start_date=datetime.date(2025, 9, 1),
                                  role_model="experienced_young", form="teacher_teacher")
    program = PersonalProgram.objects.create(
        group=group, goal="Адаптация молодого учителя математики",
        start_date=datetime.date(2025, 9, 1), end_date=datetime.date(2026, 5, 31),
        expected_result="Открытый урок молодого педагога")
    PlanItem.objects.create(program=program, position=1, title="Посещение уроков наставника",
                            due_date=datetime.date(2025, 10, 15), is_done=True)
    return program


@pytest.fixture
def regional_expert(db):
    Group.objects.get_or_create(name=REGIONAL_EXPERT)
    return make_user("expert", role=REGIONAL_EXPERT)


@pytest.fixture
def practice(program, mentor):
    """A practice packaged from the program, with the card filled enough to submit."""
    practice = services.create_from_program(program, by=mentor.user)
    return services.update_card(practice, by=mentor.user, data={
        "content": "Коуч-сессии, взаимопосещение уроков, открытый урок."})


def publish(practice, curator, *, level_count=1):
    """Submit and accept the practice up to `level_count` levels (school, then municipal)."""
    for _ in range(level_count):
        services.submit(practice, by=curator)
        services.accept(practice, by=curator)
    practice.refresh_from_db()
    return practice
