"""The participants REST API: auth, scoping, error shape, filters, writes, imports, N+1 guards."""

import datetime
import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.db.models import QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from participants import roles, services
from participants.models import (
    ApiToken,
    ImportBatch,
    MenteeRecord,
    MentoringGroup,
    MentorProfile,
    Organisation,
    Person,
)
from tests.factories import (
    MenteeRecordFactory,
    MentoringGroupFactory,
    MentorProfileFactory,
    OrganisationFactory,
    PersonFactory,
    TopicFactory,
    make_user,
)

API = "/api/v1"


@pytest.fixture
def client_of():
    """A test client signed in (by session) as the given user."""

    def sign_in(user):
        client = Client()
        client.force_login(user)
        return client

    return sign_in


def post_json(client, url, data, **extra):
    return client.post(url, data, content_type="application/json", **extra)


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    assert body["message"]
    return body


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


# --- authentication and authorisation -------------------------------------------------------


def test_anonymous_request_is_401_in_the_common_shape(db):
    body = assert_error(Client().get(f"{API}/people"), 401, "unauthorized")
    assert body["details"] == {}


def test_mentor_reads_but_cannot_write(client_of, mentor_user):
    client = client_of(mentor_user)
    assert client.get(f"{API}/people").status_code == 200
    response = post_json(client, f"{API}/people", {"last_name": "Петрова", "first_name": "Анна"})
    assert_error(response, 403, "forbidden")
    assert not Person.objects.filter(last_name="Петрова").exists()


@pytest.mark.parametrize("path", ["people", "organisations", "topics", "mentors", "groups"])
def test_participant_role_cannot_read(client_of, municipality, path):
    participant = make_user("teacher", role=roles.PARTICIPANT, municipality=municipality)
    assert_error(client_of(participant).get(f"{API}/{path}"), 403, "forbidden")


def test_other_municipality_person_is_404_not_403(client_of, curator, other_curator,
                                                    other_municipality):
    stranger = PersonFactory(municipality=other_municipality)
    client = client_of(curator)
    assert_error(client.get(f"{API}/people/{stranger.pk}"), 404, "not_found")
    response = client.patch(f"{API}/people/{stranger.pk}", {"first_name": "Ольга"},
                            content_type="application/json")
    assert_error(response, 404, "not_found")
    response = client.put(f"{API}/people/{stranger.pk}/mentor-profile", {},
                          content_type="application/json")
    assert_error(response, 404, "not_found")
    stranger.refresh_from_db()
    assert stranger.first_name == "Мария"
    assert not MentorProfile.objects.filter(person=stranger).exists()
    # Control: the person exists and their own curator sees them.
    assert client_of(other_curator).get(f"{API}/people/{stranger.pk}").status_code == 200


def test_api_token_authenticates_until_revoked(curator, municipality):
    PersonFactory(municipality=municipality)
    token, raw = services.issue_api_token(curator, name="Интеграция")
    client = Client()
    response = client.get(f"{API}/people", headers={"Authorization": f"Bearer {raw}"})
    assert response.json()["count"] == 2
    response = post_json(client, f"{API}/people", {"last_name": "Токенова", "first_name": "Анна"},
                         headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 201  # no CSRF needed with a token
    services.revoke_api_token(token)
    response = client.get(f"{API}/people", headers={"Authorization": f"Bearer {raw}"})
    assert_error(response, 401, "unauthorized")


def _token_writes(raw):
    with CaptureQueriesContext(connection) as queries:
        assert services.user_for_token(raw) is not None
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]


def test_api_token_use_is_written_at_most_once_a_minute(curator, monkeypatch):
    token, raw = services.issue_api_token(curator, name="Интеграция")
    start = timezone.now()
    monkeypatch.setattr(services.timezone, "now", lambda: start)
    assert len(_token_writes(raw)) == 1  # first use is recorded
    monkeypatch.setattr(services.timezone, "now", lambda: start + datetime.timedelta(seconds=59))
    assert _token_writes(raw) == []  # the next requests of that minute write nothing
    monkeypatch.setattr(services.timezone, "now", lambda: start + datetime.timedelta(seconds=61))
    assert len(_token_writes(raw)) == 1
    token.refresh_from_db()
    assert token.last_used_at == start + datetime.timedelta(seconds=61)


def test_session_write_without_csrf_token_is_refused(curator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(curator)
    person = {"last_name": "Петрова", "first_name": "Анна"}
    assert_error(post_json(client, f"{API}/people", person), 403, "csrf_failed")
    assert not Person.objects.filter(last_name="Петрова").exists()
    # Control: the same session with a CSRF token is let through.
    secret = "a" * 32
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    response = post_json(client, f"{API}/people", person, HTTP_X_CSRFTOKEN=secret)
    assert response.status_code == 201, response.content


# --- validation and domain errors -----------------------------------------------------------


def test_body_that_fails_the_schema_is_422(client_of, curator):
    response = post_json(client_of(curator), f"{API}/people",
                         {"first_name": "Анна", "experience_years": -1})
    body = assert_error(response, 422, "invalid")
    fields = {error["loc"][-1] for error in body["details"]["errors"]}
    assert fields == {"last_name", "experience_years"}


def test_bad_phone_is_refused_by_the_service_with_422(client_of, curator):
    response = post_json(client_of(curator), f"{API}/people",
                         {"last_name": "Петрова", "first_name": "Анна", "phone": "12345"})
    body = assert_error(response, 422, "invalid")
    assert body["details"] == {"field": "phone"}
    assert "Телефон" in body["message"]
    assert not Person.objects.filter(last_name="Петрова").exists()


def test_duplicate_email_is_409(client_of, curator, municipality):
    PersonFactory(municipality=municipality, email="anna@school.ru")
    response = post_json(client_of(curator), f"{API}/people",
                         {"last_name": "Петрова", "first_name": "Анна", "email": "ANNA@school.ru"})
    assert_error(response, 409, "duplicate_email")
    assert Person.objects.filter(email__iexact="anna@school.ru").count() == 1


# --- scoping of lists -----------------------------------------------------------------------


def test_curator_lists_only_their_municipality(client_of, curator, superuser, municipality,
                                               other_municipality):
    own = MentoringGroupFactory(municipality=municipality)
    foreign = MentoringGroupFactory(municipality=other_municipality)
    client = client_of(curator)
    people = ids(client.get(f"{API}/people?limit=500"))
    assert people and set(Person.objects.filter(pk__in=people).values_list(
        "municipality_id", flat=True)) == {municipality.pk}
    assert ids(client.get(f"{API}/mentors")) == [own.mentor.mentor_profile.pk]
    assert ids(client.get(f"{API}/mentees")) == [own.mentees.get().mentee_record.pk]
    assert ids(client.get(f"{API}/groups")) == [own.pk]
    own_schools = set(Organisation.objects.filter(municipality=municipality).values_list(
        "pk", flat=True))
    assert set(ids(client.get(f"{API}/organisations"))) == own_schools
    assert_error(client.get(f"{API}/groups/{foreign.pk}"), 404, "not_found")
    # Control: a superuser sees both municipalities.
    assert set(ids(client_of(superuser).get(f"{API}/groups"))) == {own.pk, foreign.pk}


# --- people: filters, pagination, writes ----------------------------------------------------


def test_people_filters(client_of, curator, municipality):
    school = OrganisationFactory(municipality=municipality)
    fyodorova = PersonFactory(municipality=municipality, organisation=school, last_name="Фёдорова",
                              experience_years=1, category=Person.Category.FIRST)
    mentor = MentorProfileFactory(person__municipality=municipality).person
    mentee = MenteeRecordFactory(person__municipality=municipality).person
    client = client_of(curator)

    def found(query):
        return set(ids(client.get(f"{API}/people?{query}")))

    everyone = {fyodorova.pk, mentor.pk, mentee.pk, curator.person.pk}
    assert found("") == everyone
    assert found("q=федорова") == {fyodorova.pk}
    assert found(f"organisation_id={school.pk}") == {fyodorova.pk}
    assert found("young_specialist=true") == {fyodorova.pk, mentee.pk}
    assert found("young_specialist=false") == {mentor.pk, curator.person.pk}
    assert found("is_mentor=true") == {mentor.pk}
    assert found("is_mentor=false") == everyone - {mentor.pk}
    assert found("is_mentee=true") == {mentee.pk}
    assert found("category=first") == {fyodorova.pk}
    assert_error(client.get(f"{API}/people?category=unknown"), 422, "invalid")


def test_people_list_is_paginated(client_of, curator, municipality):
    PersonFactory.create_batch(5, municipality=municipality)
    client = client_of(curator)
    everyone = ids(client.get(f"{API}/people"))
    response = client.get(f"{API}/people?limit=2&offset=2")
    assert response.json()["count"] == 6
    assert ids(response) == everyone[2:4]


def test_curator_creates_a_person_in_their_municipality(client_of, curator, municipality):
    school = OrganisationFactory(municipality=municipality)
    data = {"last_name": " Петрова ", "first_name": "Анна", "email": "Anna@School.RU",
            "phone": "8 914 000-00-01", "organisation_id": school.pk, "experience_years": 2,
            "category": "first"}
    response = post_json(client_of(curator), f"{API}/people", data)
    assert response.status_code == 201, response.content
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert person.municipality == municipality
    assert (body["last_name"], body["email"], body["phone"]) == ("Петрова", "anna@school.ru",
                                                                 "+79140000001")
    assert body["organisation"]["id"] == school.pk
    assert body["is_young_specialist"] and not body["is_mentor"]
    assert body["category"] == "first"


def test_curator_cannot_direct_a_write_to_another_municipality(client_of, curator,
                                                               other_municipality):
    foreign_school = OrganisationFactory(municipality=other_municipality)
    client = client_of(curator)
    response = post_json(client, f"{API}/people", {"last_name": "Х", "first_name": "Y",
                                                   "municipality_id": other_municipality.pk})
    assert_error(response, 422, "invalid")
    response = post_json(client, f"{API}/people", {"last_name": "Х", "first_name": "Y",
                                                   "organisation_id": foreign_school.pk})
    body = assert_error(response, 422, "invalid")
    # Named as not found, like any unknown id: nothing confirms it exists elsewhere.
    assert body["details"] == {"field": "organisation_id"}
    assert not Person.objects.filter(last_name="Х").exists()


def test_superuser_must_name_the_municipality(client_of, superuser, other_municipality):
    client = client_of(superuser)
    person = {"last_name": "Орлова", "first_name": "Ольга"}
    body = assert_error(post_json(client, f"{API}/people", person), 422, "invalid")
    assert body["details"] == {"field": "municipality_id"}
    response = post_json(client, f"{API}/people",
                         {**person, "municipality_id": other_municipality.pk})
    assert response.status_code == 201
    assert response.json()["municipality_id"] == other_municipality.pk


def test_patch_changes_only_the_given_fields(client_of, curator, municipality):
    person = PersonFactory(municipality=municipality, phone="+79140000002", subject="физика")
    response = client_of(curator).patch(
        f"{API}/people/{person.pk}", {"phone": "8 (914) 123-45-67", "organisation_id": None},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert (person.phone, person.organisation, person.subject) == ("+79141234567", None, "физика")
    assert response.json()["phone"] == "+79141234567"


# --- mentor registry and mentee base --------------------------------------------------------


def test_mentor_profile_put_and_registry_filters(client_of, curator, municipality):
    person = PersonFactory(municipality=municipality, experience_years=20)
    lesson, inclusion = TopicFactory(name="Современный урок"), TopicFactory(name="Инклюзия")
    MentorProfileFactory(person__municipality=municipality)
    client = client_of(curator)
    response = client.put(
        f"{API}/people/{person.pk}/mentor-profile",
        {"topic_ids": [lesson.pk], "can_help": "Разбор уроков", "since": "2025-09-01"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["person"]["id"] == person.pk
    assert [t["name"] for t in body["topics"]] == ["Современный урок"]
    assert (body["can_help"], body["since"], body["is_active"]) == ("Разбор уроков",
                                                                    "2025-09-01", True)
    assert ids(client.get(f"{API}/mentors?topic_id={lesson.pk}")) == [body["id"]]
    assert ids(client.get(f"{API}/mentors?topic_id={inclusion.pk}")) == []
    client.put(f"{API}/people/{person.pk}/mentor-profile", {"is_active": False},
               content_type="application/json")
    assert body["id"] not in ids(client.get(f"{API}/mentors?active=true"))
    assert ids(client.get(f"{API}/mentors?active=false")) == [body["id"]]


def test_mentor_profile_refuses_unknown_topic(client_of, curator, municipality):
    person = PersonFactory(municipality=municipality)
    response = client_of(curator).put(f"{API}/people/{person.pk}/mentor-profile",
                                      {"topic_ids": [999999]}, content_type="application/json")
    body = assert_error(response, 422, "invalid")
    assert body["details"]["missing"] == [999999]
    assert not MentorProfile.objects.filter(person=person).exists()


def test_mentee_record_put_and_filters(client_of, curator, municipality):
    person = PersonFactory(municipality=municipality, experience_years=1)
    topic = TopicFactory(name="Работа с родителями")
    MenteeRecordFactory(person__municipality=municipality)
    client = client_of(curator)
    response = client.put(
        f"{API}/people/{person.pk}/mentee-record",
        {"reason": "deficit", "topic_ids": [topic.pk], "notes": "  первый год  "},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["reason"], body["notes"]) == ("deficit", "первый год")
    assert [t["id"] for t in body["difficulty_topics"]] == [topic.pk]
    assert ids(client.get(f"{API}/mentees?reason=deficit")) == [body["id"]]
    assert ids(client.get(f"{API}/mentees?topic_id={topic.pk}")) == [body["id"]]
    response = client.put(f"{API}/people/{person.pk}/mentee-record", {"reason": "bored"},
                          content_type="application/json")
    assert_error(response, 422, "invalid")
    assert MenteeRecord.objects.get(person=person).reason == "deficit"


# --- pairs and groups -----------------------------------------------------------------------


def test_curator_forms_a_group(client_of, curator, municipality):
    mentor = MentorProfileFactory(person__municipality=municipality).person
    mentees = PersonFactory.create_batch(2, municipality=municipality, experience_years=1)
    client = client_of(curator)
    response = post_json(client, f"{API}/groups", {
        "mentor_id": mentor.pk, "mentee_ids": [m.pk for m in mentees], "format": "virtual",
        "start_date": "2026-09-01", "end_date": "2027-05-31", "goal": "Современный урок",
    })
    assert response.status_code == 201, response.content
    body = response.json()
    group = MentoringGroup.objects.get(pk=body["id"])
    assert (group.municipality, group.mentor, group.format) == (municipality, mentor, "virtual")
    assert {m["id"] for m in body["mentees"]} == {m.pk for m in mentees}
    assert client.get(f"{API}/groups/{group.pk}").json() == body


def test_group_refuses_invisible_mentee_and_unregistered_mentor(client_of, curator, municipality,
                                                                other_municipality):
    mentor = MentorProfileFactory(person__municipality=municipality).person
    stranger = PersonFactory(municipality=other_municipality)
    plain = PersonFactory(municipality=municipality)
    client = client_of(curator)
    group = {"mentor_id": mentor.pk, "mentee_ids": [stranger.pk], "start_date": "2026-09-01"}
    body = assert_error(post_json(client, f"{API}/groups", group), 422, "invalid")
    assert body["details"]["field"] == "mentee_ids"
    group = {**group, "mentor_id": plain.pk, "mentee_ids": [mentor.pk]}
    body = assert_error(post_json(client, f"{API}/groups", group), 422, "invalid")
    assert body["details"] == {"field": "mentor"}
    assert not MentoringGroup.objects.exists()


def test_group_dates_are_checked(client_of, curator, municipality):
    mentor = MentorProfileFactory(person__municipality=municipality).person
    mentee = PersonFactory(municipality=municipality)
    response = post_json(client_of(curator), f"{API}/groups", {
        "mentor_id": mentor.pk, "mentee_ids": [mentee.pk],
        "start_date": str(datetime.date(2026, 9, 1)), "end_date": "2026-01-01",
    })
    assert_error(response, 422, "invalid")
    assert not MentoringGroup.objects.exists()


def test_curator_changes_a_groups_mentees_and_goal(client_of, curator, municipality):
    mentor = MentorProfileFactory(person__municipality=municipality).person
    first, second, third = PersonFactory.create_batch(3, municipality=municipality)
    group = services.create_group(municipality, mentor=mentor, mentees=[first, second],
                                  start_date=datetime.date(2026, 9, 1))
    response = client_of(curator).patch(
        f"{API}/groups/{group.pk}",
        {"mentee_ids": [second.pk, third.pk], "goal": "Адаптация",
         "consent_at": "2026-09-02T10:00:00+10:00"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert {m["id"] for m in response.json()["mentees"]} == {second.pk, third.pk}
    group.refresh_from_db()
    assert group.goal == "Адаптация"
    added = group.memberships.get(mentee=third)
    assert added.consent_at == datetime.datetime(2026, 9, 2, tzinfo=datetime.UTC)
    assert group.memberships.get(mentee=second).consent_at is None


def test_group_patch_of_another_municipality_is_not_found(client_of, other_curator,
                                                          municipality):
    mentor = MentorProfileFactory(person__municipality=municipality).person
    group = services.create_group(municipality, mentor=mentor,
                                  mentees=[PersonFactory(municipality=municipality)],
                                  start_date=datetime.date(2026, 9, 1))
    response = client_of(other_curator).patch(f"{API}/groups/{group.pk}", {"goal": "x"},
                                              content_type="application/json")
    assert_error(response, 404, "not_found")
    group.refresh_from_db()
    assert group.goal == ""


# --- roster import --------------------------------------------------------------------------

ROSTER = (
    "Фамилия;Имя;Отчество;E-mail;Организация;Стаж\n"
    "Петрова;Анна;Сергеевна;anna@school.ru;МБОУ СОШ № 7;2\n"
).encode()


def test_import_upload_preview_then_apply(client_of, curator, municipality):
    client = client_of(curator)
    upload = SimpleUploadedFile("педагоги.csv", ROSTER, content_type="text/csv")
    response = client.post(f"{API}/imports", {"file": upload})
    assert response.status_code == 201, response.content
    batch = response.json()
    assert batch["applied_at"] is None
    assert len(batch["summary"]["creates"]) == 1
    assert batch["summary"]["organisations_to_create"] == ["МБОУ СОШ № 7"]
    assert not Person.objects.filter(email="anna@school.ru").exists()  # a preview writes nothing
    assert client.get(f"{API}/imports/{batch['id']}").json() == batch

    response = client.post(f"{API}/imports/{batch['id']}/apply")
    assert response.status_code == 200, response.content
    assert response.json()["batch"]["applied_at"] is not None
    assert len(response.json()["result"]["creates"]) == 1
    person = Person.objects.get(email="anna@school.ru")
    assert (person.municipality, person.organisation.name) == (municipality, "МБОУ СОШ № 7")
    assert_error(client.post(f"{API}/imports/{batch['id']}/apply"), 409, "conflict")


def test_import_is_for_own_curators_only(client_of, curator, other_curator, mentor_user,
                                         municipality):
    response = client_of(mentor_user).post(
        f"{API}/imports", {"file": SimpleUploadedFile("a.csv", ROSTER)})
    assert_error(response, 403, "forbidden")
    batch = client_of(curator).post(
        f"{API}/imports", {"file": SimpleUploadedFile("a.csv", ROSTER)}).json()
    assert_error(client_of(mentor_user).get(f"{API}/imports/{batch['id']}"), 403, "forbidden")
    stranger = client_of(other_curator)
    assert_error(stranger.get(f"{API}/imports/{batch['id']}"), 404, "not_found")
    assert_error(stranger.post(f"{API}/imports/{batch['id']}/apply"), 404, "not_found")
    assert ImportBatch.objects.get(pk=batch["id"]).applied_at is None


def test_superuser_names_the_municipality_of_an_upload(client_of, superuser, municipality):
    client = client_of(superuser)
    response = client.post(f"{API}/imports", {"file": SimpleUploadedFile("a.csv", ROSTER)})
    assert_error(response, 422, "invalid")
    response = client.post(f"{API}/imports", {"file": SimpleUploadedFile("a.csv", ROSTER),
                                              "municipality_id": municipality.pk})
    assert response.status_code == 201, response.content
    assert response.json()["municipality_id"] == municipality.pk


def test_oversized_upload_is_refused(client_of, curator, monkeypatch):
    monkeypatch.setattr("participants.api.MAX_IMPORT_BYTES", len(ROSTER) - 1)
    response = client_of(curator).post(f"{API}/imports",
                                       {"file": SimpleUploadedFile("a.csv", ROSTER)})
    body = assert_error(response, 422, "invalid")
    assert body["details"] == {"field": "file"}
    assert not ImportBatch.objects.exists()

# --- query counts: equal at two sizes -------------------------------------------------------


def _queries_of(client, url, expected_items):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert len(response.json()["items"]) == expected_items
    return len(context)


def _assert_same_queries(client, url, django_assert_num_queries, *, grow, small, large):
    count = _queries_of(client, url, small)
    grow()
    with django_assert_num_queries(count):
        assert len(client.get(url).json()["items"]) == large


def test_people_list_queries_do_not_grow(client_of, curator, municipality,
                                         django_assert_num_queries):
    PersonFactory(municipality=municipality)  # with the curator's own person: 2
    _assert_same_queries(
        client_of(curator), f"{API}/people", django_assert_num_queries, small=2, large=6,
        grow=lambda: PersonFactory.create_batch(4, municipality=municipality),
    )


def test_mentors_list_queries_do_not_grow(client_of, curator, municipality,
                                          django_assert_num_queries):
    topics = TopicFactory.create_batch(2)

    def add_mentors(n):
        for profile in MentorProfileFactory.create_batch(n, person__municipality=municipality):
            profile.topics.set(topics)

    add_mentors(2)
    _assert_same_queries(client_of(curator), f"{API}/mentors", django_assert_num_queries,
                         small=2, large=6, grow=lambda: add_mentors(4))


def test_mentees_list_queries_do_not_grow(client_of, curator, municipality,
                                          django_assert_num_queries):
    topic = TopicFactory()

    def add_mentees(n):
        for record in MenteeRecordFactory.create_batch(n, person__municipality=municipality):
            record.difficulty_topics.set([topic])

    add_mentees(2)
    _assert_same_queries(client_of(curator), f"{API}/mentees", django_assert_num_queries,
                         small=2, large=6, grow=lambda: add_mentees(4))


def test_groups_list_queries_do_not_grow(client_of, curator, municipality,
                                         django_assert_num_queries):
    MentoringGroupFactory.create_batch(2, municipality=municipality)
    _assert_same_queries(
        client_of(curator), f"{API}/groups", django_assert_num_queries, small=2, large=6,
        grow=lambda: MentoringGroupFactory.create_batch(4, municipality=municipality),
    )


# --- documentation --------------------------------------------------------------------------


def test_openapi_schema_and_docs_are_served(db):
    client = Client()
    schema = client.get(f"{API}/openapi.json")
    assert schema.status_code == 200
    assert f"{API}/people/{{person_id}}/mentor-profile" in schema.json()["paths"]
    docs = client.get(f"{API}/docs")
    assert docs.status_code == 200
    assert b"openapi.json" in docs.content




def test_person_created_by_the_api_awaits_consent(client_of, curator):
    response = post_json(client_of(curator), f"{API}/people",
                         {"last_name": "Петрова", "first_name": "Анна"})

    assert Person.objects.get(pk=response.json()["id"]).awaits_consent


@pytest.mark.django_db(transaction=True)
def test_api_token_use_is_written_after_the_request_by_the_process(monkeypatch):
    monkeypatch.setattr(settings, "API_TOKEN_USE_WRITE_SECONDS", 0.05, raising=False)
    # No role: a transactional test may run after another one flushed the roles' groups.
    token, raw = services.issue_api_token(make_user("integration"), name="Интеграция")

    assert _token_writes(raw) == []  # the request itself writes nothing

    deadline = time.monotonic() + 10
    while ApiToken.objects.get(pk=token.pk).last_used_at is None:
        assert time.monotonic() < deadline, "the use was never written"
        time.sleep(0.02)


@pytest.mark.django_db(transaction=True)
def test_api_token_use_a_failed_write_keeps_is_written_by_the_next_run(monkeypatch):
    """A use whose write fails (a locked table, a restarting database) is kept and written by
    the next run of the process's thread, not dropped."""
    monkeypatch.setattr(settings, "API_TOKEN_USE_WRITE_SECONDS", 0.05, raising=False)
    token, raw = services.issue_api_token(make_user("retry"), name="Интеграция")
    real_update, failures = QuerySet.update, []

    def update_failing_once(queryset, **values):
        if queryset.model is ApiToken and not failures:
            failures.append(values)
            raise OperationalError("database table is locked: participants_apitoken")
        return real_update(queryset, **values)

    monkeypatch.setattr(QuerySet, "update", update_failing_once)
    assert services.user_for_token(raw) is not None

    deadline = time.monotonic() + 10
    while ApiToken.objects.get(pk=token.pk).last_used_at is None:
        assert time.monotonic() < deadline, "the use was dropped with the failed write"
        time.sleep(0.05)
    assert len(failures) == 1
