"""Creating a practice: packaged from a finished personal program (prefilled) or from scratch."""

import datetime

import pytest

from config.errors import Conflict, Forbidden, Invalid
from practices import services
from practices.models import Practice
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db


def test_practice_from_program_is_prefilled_with_the_program_and_the_mentors_card(
        program, mentor, school):
    practice = services.create_from_program(program, by=mentor.user)

    assert practice.author == mentor and practice.program == program
    assert list(practice.mentees.all()) == list(program.group.mentees.all())
    assert practice.author_name == "Зорина Анна Викторовна"
    assert practice.author_email == "zorina@school8.example"
    assert practice.author_phone == "+79141234567"
    assert practice.organisation == school and practice.position == "учитель математики"
    assert practice.title == practice.goal == "Адаптация молодого учителя математики"
    assert practice.role_model == "experienced_young" and practice.form == "teacher_teacher"
    assert practice.result == "Открытый урок молодого педагога"
    assert practice.plan == "1. Посещение уроков наставника — 15.10.2025 (выполнено)"
    assert "опытный педагог – молодой педагог" in practice.note
    assert practice.status == Practice.Status.DRAFT and practice.accepted_level == ""


def test_a_program_still_running_is_not_packaged(program, mentor):
    program.end_date = datetime.date.today() + datetime.timedelta(days=30)
    program.save()
    program.items.update(is_done=False)

    with pytest.raises(Invalid, match="не завершена"):
        services.create_from_program(program, by=mentor.user)
    assert not Practice.objects.exists()


def test_a_program_with_its_whole_plan_done_is_finished_before_its_end_date(program, mentor):
    program.end_date = datetime.date.today() + datetime.timedelta(days=30)
    program.save()

    assert services.create_from_program(program, by=mentor.user).program == program


def test_a_program_is_packaged_once(program, mentor):
    services.create_from_program(program, by=mentor.user)

    with pytest.raises(Conflict, match="уже подготовлена"):
        services.create_from_program(program, by=mentor.user)


def test_another_mentor_cannot_package_someone_elses_program(program, municipality):
    stranger = make_user("stranger", role="Наставник", municipality=municipality)

    with pytest.raises(Forbidden):
        services.create_from_program(program, by=stranger)


def test_curator_of_another_municipality_cannot_package_the_program(program, other_curator):
    with pytest.raises(Forbidden):
        services.create_from_program(program, by=other_curator)


def test_practice_from_scratch_takes_the_authors_card_and_the_given_fields(mentor):
    practice = services.create_practice(mentor, by=mentor.user, data={
        "title": "Флеш-наставничество для молодых педагогов", "years_in_position": 12,
        "author_phone": "8 (914) 765-43-21"})

    assert practice.program is None and practice.author == mentor
    assert practice.author_phone == "+79147654321"
    assert practice.years_in_position == 12
    assert practice.organisation == mentor.organisation


HOSTILE = "=HYPERLINK(\"http://x\")\x00\x0b\u202eтекст 🙂\r\nвторая"


def test_hostile_text_is_cleaned_before_it_is_stored(practice, mentor):
    services.update_card(practice, by=mentor.user, data={"title": HOSTILE, "note": HOSTILE})

    practice.refresh_from_db()
    assert "\x00" not in practice.title and "\n" not in practice.title
    assert "\u202e" not in practice.note and "\x0b" not in practice.note
    assert practice.note.endswith("текст 🙂\nвторая")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("years_in_position", 10**20, "от 0 до 80"),
    ("author_phone", "12345", "не похож"),
    ("author_email", "не почта", "E-mail"),
    ("title", "", "тему"),
    ("title", "т" * 501, "Не длиннее"),
    ("note", "т" * 20_001, "Не длиннее"),
    ("role_model", "boss", "Нет такого значения"),
    ("organisation", 10**18, "не найдена"),
])
def test_bad_card_values_are_refused_in_russian(practice, mentor, field, value, message):
    with pytest.raises(Invalid, match=message) as refused:
        services.update_card(practice, by=mentor.user, data={field: value})
    assert refused.value.details == {"field": field}


def test_school_of_another_municipality_is_refused(practice, mentor, other_municipality):
    stranger_school = PersonFactory(municipality=other_municipality).organisation

    with pytest.raises(Invalid, match="не найдена"):
        services.update_card(practice, by=mentor.user,
                             data={"organisation": stranger_school.pk})


def test_search_ignores_case_and_yo(practice, mentor):
    services.update_card(practice, by=mentor.user, data={"content": "Ёлочка идей"})

    assert Practice.objects.search("ЕЛОЧКА").get() == practice
    assert not Practice.objects.search("ёлочка пирамида").exists()
