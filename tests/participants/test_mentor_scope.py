"""A mentor sees only what the role needs: their own mentees' details, no lists of contacts,
no other mentee's reason or notes — in the API and in the admin."""

import datetime

import pytest
from django.urls import reverse

from participants.models import GroupMembership, MentoringGroup
from tests.factories import MenteeRecordFactory, MentorProfileFactory, PersonFactory


@pytest.fixture
def world(municipality, mentor_user):
    MentorProfileFactory(person=mentor_user.person)
    mine = PersonFactory(municipality=municipality, last_name="Моя", email="mine@school.example",
                         phone="+79990000001")
    MenteeRecordFactory(person=mine, reason="young_specialist", notes="моя заметка")
    other = PersonFactory(municipality=municipality, last_name="Чужая",
                          email="other@school.example", phone="+79990000002")
    MenteeRecordFactory(person=other, reason="burnout", notes="чужое выгорание")
    colleague = PersonFactory(municipality=municipality, last_name="Коллега",
                              email="colleague@school.example")
    MentorProfileFactory(person=colleague)
    group = MentoringGroup.objects.create(municipality=municipality, mentor=mentor_user.person,
                                          start_date=datetime.date(2025, 9, 1))
    GroupMembership.objects.create(group=group, mentee=mine)
    return mine, other, colleague


def _api(client, user, path):
    client.force_login(user)
    response = client.get(f"/api/v1{path}")
    assert response.status_code == 200, response.content
    return str(response.json())


def test_mentor_lists_only_themselves_and_their_mentees_in_the_api(client, mentor_user, world):
    people = _api(client, mentor_user, "/people?limit=500")

    assert "mine@school.example" in people and mentor_user.person.email in people
    assert "other@school.example" not in people and "colleague@school.example" not in people


def test_mentor_sees_only_their_mentees_reasons_and_notes_in_the_api(client, mentor_user, world):
    mentees = _api(client, mentor_user, "/mentees?limit=500")
    mentors = _api(client, mentor_user, "/mentors?limit=500")

    assert "моя заметка" in mentees
    assert "burnout" not in mentees and "чужое выгорание" not in mentees
    assert "colleague@school.example" not in mentors


def test_mentor_cannot_open_another_teacher_by_id(client, mentor_user, world):
    _mine, other, _colleague = world
    client.force_login(mentor_user)

    assert client.get(f"/api/v1/people/{other.pk}").status_code == 404


def test_curator_still_sees_everyone(client, curator, world):
    people = _api(client, curator, "/people?limit=500")

    assert "other@school.example" in people and "colleague@school.example" in people


@pytest.mark.parametrize("model", ["person", "menteerecord", "mentorprofile"])
def test_mentor_admin_lists_show_only_their_own_people(client, mentor_user, world, model):
    client.force_login(mentor_user)

    text = client.get(reverse(f"admin:participants_{model}_changelist")).content.decode()

    assert "Чужая" not in text and "Коллега" not in text
    assert "other@school.example" not in text and "чужое выгорание" not in text
