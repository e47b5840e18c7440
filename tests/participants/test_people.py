import datetime

import pytest

from config.errors import Forbidden
from participants import services
from participants.errors import DuplicateEmail, Invalid
from participants.models import Consent, ConsentText, Person
from tests.factories import OrganisationFactory, PersonFactory


@pytest.mark.parametrize(
    "raw",
    ["8 (914) 123-45-67", "+7 914 123 45 67", "89141234567", "9141234567", "+7(914)1234567"],
)
def test_normalise_phone_accepts_russian_spellings(raw):
    assert services.normalise_phone(raw) == "+79141234567"


@pytest.mark.parametrize("raw", ["12345", "+1 202 555 0101", "телефон"])
def test_normalise_phone_refuses_what_is_not_a_russian_number(raw):
    with pytest.raises(Invalid):
        services.normalise_phone(raw)


def test_create_person_normalises_and_refuses_same_email_in_any_case(municipality, curator):
    org = OrganisationFactory(municipality=municipality)
    data = {"last_name": " Петрова ", "first_name": "Анна", "email": "Anna@School.RU",
            "phone": "8 914 000-00-01", "organisation": org, "experience_years": 2}
    person = services.create_person(municipality, data=data, by=curator)
    assert (person.last_name, person.email, person.phone) == ("Петрова", "anna@school.ru",
                                                              "+79140000001")
    assert person.is_young_specialist
    with pytest.raises(DuplicateEmail):
        services.create_person(municipality, data={**data, "email": "ANNA@school.ru"}, by=curator)
    assert Person.objects.filter(email="anna@school.ru").count() == 1


def test_same_email_allowed_in_another_municipality(municipality, other_municipality):
    PersonFactory(municipality=municipality, email="same@school.ru")
    person = services.create_person(
        other_municipality, data={"last_name": "Орлова", "first_name": "Ольга",
                                  "email": "same@school.ru"},
    )
    assert person.pk


def test_curator_cannot_create_people_in_another_municipality(other_municipality, curator):
    with pytest.raises(Forbidden):
        services.create_person(other_municipality, data={"last_name": "Х", "first_name": "Y"},
                               by=curator)


def test_young_specialist_is_derived_from_experience(municipality):
    young = PersonFactory(municipality=municipality, experience_years=2)
    PersonFactory(municipality=municipality, experience_years=3)
    PersonFactory(municipality=municipality, experience_years=None)
    assert list(Person.objects.young_specialists()) == [young]


def test_search_treats_yo_and_ye_as_one_letter(municipality):
    fyodorova = PersonFactory(municipality=municipality, last_name="Фёдорова")
    PersonFactory(municipality=municipality, last_name="Балакина")
    assert list(Person.objects.search("федорова")) == [fyodorova]
    assert list(Person.objects.search("Фёдорова")) == [fyodorova]


def test_withdrawn_consent_anonymises_the_person(municipality, curator):
    person = PersonFactory(municipality=municipality, phone="+79140000002")
    text = ConsentText.objects.get(version="1")
    services.record_consent(person, text=text, source=Consent.Source.PAPER, by=curator)
    services.withdraw_consent(person, by=curator)
    person.refresh_from_db()
    assert person.is_anonymised
    assert (person.email, person.phone, person.patronymic) == ("", "", "")
    assert "Иванова" not in person.full_name
    consent = person.consents.get()
    assert consent.withdrawn_at is not None and consent.text == text


def test_mentor_registry_date_can_be_cleared_and_is_kept_when_not_given(municipality, curator):
    person = PersonFactory(municipality=municipality)
    first = datetime.date(2023, 3, 16)
    services.set_mentor_profile(person, since=first, by=curator)
    services.set_mentor_profile(person, can_help="Анализ урока", by=curator)
    person.mentor_profile.refresh_from_db()
    assert person.mentor_profile.since == first
    services.set_mentor_profile(person, since=None, by=curator)
    person.mentor_profile.refresh_from_db()
    assert person.mentor_profile.since is None
